// AVX-512 VNNI int8 micro-kernel. This translation unit alone is compiled with -mavx512f -mavx512bw
// -mavx512vnni (core/CMakeLists.txt) and is only called after the CPU was checked. To keep that
// safe it includes no standard-library templates or inline functions of ours: everything it
// defines has internal linkage or is one of the plain functions of int8_gemm_kernels.h, so the
// linker can never pick an AVX-512 copy of shared code for the portable path (STYLE.md pitfall 4).
#include <cstdint>

#include "core/kernels/int8_gemm_kernels.h"

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#include <immintrin.h>

namespace spanguard::core::int8_detail {
namespace {

constexpr int64_t kBlock = 16;
constexpr int kRowTile = 8;    // rows per micro-tile
constexpr int kBlockTile = 2;  // column blocks (of 16) per micro-tile: 16 accumulators in all

// acc[r][j] += sum over all k groups of a[row r] (4 u8, broadcast) . panel j (16 x 4 s8), via
// vpdpbusd, which adds the four u8*s8 products of each lane to its int32 without saturation.
template <int Rows, int Blocks>
void tile(const GemmArgs& args, int64_t row0, int64_t blk0) {
    __m512i acc[Rows][Blocks];
    for (int r = 0; r < Rows; ++r)
        for (int j = 0; j < Blocks; ++j)
            acc[r][j] = _mm512_setzero_si512();
    const int64_t panel_stride = args.k_groups * 64;
    const int8_t* panel = args.b + blk0 * panel_stride;
    const uint8_t* a = args.a + row0 * args.lda;
    for (int64_t g = 0; g < args.k_groups; ++g) {
        __m512i w[Blocks];
        for (int j = 0; j < Blocks; ++j)
            w[j] = _mm512_load_si512(static_cast<const void*>(panel + j * panel_stride + g * 64));
        for (int r = 0; r < Rows; ++r) {
            int32_t quad;
            __builtin_memcpy(&quad, a + r * args.lda + g * 4, 4);
            const __m512i x = _mm512_set1_epi32(quad);
            for (int j = 0; j < Blocks; ++j)
                acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], x, w[j]);
        }
    }
    for (int j = 0; j < Blocks; ++j) {
        const int64_t col0 = (blk0 + j) * kBlock;
        const int64_t cols = args.n - col0 < kBlock ? args.n - col0 : kBlock;
        const __mmask16 mask = static_cast<__mmask16>((1u << cols) - 1u);
        if (args.acc != nullptr) {
            for (int r = 0; r < Rows; ++r)
                _mm512_mask_storeu_epi32(args.acc + (row0 + r) * args.ldc + col0, mask, acc[r][j]);
            continue;
        }
        const __m512i col_sums = _mm512_loadu_si512(args.b_col_sums + col0);
        const __m512 b_scales = _mm512_loadu_ps(args.b_scales + col0);
        const __m512 bias = args.bias != nullptr ? _mm512_maskz_loadu_ps(mask, args.bias + col0)
                                                 : _mm512_setzero_ps();
        for (int r = 0; r < Rows; ++r) {
            const int64_t i = row0 + r;
            // Same operation order as the portable epilogue: (acc - z*colsum) * (s_x*s_w) + bias.
            const __m512i zp = _mm512_set1_epi32(args.a_zero_points[i]);
            const __m512i centred = _mm512_sub_epi32(acc[r][j], _mm512_mullo_epi32(zp, col_sums));
            const __m512 scale = _mm512_mul_ps(_mm512_set1_ps(args.a_scales[i]), b_scales);
            // maskz form: GCC 12 warns about the unmasked one's undefined source (a false
            // positive).
            __m512 v = _mm512_mul_ps(_mm512_maskz_cvtepi32_ps(0xFFFF, centred), scale);
            if (args.bias != nullptr) v = _mm512_add_ps(v, bias);
            _mm512_mask_storeu_ps(args.out + i * args.ldo + col0, mask, v);
        }
    }
}

template <int Blocks>
void row_tail(const GemmArgs& args, int64_t row0, int64_t rows, int64_t blk0) {
    switch (rows) {
        case 1:
            tile<1, Blocks>(args, row0, blk0);
            break;
        case 2:
            tile<2, Blocks>(args, row0, blk0);
            break;
        case 3:
            tile<3, Blocks>(args, row0, blk0);
            break;
        case 4:
            tile<4, Blocks>(args, row0, blk0);
            break;
        case 5:
            tile<5, Blocks>(args, row0, blk0);
            break;
        case 6:
            tile<6, Blocks>(args, row0, blk0);
            break;
        case 7:
            tile<7, Blocks>(args, row0, blk0);
            break;
        default:
            break;
    }
}

template <int Blocks>
void all_rows(const GemmArgs& args, int64_t blk0) {
    int64_t row0 = 0;
    for (; row0 + kRowTile <= args.m; row0 += kRowTile)
        tile<kRowTile, Blocks>(args, row0, blk0);
    if (row0 < args.m) row_tail<Blocks>(args, row0, args.m - row0, blk0);
}

}  // namespace

bool avx512vnni_compiled() {
    return true;
}

void avx512vnni_gemm_blocks(const GemmArgs& args, int64_t block_begin, int64_t block_end) {
    int64_t blk = block_begin;
    for (; blk + kBlockTile <= block_end; blk += kBlockTile)
        all_rows<kBlockTile>(args, blk);
    if (blk < block_end) all_rows<1>(args, blk);
}

}  // namespace spanguard::core::int8_detail

#else  // the compiler did not get the VNNI flags: the dispatcher never selects this kernel.

namespace spanguard::core::int8_detail {
bool avx512vnni_compiled() {
    return false;
}
void avx512vnni_gemm_blocks(const GemmArgs&, int64_t, int64_t) {}
}  // namespace spanguard::core::int8_detail

#endif
