#include "core/encoder/deberta_weights.h"

#include "core/util/error.h"
#include "core/weights/tensor_name_table.h"

namespace spanguard::core {
namespace {

LinearView linear_view(const CheckpointWeights& weights, const std::string& name, int64_t out,
                       int64_t in) {
    LinearView view;
    view.weight = weights.get(name + ".weight", {out, in}).data.data();
    view.bias = weights.get(name + ".bias", {out}).data.data();
    view.out_features = out;
    view.in_features = in;
    view.name = name;
    return view;
}

LayerNormView norm_view(const CheckpointWeights& weights, const std::string& name, int64_t size) {
    LayerNormView view;
    view.weight = weights.get(name + ".weight", {size}).data;
    view.bias = weights.get(name + ".bias", {size}).data;
    view.name = name;
    return view;
}

}  // namespace

DebertaWeightsView resolve_deberta_weights(const CheckpointWeights& weights,
                                           const EncoderConfig& config, const std::string& prefix,
                                           int64_t rel_rows_needed) {
    const int64_t hidden = config.hidden_size;
    const int64_t ffn = config.intermediate_size;
    DebertaWeightsView view;

    const std::string word_name = prefix + "embeddings.word_embeddings.weight";
    const WeightTensor& word = weights.get(word_name);
    SPANGUARD_THROW_IF_NOT(word.shape.size() == 2 && word.shape[0] >= 1 && word.shape[1] == hidden,
                           "encoder tensor " + word_name + " has shape " +
                               shape_to_string(word.shape) + ", expected [vocab, " +
                               std::to_string(hidden) + "]");
    view.word_embeddings = word.data.data();
    view.vocab_rows = word.shape[0];
    view.embedding_norm = norm_view(weights, prefix + "embeddings.LayerNorm", hidden);

    const std::string rel_name = prefix + "encoder.rel_embeddings.weight";
    const WeightTensor& rel = weights.get(rel_name);
    SPANGUARD_THROW_IF_NOT(
        rel.shape.size() == 2 && rel.shape[0] >= rel_rows_needed && rel.shape[1] == hidden,
        "encoder tensor " + rel_name + " has shape " + shape_to_string(rel.shape) +
            ", expected [>= " + std::to_string(rel_rows_needed) + ", " + std::to_string(hidden) +
            "]");
    view.rel_embeddings = rel.data.data();
    view.rel_rows = rel.shape[0];
    view.rel_norm = norm_view(weights, prefix + "encoder.LayerNorm", hidden);

    view.layers.reserve(static_cast<size_t>(config.num_hidden_layers));
    for (int i = 0; i < config.num_hidden_layers; ++i) {
        const std::string layer = prefix + "encoder.layer." + std::to_string(i) + ".";
        DebertaLayerView l;
        l.query = linear_view(weights, layer + "attention.self.query_proj", hidden, hidden);
        l.key = linear_view(weights, layer + "attention.self.key_proj", hidden, hidden);
        l.value = linear_view(weights, layer + "attention.self.value_proj", hidden, hidden);
        l.attention_output = linear_view(weights, layer + "attention.output.dense", hidden, hidden);
        l.attention_norm = norm_view(weights, layer + "attention.output.LayerNorm", hidden);
        l.intermediate = linear_view(weights, layer + "intermediate.dense", ffn, hidden);
        l.output = linear_view(weights, layer + "output.dense", hidden, ffn);
        l.output_norm = norm_view(weights, layer + "output.LayerNorm", hidden);
        view.layers.push_back(std::move(l));
    }
    return view;
}

}  // namespace spanguard::core
