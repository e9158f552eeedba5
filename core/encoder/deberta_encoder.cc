#include "core/encoder/deberta_encoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <set>
#include <utility>

#include "core/encoder/disentangled_attention.h"
#include "core/kernels/gelu.h"
#include "core/kernels/gemm.h"
#include "core/kernels/layer_norm.h"
#include "core/kernels/linear.h"
#include "core/parallel/parallel_for.h"
#include "core/util/error.h"
#include "core/weights/linear_weight_copies.h"

namespace spanguard::core {
namespace {

// "P2C | c2p" -> {"p2c", "c2p"}: the reference lower-cases and strips each '|'-separated item.
std::set<std::string> split_options(const std::string& text) {
    std::set<std::string> items;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('|', start);
        if (end == std::string::npos) end = text.size();
        std::string item = text.substr(start, end - start);
        const auto not_space = [](unsigned char ch) { return !std::isspace(ch); };
        item.erase(item.begin(), std::find_if(item.begin(), item.end(), not_space));
        item.erase(std::find_if(item.rbegin(), item.rend(), not_space).base(), item.end());
        std::transform(item.begin(), item.end(), item.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (!item.empty()) items.insert(item);
        start = end + 1;
    }
    return items;
}

void check_supported(const EncoderConfig& c) {
    const auto fail = [](const std::string& key, const std::string& why) {
        throw Error("encoder config: " + key + ": " + why);
    };
    if (c.hidden_size <= 0) fail("hidden_size", "must be positive");
    if (c.num_attention_heads <= 0) fail("num_attention_heads", "must be positive");
    if (c.hidden_size % c.num_attention_heads != 0) {
        fail("num_attention_heads", "must divide hidden_size (" + std::to_string(c.hidden_size) +
                                        "), got " + std::to_string(c.num_attention_heads));
    }
    if (c.num_hidden_layers < 0) fail("num_hidden_layers", "must not be negative");
    if (c.intermediate_size <= 0) fail("intermediate_size", "must be positive");
    if (!(c.layer_norm_eps > 0.0) || !std::isfinite(c.layer_norm_eps)) {
        fail("layer_norm_eps", "must be a positive number");
    }
    if (c.hidden_act != "gelu")
        fail("hidden_act", "only \"gelu\" is supported, got \"" + c.hidden_act + "\"");
    if (!c.relative_attention) fail("relative_attention", "only true (DeBERTa-v2/v3) is supported");
    if (!c.share_att_key) fail("share_att_key", "only true is supported");
    if (c.position_biased_input) fail("position_biased_input", "only false is supported");
    if (c.type_vocab_size != 0) fail("type_vocab_size", "token-type embeddings are not supported");
    if (split_options(c.pos_att_type) != std::set<std::string>{"c2p", "p2c"}) {
        fail("pos_att_type", "only \"p2c|c2p\" is supported, got \"" + c.pos_att_type + "\"");
    }
    if (split_options(c.norm_rel_ebd) != std::set<std::string>{"layer_norm"}) {
        fail("norm_rel_ebd", "only \"layer_norm\" is supported, got \"" + c.norm_rel_ebd + "\"");
    }
}

RelativePositionScheme scheme_for(const EncoderConfig& c, RelativeDistanceConvention convention) {
    RelativePositionScheme scheme;
    scheme.convention = convention;
    scheme.max_position =
        c.max_relative_positions < 1 ? c.max_position_embeddings : c.max_relative_positions;
    scheme.bucket_size = c.position_buckets;
    scheme.span = c.position_buckets > 0 ? c.position_buckets : scheme.max_position;
    scheme.validate();
    return scheme;
}

std::string position_text(size_t b, size_t t) {
    return "[" + std::to_string(b) + "][" + std::to_string(t) + "]";
}

}  // namespace

DebertaEncoder::DebertaEncoder(const CheckpointWeights& weights, const EncoderConfig& config,
                               DebertaEncoderOptions options)
    : config_(config), options_(std::move(options)) {
    check_supported(config_);
    positions_ = scheme_for(config_, options_.relative_distances);
    // c2p and p2c are both on: the scores are divided by sqrt(d * (1 + 2)).
    score_scale_ =
        static_cast<float>(1.0 / std::sqrt(static_cast<double>(config_.head_size()) * 3.0));
    weights_ = resolve_deberta_weights(weights, config_, options_.prefix, 2 * positions_.span);
    // Every Linear whose float32 GEMM reads its weight on each forward gets an aligned copy
    // (linear_weight_copies.h says why); the int8 layers below read only their packed copy.
    std::vector<LinearView*> float32_views;
    for (DebertaLayerView& layer : weights_.layers) {
        float32_views.insert(float32_views.end(), {&layer.query, &layer.key, &layer.value});
        if (options_.precision == Precision::kFloat32) {
            float32_views.insert(float32_views.end(),
                                 {&layer.attention_output, &layer.intermediate, &layer.output});
        }
    }
    linear_weight_copies_ = copy_linear_weights(float32_views, weights);

    // The reference takes rel_embeddings[:2 span], normalises it with encoder.LayerNorm and
    // projects it through each layer's query/key projections on every forward; all of that is
    // input-independent.
    const auto rows = static_cast<Eigen::Index>(2 * positions_.span);
    const auto hidden = static_cast<Eigen::Index>(config_.hidden_size);
    RowMatrix rel = ConstRowMap(weights_.rel_embeddings, rows, hidden);
    layer_norm_rows(rel, weights_.rel_norm.weight, weights_.rel_norm.bias,
                    static_cast<float>(config_.layer_norm_eps), weights_.rel_norm.name.c_str());
    // Stored transposed, [H, 2 span], because the attention's score kernel wants them k-major:
    // computed as W rel^T directly (the same dot products as (rel W^T)^T, without a transposing
    // copy), one GEMM per projection, spread over the threads.
    const size_t layer_count = weights_.layers.size();
    pos_query_t_.clear();
    pos_key_t_.clear();
    for (size_t l = 0; l < layer_count; ++l) {
        pos_query_t_.emplace_back(hidden, rows);  // uninitialized: the GEMM writes every value
        pos_key_t_.emplace_back(hidden, rows);
    }
    parallel_for(2 * layer_count, 1, [&](size_t begin, size_t end) {
        for (size_t job = begin; job < end; ++job) {
            const DebertaLayerView& layer = weights_.layers[job / 2];
            const bool query = job % 2 == 0;
            const LinearView& projection = query ? layer.query : layer.key;
            RowMatrix& out = query ? pos_query_t_[job / 2] : pos_key_t_[job / 2];
            gemm_nt(projection.weight, hidden, rel.data(), hidden, out.data(), rows, hidden, rows,
                    hidden, nullptr);
            // The bias belongs to the output feature, a row here; the query side is pre-scaled.
            for (Eigen::Index r = 0; r < hidden; ++r) {
                const float bias = projection.bias != nullptr ? projection.bias[r] : 0.0f;
                float* row = out.row(r).data();
                for (Eigen::Index c = 0; c < rows; ++c) {
                    row[c] = query ? (row[c] + bias) * score_scale_ : row[c] + bias;
                }
            }
        }
    });
    // After the projections above, which are computed once and so stay float32. Query, key and
    // value stay float32 too: they were the most sensitive to quantization error. Measured with
    // bench/int8_agreement.py on the default model's evaluation sets (all six int8 changed 0.69 %
    // of decisions, all but query/key 0.31 %) and on the benchmark's 1,051 texts (all but
    // query/key: 10 texts differ; also keeping value float32: 3; keeping the attention output or
    // either FFN layer float32 instead: 7-9). The int8 matrices still hold 9 of each layer's
    // 12 H^2 weights: the attention output (H^2) and the FFN (8 H^2).
    if (options_.precision == Precision::kInt8) {
        std::vector<LinearView*> int8_views;
        for (DebertaLayerView& layer : weights_.layers) {
            int8_views.insert(int8_views.end(),
                              {&layer.attention_output, &layer.intermediate, &layer.output});
        }
        // Read from the file, not the mapping: linear() reads only the packed copy of these, so
        // their float32 pages are never faulted in.
        quantize_linears_int8(int8_views, weights);
    }
}

void DebertaEncoder::embed(std::span<const int32_t> input_ids,
                           std::span<const int32_t> attention_mask, RowMatrix& hidden) const {
    const auto cols = static_cast<size_t>(config_.hidden_size);
    parallel_for(input_ids.size(), 256, [&](size_t begin, size_t end) {
        for (size_t r = begin; r < end; ++r) {
            const float* source =
                weights_.word_embeddings + static_cast<size_t>(input_ids[r]) * cols;
            std::memcpy(hidden.row(static_cast<Eigen::Index>(r)).data(), source,
                        cols * sizeof(float));
        }
    });
    layer_norm_rows(hidden, weights_.embedding_norm.weight, weights_.embedding_norm.bias,
                    static_cast<float>(config_.layer_norm_eps),
                    weights_.embedding_norm.name.c_str());
    // The reference multiplies the normalised embeddings by the mask: padding rows become zero.
    for (size_t r = 0; r < attention_mask.size(); ++r) {
        if (attention_mask[r] == 0) hidden.row(static_cast<Eigen::Index>(r)).setZero();
    }
}

EncoderOutput DebertaEncoder::forward(std::span<const int32_t> input_ids,
                                      std::span<const int32_t> attention_mask, size_t batch,
                                      size_t length) const {
    SPANGUARD_THROW_IF_NOT(input_ids.size() == batch * length,
                           "encoder input: " + std::to_string(input_ids.size()) +
                               " input ids for a batch of " + std::to_string(batch) + " x " +
                               std::to_string(length));
    SPANGUARD_THROW_IF_NOT(attention_mask.size() == batch * length,
                           "encoder input: " + std::to_string(attention_mask.size()) +
                               " attention-mask values for a batch of " + std::to_string(batch) +
                               " x " + std::to_string(length));
    std::vector<size_t> valid_lengths(batch, 0);
    for (size_t b = 0; b < batch; ++b) {
        for (size_t t = 0; t < length; ++t) {
            const size_t r = b * length + t;
            const int32_t id = input_ids[r];
            SPANGUARD_THROW_IF_NOT(id >= 0 && id < weights_.vocab_rows,
                                   "encoder input: input_ids" + position_text(b, t) + " = " +
                                       std::to_string(id) + " is outside the vocabulary (0.." +
                                       std::to_string(weights_.vocab_rows - 1) + ")");
            const int32_t m = attention_mask[r];
            SPANGUARD_THROW_IF_NOT(m == 0 || m == 1, "encoder input: attention_mask" +
                                                         position_text(b, t) + " = " +
                                                         std::to_string(m) + ", expected 0 or 1");
            if (m == 1) valid_lengths[b] = t + 1;
        }
    }

    EncoderOutput out;
    out.batch = batch;
    out.length = length;
    const auto tokens = static_cast<Eigen::Index>(batch * length);
    const auto hidden = static_cast<Eigen::Index>(config_.hidden_size);
    out.hidden.resize(tokens, hidden);
    if (tokens == 0) return out;
    RowMatrix& x = out.hidden;
    embed(input_ids, attention_mask, x);

    const std::vector<int32_t> relative_rows = relative_embedding_rows(length, positions_);
    AttentionBatch attention{batch, length, attention_mask, valid_lengths, relative_rows};
    const auto eps = static_cast<float>(config_.layer_norm_eps);
    // Scratch shared by all layers of this call.
    RowMatrix query(tokens, hidden), key(tokens, hidden), value(tokens, hidden);
    RowMatrix context = RowMatrix::Zero(tokens, hidden);
    RowMatrix attended(tokens, hidden);
    RowMatrix intermediate(tokens, static_cast<Eigen::Index>(config_.intermediate_size));

    for (size_t l = 0; l < weights_.layers.size(); ++l) {
        const DebertaLayerView& layer = weights_.layers[l];
        linear(x, layer.query, query);
        query *= score_scale_;
        linear(x, layer.key, key);
        linear(x, layer.value, value);
        disentangled_attention(query, key, value, pos_query_t_[l], pos_key_t_[l],
                               config_.num_attention_heads, attention, context);

        linear(context, layer.attention_output, attended);
        attended += x;
        layer_norm_rows(attended, layer.attention_norm.weight, layer.attention_norm.bias, eps,
                        layer.attention_norm.name.c_str());

        linear(attended, layer.intermediate, intermediate);
        gelu_erf_inplace(intermediate);
        linear(intermediate, layer.output, x);
        x += attended;
        layer_norm_rows(x, layer.output_norm.weight, layer.output_norm.bias, eps,
                        layer.output_norm.name.c_str());
    }
    return out;
}

}  // namespace spanguard::core
