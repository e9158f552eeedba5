#include "heads/gru.h"

#include <cmath>
#include <utility>

#include "core/kernels/gemm.h"
#include "core/util/error.h"
#include "heads/activations.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {
Gru::Gru(Matrix weight_ih, Matrix weight_hh, Vector bias_ih, Vector bias_hh)
    : weight_ih_(std::move(weight_ih)),
      weight_hh_(std::move(weight_hh)),
      bias_ih_(std::move(bias_ih)),
      bias_hh_(std::move(bias_hh)) {
    const int64_t h = weight_hh_.cols();
    SPANGUARD_THROW_IF_NOT(weight_hh_.rows() == 3 * h && weight_ih_.rows() == 3 * h &&
                               bias_ih_.size() == 3 * h && bias_hh_.size() == 3 * h,
                           "GRU: weights and biases must have 3 x " + std::to_string(h) + " rows");
}

Gru Gru::from_checkpoint(const core::CheckpointWeights& weights, const std::string& prefix,
                         int64_t input, int64_t hidden) {
    return Gru(load_matrix(weights, prefix + ".weight_ih_l0", 3 * hidden, input),
               load_matrix(weights, prefix + ".weight_hh_l0", 3 * hidden, hidden),
               load_vector(weights, prefix + ".bias_ih_l0", 3 * hidden),
               load_vector(weights, prefix + ".bias_hh_l0", 3 * hidden));
}

Matrix Gru::run_shared_inputs(const MatrixRef& inputs, const MatrixRef& initial) const {
    const Eigen::Index h = weight_hh_.cols();
    SPANGUARD_THROW_IF_NOT(inputs.cols() == weight_ih_.cols() && initial.cols() == h,
                           "GRU: inputs have " + std::to_string(inputs.cols()) +
                               " columns and states " + std::to_string(initial.cols()) +
                               ", expected " + std::to_string(weight_ih_.cols()) + " and " +
                               std::to_string(h));
    const Eigen::Index steps = inputs.rows();
    const Eigen::Index batch = initial.rows();
    Matrix states(steps * batch, h);
    if (steps == 0 || batch == 0) return states;

    // The input side does not depend on the state: one product for all steps.
    Matrix input_gates(steps, 3 * h);
    core::gemm_nt(inputs.data(), inputs.outerStride(), weight_ih_.data(), weight_ih_.outerStride(),
                  input_gates.data(), input_gates.outerStride(), steps, 3 * h, inputs.cols(),
                  bias_ih_.data());

    Matrix state = initial;
    Matrix hidden_gates(batch, 3 * h);
    for (Eigen::Index t = 0; t < steps; ++t) {
        core::gemm_nt(state.data(), state.outerStride(), weight_hh_.data(),
                      weight_hh_.outerStride(), hidden_gates.data(), hidden_gates.outerStride(),
                      batch, 3 * h, h, bias_hh_.data());
        for (Eigen::Index b = 0; b < batch; ++b) {
            for (Eigen::Index j = 0; j < h; ++j) {
                const float r = sigmoid(input_gates(t, j) + hidden_gates(b, j));
                const float z = sigmoid(input_gates(t, h + j) + hidden_gates(b, h + j));
                const float n =
                    std::tanh(input_gates(t, 2 * h + j) + r * hidden_gates(b, 2 * h + j));
                state(b, j) = (1.0f - z) * n + z * state(b, j);
            }
        }
        states.middleRows(t * batch, batch) = state;
    }
    return states;
}

}  // namespace spanguard::heads
