// The classification head (GLINER2.md §3.5): logit_l = Linear(2H -> 1)(ReLU(Linear(H -> 2H)(F_l)))
// for
// each [L] label vector F_l of a classification block. Softmax / sigmoid are the decoder's choice
// (they depend on the request), so this head returns logits.
//
// Thread safety: immutable after construction; methods may run on many threads at once.
#pragma once

#include <cstdint>

#include "core/weights/checkpoint_weights.h"
#include "heads/mlp.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class Classifier {
  public:
    // Throws core::Error unless the MLP ends in a single output.
    explicit Classifier(ReluMlp mlp);

    // Reads classifier.{0,2}: [2H, H] and [1, 2H].
    static Classifier from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden);

    // labels: [M, H], one row per [L] marker -> M logits.
    Vector logits(const MatrixRef& labels) const;

  private:
    ReluMlp mlp_;
};

}  // namespace spanguard::heads
