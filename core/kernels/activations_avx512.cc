// AVX-512 element-wise kernels: the exact-form GELU, x * Phi(x) with Phi(x) = 1 - erfc(x / sqrt 2)
// / 2, and the attention's masked softmax, 16 values at a time. Compiled alone with -mavx512f -mfma
// (core/CMakeLists.txt) and called after a run-time CPU check; no Eigen or standard-library inline
// code here (STYLE.md pitfall 4).
//
// Why not std::erf: the scalar libm call was the largest non-GEMM cost of the encoder (the FFN
// applies it to tokens x 3072 values per layer). erfc(z) for z >= 0 uses the classic
// Abramowitz & Stegun 7.1.26 form t * P(t) * exp(-z^2), t = 1 / (1 + p z), absolute error below
// 1.5e-7; exp(-z^2) is computed by range reduction to [-ln2/2, ln2/2] and a degree-6 polynomial
// (relative error about 2e-7). GELU's error is then below 1e-7 * |x|.
#include "core/kernels/avx512_kernels.h"

#if defined(__AVX512F__) && defined(__FMA__)
#include <immintrin.h>

// GCC 12's AVX-512 headers build some intrinsics from a deliberately undefined register, which
// -Wuninitialized reports at every inlining site; nothing of ours is uninitialised.
// (Clang neither warns here nor knows -Wmaybe-uninitialized.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace spanguard::core::activations_avx512 {
namespace {

// exp(w) for w <= 0; 0 below -87.3, where exp(w) is already under float's normal range.
inline __m512 exp_nonpositive(__m512 w) {
    const __mmask16 in_range = _mm512_cmp_ps_mask(w, _mm512_set1_ps(-87.3f), _CMP_GE_OQ);
    w = _mm512_max_ps(w, _mm512_set1_ps(-87.3f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(w, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // r = w - n ln2, with ln2 split in two so the product is exact enough.
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), w);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187045e-06f), r);
    __m512 p = _mm512_set1_ps(1.0f / 720.0f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_maskz_mov_ps(in_range, _mm512_scalef_ps(p, n));  // p * 2^n
}

inline __m512 gelu16(__m512 x) {
    const __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(_mm512_set1_ps(0.3275911f), z, one));
    __m512 poly = _mm512_set1_ps(1.061405429f);
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-1.453152027f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(1.421413741f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-0.284496736f));
    poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(0.254829592f));
    poly = _mm512_mul_ps(poly, t);
    // half_erfc = erfc(|x| / sqrt 2) / 2 = Phi(-|x|).
    const __m512 half_erfc = _mm512_mul_ps(
        _mm512_mul_ps(poly,
                      exp_nonpositive(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), z), z))),
        _mm512_set1_ps(0.5f));
    // Phi(x) = 1 - Phi(-|x|) for x >= 0, Phi(-|x|) otherwise.
    const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    const __m512 phi = _mm512_mask_blend_ps(negative, _mm512_sub_ps(one, half_erfc), half_erfc);
    return _mm512_mul_ps(x, phi);
}

inline float reduce_max(__m512 v) {
    return _mm512_reduce_max_ps(v);
}

}  // namespace

bool compiled_in() {
    return true;
}

void masked_softmax(float* scores, const int32_t* keep, int64_t n) {
    // Lane masks of kept positions, one per 16 values (the last one also cut at n).
    const auto lanes = [&](int64_t j) {
        const __mmask16 in_range = n - j >= 16 ? static_cast<__mmask16>(0xFFFF)
                                               : static_cast<__mmask16>((1u << (n - j)) - 1u);
        const __m512i k = _mm512_maskz_loadu_epi32(in_range, keep + j);
        return _mm512_mask_cmpneq_epi32_mask(in_range, k, _mm512_setzero_si512());
    };
    __m512 maximum = _mm512_set1_ps(-__builtin_inff());
    bool any_kept = false;
    for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 kept = lanes(j);
        any_kept = any_kept || kept != 0;
        maximum =
            _mm512_mask_max_ps(maximum, kept, maximum, _mm512_maskz_loadu_ps(kept, scores + j));
    }
    const __mmask16 all = static_cast<__mmask16>(0xFFFF);
    if (!any_kept) {
        for (int64_t j = 0; j < n; j += 16) {
            const __mmask16 in_range =
                n - j >= 16 ? all : static_cast<__mmask16>((1u << (n - j)) - 1u);
            _mm512_mask_storeu_ps(scores + j, in_range, _mm512_setzero_ps());
        }
        return;
    }
    // Subtracting the maximum keeps exp() in range; it cancels in the ratio.
    const __m512 shift = _mm512_set1_ps(reduce_max(maximum));
    __m512 sum = _mm512_setzero_ps();
    for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 in_range = n - j >= 16 ? all : static_cast<__mmask16>((1u << (n - j)) - 1u);
        const __mmask16 kept = lanes(j);
        const __m512 x = _mm512_maskz_loadu_ps(kept, scores + j);
        const __m512 e = _mm512_maskz_mov_ps(kept, exp_nonpositive(_mm512_sub_ps(x, shift)));
        sum = _mm512_add_ps(sum, e);
        _mm512_mask_storeu_ps(scores + j, in_range, e);
    }
    const __m512 scale = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (int64_t j = 0; j < n; j += 16) {
        const __mmask16 in_range = n - j >= 16 ? all : static_cast<__mmask16>((1u << (n - j)) - 1u);
        _mm512_mask_storeu_ps(scores + j, in_range,
                              _mm512_mul_ps(_mm512_maskz_loadu_ps(in_range, scores + j), scale));
    }
}

void gelu_erf(float* x, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(x + i, gelu16(_mm512_loadu_ps(x + i)));
    if (i < n) {
        const auto mask = static_cast<__mmask16>((1u << (n - i)) - 1u);
        _mm512_mask_storeu_ps(x + i, mask, gelu16(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}

}  // namespace spanguard::core::activations_avx512

#else  // built without AVX-512 support: the dispatcher never selects this kernel

namespace spanguard::core::activations_avx512 {

bool compiled_in() {
    return false;
}

void gelu_erf(float*, int64_t) {}

void masked_softmax(float*, const int32_t*, int64_t) {}

}  // namespace spanguard::core::activations_avx512

#endif
