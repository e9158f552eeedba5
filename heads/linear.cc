#include "heads/linear.h"

#include <utility>

#include "core/kernels/linear.h"
#include "core/util/error.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {

Linear::Linear(Matrix weight, Vector bias) : weight_(std::move(weight)), bias_(std::move(bias)) {
    SPANGUARD_THROW_IF_NOT(bias_.size() == weight_.rows(),
                           "linear layer: bias has " + std::to_string(bias_.size()) +
                               " values for " + std::to_string(weight_.rows()) + " outputs");
}

Linear Linear::from_checkpoint(const core::CheckpointWeights& weights, const std::string& name,
                               int64_t in, int64_t out) {
    return Linear(load_matrix(weights, name + ".weight", out, in),
                  load_vector(weights, name + ".bias", out));
}

Matrix Linear::apply(const MatrixRef& x) const {
    SPANGUARD_THROW_IF_NOT(x.cols() == weight_.cols(),
                           "linear layer: input has " + std::to_string(x.cols()) +
                               " columns, the layer takes " + std::to_string(weight_.cols()));
    // core::linear splits the output features over threads (Eigen's own threading is off).
    const core::LinearView view{weight_.data(), bias_.data(), weight_.rows(), weight_.cols(),
                                "linear layer"};
    Matrix y(x.rows(), weight_.rows());
    core::linear(x, view, y);
    return y;
}

}  // namespace spanguard::heads
