#include "heads/count_lstm.h"

#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {

CountLstm::CountLstm(CountSteps steps, ReluMlp projector)
    : steps_(std::move(steps)), projector_(std::move(projector)) {
    const int64_t h = steps_.hidden_size();
    SPANGUARD_THROW_IF_NOT(
        projector_.in_features() == 2 * h && projector_.out_features() == h,
        "count_lstm: the projector must map " + std::to_string(2 * h) + " -> " + std::to_string(h));
}

CountLstm CountLstm::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden) {
    return CountLstm(CountSteps::from_checkpoint(weights, "count_embed", hidden),
                     ReluMlp::from_checkpoint(weights, "count_embed.projector", {0, 2},
                                              {2 * hidden, 4 * hidden, hidden}));
}

Matrix CountLstm::compute(const MatrixRef& fields, int count) const {
    const Matrix states = steps_.run(fields, count);
    const Eigen::Index m = fields.rows();
    const Eigen::Index h = fields.cols();
    Matrix joined(states.rows(), 2 * h);
    joined.leftCols(h) = states;
    for (Eigen::Index row = 0; row < states.rows(); ++row) {
        joined.row(row).rightCols(h) = fields.row(row % m);
    }
    return projector_.apply(joined);
}

}  // namespace spanguard::heads
