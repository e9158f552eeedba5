#include "heads/gliner_heads.h"

#include <algorithm>
#include <utility>

#include "core/util/error.h"
#include "heads/activations.h"
#include "heads/gather.h"
#include "heads/span_scoring.h"

namespace spanguard::heads {

GlinerHeads::GlinerHeads(SpanMarkerV0 span_rep, CountPredictor count_pred,
                         std::unique_ptr<CountEmbedding> count_embed, Classifier classifier)
    : span_rep_(std::move(span_rep)),
      count_pred_(std::move(count_pred)),
      count_embed_(std::move(count_embed)),
      classifier_(std::move(classifier)) {
    SPANGUARD_THROW_IF_NOT(count_embed_ != nullptr, "GLiNER2 heads: no count embedding");
}

GlinerHeads GlinerHeads::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden,
                                         int max_width) {
    return GlinerHeads(SpanMarkerV0::from_checkpoint(weights, hidden, max_width),
                       CountPredictor::from_checkpoint(weights, hidden),
                       make_count_embedding(weights, hidden),
                       Classifier::from_checkpoint(weights, hidden));
}

SpanGrid GlinerHeads::span_grid(const MatrixRef& hidden,
                                std::span<const size_t> text_positions) const {
    SpanGrid grid;
    grid.words = static_cast<int64_t>(text_positions.size());
    grid.max_width = span_rep_.max_width();
    grid.halves = span_rep_.halves(gather_rows(hidden, text_positions, "text position"));
    return grid;
}

SpanBlockScores GlinerHeads::score_span_block(const MatrixRef& hidden, const SpanGrid& grid,
                                              std::span<const size_t> marker_positions,
                                              int max_instances) const {
    SPANGUARD_THROW_IF_NOT(!marker_positions.empty(),
                           "span block without marker positions (its [P] comes first)");
    SPANGUARD_THROW_IF_NOT(
        grid.max_width == span_rep_.max_width() && grid.halves.words() == grid.words,
        "span block: the span grid was not built by these heads");
    SPANGUARD_THROW_IF_NOT(max_instances >= 0,
                           "span block: negative max_instances " + std::to_string(max_instances));
    const Matrix markers = gather_rows(hidden, marker_positions, "marker position");

    SpanBlockScores scores;
    scores.count_logits = count_pred_.logits(markers.row(0).transpose());
    scores.predicted_count = CountPredictor::argmax(scores.count_logits);
    scores.fields = markers.rows() - 1;
    scores.words = grid.words;
    scores.max_width = grid.max_width;
    const int wanted = std::min(scores.predicted_count, max_instances);
    if (wanted == 0) return scores;

    const Matrix field_vectors = count_embed_->compute(markers.bottomRows(scores.fields), wanted);
    scores.instances = std::min(wanted, count_embed_->max_count());
    scores.probabilities = span_rep_.span_logits(grid.halves, field_vectors);
    for (float& value : scores.probabilities)
        value = sigmoid(value);
    return scores;
}

Vector GlinerHeads::classification_logits(const MatrixRef& hidden,
                                          std::span<const size_t> marker_positions) const {
    SPANGUARD_THROW_IF_NOT(!marker_positions.empty(),
                           "classification block without marker positions (its [P] comes first)");
    return classifier_.logits(
        gather_rows(hidden, marker_positions.subspan(1), "label marker position"));
}

}  // namespace spanguard::heads
