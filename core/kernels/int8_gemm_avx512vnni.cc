// AVX-512 VNNI int8 micro-kernel. This translation unit alone is compiled with -mavx512f -mavx512bw
// -mavx512vnni (core/CMakeLists.txt) and is only called after the CPU was checked. To keep that
// safe it includes no standard-library templates or inline functions of ours: everything it
// defines has internal linkage or is one of the plain functions of int8_gemm_kernels.h, so the
// linker can never pick an AVX-512 copy of shared code for the portable path (STYLE.md pitfall 4).
#include <bit>
#include <cstdint>

#include "core/kernels/int8_gemm_kernels.h"

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#include <immintrin.h>

namespace spanguard::core::int8_detail {
namespace {

constexpr int64_t kBlock = 16;
constexpr int kRowTile = 8;    // rows per micro-tile (sums_8x2 below is written for 8 x 2)
constexpr int kBlockTile = 2;  // column blocks (of 16) per micro-tile: 16 accumulators in all

#define SPANGUARD_ROW(base, first, second, bcast)     \
    "vpbroadcastd " base ", %%zmm" #bcast             \
    "\n\t"                                            \
    "vpdpbusd %%zmm16, %%zmm" #bcast ", %%zmm" #first \
    "\n\t"                                            \
    "vpdpbusd %%zmm17, %%zmm" #bcast ", %%zmm" #second "\n\t"

// The full 8-row x 2-block tile's accumulations, written to sums[2 * r + j]: accumulators in
// zmm0-zmm15, the two weight vectors in zmm16-17, one broadcast register per row. In assembly
// because GCC 12 allocates the intrinsic version's accumulators badly (it copied registers around
// and spilled to the stack at every vpdpbusd, which halved the kernel's speed).
void sums_8x2(const uint8_t* a, int64_t lda, const int8_t* panel0, int64_t panel_stride,
              int64_t k_groups, __m512i* sums) {
    const uint8_t* a_hi = a + 4 * lda;
    const int64_t lda3 = 3 * lda;
    const int8_t* panel1 = panel0 + panel_stride;
    __asm__ volatile(
        "vpxord %%zmm0, %%zmm0, %%zmm0\n\t"
        "vpxord %%zmm1, %%zmm1, %%zmm1\n\t"
        "vpxord %%zmm2, %%zmm2, %%zmm2\n\t"
        "vpxord %%zmm3, %%zmm3, %%zmm3\n\t"
        "vpxord %%zmm4, %%zmm4, %%zmm4\n\t"
        "vpxord %%zmm5, %%zmm5, %%zmm5\n\t"
        "vpxord %%zmm6, %%zmm6, %%zmm6\n\t"
        "vpxord %%zmm7, %%zmm7, %%zmm7\n\t"
        "vpxord %%zmm8, %%zmm8, %%zmm8\n\t"
        "vpxord %%zmm9, %%zmm9, %%zmm9\n\t"
        "vpxord %%zmm10, %%zmm10, %%zmm10\n\t"
        "vpxord %%zmm11, %%zmm11, %%zmm11\n\t"
        "vpxord %%zmm12, %%zmm12, %%zmm12\n\t"
        "vpxord %%zmm13, %%zmm13, %%zmm13\n\t"
        "vpxord %%zmm14, %%zmm14, %%zmm14\n\t"
        "vpxord %%zmm15, %%zmm15, %%zmm15\n\t"
        "test %[n], %[n]\n\t"
        "jz 2f\n\t"
        "1:\n\t"
        "vmovdqa64 (%[w0]), %%zmm16\n\t"
        "vmovdqa64 (%[w1]), %%zmm17\n\t"
        SPANGUARD_ROW("(%[a])", 0, 1, 18)
        SPANGUARD_ROW("(%[a], %[ld1])", 2, 3, 19)
        SPANGUARD_ROW("(%[a], %[ld1], 2)", 4, 5, 20)
        SPANGUARD_ROW("(%[a], %[ld3])", 6, 7, 21)
        SPANGUARD_ROW("(%[ah])", 8, 9, 22)
        SPANGUARD_ROW("(%[ah], %[ld1])", 10, 11, 23)
        SPANGUARD_ROW("(%[ah], %[ld1], 2)", 12, 13, 24)
        SPANGUARD_ROW("(%[ah], %[ld3])", 14, 15, 25)
        "add $64, %[w0]\n\t"
        "add $64, %[w1]\n\t"
        "add $4, %[a]\n\t"
        "add $4, %[ah]\n\t"
        "dec %[n]\n\t"
        "jnz 1b\n\t"
        "2:\n\t"
        "vmovdqu64 %%zmm0, 0(%[out])\n\t"
        "vmovdqu64 %%zmm1, 64(%[out])\n\t"
        "vmovdqu64 %%zmm2, 128(%[out])\n\t"
        "vmovdqu64 %%zmm3, 192(%[out])\n\t"
        "vmovdqu64 %%zmm4, 256(%[out])\n\t"
        "vmovdqu64 %%zmm5, 320(%[out])\n\t"
        "vmovdqu64 %%zmm6, 384(%[out])\n\t"
        "vmovdqu64 %%zmm7, 448(%[out])\n\t"
        "vmovdqu64 %%zmm8, 512(%[out])\n\t"
        "vmovdqu64 %%zmm9, 576(%[out])\n\t"
        "vmovdqu64 %%zmm10, 640(%[out])\n\t"
        "vmovdqu64 %%zmm11, 704(%[out])\n\t"
        "vmovdqu64 %%zmm12, 768(%[out])\n\t"
        "vmovdqu64 %%zmm13, 832(%[out])\n\t"
        "vmovdqu64 %%zmm14, 896(%[out])\n\t"
        "vmovdqu64 %%zmm15, 960(%[out])\n\t"
        : [w0] "+r"(panel0), [w1] "+r"(panel1), [a] "+r"(a), [ah] "+r"(a_hi), [n] "+r"(k_groups)
        : [ld1] "r"(lda), [ld3] "r"(lda3), [out] "r"(sums)
        : "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",
          "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18",
          "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25");
}

#undef SPANGUARD_ROW

// acc[r][j] += sum over all k groups of a[row r] (4 u8, broadcast) . panel j (16 x 4 s8), via
// vpdpbusd, which adds the four u8*s8 products of each lane to its int32 without saturation.
// The full tile runs sums_8x2; the row and column tails run the intrinsic loop.
template <int Rows, int Blocks>
void tile(const GemmArgs& args, int64_t row0, int64_t blk0) {
    __m512i acc[Rows][Blocks];
    const int64_t k_groups = args.k_groups;
    const int64_t lda = args.lda;
    const int64_t panel_stride = k_groups * 64;
    const int8_t* panel = args.b + blk0 * panel_stride;
    const uint8_t* a = args.a + row0 * lda;
    if constexpr (Rows == 8 && Blocks == 2) {
        sums_8x2(a, lda, panel, panel_stride, k_groups, &acc[0][0]);
    } else {
        for (int r = 0; r < Rows; ++r)
            for (int j = 0; j < Blocks; ++j)
                acc[r][j] = _mm512_setzero_si512();
        for (int64_t g = 0; g < k_groups; ++g) {
            __m512i w[Blocks];
            for (int j = 0; j < Blocks; ++j)
                w[j] =
                    _mm512_load_si512(static_cast<const void*>(panel + j * panel_stride + g * 64));
            for (int r = 0; r < Rows; ++r) {
                int32_t quad;
                __builtin_memcpy(&quad, a + r * lda + g * 4, 4);
                const __m512i x = _mm512_set1_epi32(quad);
                for (int j = 0; j < Blocks; ++j)
                    acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], x, w[j]);
            }
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

// The portable quantize_rows_u8's arithmetic, 16 lanes at a time. Products and sums use the
// explicit-rounding intrinsics so that no compiler fuses them into one FMA (which rounds once and
// would change some codes); min/max keep the previous bound when a value is NaN, as std::min/max
// do in the portable loop. Every intrinsic is the zero-masked form with all lanes on: GCC 12 warns
// that the unmasked forms read an undefined source (a false positive, as in tile() above).
void avx512_quantize_rows_u8(const float* x, int64_t m, int64_t k, int64_t ldx, uint8_t* x_q,
                             int64_t ldq, float* scales, int32_t* zero_points) {
    constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    constexpr __mmask16 kAll = 0xFFFF;
    const __m512 zero = _mm512_setzero_ps();
    const __m512 top = _mm512_set1_ps(255.0f);
    const __m512 half = _mm512_set1_ps(0.5f);
    for (int64_t i = 0; i < m; ++i) {
        const float* row = x + i * ldx;
        __m512 lo = zero, hi = zero;
        for (int64_t c = 0; c < k; c += 16) {
            const __mmask16 lanes =
                k - c >= 16 ? kAll : static_cast<__mmask16>((1u << (k - c)) - 1u);
            const __m512 v = _mm512_maskz_loadu_ps(lanes, row + c);  // zeros: inside the range
            lo = _mm512_maskz_min_ps(kAll, v, lo);
            hi = _mm512_maskz_max_ps(kAll, v, hi);
        }
        alignas(64) float lo_lanes[16], hi_lanes[16];
        _mm512_store_ps(lo_lanes, lo);
        _mm512_store_ps(hi_lanes, hi);
        float lo_s = 0.0f, hi_s = 0.0f;
        for (int l = 0; l < 16; ++l) {
            lo_s = lo_lanes[l] < lo_s ? lo_lanes[l] : lo_s;
            hi_s = hi_lanes[l] > hi_s ? hi_lanes[l] : hi_s;
        }
        const float scale = hi_s > lo_s ? (hi_s - lo_s) / 255.0f : 1.0f;
        const float inv = 1.0f / scale;
        float z = -lo_s * inv;
        z = z < 0.0f ? 0.0f : (z > 255.0f ? 255.0f : z);
        const float zp = __builtin_floorf(z + 0.5f);
        const __m512 inv_v = _mm512_set1_ps(inv);
        const __m512 zp_v = _mm512_set1_ps(zp);
        uint8_t* q = x_q + i * ldq;
        for (int64_t c = 0; c < k; c += 16) {
            const __mmask16 lanes =
                k - c >= 16 ? kAll : static_cast<__mmask16>((1u << (k - c)) - 1u);
            const __m512 v = _mm512_maskz_loadu_ps(lanes, row + c);
            __m512 y = _mm512_maskz_add_round_ps(
                kAll, _mm512_maskz_mul_round_ps(kAll, v, inv_v, kRound), zp_v, kRound);
            y = _mm512_maskz_min_ps(kAll, _mm512_maskz_max_ps(kAll, y, zero), top);
            const __m512i code =
                _mm512_maskz_cvttps_epi32(kAll, _mm512_maskz_add_round_ps(kAll, y, half, kRound));
            _mm512_mask_cvtepi32_storeu_epi8(q + c, lanes, code);
        }
        for (int64_t c = k; c < ldq; ++c)
            q[c] = 0;
        scales[i] = scale;
        zero_points[i] = static_cast<int32_t>(zp);
    }
}

bool avx512_quantize_weight_row(const float* w, int64_t k, int8_t* q, float* scale) {
    constexpr int kRound = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    constexpr __mmask16 kAll = 0xFFFF;
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
    const __m512i exponent = _mm512_set1_epi32(0x7f800000);
    __m512i max_bits = _mm512_setzero_si512();  // |w| as integers: same order as the floats
    __mmask16 special = 0;
    for (int64_t c = 0; c < k; c += 16) {
        const __mmask16 lanes = k - c >= 16 ? kAll : static_cast<__mmask16>((1u << (k - c)) - 1u);
        const __m512i bits = _mm512_and_si512(_mm512_maskz_loadu_epi32(lanes, w + c),
                                              magnitude);  // zeros past k: harmless
        special |= _mm512_mask_cmpge_epu32_mask(kAll, bits, exponent);
        max_bits = _mm512_maskz_max_epu32(kAll, max_bits, bits);
    }
    if (special != 0) return false;
    // Reduced through memory: GCC 12's _mm512_reduce_max_epu32 trips the same false
    // "uninitialized" warning as the unmasked forms.
    alignas(64) uint32_t lane_max[16];
    _mm512_store_si512(lane_max, max_bits);
    uint32_t max_u = 0;
    for (uint32_t v : lane_max)
        max_u = v > max_u ? v : max_u;
    const float max_abs = std::bit_cast<float>(max_u);
    const float s = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
    *scale = s;
    const __m512 scale_v = _mm512_set1_ps(s);
    const __m512 low = _mm512_set1_ps(-127.0f);
    const __m512 high = _mm512_set1_ps(127.0f);
    for (int64_t c = 0; c < k; c += 16) {
        const __mmask16 lanes = k - c >= 16 ? kAll : static_cast<__mmask16>((1u << (k - c)) - 1u);
        const __m512 v = _mm512_maskz_loadu_ps(lanes, w + c);
        __m512 y = _mm512_maskz_roundscale_ps(
            kAll, _mm512_maskz_div_round_ps(kAll, v, scale_v, kRound), kRound);
        y = _mm512_maskz_min_ps(kAll, _mm512_maskz_max_ps(kAll, y, low), high);
        _mm512_mask_cvtepi32_storeu_epi8(q + c, lanes, _mm512_maskz_cvtps_epi32(kAll, y));
    }
    return true;
}

void avx512vnni_gemm_blocks(const GemmArgs& args, int64_t block_begin, int64_t block_end) {
    int64_t blk = block_begin;
    for (; blk + kBlockTile <= block_end; blk += kBlockTile)
        all_rows<kBlockTile>(args, blk);
    for (; blk < block_end; ++blk)
        all_rows<1>(args, blk);
}

}  // namespace spanguard::core::int8_detail

#else  // the compiler did not get the VNNI flags: the dispatcher never selects this kernel.

namespace spanguard::core::int8_detail {
bool avx512vnni_compiled() {
    return false;
}
void avx512vnni_gemm_blocks(const GemmArgs&, int64_t, int64_t) {}
void avx512_quantize_rows_u8(const float*, int64_t, int64_t, int64_t, uint8_t*, int64_t, float*,
                             int32_t*) {}
bool avx512_quantize_weight_row(const float*, int64_t, int8_t*, float*) {
    return false;
}
}  // namespace spanguard::core::int8_detail

#endif
