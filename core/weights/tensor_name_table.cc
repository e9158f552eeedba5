#include "core/weights/tensor_name_table.h"

#include <utility>

namespace spanguard::core {
namespace {

// HF DebertaV2Model under `prefix` ("encoder." in GLiNER2): no position or token-type embeddings
// (position_biased_input false, type_vocab_size 0), shared relative-position projections
// (share_att_key), and a LayerNorm over the relative embeddings (norm_rel_ebd "layer_norm").
void add_encoder(TensorTableBuilder& t, const EncoderConfig& c, const std::string& prefix) {
    const int64_t h = c.hidden_size;
    t.add(prefix + "embeddings.word_embeddings.weight", {c.vocab_size, h});
    t.layer_norm(prefix + "embeddings.LayerNorm", h);
    t.add(prefix + "encoder.rel_embeddings.weight", {c.rel_embeddings_rows(), h});
    t.layer_norm(prefix + "encoder.LayerNorm", h);
    for (int i = 0; i < c.num_hidden_layers; ++i) {
        const std::string layer = prefix + "encoder.layer." + std::to_string(i);
        t.linear(layer + ".attention.self.query_proj", h, h);
        t.linear(layer + ".attention.self.key_proj", h, h);
        t.linear(layer + ".attention.self.value_proj", h, h);
        t.linear(layer + ".attention.output.dense", h, h);
        t.layer_norm(layer + ".attention.output.LayerNorm", h);
        t.linear(layer + ".intermediate.dense", h, c.intermediate_size);
        t.linear(layer + ".output.dense", c.intermediate_size, h);
        t.layer_norm(layer + ".output.LayerNorm", h);
    }
}

}  // namespace

int64_t ExpectedTensor::numel() const {
    int64_t n = 1;
    for (int64_t dim : shape)
        n *= dim;
    return n;
}

void TensorTableBuilder::add(std::string name, std::vector<int64_t> shape) {
    out_.push_back({std::move(name), std::move(shape)});
}

void TensorTableBuilder::linear(const std::string& prefix, int64_t in, int64_t out) {
    add(prefix + ".weight", {out, in});
    add(prefix + ".bias", {out});
}

void TensorTableBuilder::layer_norm(const std::string& prefix, int64_t width) {
    add(prefix + ".weight", {width});
    add(prefix + ".bias", {width});
}

std::vector<ExpectedTensor> expected_encoder_tensors(const EncoderConfig& encoder,
                                                     const std::string& prefix) {
    std::vector<ExpectedTensor> table;
    TensorTableBuilder builder(table);
    add_encoder(builder, encoder, prefix);
    return table;
}

std::string shape_to_string(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + "]";
}

}  // namespace spanguard::core
