#include "heads/bidirectional_lstm.h"

#include <cmath>
#include <utility>

#include "core/kernels/gemm.h"
#include "core/util/error.h"
#include "heads/activations.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {

LstmDirection::LstmDirection(Matrix weight_ih, Matrix weight_hh, Vector bias_ih, Vector bias_hh)
    : weight_ih_(std::move(weight_ih)), weight_hh_(std::move(weight_hh)) {
    const int64_t h = weight_hh_.cols();
    SPANGUARD_THROW_IF_NOT(weight_hh_.rows() == 4 * h && weight_ih_.rows() == 4 * h &&
                               bias_ih.size() == 4 * h && bias_hh.size() == 4 * h,
                           "LSTM: weights and biases must have 4 x " + std::to_string(h) + " rows");
    bias_ = bias_ih + bias_hh;
}

Matrix LstmDirection::run(const MatrixRef& inputs, bool reverse) const {
    const Eigen::Index h = weight_hh_.cols();
    SPANGUARD_THROW_IF_NOT(inputs.cols() == weight_ih_.cols(),
                           "LSTM: inputs have " + std::to_string(inputs.cols()) +
                               " columns, expected " + std::to_string(weight_ih_.cols()));
    const Eigen::Index steps = inputs.rows();
    Matrix states(steps, h);
    if (steps == 0) return states;

    // The input side does not depend on the state: one product for all steps.
    Matrix gates(steps, 4 * h);
    core::gemm_nt(inputs.data(), inputs.outerStride(), weight_ih_.data(), weight_ih_.outerStride(),
                  gates.data(), gates.outerStride(), steps, 4 * h, inputs.cols(), bias_.data());

    Vector state = Vector::Zero(h);
    Vector cell = Vector::Zero(h);
    Vector recurrent(4 * h);
    for (Eigen::Index step = 0; step < steps; ++step) {
        const Eigen::Index t = reverse ? steps - 1 - step : step;
        recurrent.noalias() = weight_hh_ * state;
        for (Eigen::Index j = 0; j < h; ++j) {
            const float i = sigmoid(gates(t, j) + recurrent(j));
            const float f = sigmoid(gates(t, h + j) + recurrent(h + j));
            const float g = std::tanh(gates(t, 2 * h + j) + recurrent(2 * h + j));
            const float o = sigmoid(gates(t, 3 * h + j) + recurrent(3 * h + j));
            cell(j) = f * cell(j) + i * g;
            state(j) = o * std::tanh(cell(j));
        }
        states.row(t) = state.transpose();
    }
    return states;
}

BidirectionalLstm::BidirectionalLstm(LstmDirection forward, LstmDirection backward)
    : forward_(std::move(forward)), backward_(std::move(backward)) {
    SPANGUARD_THROW_IF_NOT(forward_.input_size() == backward_.input_size() &&
                               forward_.hidden_size() == backward_.hidden_size(),
                           "LSTM: the two directions have different sizes");
}

BidirectionalLstm BidirectionalLstm::from_checkpoint(const core::CheckpointWeights& weights,
                                                     const std::string& prefix, int64_t input,
                                                     int64_t hidden) {
    auto direction = [&](const std::string& suffix) {
        return LstmDirection(
            load_matrix(weights, prefix + ".weight_ih_l0" + suffix, 4 * hidden, input),
            load_matrix(weights, prefix + ".weight_hh_l0" + suffix, 4 * hidden, hidden),
            load_vector(weights, prefix + ".bias_ih_l0" + suffix, 4 * hidden),
            load_vector(weights, prefix + ".bias_hh_l0" + suffix, 4 * hidden));
    };
    return BidirectionalLstm(direction(""), direction("_reverse"));
}

Matrix BidirectionalLstm::run(const MatrixRef& inputs) const {
    const Eigen::Index h = forward_.hidden_size();
    Matrix out(inputs.rows(), 2 * h);
    out.leftCols(h) = forward_.run(inputs, false);
    out.rightCols(h) = backward_.run(inputs, true);
    return out;
}

}  // namespace spanguard::heads
