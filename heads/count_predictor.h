// The count head (GLINER2.md §3.2): logits = Linear(2H -> 20)(ReLU(Linear(H -> 2H)(p))) on a
// block's [P]
// vector; the predicted number of instances is the argmax, 0..19.
//
// Thread safety: immutable after construction; methods may run on many threads at once.
#pragma once

#include <cstdint>

#include "core/weights/checkpoint_weights.h"
#include "heads/mlp.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class CountPredictor {
  public:
    // The MLP maps H -> ... -> one logit per count class.
    explicit CountPredictor(ReluMlp mlp);

    // Reads count_pred.{0,2}: [2H, H] and [20, 2H].
    static CountPredictor from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden);

    int64_t classes() const { return mlp_.out_features(); }

    // p: one [P] vector of H values -> the logits, one per count 0..classes-1.
    Vector logits(const Eigen::Ref<const Vector>& p) const;

    // torch.argmax semantics: the first maximum; a NaN counts as the maximum.
    static int argmax(const Vector& logits);

  private:
    ReluMlp mlp_;
};

}  // namespace spanguard::heads
