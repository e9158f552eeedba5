#include "core/kernels/linear.h"

#include <algorithm>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::core {

void linear(const ConstRowMatrixRef& x, const LinearView& layer, RowMatrixRef out) {
    SPANGUARD_THROW_IF_NOT(x.cols() == layer.in_features,
                           layer.name + ": input has " + std::to_string(x.cols()) +
                               " features, the layer expects " + std::to_string(layer.in_features));
    SPANGUARD_THROW_IF_NOT(out.rows() == x.rows() && out.cols() == layer.out_features,
                           layer.name + ": output is " + std::to_string(out.rows()) + "x" +
                               std::to_string(out.cols()) + ", expected " +
                               std::to_string(x.rows()) + "x" + std::to_string(layer.out_features));
    if (x.rows() == 0 || layer.out_features == 0) return;
    const ConstRowMap weight = layer.weight_matrix();
    const ConstRowVectorMap bias = layer.bias_vector();
    // Split over output features: every thread streams a disjoint slice of W, which dominates the
    // memory traffic when there are few tokens, and multiplies it with all of x. Chunks hold at
    // least ~64k multiply-adds so the hand-off stays negligible.
    const size_t work_per_feature = static_cast<size_t>(x.rows() * x.cols());
    const size_t grain = std::max<size_t>(16, 65536 / std::max<size_t>(work_per_feature, 1));
    parallel_for(static_cast<size_t>(layer.out_features), grain, [&](size_t begin, size_t end) {
        const auto first = static_cast<Eigen::Index>(begin);
        const auto count = static_cast<Eigen::Index>(end - begin);
        auto slice = out.middleCols(first, count);
        slice.noalias() = x * weight.middleRows(first, count).transpose();
        slice.rowwise() += bias.segment(first, count);
    });
}

}  // namespace spanguard::core
