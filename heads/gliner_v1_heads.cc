#include "heads/gliner_v1_heads.h"

#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {

namespace {

const char* const kProjection = "token_rep_layer.projection";
const char* const kRnn = "rnn.lstm";
const char* const kSpanRep = "span_rep_layer.span_rep_layer";
const char* const kPromptRep = "prompt_rep_layer";
const char* const kScorer = "scorer";

}  // namespace

std::vector<core::ExpectedTensor> expected_v1_head_tensors(const V1HeadShape& shape) {
    std::vector<core::ExpectedTensor> out;
    core::TensorTableBuilder t(out);
    const int64_t h = shape.hidden;
    if (shape.encoder_hidden != h) t.linear(kProjection, shape.encoder_hidden, h);
    if (shape.has_rnn) {
        for (const char* suffix : {"", "_reverse"}) {
            const std::string s(suffix);
            t.add(std::string(kRnn) + ".weight_ih_l0" + s, {2 * h, h});
            t.add(std::string(kRnn) + ".weight_hh_l0" + s, {2 * h, h / 2});
            t.add(std::string(kRnn) + ".bias_ih_l0" + s, {2 * h});
            t.add(std::string(kRnn) + ".bias_hh_l0" + s, {2 * h});
        }
    }
    if (shape.mode == V1SpanMode::kMarkerV0) {
        const std::string span(kSpanRep);
        t.linear(span + ".project_start.0", h, 4 * h);
        t.linear(span + ".project_start.3", 4 * h, h);
        t.linear(span + ".project_end.0", h, 4 * h);
        t.linear(span + ".project_end.3", 4 * h, h);
        t.linear(span + ".out_project.0", 2 * h, 4 * h);
        t.linear(span + ".out_project.3", 4 * h, h);
        t.linear(std::string(kPromptRep) + ".0", h, 4 * h);
        t.linear(std::string(kPromptRep) + ".3", 4 * h, h);
    } else {
        const std::string scorer(kScorer);
        t.linear(scorer + ".proj_token", h, 2 * h);
        t.linear(scorer + ".proj_label", h, 2 * h);
        t.linear(scorer + ".out_mlp.0", 3 * h, 4 * h);
        t.linear(scorer + ".out_mlp.3", 4 * h, 3);
    }
    return out;
}

core::CheckpointWeights load_v1_checkpoint_weights(const std::string& folder,
                                                   const core::EncoderConfig& encoder,
                                                   const V1HeadShape& shape,
                                                   const std::string& encoder_prefix) {
    std::vector<core::ExpectedTensor> table =
        core::expected_encoder_tensors(encoder, encoder_prefix);
    for (core::ExpectedTensor& t : expected_v1_head_tensors(shape))
        table.push_back(std::move(t));
    const std::string configuration =
        std::string("GLiNER v1 ") +
        (shape.mode == V1SpanMode::kMarkerV0 ? "markerV0" : "token_level") + ", encoder hidden " +
        std::to_string(encoder.hidden_size) + " x " + std::to_string(encoder.num_hidden_layers) +
        " layers, vocab_size " + std::to_string(encoder.vocab_size) + ", hidden_size " +
        std::to_string(shape.hidden) + (shape.has_rnn ? ", with" : ", without") + " the LSTM";
    return core::CheckpointWeights::load_with_table(folder, table, configuration);
}

GlinerV1Heads::GlinerV1Heads(V1HeadShape shape, std::optional<Linear> projection,
                             std::optional<BidirectionalLstm> rnn,
                             std::optional<SpanMarkerV0> span_rep,
                             std::optional<ReluMlp> prompt_rep,
                             std::optional<TokenLevelScorer> scorer)
    : shape_(shape),
      projection_(std::move(projection)),
      rnn_(std::move(rnn)),
      span_rep_(std::move(span_rep)),
      prompt_rep_(std::move(prompt_rep)),
      scorer_(std::move(scorer)) {}

GlinerV1Heads GlinerV1Heads::from_checkpoint(const core::CheckpointWeights& weights,
                                             const V1HeadShape& shape) {
    const int64_t h = shape.hidden;
    SPANGUARD_THROW_IF_NOT(
        !shape.has_rnn || h % 2 == 0,
        "GLiNER v1: hidden_size " + std::to_string(h) + " must be even for the bidirectional LSTM");
    std::optional<Linear> projection;
    if (shape.encoder_hidden != h) {
        projection = Linear::from_checkpoint(weights, kProjection, shape.encoder_hidden, h);
    }
    std::optional<BidirectionalLstm> rnn;
    if (shape.has_rnn) rnn = BidirectionalLstm::from_checkpoint(weights, kRnn, h, h / 2);
    std::optional<SpanMarkerV0> span_rep;
    std::optional<ReluMlp> prompt_rep;
    std::optional<TokenLevelScorer> scorer;
    if (shape.mode == V1SpanMode::kMarkerV0) {
        span_rep = SpanMarkerV0::from_checkpoint(weights, kSpanRep, h, shape.max_width);
        prompt_rep = ReluMlp::from_checkpoint(weights, kPromptRep, {0, 3}, {h, 4 * h, h});
    } else {
        scorer = TokenLevelScorer::from_checkpoint(weights, kScorer, h);
    }
    return GlinerV1Heads(shape, std::move(projection), std::move(rnn), std::move(span_rep),
                         std::move(prompt_rep), std::move(scorer));
}

std::vector<float> GlinerV1Heads::logits(const MatrixRef& words_in,
                                         const MatrixRef& types_in) const {
    SPANGUARD_THROW_IF_NOT(
        words_in.cols() == shape_.encoder_hidden && types_in.cols() == shape_.encoder_hidden,
        "GLiNER v1 heads: word and type vectors must have " +
            std::to_string(shape_.encoder_hidden) + " columns");
    Matrix words = projection_ ? projection_->apply(words_in) : Matrix(words_in);
    const Matrix types = projection_ ? projection_->apply(types_in) : Matrix(types_in);
    if (rnn_) words = rnn_->run(words);
    if (scorer_) {
        // The scorer's [W, C, 3] -> upstream's [3, W, C].
        const std::vector<float> by_pair = scorer_->score(words, types);
        const int64_t n_words = words.rows();
        const int64_t n_types = types.rows();
        std::vector<float> out(by_pair.size());
        for (int64_t w = 0; w < n_words; ++w) {
            for (int64_t c = 0; c < n_types; ++c) {
                for (int64_t k = 0; k < 3; ++k) {
                    out[static_cast<size_t>((k * n_words + w) * n_types + c)] =
                        by_pair[static_cast<size_t>((w * n_types + c) * 3 + k)];
                }
            }
        }
        return out;
    }
    const Matrix queries = prompt_rep_->apply(types);
    // span_logits gives [C, W * K]; upstream's layout is [W, K, C].
    const std::vector<float> by_type = span_rep_->span_logits(span_rep_->halves(words), queries);
    const int64_t spans = words.rows() * shape_.max_width;
    const int64_t n_types = queries.rows();
    std::vector<float> out(by_type.size());
    for (int64_t c = 0; c < n_types; ++c) {
        for (int64_t s = 0; s < spans; ++s)
            out[static_cast<size_t>(s * n_types + c)] = by_type[static_cast<size_t>(c * spans + s)];
    }
    return out;
}

}  // namespace spanguard::heads
