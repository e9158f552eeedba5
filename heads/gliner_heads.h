// All GLiNER2 `span`-architecture heads of one checkpoint (GLINER2.md §3), applied to the encoder
// output
// of one sequence. Typical use per sequence:
//
//   heads::SpanGrid grid = heads.span_grid(hidden, input.text_positions);   // once
//   for each entity / structure / relation block:
//       heads::SpanBlockScores s = heads.score_span_block(hidden, grid, block.marker_positions);
//   for each classification block:
//       heads::Vector logits = heads.classification_logits(hidden, block.marker_positions);
//
// Positions are row indices of `hidden` ([T, H], float32, one row per input id). Marker positions
// list the block's [P] first, then one per child, as the input builder records them.
//
// Thread safety: immutable after construction; every method may run on many threads at once.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/classifier.h"
#include "heads/count_embedding.h"
#include "heads/count_predictor.h"
#include "heads/span_representation.h"
#include "heads/tensor.h"

namespace spanguard::heads {

// What span scoring needs of one sequence's text tokens (choice prefix, then words): the per-word
// halves of the span representation (span_representation.h). The [words * max_width, H]
// representations themselves are never formed; SpanMarkerV0::compute() gives them if wanted.
struct SpanGrid {
    int64_t words = 0;
    int max_width = 0;
    SpanHalves halves;  // [words, 4H] each
    // Whether span (i, k) lies inside the text; the others repeat span (0, 0) as in the reference.
    bool valid(int64_t i, int k) const { return i + k < words; }
};

// Scores of one entity / structure / relation block.
struct SpanBlockScores {
    Vector count_logits;      // one per count 0..19
    int predicted_count = 0;  // argmax of count_logits (first maximum)
    int instances = 0;        // instances scored: min(predicted_count, max_instances, 20)
    int64_t fields = 0;
    int64_t words = 0;
    int max_width = 0;
    // sigmoid(<span, field>) laid out [instances, fields, words, max_width], row-major.
    std::vector<float> probabilities;

    float probability(int instance, int64_t field, int64_t word, int width) const {
        return probabilities[static_cast<size_t>(
            ((instance * fields + field) * words + word) * max_width + width)];
    }
};

class GlinerHeads {
  public:
    GlinerHeads(SpanMarkerV0 span_rep, CountPredictor count_pred,
                std::unique_ptr<CountEmbedding> count_embed, Classifier classifier);

    // `hidden` is the encoder's hidden size and `max_width` config.json's. Throws core::Error
    // naming the first missing or mis-shaped tensor.
    static GlinerHeads from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden,
                                       int max_width);

    int64_t hidden_size() const { return span_rep_.hidden_size(); }
    int max_width() const { return span_rep_.max_width(); }

    // text_positions: first sub-token of every text token. Throws core::Error for a position
    // outside `hidden`.
    SpanGrid span_grid(const MatrixRef& hidden, std::span<const size_t> text_positions) const;

    // Count logits and prediction from the [P] vector, then span probabilities for
    // min(predicted_count, max_instances) instances (an entity block needs only instance 0; fewer
    // instances give exactly the leading rows of more). Throws core::Error when marker_positions
    // is empty or out of range, or the grid has another width.
    SpanBlockScores score_span_block(const MatrixRef& hidden, const SpanGrid& grid,
                                     std::span<const size_t> marker_positions,
                                     int max_instances = INT_MAX) const;

    // Logits of a classification block's labels (marker_positions: [P], then the [L] markers; the
    // [P] vector is not used). Throws core::Error when marker_positions is empty or out of range.
    Vector classification_logits(const MatrixRef& hidden,
                                 std::span<const size_t> marker_positions) const;

    const SpanMarkerV0& span_representation() const { return span_rep_; }
    const CountPredictor& count_predictor() const { return count_pred_; }
    const CountEmbedding& count_embedding() const { return *count_embed_; }
    const Classifier& classifier() const { return classifier_; }

  private:
    SpanMarkerV0 span_rep_;
    CountPredictor count_pred_;
    std::shared_ptr<const CountEmbedding> count_embed_;
    Classifier classifier_;
};

}  // namespace spanguard::heads
