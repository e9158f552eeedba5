#include "core/kernels/gemm.h"

#include <cstdlib>
#include <cstring>

#include "core/kernels/avx512_kernels.h"
#include "core/tensor/matrix.h"

namespace spanguard::core {
namespace {

using Stride = Eigen::OuterStride<>;
using ConstStrided = Eigen::Map<const RowMatrix, Eigen::Unaligned, Stride>;
using Strided = Eigen::Map<RowMatrix, Eigen::Unaligned, Stride>;

void gemm_nt_portable(const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                      int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias) {
    Strided out(c, m, n, Stride(ldc));
    if (k == 0) {
        out.setZero();
    } else {
        out.noalias() =
            ConstStrided(a, m, k, Stride(lda)) * ConstStrided(b, n, k, Stride(ldb)).transpose();
    }
    if (bias != nullptr) out.rowwise() += Eigen::Map<const RowVector>(bias, n);
}

void gemm_nn_portable(const float* a, int64_t lda, const float* b, int64_t ldb, float* c,
                      int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias) {
    Strided out(c, m, n, Stride(ldc));
    if (k == 0) {
        out.setZero();
    } else {
        out.noalias() = ConstStrided(a, m, k, Stride(lda)) * ConstStrided(b, k, n, Stride(ldb));
    }
    if (bias != nullptr) out.rowwise() += Eigen::Map<const RowVector>(bias, n);
}

GemmKernel choose_kernel() {
    const char* forced = std::getenv("SPANGUARD_GEMM_KERNEL");
    if (forced != nullptr && std::strcmp(forced, "portable") == 0) return GemmKernel::kPortable;
    return gemm_kernel_supported(GemmKernel::kAvx512) ? GemmKernel::kAvx512 : GemmKernel::kPortable;
}

}  // namespace

const char* gemm_kernel_name(GemmKernel kernel) {
    return kernel == GemmKernel::kAvx512 ? "avx512" : "portable";
}

bool gemm_kernel_supported(GemmKernel kernel) {
    if (kernel == GemmKernel::kPortable) return true;
    return gemm_avx512::compiled_in() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("fma");
}

GemmKernel active_gemm_kernel() {
    static const GemmKernel kernel = choose_kernel();
    return kernel;
}

void gemm_nt_with(GemmKernel kernel, const float* a, int64_t lda, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias) {
    if (m <= 0 || n <= 0) return;
    if (kernel == GemmKernel::kAvx512) {
        gemm_avx512::gemm_nt(a, lda, b, ldb, c, ldc, m, n, k, bias);
    } else {
        gemm_nt_portable(a, lda, b, ldb, c, ldc, m, n, k, bias);
    }
}

void gemm_nt(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias) {
    gemm_nt_with(active_gemm_kernel(), a, lda, b, ldb, c, ldc, m, n, k, bias);
}

void gemm_nn_with(GemmKernel kernel, const float* a, int64_t lda, const float* b, int64_t ldb,
                  float* c, int64_t ldc, int64_t m, int64_t n, int64_t k, const float* bias) {
    if (m <= 0 || n <= 0) return;
    if (kernel == GemmKernel::kAvx512) {
        gemm_avx512::gemm_nn(a, lda, b, ldb, c, ldc, m, n, k, bias);
    } else {
        gemm_nn_portable(a, lda, b, ldb, c, ldc, m, n, k, bias);
    }
}

void gemm_nn(const float* a, int64_t lda, const float* b, int64_t ldb, float* c, int64_t ldc,
             int64_t m, int64_t n, int64_t k, const float* bias) {
    gemm_nn_with(active_gemm_kernel(), a, lda, b, ldb, c, ldc, m, n, k, bias);
}

}  // namespace spanguard::core
