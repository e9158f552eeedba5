// `count_lstm_moe` (GLINER2.md §3.3; no published checkpoint uses it): a mixture of 4 expert FFNs
// over
// the GRU states G, weighted per row by a softmax router.
//   gates = softmax(router.2(GELU(router.0(G))))
//   expert_e(G) = GELU(G w1[e] + b1[e]) w2[e] + b2[e]      (w1 [H, 2H], w2 [2H, H]: x @ w)
//   P = sum_e gates_e * expert_e(G)
// GELU is the exact (erf) form, PyTorch's default.
#pragma once

#include <cstdint>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/count_embedding.h"
#include "heads/count_steps.h"
#include "heads/linear.h"

namespace spanguard::heads {

class CountLstmMoe final : public CountEmbedding {
  public:
    // w1[e]: [H, inner], b1: [E, inner], w2[e]: [inner, H], b2: [E, H] (E = number of experts).
    // Throws core::Error on inconsistent shapes.
    CountLstmMoe(CountSteps steps, Linear router_hidden, Linear router_out, std::vector<Matrix> w1,
                 Matrix b1, std::vector<Matrix> w2, Matrix b2);

    // Reads count_embed.{pos_embedding, gru, w1, b1, w2, b2, router.0, router.2}.
    static CountLstmMoe from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden);

    Matrix compute(const MatrixRef& fields, int count) const override;
    int max_count() const override { return steps_.max_count(); }

  private:
    CountSteps steps_;
    Linear router_hidden_;
    Linear router_out_;
    std::vector<Matrix> w1_;
    Matrix b1_;
    std::vector<Matrix> w2_;
    Matrix b2_;
};

}  // namespace spanguard::heads
