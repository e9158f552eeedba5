// Private to core/kernels (not installed): the per-ISA int8 micro-kernels behind int8_gemm.cc.
//
// Only plain data and raw pointers cross this boundary. Each kernel lives in its own translation
// unit compiled with its own -m flags, so nothing here may be inline or a template: the linker
// would otherwise be free to keep an AVX-512 copy for the portable path (STYLE.md pitfall 4).
#pragma once

#include <cstdint>

namespace spanguard::core::int8_detail {

// One GEMM call, as seen by a kernel. Column counts are padded to whole blocks of 16 in `b`,
// `b_scales` and `b_col_sums`; `bias` and the outputs have exactly `n` columns.
struct GemmArgs {
    const uint8_t* a = nullptr;  // x_q [m, lda], zeros past K
    int64_t lda = 0;
    int64_t m = 0;
    const int8_t* b = nullptr;  // packed weight, see PackedInt8Weight
    int64_t k_groups = 0;       // ceil(K / 4)
    int64_t n = 0;
    // Exactly one output: raw int32 accumulations, or dequantized floats.
    int32_t* acc = nullptr;
    int64_t ldc = 0;
    float* out = nullptr;
    int64_t ldo = 0;
    const float* a_scales = nullptr;         // [m]
    const int32_t* a_zero_points = nullptr;  // [m]
    const float* b_scales = nullptr;         // [blocks * 16]
    const int32_t* b_col_sums = nullptr;     // [blocks * 16]
    const float* bias = nullptr;             // [n] or null
};

// Computes the output columns of column blocks [block_begin, block_end) for all m rows.
using BlockKernel = void (*)(const GemmArgs& args, int64_t block_begin, int64_t block_end);

void portable_gemm_blocks(const GemmArgs& args, int64_t block_begin, int64_t block_end);

// Present only when the compiler accepted the AVX-512 VNNI flags (x86-64 GCC/Clang).
bool avx512vnni_compiled();
void avx512vnni_gemm_blocks(const GemmArgs& args, int64_t block_begin, int64_t block_end);
// quantize_rows_u8 (int8_gemm.h) with 16 floats per instruction; bit-identical to the portable
// one (same operations, each rounded on its own: no fused multiply-add).
void avx512_quantize_rows_u8(const float* x, int64_t m, int64_t k, int64_t ldx, uint8_t* x_q,
                             int64_t ldq, float* scales, int32_t* zero_points);

// One output channel of PackedInt8Weight::quantize: q[c] = clamp(nearbyint(w[c] / scale), -127,
// 127) with scale = max|w| / 127 (1 for an all-zero row), 16 lanes at a time; bit-identical to
// the portable loop (IEEE division, round-to-nearest-even). Returns false, leaving q and scale
// unspecified, when a value is NaN or infinite.
bool avx512_quantize_weight_row(const float* w, int64_t k, int8_t* q, float* scale);

}  // namespace spanguard::core::int8_detail
