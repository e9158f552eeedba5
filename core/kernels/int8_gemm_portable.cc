// Portable int8 micro-kernel: plain C++ over the packed layout, compiled without ISA flags. It is
// the fallback on CPUs without AVX-512 VNNI and the reference the VNNI kernel must match bit for
// bit.
#include <cstdint>

#include "core/kernels/int8_gemm_kernels.h"

namespace spanguard::core::int8_detail {
namespace {

constexpr int64_t kBlock = 16;
constexpr int64_t kRows = 4;  // rows sharing each loaded weight group

// Accumulates `rows` (<= kRows) rows of one column block: acc[r][c] = sum_k a[r][k] * w[c][k].
void block_rows(const GemmArgs& args, const int8_t* panel, int64_t row0, int64_t rows,
                int32_t acc[kRows][kBlock]) {
    for (int64_t r = 0; r < kRows; ++r)
        for (int64_t c = 0; c < kBlock; ++c)
            acc[r][c] = 0;
    for (int64_t g = 0; g < args.k_groups; ++g) {
        const int8_t* w = panel + g * 64;
        for (int64_t r = 0; r < rows; ++r) {
            const uint8_t* a = args.a + (row0 + r) * args.lda + g * 4;
            const int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            for (int64_t c = 0; c < kBlock; ++c) {
                acc[r][c] +=
                    a0 * w[4 * c] + a1 * w[4 * c + 1] + a2 * w[4 * c + 2] + a3 * w[4 * c + 3];
            }
        }
    }
}

}  // namespace

void portable_gemm_blocks(const GemmArgs& args, int64_t block_begin, int64_t block_end) {
    int32_t acc[kRows][kBlock];
    for (int64_t blk = block_begin; blk < block_end; ++blk) {
        const int8_t* panel = args.b + blk * args.k_groups * 64;
        const int64_t col0 = blk * kBlock;
        const int64_t cols = args.n - col0 < kBlock ? args.n - col0 : kBlock;
        for (int64_t row0 = 0; row0 < args.m; row0 += kRows) {
            const int64_t rows = args.m - row0 < kRows ? args.m - row0 : kRows;
            block_rows(args, panel, row0, rows, acc);
            for (int64_t r = 0; r < rows; ++r) {
                const int64_t i = row0 + r;
                if (args.acc != nullptr) {
                    int32_t* dst = args.acc + i * args.ldc + col0;
                    for (int64_t c = 0; c < cols; ++c)
                        dst[c] = acc[r][c];
                    continue;
                }
                // Same operation order as the VNNI epilogue, so both kernels round identically.
                const int32_t zp = args.a_zero_points[i];
                const float sa = args.a_scales[i];
                float* dst = args.out + i * args.ldo + col0;
                for (int64_t c = 0; c < cols; ++c) {
                    const int32_t centred = acc[r][c] - zp * args.b_col_sums[col0 + c];
                    float v = static_cast<float>(centred) * (sa * args.b_scales[col0 + c]);
                    if (args.bias != nullptr) v += args.bias[col0 + c];
                    dst[c] = v;
                }
            }
        }
    }
}

}  // namespace spanguard::core::int8_detail
