#include "heads/count_steps.h"

#include <algorithm>
#include <utility>

#include "core/util/error.h"
#include "heads/head_tensor_names.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {
CountSteps::CountSteps(Matrix positions, Gru gru)
    : positions_(std::move(positions)), gru_(std::move(gru)) {
    SPANGUARD_THROW_IF_NOT(
        positions_.cols() == gru_.input_size() && gru_.input_size() == gru_.hidden_size(),
        "count embedding: position table of width " + std::to_string(positions_.cols()) +
            " does not fit the GRU");
}

CountSteps CountSteps::from_checkpoint(const core::CheckpointWeights& weights,
                                       const std::string& prefix, int64_t hidden) {
    return CountSteps(
        load_matrix(weights, prefix + ".pos_embedding.weight", int64_t{kMaxCount}, hidden),
        Gru::from_checkpoint(weights, prefix + ".gru", hidden, hidden));
}

int CountSteps::instances(int count) const {
    SPANGUARD_THROW_IF_NOT(count >= 0, "count embedding: negative count " + std::to_string(count));
    return std::min(count, max_count());
}

Matrix CountSteps::run(const MatrixRef& fields, int count) const {
    SPANGUARD_THROW_IF_NOT(fields.cols() == hidden_size(),
                           "count embedding: field vectors have " + std::to_string(fields.cols()) +
                               " columns, expected " + std::to_string(hidden_size()));
    return gru_.run_shared_inputs(positions_.topRows(instances(count)), fields);
}

}  // namespace spanguard::heads
