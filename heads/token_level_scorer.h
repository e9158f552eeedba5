// GLiNER v1's token-level scorer: for every word w and entity type c, three logits (start, end,
// inside) from
//   t = proj_token(word_w) = [t0 ; t1],  l = proj_label(type_c) = [l0 ; l1]   (H -> 2H each)
//   logits = out_mlp([t0 ; l0 ; t1 ⊙ l1])                                     (3H -> 4H -> 3)
// with a ReLU inside out_mlp. out_mlp's first layer is applied in three column blocks, so the
// per-word and per-type parts are computed once and only the product term once per pair.
//
// Thread safety: immutable after construction; score() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/linear.h"
#include "heads/mlp.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class TokenLevelScorer {
  public:
    // Throws core::Error on inconsistent widths (proj_* H -> 2H, out_mlp 3H -> . -> 3).
    TokenLevelScorer(Linear proj_token, Linear proj_label, ReluMlp out_mlp);

    // Reads <prefix>.proj_token, <prefix>.proj_label and <prefix>.out_mlp.{0,3}.
    static TokenLevelScorer from_checkpoint(const core::CheckpointWeights& weights,
                                            const std::string& prefix, int64_t hidden);

    int64_t hidden_size() const { return proj_token_.in_features(); }

    // words [W, H], types [C, H] -> logits [W * C * 3] row-major, entry ((w * C) + c) * 3 + k
    // with k = 0 start, 1 end, 2 inside. Throws core::Error for a wrong width.
    std::vector<float> score(const MatrixRef& words, const MatrixRef& types) const;

  private:
    Linear proj_token_;
    Linear proj_label_;
    ReluMlp out_mlp_;
};

}  // namespace spanguard::heads
