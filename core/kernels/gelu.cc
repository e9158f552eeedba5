#include "core/kernels/gelu.h"

#include <algorithm>

#include "core/kernels/avx512_kernels.h"
#include "core/kernels/gemm.h"
#include "core/parallel/parallel_for.h"

namespace spanguard::core {

void gelu_erf_inplace(RowMatrixRef x) {
    const Eigen::Index cols = x.cols();
    if (cols == 0) return;
    // erf costs tens of cycles, so a few thousand elements already pay for a thread hand-off.
    const size_t grain = std::max<size_t>(1, 4096 / static_cast<size_t>(cols));
    // The AVX-512 form goes with the AVX-512 GEMM (one switch, SPANGUARD_GEMM_KERNEL=portable,
    // turns both off).
    static const bool vectorised =
        active_gemm_kernel() == GemmKernel::kAvx512 && activations_avx512::compiled_in();
    parallel_for(static_cast<size_t>(x.rows()), grain, [&](size_t begin, size_t end) {
        for (size_t r = begin; r < end; ++r) {
            float* row = x.row(static_cast<Eigen::Index>(r)).data();
            if (vectorised) {
                activations_avx512::gelu_erf(row, cols);
                continue;
            }
            for (Eigen::Index c = 0; c < cols; ++c)
                row[c] = gelu_erf(row[c]);
        }
    });
}

}  // namespace spanguard::core
