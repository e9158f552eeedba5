// Internal: the AVX-512 kernel entry points behind core/kernels/gemm.h and gelu.h, each defined in
// its own translation unit compiled with AVX-512 flags (core/CMakeLists.txt). Only raw
// pointers cross this boundary (STYLE.md pitfall 4: no Eigen or other inline template code is
// shared between translation units compiled with different -m flags).
#pragma once

#include <cstdint>

namespace spanguard::core::gemm_avx512 {

// Defined in gemm_avx512.cc (compiled with -mavx512f -mfma); call only when the CPU has avx512f.
// Same contract as core::gemm_nt.
void gemm_nt(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias);

// Same contract as core::gemm_nn.
void gemm_nn(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias);

// False when the library was built without AVX-512 compiler support (the kernel is then absent).
bool compiled_in();

}  // namespace spanguard::core::gemm_avx512

namespace spanguard::core::activations_avx512 {

// Defined in activations_avx512.cc; call only when the CPU has avx512f.
// x[i] = gelu_erf(x[i]) for i < n,
// with erf from a rational approximation (absolute error below 2e-7, see the .cc) and exp by range
// reduction, so results differ from the scalar std::erf form by about 1e-7 relative to |x|.
void gelu_erf(float* x, int64_t n);

// core::masked_softmax on raw pointers (n scores, n mask values): same result up to rounding
// (exp by the same range reduction, the sum in float rather than double).
void masked_softmax(float* scores, const int32_t* keep, int64_t n);

bool compiled_in();

}  // namespace spanguard::core::activations_avx512
