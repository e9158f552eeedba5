#include "core/weights/tensor_name_table.h"

#include <utility>

namespace spanguard::core {
namespace {

class TableBuilder {
  public:
    explicit TableBuilder(std::vector<ExpectedTensor>& out) : out_(out) {}

    void add(std::string name, std::vector<int64_t> shape) {
        out_.push_back({std::move(name), std::move(shape)});
    }
    // nn.Linear(in, out): weight [out, in], bias [out].
    void linear(const std::string& prefix, int64_t in, int64_t out) {
        add(prefix + ".weight", {out, in});
        add(prefix + ".bias", {out});
    }
    void layer_norm(const std::string& prefix, int64_t width) {
        add(prefix + ".weight", {width});
        add(prefix + ".bias", {width});
    }

  private:
    std::vector<ExpectedTensor>& out_;
};

// HF DebertaV2Model under the "encoder." prefix: no position or token-type embeddings
// (position_biased_input false, type_vocab_size 0), shared relative-position projections
// (share_att_key), and a LayerNorm over the relative embeddings (norm_rel_ebd "layer_norm").
void add_encoder(TableBuilder& t, const EncoderConfig& c) {
    const int64_t h = c.hidden_size;
    t.add("encoder.embeddings.word_embeddings.weight", {c.vocab_size, h});
    t.layer_norm("encoder.embeddings.LayerNorm", h);
    t.add("encoder.encoder.rel_embeddings.weight", {c.rel_embeddings_rows(), h});
    t.layer_norm("encoder.encoder.LayerNorm", h);
    for (int i = 0; i < c.num_hidden_layers; ++i) {
        const std::string layer = "encoder.encoder.layer." + std::to_string(i);
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

// Sequential(Linear(in, 4 out), ReLU, Dropout, Linear(4 out, out)): indices 0 and 3.
void add_projection(TableBuilder& t, const std::string& prefix, int64_t in, int64_t out) {
    t.linear(prefix + ".0", in, 4 * out);
    t.linear(prefix + ".3", 4 * out, out);
}

void add_heads(TableBuilder& t, int64_t h) {
    add_projection(t, "span_rep.span_rep_layer.project_start", h, h);
    add_projection(t, "span_rep.span_rep_layer.project_end", h, h);
    add_projection(t, "span_rep.span_rep_layer.out_project", 2 * h, h);
    // create_mlp without dropout: Linear (0), ReLU (1), Linear (2).
    t.linear("classifier.0", h, 2 * h);
    t.linear("classifier.2", 2 * h, 1);
    t.linear("count_pred.0", h, 2 * h);
    t.linear("count_pred.2", 2 * h, kMaxCount);
}

void add_count_embed(TableBuilder& t, int64_t h, CountingLayer counting) {
    t.add("count_embed.pos_embedding.weight", {kMaxCount, h});
    t.add("count_embed.gru.weight_ih_l0", {3 * h, h});
    t.add("count_embed.gru.weight_hh_l0", {3 * h, h});
    t.add("count_embed.gru.bias_ih_l0", {3 * h});
    t.add("count_embed.gru.bias_hh_l0", {3 * h});
    switch (counting) {
        case CountingLayer::kCountLstm:
            t.linear("count_embed.projector.0", 2 * h, 4 * h);
            t.linear("count_embed.projector.2", 4 * h, h);
            break;
        case CountingLayer::kCountLstmV2: {
            const int64_t w = kCountTransformerWidth;
            t.linear("count_embed.transformer.in_projector", h, w);
            for (int i = 0; i < kCountTransformerLayers; ++i) {
                const std::string layer =
                    "count_embed.transformer.transformer.layers." + std::to_string(i);
                // nn.MultiheadAttention keeps q, k, v packed in one [3w, w] projection.
                t.add(layer + ".self_attn.in_proj_weight", {3 * w, w});
                t.add(layer + ".self_attn.in_proj_bias", {3 * w});
                t.linear(layer + ".self_attn.out_proj", w, w);
                t.linear(layer + ".linear1", w, kCountTransformerFfn);
                t.linear(layer + ".linear2", kCountTransformerFfn, w);
                t.layer_norm(layer + ".norm1", w);
                t.layer_norm(layer + ".norm2", w);
            }
            t.linear("count_embed.transformer.out_projector.0", w + h, h);
            t.linear("count_embed.transformer.out_projector.2", h, h);
            t.linear("count_embed.transformer.out_projector.4", h, h);
            break;
        }
        case CountingLayer::kCountLstmMoe: {
            const int64_t e = kCountMoeExperts;
            const int64_t inner = kCountMoeFfnMultiplier * h;
            t.add("count_embed.w1", {e, h, inner});  // raw parameters, [expert, in, out]
            t.add("count_embed.b1", {e, inner});
            t.add("count_embed.w2", {e, inner, h});
            t.add("count_embed.b2", {e, h});
            t.linear("count_embed.router.0", h, h);
            t.linear("count_embed.router.2", h, e);
            break;
        }
    }
}

}  // namespace

int64_t ExpectedTensor::numel() const {
    int64_t n = 1;
    for (int64_t dim : shape)
        n *= dim;
    return n;
}

std::vector<ExpectedTensor> expected_tensors(const EncoderConfig& encoder, CountingLayer counting) {
    std::vector<ExpectedTensor> table;
    TableBuilder builder(table);
    add_encoder(builder, encoder);
    add_heads(builder, encoder.hidden_size);
    add_count_embed(builder, encoder.hidden_size, counting);
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
