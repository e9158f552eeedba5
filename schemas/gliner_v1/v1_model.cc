#include "schemas/gliner_v1/v1_model.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <tuple>
#include <utility>

#include "core/encoder/deberta_encoder.h"
#include "core/util/error.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/gliner_v1_heads.h"
#include "schemas/gliner_v1/v1_decode.h"
#include "schemas/prompt/checkpoint_tokenizer.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/error.h"

namespace spanguard::schemas {

namespace {

// The upstream module path of the encoder inside a GLiNER v1 state dict.
const char* const kEncoderPrefix = "token_rep_layer.bert_layer.model.";

heads::V1HeadShape head_shape(const core::GlinerV1Config& c) {
    heads::V1HeadShape s;
    s.mode = c.span_mode == "token_level" ? heads::V1SpanMode::kTokenLevel
                                          : heads::V1SpanMode::kMarkerV0;
    s.encoder_hidden = c.encoder.hidden_size;
    s.hidden = c.hidden_size;
    s.has_rnn = c.has_rnn;
    s.max_width = c.max_width;
    return s;
}

core::DebertaEncoderOptions encoder_options(const V1ModelOptions& options) {
    core::DebertaEncoderOptions out;
    out.prefix = kEncoderPrefix;
    out.relative_distances = options.relative_distances;
    out.precision = options.precision;
    return out;
}

int32_t required_token(const tokenizer::Tokenizer& tok, const std::string& token,
                       const std::string& dir, const std::string& what) {
    const auto id = tok.token_to_id(token);
    const auto ids = tok.encode(token).ids;
    if (!id || ids.size() != 1 || ids[0] != *id) {
        throw core::Error(dir + ": the tokenizer does not define " + what + " '" + token +
                          "' as one added token");
    }
    return *id;
}

V1Markers find_markers(const tokenizer::Tokenizer& tok, const core::GlinerV1Config& c,
                       const std::string& dir) {
    V1Markers m;
    m.ent_id = required_token(tok, c.ent_token, dir, "the entity token (ent_token)");
    m.sep_token_id = required_token(tok, c.sep_token, dir, "the separator token (sep_token)");
    if (c.class_token_index >= 0 && c.class_token_index != m.ent_id) {
        throw core::Error(dir + "/gliner_config.json: class_token_index is " +
                          std::to_string(c.class_token_index) + " but the tokenizer gives '" +
                          c.ent_token + "' the id " + std::to_string(m.ent_id));
    }
    const auto cls = tok.token_to_id("[CLS]");
    const auto sep = tok.token_to_id("[SEP]");
    if (!cls || !sep) throw core::Error(dir + ": the tokenizer has no [CLS] or [SEP] token");
    m.cls_id = *cls;
    m.sep_id = *sep;
    m.pad_id = c.encoder.pad_token_id;
    return m;
}

}  // namespace

struct V1Model::Impl {
    Impl(const std::string& dir, const V1ModelOptions& options)
        : directory(dir),
          config(core::load_gliner_v1_config(dir)),
          tokenizer(load_folder_tokenizer(dir)),
          markers(find_markers(tokenizer, config, dir)),
          weights(heads::load_v1_checkpoint_weights(dir, config.encoder, head_shape(config),
                                                    kEncoderPrefix)),
          encoder(weights, config.encoder, encoder_options(options)),
          heads(heads::GlinerV1Heads::from_checkpoint(weights, head_shape(config))) {}

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    std::string directory;
    core::GlinerV1Config config;
    tokenizer::Tokenizer tokenizer;
    V1Markers markers;
    core::CheckpointWeights weights;
    core::DebertaEncoder encoder;
    heads::GlinerV1Heads heads;

    // Encodes `inputs` batch_size at a time (right-padded, in order) and hands each input's
    // word and type vectors to on_vectors(i, words, types, hidden).
    template <typename OnVectors>
    void encode(const std::vector<V1Input>& inputs, size_t batch_size,
                OnVectors&& on_vectors) const {
        const int64_t h = config.encoder.hidden_size;
        for (size_t first = 0; first < inputs.size(); first += batch_size) {
            const size_t rows = std::min(batch_size, inputs.size() - first);
            size_t length = 0;
            for (size_t b = 0; b < rows; ++b)
                length = std::max(length, inputs[first + b].input_ids.size());
            std::vector<int32_t> ids(rows * length, markers.pad_id);
            std::vector<int32_t> mask(rows * length, 0);
            for (size_t b = 0; b < rows; ++b) {
                const auto& in = inputs[first + b].input_ids;
                std::copy(in.begin(), in.end(), ids.begin() + static_cast<ptrdiff_t>(b * length));
                std::fill_n(mask.begin() + static_cast<ptrdiff_t>(b * length), in.size(), 1);
            }
            const core::EncoderOutput out = encoder.forward(ids, mask, rows, length);
            for (size_t b = 0; b < rows; ++b) {
                const V1Input& in = inputs[first + b];
                const auto hidden = out.sequence(b);
                core::RowMatrix words(static_cast<Eigen::Index>(in.word_positions.size()), h);
                for (size_t w = 0; w < in.word_positions.size(); ++w) {
                    if (in.word_positions[w] == kNoPosition) {
                        words.row(static_cast<Eigen::Index>(w)).setZero();
                    } else {
                        words.row(static_cast<Eigen::Index>(w)) =
                            hidden.row(static_cast<Eigen::Index>(in.word_positions[w]));
                    }
                }
                core::RowMatrix types(static_cast<Eigen::Index>(in.type_positions.size()), h);
                for (size_t c = 0; c < in.type_positions.size(); ++c) {
                    types.row(static_cast<Eigen::Index>(c)) =
                        hidden.row(static_cast<Eigen::Index>(in.type_positions[c]));
                }
                on_vectors(first + b, words, types, hidden);
            }
        }
    }

    std::vector<V1Span> decode(const std::vector<float>& logits, size_t words, size_t types,
                               const V1DecodeOptions& options) const {
        if (config.span_mode == "token_level")
            return decode_v1_tokens(logits, words, types, options);
        return decode_v1_spans(logits, words, static_cast<size_t>(config.max_width), types,
                               options);
    }
};

namespace {

std::vector<std::string> checked_labels(const std::vector<std::string>& labels, bool dedupe,
                                        const core::GlinerV1Config& config) {
    if (labels.empty()) throw RequestError("labels", "give at least one entity type");
    std::vector<std::string> out;
    for (size_t i = 0; i < labels.size(); ++i) {
        const std::string path = index_path("labels", i);
        if (labels[i].empty()) throw RequestError(path, "an entity type must not be empty");
        // A marker inside a type name would add a type the caller did not ask for.
        for (const std::string& marker : {config.ent_token, config.sep_token}) {
            if (labels[i].find(marker) != std::string::npos) {
                throw RequestError(
                    path, "an entity type must not contain the model's marker '" + marker + "'");
            }
        }
        try {
            tokenizer::split_words(labels[i], tokenizer::WordPattern::kGlinerV1);
        } catch (const tokenizer::TokenizerError& e) {
            throw RequestError(path, e.what());
        }
        if (dedupe && std::find(out.begin(), out.end(), labels[i]) != out.end()) continue;
        out.push_back(labels[i]);
    }
    return out;
}

std::vector<tokenizer::Word> checked_words(const std::string& text, size_t i) {
    try {
        return split_v1_words(text);
    } catch (const tokenizer::TokenizerError& e) {
        throw RequestError(index_path("texts", i), e.what());
    }
}

// One window (or the whole text) of text `owner`, starting at word `offset` of the text.
struct Window {
    size_t owner = 0;
    size_t offset = 0;
};

}  // namespace

V1Model::V1Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

V1Model V1Model::load(const std::string& dir, const V1ModelOptions& options) {
    return V1Model(std::make_shared<const Impl>(dir, options));
}

const core::GlinerV1Config& V1Model::config() const {
    return impl_->config;
}

const std::string& V1Model::directory() const {
    return impl_->directory;
}

std::vector<V1Forward> V1Model::forward(const std::vector<std::string>& texts,
                                        const std::vector<std::string>& labels,
                                        size_t batch_size) const {
    if (batch_size == 0) throw RequestError("batch_size", "batch_size must be at least 1");
    const std::vector<std::string> types = checked_labels(labels, false, impl_->config);
    const size_t max_len = static_cast<size_t>(impl_->config.max_len);
    std::vector<V1Input> inputs;
    for (size_t i = 0; i < texts.size(); ++i) {
        std::vector<tokenizer::Word> words = checked_words(texts[i], i);
        const size_t n = words.size();
        if (words.size() > max_len) words.resize(max_len);
        inputs.push_back(
            build_v1_input(impl_->tokenizer, impl_->markers, types, texts[i], std::move(words), n));
    }
    std::vector<V1Forward> out(inputs.size());
    impl_->encode(inputs, batch_size,
                  [&](size_t i, const core::RowMatrix& words, const core::RowMatrix& type_vectors,
                      const core::ConstRowMatrixRef& hidden) {
                      out[i].hidden = hidden;
                      out[i].logits = impl_->heads.logits(words, type_vectors);
                  });
    for (size_t i = 0; i < inputs.size(); ++i)
        out[i].input = std::move(inputs[i]);
    return out;
}

std::vector<V1Result> V1Model::predict(const std::vector<std::string>& texts,
                                       const std::vector<std::string>& labels,
                                       const V1PredictOptions& options) const {
    if (options.batch_size == 0) throw RequestError("batch_size", "batch_size must be at least 1");
    if (!(options.threshold >= 0.0 && options.threshold <= 1.0)) {
        throw RequestError("threshold", "threshold must lie in [0, 1]");
    }
    const size_t max_len = static_cast<size_t>(impl_->config.max_len);
    if (options.long_text == LongText::kWindows && options.window_overlap >= max_len) {
        throw RequestError("window_overlap", "window_overlap (" +
                                                 std::to_string(options.window_overlap) +
                                                 ") must be below the model's max_len (" +
                                                 std::to_string(max_len) + ")");
    }
    const std::vector<std::string> types =
        checked_labels(labels, options.deduplicate_labels, impl_->config);
    std::vector<V1Result> results(texts.size());
    std::vector<std::vector<tokenizer::Word>> all_words(texts.size());
    std::vector<V1Input> inputs;
    std::vector<Window> windows;
    for (size_t i = 0; i < texts.size(); ++i) {
        all_words[i] = checked_words(texts[i], i);
        const std::vector<tokenizer::Word>& words = all_words[i];
        const size_t n = words.size();
        if (n > max_len && options.long_text == LongText::kTruncate) {
            results[i].warnings.push_back("Sentence of length " + std::to_string(n) +
                                          " has been truncated to " + std::to_string(max_len));
        }
        const size_t step = max_len - options.window_overlap;
        for (size_t offset = 0;; offset += step) {
            const size_t end = std::min(n, offset + max_len);
            inputs.push_back(build_v1_input(
                impl_->tokenizer, impl_->markers, types, texts[i],
                std::vector<tokenizer::Word>(words.begin() + static_cast<ptrdiff_t>(offset),
                                             words.begin() + static_cast<ptrdiff_t>(end)),
                n));
            windows.push_back({i, offset});
            if (end >= n || options.long_text == LongText::kTruncate) break;
        }
    }
    const V1DecodeOptions decode{options.threshold, options.flat_ner, options.multi_label};
    // Spans of each text in its own word indices; several windows may propose the same span.
    std::vector<std::map<std::tuple<size_t, size_t, size_t>, float>> found(texts.size());
    std::vector<size_t> window_count(texts.size(), 0);
    for (const Window& w : windows)
        ++window_count[w.owner];
    // A text read in one pass keeps the decoder's order (upstream's: by start word, then score).
    std::vector<std::vector<V1Span>> single(texts.size());
    impl_->encode(inputs, options.batch_size,
                  [&](size_t k, const core::RowMatrix& words, const core::RowMatrix& type_vectors,
                      const core::ConstRowMatrixRef&) {
                      if (inputs[k].empty_text) return;  // the [PAD] word covers no text
                      const std::vector<float> logits = impl_->heads.logits(words, type_vectors);
                      std::vector<V1Span> spans =
                          impl_->decode(logits, inputs[k].words.size(), types.size(), decode);
                      if (window_count[windows[k].owner] == 1) {
                          single[windows[k].owner] = std::move(spans);
                          return;
                      }
                      for (const V1Span& s : spans) {
                          auto key = std::make_tuple(windows[k].offset + s.start_word,
                                                     windows[k].offset + s.end_word, s.type);
                          auto [it, inserted] = found[windows[k].owner].emplace(key, s.score);
                          if (!inserted) it->second = std::max(it->second, s.score);
                      }
                  });
    for (size_t i = 0; i < texts.size(); ++i) {
        std::vector<V1Span> spans = std::move(single[i]);
        if (window_count[i] > 1) {
            // Spans kept by overlapping windows: select once more over the whole text, from the
            // positional order a single pass would enumerate them in.
            for (const auto& [key, score] : found[i])
                spans.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), score});
            spans = select_v1_spans(std::move(spans), decode);
        }
        const std::vector<tokenizer::Word>& words = all_words[i];
        for (const V1Span& s : spans) {
            V1Entity e;
            e.start = words[s.start_word].start_cp;
            e.end = words[s.end_word].end_cp;
            e.start_byte = words[s.start_word].start_byte;
            e.end_byte = words[s.end_word].end_byte;
            e.text = texts[i].substr(e.start_byte, e.end_byte - e.start_byte);
            e.label = types[s.type];
            e.score = s.score;
            results[i].entities.push_back(std::move(e));
        }
    }
    return results;
}

bool is_gliner_v1_folder(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    return fs::exists(fs::path(dir) / "gliner_config.json", ec) &&
           !fs::exists(fs::path(dir) / "config.json", ec);
}

}  // namespace spanguard::schemas
