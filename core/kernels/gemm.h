// Single-threaded float32 GEMM, mainly in the "A times B transposed" form every Linear layer uses
// (gemm_nt; gemm_nn below is the plain form): C[i, j] = sum_k A[i, k] * B[j, k] (+ bias[j]). Both
// operands are read in place, row-major with their own leading dimensions, so a checkpoint's [out,
// in] weight matrix, one attention head's column slice of Q/K, or a window of the relative-position
// table need no copy or packing.
//
// Kernels: an AVX-512 kernel (core/kernels/gemm_avx512.cc, the only file compiled with AVX-512
// flags) when the CPU reports avx512f, otherwise a portable Eigen kernel. The choice is made once
// per process; SPANGUARD_GEMM_KERNEL=portable forces the portable kernel (for comparisons). The
// two differ only in summation order (a few ulp).
//
// Thread safety: pure function of its inputs; callers split work across threads themselves
// (core::linear splits the output columns with parallel_for).
#pragma once

#include <cstdint>

namespace spanguard::core {

enum class GemmKernel { kPortable, kAvx512 };

// "portable" or "avx512", for benchmark and log output.
const char* gemm_kernel_name(GemmKernel kernel);

// True when this CPU can run `kernel` (the portable kernel always can).
bool gemm_kernel_supported(GemmKernel kernel);

// The kernel gemm_nt() uses, decided once per process as described above.
GemmKernel active_gemm_kernel();

// C[i, j] = sum_k a[i * lda + k] * b[j * ldb + k] (+ bias[j] when bias is not null), for i < m,
// j < n, written to c[i * ldc + j] (overwritten, not accumulated). Requires lda, ldb >= k and
// ldc >= n; c must not overlap a or b. m, n or k may be zero (k == 0 gives the bias, or zeros).
void gemm_nt(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias);

// Same, on an explicitly chosen kernel (tests compare the kernels with this; the kernel must be
// supported).
void gemm_nt_with(GemmKernel kernel, const float* a, int64_t lda, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias);

// C[i, j] = sum_k a[i * lda + k] * b[k * ldb + j] (+ bias[j]): the plain "A times B" form, for
// a right operand stored k-major (probabilities x V, or a pre-transposed operand). Requires
// lda >= k and ldb, ldc >= n; c must not overlap a or b. Same kernel choice as gemm_nt.
void gemm_nn(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias);

// Same, on an explicitly chosen kernel.
void gemm_nn_with(GemmKernel kernel, const float* a, int64_t lda, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias);

}  // namespace spanguard::core
