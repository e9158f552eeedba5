#include "heads/mlp.h"

#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {

ReluMlp::ReluMlp(std::vector<Linear> layers) : layers_(std::move(layers)) {
    SPANGUARD_THROW_IF_NOT(!layers_.empty(), "MLP without layers");
    for (size_t i = 1; i < layers_.size(); ++i) {
        SPANGUARD_THROW_IF_NOT(layers_[i].in_features() == layers_[i - 1].out_features(),
                               "MLP layer " + std::to_string(i) + " takes " +
                                   std::to_string(layers_[i].in_features()) +
                                   " inputs but the previous layer gives " +
                                   std::to_string(layers_[i - 1].out_features()));
    }
}

ReluMlp ReluMlp::from_checkpoint(const core::CheckpointWeights& weights, const std::string& prefix,
                                 const std::vector<int>& indices,
                                 const std::vector<int64_t>& widths) {
    SPANGUARD_THROW_IF_NOT(!indices.empty() && widths.size() == indices.size() + 1,
                           "MLP " + prefix + ": need one more width than layers");
    std::vector<Linear> layers;
    layers.reserve(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) {
        layers.push_back(Linear::from_checkpoint(weights, prefix + "." + std::to_string(indices[i]),
                                                 widths[i], widths[i + 1]));
    }
    return ReluMlp(std::move(layers));
}

Matrix ReluMlp::apply(const MatrixRef& x) const {
    Matrix y = layers_.front().apply(x);
    for (size_t i = 1; i < layers_.size(); ++i) {
        relu_in_place(y);
        y = layers_[i].apply(y);
    }
    return y;
}

}  // namespace spanguard::heads
