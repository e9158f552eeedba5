// AVX-512 float32 kernel for core::gemm_nt (C = A B^T + bias). This translation unit alone is
// compiled with -mavx512f -mfma (core/CMakeLists.txt) and is only called after a run-time CPU
// check, so it includes no Eigen and no standard-library inline code that the linker could merge
// with other translation units' copies (STYLE.md pitfall 4); helpers have internal linkage.
//
// Why this shape: both operands are row-major along k, so the kernel computes a 6 x 4 tile of dot
// products with 24 vector accumulators along k (6 rows of A and 4 rows of B loaded per 16 k: 10
// loads for 24 FMAs) and reduces them once at the end, four outputs per shuffle tree. Nothing is
// packed, so weights stay in place (no copy at load, no extra memory). B is walked in blocks of
// rows that fit in L2 so every row of A reuses them. gemm_nn (B stored k-major) is the classic
// broadcast kernel instead, which needs no reduction and so suits the attention's short k.
#include "core/kernels/avx512_kernels.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

// GCC 12's AVX-512 headers build some intrinsics from a deliberately undefined register
// (_mm512_undefined_ps), which -Wuninitialized reports at every inlining site; nothing of ours is
// uninitialised.
// (Clang neither warns here nor knows -Wmaybe-uninitialized.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace spanguard::core::gemm_avx512 {
namespace {

constexpr int kRowsA = 6;  // rows of A (tokens) per tile
constexpr int kRowsB = 4;  // rows of B (output features) per tile
// k per pass: 6 rows of A then take 18 KiB and stay in a 32 KiB L1 while the tile walks B.
constexpr int64_t kDepth = 768;
// Bytes of B kept hot per block: about a third of a 1 MiB L2, leaving room for A's rows.
constexpr int64_t kBlockBytesB = 384 * 1024;
// A row tile is copied to a stack buffer with this row stride when A's own stride is a multiple of
// 4 KiB (e.g. the FFN output layer's 3072-float rows): there, the same k of all six rows falls in
// one L1 set, and with the four rows of B (same stride) ten lines compete for eight ways. Measured
// at 40 x 3072 -> 768: 89 -> 100 GFLOP/s on one core; other shapes are unchanged and not copied.
constexpr int64_t kPackedStride = kDepth + 16;

// [sum(a0), sum(a1), sum(a2), sum(a3)] with one shuffle tree instead of four reductions.
inline __m128 reduce4(__m512 a0, __m512 a1, __m512 a2, __m512 a3) {
    const __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a0, a1), _mm512_unpackhi_ps(a0, a1));
    const __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(a2, a3), _mm512_unpackhi_ps(a2, a3));
    // Per 128-bit lane: [a0, a1, a2, a3] partial sums.
    const __m512 abcd = _mm512_add_ps(_mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(1, 0, 1, 0)),
                                      _mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m256 lo = _mm512_castps512_ps256(abcd);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(abcd), 1));
    const __m256 half = _mm256_add_ps(lo, hi);
    return _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
}

// One tile: rows [0, MR) of `a` times rows [0, nr) of `b` (nr <= 4), into c. Rows of B beyond nr
// are aliased to row 0 by the caller's pointers and their results dropped, so the inner loop has
// no branches. With `accumulate`, the tile adds to what c holds (a later pass over k).
// With kPrefetch, `next_b` holds the four rows of B the following tile will read; each step
// along k asks for their next cache line (into L2), so the first pass over a block of B, which
// streams the weights from memory, overlaps that latency with this tile's arithmetic.
template <int MR, bool kPrefetch>
void tile(const float* a, int64_t lda, const float* const* b_rows, int nr, float* c, int64_t ldc,
          int64_t k, const float* bias, bool accumulate, const float* const* next_b) {
    __m512 acc[MR][kRowsB];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 4
        for (int j = 0; j < kRowsB; ++j)
            acc[i][j] = _mm512_setzero_ps();
    }
    const float* b0 = b_rows[0];
    const float* b1 = b_rows[1];
    const float* b2 = b_rows[2];
    const float* b3 = b_rows[3];
    int64_t kk = 0;
    for (; kk + 16 <= k; kk += 16) {
        if constexpr (kPrefetch) {
#pragma GCC unroll 4
            for (int j = 0; j < kRowsB; ++j)
                _mm_prefetch(reinterpret_cast<const char*>(next_b[j] + kk), _MM_HINT_T1);
        }
        const __m512 w0 = _mm512_loadu_ps(b0 + kk);
        const __m512 w1 = _mm512_loadu_ps(b1 + kk);
        const __m512 w2 = _mm512_loadu_ps(b2 + kk);
        const __m512 w3 = _mm512_loadu_ps(b3 + kk);
#pragma GCC unroll 8
        for (int i = 0; i < MR; ++i) {
            const __m512 x = _mm512_loadu_ps(a + i * lda + kk);
            acc[i][0] = _mm512_fmadd_ps(x, w0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(x, w1, acc[i][1]);
            acc[i][2] = _mm512_fmadd_ps(x, w2, acc[i][2]);
            acc[i][3] = _mm512_fmadd_ps(x, w3, acc[i][3]);
        }
    }
    if (kk < k) {
        // Masked loads read nothing past the end of a row.
        const auto mask = static_cast<__mmask16>((1u << (k - kk)) - 1u);
        const __m512 w0 = _mm512_maskz_loadu_ps(mask, b0 + kk);
        const __m512 w1 = _mm512_maskz_loadu_ps(mask, b1 + kk);
        const __m512 w2 = _mm512_maskz_loadu_ps(mask, b2 + kk);
        const __m512 w3 = _mm512_maskz_loadu_ps(mask, b3 + kk);
#pragma GCC unroll 8
        for (int i = 0; i < MR; ++i) {
            const __m512 x = _mm512_maskz_loadu_ps(mask, a + i * lda + kk);
            acc[i][0] = _mm512_fmadd_ps(x, w0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(x, w1, acc[i][1]);
            acc[i][2] = _mm512_fmadd_ps(x, w2, acc[i][2]);
            acc[i][3] = _mm512_fmadd_ps(x, w3, acc[i][3]);
        }
    }
    __m128 bias4 = _mm_setzero_ps();
    if (bias != nullptr) {
        if (nr == kRowsB) {
            bias4 = _mm_loadu_ps(bias);
        } else {
            alignas(16) float partial[4] = {0.0f, 0.0f, 0.0f, 0.0f};
            for (int j = 0; j < nr; ++j)
                partial[j] = bias[j];
            bias4 = _mm_load_ps(partial);
        }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
        const __m128 sums = _mm_add_ps(reduce4(acc[i][0], acc[i][1], acc[i][2], acc[i][3]), bias4);
        float* out = c + i * ldc;
        if (nr == kRowsB) {
            _mm_storeu_ps(out, accumulate ? _mm_add_ps(_mm_loadu_ps(out), sums) : sums);
        } else {
            alignas(16) float values[4];
            _mm_store_ps(values, sums);
            for (int j = 0; j < nr; ++j)
                out[j] = accumulate ? out[j] + values[j] : values[j];
        }
    }
}

template <bool kPrefetch>
void tile_rows(int mr, const float* a, int64_t lda, const float* const* b_rows, int nr, float* c,
               int64_t ldc, int64_t k, const float* bias, bool accumulate,
               const float* const* next_b) {
    switch (mr) {
        case 6:
            tile<6, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
        case 5:
            tile<5, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
        case 4:
            tile<4, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
        case 3:
            tile<3, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
        case 2:
            tile<2, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
        default:
            tile<1, kPrefetch>(a, lda, b_rows, nr, c, ldc, k, bias, accumulate, next_b);
            break;
    }
}

}  // namespace

bool compiled_in() {
    return true;
}

void gemm_nt(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias) {
    if (m <= 0 || n <= 0) return;
    alignas(64) float packed[kRowsA * kPackedStride];
    const bool pack_a = (lda * static_cast<int64_t>(sizeof(float))) % 4096 == 0;
    const int64_t depth = k < kDepth ? (k > 0 ? k : 1) : kDepth;
    int64_t block = kBlockBytesB / (depth * 4);
    block = block < kRowsB ? kRowsB : block - block % kRowsB;
    // k == 0 still takes one (empty) pass so that c receives the bias or zeros.
    for (int64_t k0 = 0; k0 < k || k0 == 0; k0 += depth) {
        const int64_t kc = k - k0 < depth ? k - k0 : depth;
        const bool accumulate = k0 > 0;
        for (int64_t j0 = 0; j0 < n; j0 += block) {
            const int64_t j1 = j0 + block < n ? j0 + block : n;
            for (int64_t i = 0; i < m; i += kRowsA) {
                const int mr = static_cast<int>(m - i < kRowsA ? m - i : kRowsA);
                const float* a_tile = a + i * lda + k0;
                int64_t a_stride = lda;
                if (pack_a) {
                    for (int r = 0; r < mr; ++r)
                        __builtin_memcpy(packed + r * kPackedStride, a_tile + r * lda,
                                         static_cast<size_t>(kc) * sizeof(float));
                    a_tile = packed;
                    a_stride = kPackedStride;
                }
                for (int64_t j = j0; j < j1; j += kRowsB) {
                    const int nr = static_cast<int>(j1 - j < kRowsB ? j1 - j : kRowsB);
                    const float* b_rows[kRowsB];
                    for (int r = 0; r < kRowsB; ++r)
                        b_rows[r] = b + (j + (r < nr ? r : 0)) * ldb + k0;
                    // The bias enters with the first pass only.
                    const float* tile_bias = bias != nullptr && !accumulate ? bias + j : nullptr;
                    // The first row tile meets this block of B straight from memory; later ones
                    // find it in L2. So the first one prefetches the rows of its next tile.
                    const int64_t next = j + kRowsB;
                    if (i == 0 && next + kRowsB <= n) {
                        const float* next_b[kRowsB];
                        for (int r = 0; r < kRowsB; ++r)
                            next_b[r] = b + (next + r) * ldb + k0;
                        tile_rows<true>(mr, a_tile, a_stride, b_rows, nr, c + i * ldc + j, ldc, kc,
                                        tile_bias, accumulate, next_b);
                    } else {
                        tile_rows<false>(mr, a_tile, a_stride, b_rows, nr, c + i * ldc + j, ldc, kc,
                                         tile_bias, accumulate, nullptr);
                    }
                }
            }
        }
        if (k == 0) break;
    }
}

namespace {

// gemm_nn: a tile of MR rows x 32 columns (two vectors) of C, 2 x MR accumulators; per k two
// vector loads of B and MR broadcasts of A. No reduction at the end, which suits small k.
constexpr int kNnRows = 6;
constexpr int kNnCols = 32;

template <int MR>
void tile_nn(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t k, int nc, const float* bias) {
    const __mmask16 mask0 =
        static_cast<__mmask16>(nc >= 16 ? 0xFFFFu : (1u << (nc > 0 ? nc : 0)) - 1u);
    const __mmask16 mask1 =
        static_cast<__mmask16>(nc >= 32 ? 0xFFFFu : (nc > 16 ? (1u << (nc - 16)) - 1u : 0u));
    __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
        acc0[i] = _mm512_setzero_ps();
        acc1[i] = _mm512_setzero_ps();
    }
    for (int64_t p = 0; p < k; ++p) {
        const __m512 b0 = _mm512_maskz_loadu_ps(mask0, b + p * ldb);
        const __m512 b1 = _mm512_maskz_loadu_ps(mask1, b + p * ldb + 16);
#pragma GCC unroll 8
        for (int i = 0; i < MR; ++i) {
            const __m512 x = _mm512_set1_ps(a[i * lda + p]);
            acc0[i] = _mm512_fmadd_ps(x, b0, acc0[i]);
            acc1[i] = _mm512_fmadd_ps(x, b1, acc1[i]);
        }
    }
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (bias != nullptr) {
        bias0 = _mm512_maskz_loadu_ps(mask0, bias);
        bias1 = _mm512_maskz_loadu_ps(mask1, bias + 16);
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
        _mm512_mask_storeu_ps(c + i * ldc, mask0, _mm512_add_ps(acc0[i], bias0));
        _mm512_mask_storeu_ps(c + i * ldc + 16, mask1, _mm512_add_ps(acc1[i], bias1));
    }
}

void tile_nn_rows(int mr, const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                  int64_t ldc, int64_t k, int nc, const float* bias) {
    switch (mr) {
        case 6:
            tile_nn<6>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
        case 5:
            tile_nn<5>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
        case 4:
            tile_nn<4>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
        case 3:
            tile_nn<3>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
        case 2:
            tile_nn<2>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
        default:
            tile_nn<1>(a, lda, b, ldb, c, ldc, k, nc, bias);
            break;
    }
}

}  // namespace

void gemm_nn(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias) {
    if (m <= 0 || n <= 0) return;
    // A column panel of B (k x 32) stays in cache while every row tile of A passes over it.
    for (int64_t j = 0; j < n; j += kNnCols) {
        const int nc = static_cast<int>(n - j < kNnCols ? n - j : kNnCols);
        for (int64_t i = 0; i < m; i += kNnRows) {
            const int mr = static_cast<int>(m - i < kNnRows ? m - i : kNnRows);
            tile_nn_rows(mr, a + i * lda, lda, b + j, ldb, c + i * ldc + j, ldc, k, nc,
                         bias != nullptr ? bias + j : nullptr);
        }
    }
}

}  // namespace spanguard::core::gemm_avx512

#else  // built without AVX-512 support: the dispatcher never selects this kernel

namespace spanguard::core::gemm_avx512 {

bool compiled_in() {
    return false;
}

void gemm_nt(const float*, int64_t, const float*, int64_t, float*, int64_t, int64_t, int64_t,
             int64_t, const float*) {}

void gemm_nn(const float*, int64_t, const float*, int64_t, float*, int64_t, int64_t, int64_t,
             int64_t, const float*) {}

}  // namespace spanguard::core::gemm_avx512

#endif
