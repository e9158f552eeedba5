#include "heads/head_tensor_names.h"

namespace spanguard::heads {
namespace {

// Sequential(Linear(in, 4 out), ReLU, Dropout, Linear(4 out, out)): indices 0 and 3.
void add_projection(core::TensorTableBuilder& t, const std::string& prefix, int64_t in,
                    int64_t out) {
    t.linear(prefix + ".0", in, 4 * out);
    t.linear(prefix + ".3", 4 * out, out);
}

void add_heads(core::TensorTableBuilder& t, int64_t h) {
    add_projection(t, "span_rep.span_rep_layer.project_start", h, h);
    add_projection(t, "span_rep.span_rep_layer.project_end", h, h);
    add_projection(t, "span_rep.span_rep_layer.out_project", 2 * h, h);
    // create_mlp without dropout: Linear (0), ReLU (1), Linear (2).
    t.linear("classifier.0", h, 2 * h);
    t.linear("classifier.2", 2 * h, 1);
    t.linear("count_pred.0", h, 2 * h);
    t.linear("count_pred.2", 2 * h, kMaxCount);
}

void add_count_embed(core::TensorTableBuilder& t, int64_t h, core::CountingLayer counting) {
    t.add("count_embed.pos_embedding.weight", {kMaxCount, h});
    t.add("count_embed.gru.weight_ih_l0", {3 * h, h});
    t.add("count_embed.gru.weight_hh_l0", {3 * h, h});
    t.add("count_embed.gru.bias_ih_l0", {3 * h});
    t.add("count_embed.gru.bias_hh_l0", {3 * h});
    switch (counting) {
        case core::CountingLayer::kCountLstm:
            t.linear("count_embed.projector.0", 2 * h, 4 * h);
            t.linear("count_embed.projector.2", 4 * h, h);
            break;
        case core::CountingLayer::kCountLstmV2: {
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
        case core::CountingLayer::kCountLstmMoe: {
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

std::vector<core::ExpectedTensor> expected_head_tensors(int64_t hidden,
                                                        core::CountingLayer counting) {
    std::vector<core::ExpectedTensor> table;
    core::TensorTableBuilder builder(table);
    add_heads(builder, hidden);
    add_count_embed(builder, hidden, counting);
    return table;
}

std::vector<core::ExpectedTensor> expected_checkpoint_tensors(const core::EncoderConfig& encoder,
                                                              core::CountingLayer counting) {
    std::vector<core::ExpectedTensor> table = core::expected_encoder_tensors(encoder);
    for (core::ExpectedTensor& t : expected_head_tensors(encoder.hidden_size, counting))
        table.push_back(std::move(t));
    return table;
}

core::CheckpointWeights load_checkpoint_weights(const std::string& folder,
                                                const core::EncoderConfig& encoder) {
    return core::CheckpointWeights::load(folder, encoder, &expected_head_tensors);
}

core::CheckpointWeights load_checkpoint_weights(const std::string& folder,
                                                const core::EncoderConfig& encoder,
                                                const core::GlinerConfig& gliner) {
    return core::CheckpointWeights::load(folder, encoder, gliner, &expected_head_tensors);
}

}  // namespace spanguard::heads
