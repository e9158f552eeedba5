#include "core/kernels/gelu.h"

#include <algorithm>

#include "core/parallel/parallel_for.h"

namespace spanguard::core {

void gelu_erf_inplace(RowMatrixRef x) {
    const Eigen::Index cols = x.cols();
    if (cols == 0) return;
    // erf costs tens of cycles, so a few thousand elements already pay for a thread hand-off.
    const size_t grain = std::max<size_t>(1, 4096 / static_cast<size_t>(cols));
    parallel_for(static_cast<size_t>(x.rows()), grain, [&](size_t begin, size_t end) {
        for (size_t r = begin; r < end; ++r) {
            float* row = x.row(static_cast<Eigen::Index>(r)).data();
            for (Eigen::Index c = 0; c < cols; ++c)
                row[c] = gelu_erf(row[c]);
        }
    });
}

}  // namespace spanguard::core
