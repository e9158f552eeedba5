#include "core/kernels/linear.h"

#include <algorithm>

#include "core/kernels/gemm.h"
#include "core/kernels/int8_gemm.h"
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
    if (layer.int8 != nullptr) {
        int8_linear(x.data(), x.rows(), x.outerStride(), *layer.int8, layer.bias, out.data(),
                    out.outerStride());
        return;
    }
    // Split over output features, in groups of four (the AVX-512 kernel's tile width): every
    // thread streams a disjoint slice of W, which dominates the memory traffic when there are few
    // tokens, and multiplies it with all of x. Chunks hold at least ~64k multiply-adds so the
    // hand-off stays negligible.
    constexpr size_t kGroup = 4;
    const auto features = static_cast<size_t>(layer.out_features);
    const size_t groups = (features + kGroup - 1) / kGroup;
    const size_t work_per_group = kGroup * static_cast<size_t>(x.rows() * x.cols());
    const size_t grain = std::max<size_t>(4, 65536 / std::max<size_t>(work_per_group, 1));
    parallel_for(groups, grain, [&](size_t begin, size_t end) {
        const size_t first = begin * kGroup;
        const size_t last = std::min(features, end * kGroup);
        gemm_nt(x.data(), x.outerStride(), layer.weight + first * layer.in_features,
                layer.in_features, out.data() + first, out.outerStride(), x.rows(),
                static_cast<int64_t>(last - first), layer.in_features,
                layer.bias != nullptr ? layer.bias + first : nullptr);
    });
}

}  // namespace spanguard::core
