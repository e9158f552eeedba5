// The heads of a GLiNER v1 checkpoint (span_mode markerV0 or token_level), applied to one text's
// encoder output: the first sub-token vector of every text word and the vector at every entity
// type's <<ENT>> token.
//
//   words, types (encoder width)  --token_rep_layer.projection, when the widths differ-->  H
//   words --rnn.lstm (bidirectional, H/2 per direction), when has_rnn-->  H
//   markerV0:    span (i, i+k) = span_rep_layer.span_rep_layer(words)   (span_representation.h)
//                type c = prompt_rep_layer(types)                        (H -> 4H -> H)
//                logit = <span, type>
//   token_level: scorer(words, types) -> start, end, inside logits      (token_level_scorer.h)
//
// Thread safety: immutable after construction; every method may run on many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "core/weights/tensor_name_table.h"
#include "heads/bidirectional_lstm.h"
#include "heads/linear.h"
#include "heads/mlp.h"
#include "heads/span_representation.h"
#include "heads/tensor.h"
#include "heads/token_level_scorer.h"

namespace spanguard::heads {

enum class V1SpanMode { kMarkerV0, kTokenLevel };

struct V1HeadShape {
    V1SpanMode mode = V1SpanMode::kMarkerV0;
    int64_t encoder_hidden = 768;  // the encoder's hidden size
    int64_t hidden = 768;          // gliner_config.json hidden_size
    bool has_rnn = true;
    int max_width = 12;  // markerV0 only
};

// The heads' tensors in state-dict order (projection, rnn, span_rep_layer + prompt_rep_layer or
// scorer). hidden must be even when has_rnn (two directions of hidden / 2).
std::vector<core::ExpectedTensor> expected_v1_head_tensors(const V1HeadShape& shape);

// A GLiNER v1 folder's weights: the encoder's tensors under `encoder_prefix`, then the heads'
// (expected_v1_head_tensors), nothing else.
core::CheckpointWeights load_v1_checkpoint_weights(const std::string& folder,
                                                   const core::EncoderConfig& encoder,
                                                   const V1HeadShape& shape,
                                                   const std::string& encoder_prefix);

class GlinerV1Heads {
  public:
    // Throws core::Error naming the first missing or mis-shaped tensor.
    static GlinerV1Heads from_checkpoint(const core::CheckpointWeights& weights,
                                         const V1HeadShape& shape);

    const V1HeadShape& shape() const { return shape_; }

    // words [W, encoder_hidden], types [C, encoder_hidden].
    // markerV0: logits [W * K * C], entry ((i * K) + k) * C + c for span (i, i + k), K =
    // max_width; spans past the last word repeat span (0, 0) as upstream computes them.
    // token_level: logits [3 * W * C], entry ((k * W) + w) * C + c with k = 0 start, 1 end,
    // 2 inside (upstream's [3, L, C] for one text).
    std::vector<float> logits(const MatrixRef& words, const MatrixRef& types) const;

  private:
    GlinerV1Heads(V1HeadShape shape, std::optional<Linear> projection,
                  std::optional<BidirectionalLstm> rnn, std::optional<SpanMarkerV0> span_rep,
                  std::optional<ReluMlp> prompt_rep, std::optional<TokenLevelScorer> scorer);

    V1HeadShape shape_;
    std::optional<Linear> projection_;
    std::optional<BidirectionalLstm> rnn_;
    std::optional<SpanMarkerV0> span_rep_;
    std::optional<ReluMlp> prompt_rep_;
    std::optional<TokenLevelScorer> scorer_;
};

}  // namespace spanguard::heads
