// `count_lstm_v2` (GLINER2.md §3.3; gliner2-base-v1, GLiGuard): Y = G + F (broadcast over
// instances);
//   Z = in_projector(Y) (H -> 128), then two post-norm transformer encoder layers (4 heads, FFN
//   256, LayerNorm eps 1e-5) in which each instance's fields attend to each other;
//   P = out_projector(concat(Z, Y)), out_projector = MLP(128 + H -> H -> H -> H).
#pragma once

#include <cstdint>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/count_embedding.h"
#include "heads/count_steps.h"
#include "heads/linear.h"
#include "heads/mlp.h"
#include "heads/transformer_encoder_layer.h"

namespace spanguard::heads {

class CountLstmV2 final : public CountEmbedding {
  public:
    // Throws core::Error on inconsistent widths.
    CountLstmV2(CountSteps steps, Linear in_projector, std::vector<TransformerEncoderLayer> layers,
                ReluMlp out_projector);

    // Reads count_embed.{pos_embedding, gru, transformer.in_projector,
    // transformer.transformer.layers.{0,1}.*, transformer.out_projector.{0,2,4}}.
    static CountLstmV2 from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden);

    Matrix compute(const MatrixRef& fields, int count) const override;
    int max_count() const override { return steps_.max_count(); }

  private:
    CountSteps steps_;
    Linear in_projector_;
    std::vector<TransformerEncoderLayer> layers_;
    ReluMlp out_projector_;
};

}  // namespace spanguard::heads
