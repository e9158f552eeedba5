// `count_lstm` (GLINER2.md §3.3; gliner2-multi-v1, and by inference large-v1):
//   P[t, m] = projector(concat(G[t, m], F[m])),  projector = MLP(2H -> 4H -> H)
// where G are the GRU states of count_steps.h.
#pragma once

#include <cstdint>

#include "core/weights/checkpoint_weights.h"
#include "heads/count_embedding.h"
#include "heads/count_steps.h"
#include "heads/mlp.h"

namespace spanguard::heads {

class CountLstm final : public CountEmbedding {
  public:
    // Throws core::Error unless projector maps 2H -> ... -> H.
    CountLstm(CountSteps steps, ReluMlp projector);

    // Reads count_embed.{pos_embedding, gru, projector.0, projector.2}.
    static CountLstm from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden);

    Matrix compute(const MatrixRef& fields, int count) const override;
    int max_count() const override { return steps_.max_count(); }

  private:
    CountSteps steps_;
    ReluMlp projector_;
};

}  // namespace spanguard::heads
