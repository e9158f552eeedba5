#include "heads/classifier.h"

#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {

Classifier::Classifier(ReluMlp mlp) : mlp_(std::move(mlp)) {
    SPANGUARD_THROW_IF_NOT(mlp_.out_features() == 1,
                           "classifier: the MLP must end in one output, it has " +
                               std::to_string(mlp_.out_features()));
}

Classifier Classifier::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden) {
    return Classifier(
        ReluMlp::from_checkpoint(weights, "classifier", {0, 2}, {hidden, 2 * hidden, 1}));
}

Vector Classifier::logits(const MatrixRef& labels) const {
    SPANGUARD_THROW_IF_NOT(labels.cols() == mlp_.in_features(),
                           "classifier: label vectors have " + std::to_string(labels.cols()) +
                               " columns, expected " + std::to_string(mlp_.in_features()));
    if (labels.rows() == 0) return Vector();
    return mlp_.apply(labels).col(0);
}

}  // namespace spanguard::heads
