#include "heads/count_predictor.h"

#include <cmath>
#include <utility>

#include "core/util/error.h"
#include "heads/head_tensor_names.h"

namespace spanguard::heads {
namespace {
// Spec §1.2: the count head has 20 classes (hard-coded in the reference, not in config.json).
}  // namespace

CountPredictor::CountPredictor(ReluMlp mlp) : mlp_(std::move(mlp)) {}

CountPredictor CountPredictor::from_checkpoint(const core::CheckpointWeights& weights,
                                               int64_t hidden) {
    return CountPredictor(ReluMlp::from_checkpoint(weights, "count_pred", {0, 2},
                                                   {hidden, 2 * hidden, int64_t{kMaxCount}}));
}

Vector CountPredictor::logits(const Eigen::Ref<const Vector>& p) const {
    SPANGUARD_THROW_IF_NOT(p.size() == mlp_.in_features(),
                           "count predictor: [P] vector has " + std::to_string(p.size()) +
                               " values, expected " + std::to_string(mlp_.in_features()));
    const Matrix row = p.transpose();
    return mlp_.apply(row).row(0).transpose();
}

int CountPredictor::argmax(const Vector& logits) {
    SPANGUARD_THROW_IF_NOT(logits.size() > 0, "count predictor: argmax of no logits");
    int best = 0;
    for (int i = 0; i < logits.size(); ++i) {
        if (std::isnan(logits[i])) return i;
        if (logits[i] > logits[best]) best = i;
    }
    return best;
}

}  // namespace spanguard::heads
