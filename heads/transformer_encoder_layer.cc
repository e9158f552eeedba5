#include "heads/transformer_encoder_layer.h"

#include <cmath>
#include <utility>

#include "core/kernels/layer_norm.h"
#include "core/util/error.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {

namespace {

void layer_norm_in_place(Matrix& x, const LayerNormParams& norm, const char* what) {
    core::layer_norm_rows(x, {norm.weight.data(), static_cast<size_t>(norm.weight.size())},
                          {norm.bias.data(), static_cast<size_t>(norm.bias.size())}, norm.eps,
                          what);
}

}  // namespace

TransformerEncoderLayer::TransformerEncoderLayer(Linear in_proj, Linear out_proj, Linear linear1,
                                                 Linear linear2, LayerNormParams norm1,
                                                 LayerNormParams norm2, int heads)
    : in_proj_(std::move(in_proj)),
      out_proj_(std::move(out_proj)),
      linear1_(std::move(linear1)),
      linear2_(std::move(linear2)),
      norm1_(std::move(norm1)),
      norm2_(std::move(norm2)),
      heads_(heads) {
    const int64_t d = out_proj_.out_features();
    SPANGUARD_THROW_IF_NOT(heads_ >= 1 && d % heads_ == 0,
                           "transformer layer: " + std::to_string(heads_) +
                               " heads do not divide width " + std::to_string(d));
    SPANGUARD_THROW_IF_NOT(in_proj_.in_features() == d && in_proj_.out_features() == 3 * d &&
                               out_proj_.in_features() == d && linear1_.in_features() == d &&
                               linear2_.in_features() == linear1_.out_features() &&
                               linear2_.out_features() == d && norm1_.weight.size() == d &&
                               norm1_.bias.size() == d && norm2_.weight.size() == d &&
                               norm2_.bias.size() == d,
                           "transformer layer: widths do not fit d_model " + std::to_string(d));
}

TransformerEncoderLayer TransformerEncoderLayer::from_checkpoint(
    const core::CheckpointWeights& weights, const std::string& prefix, int64_t d_model, int64_t ffn,
    int heads, float eps) {
    const std::string attn = prefix + ".self_attn.";
    return TransformerEncoderLayer(
        Linear(load_matrix(weights, attn + "in_proj_weight", 3 * d_model, d_model),
               load_vector(weights, attn + "in_proj_bias", 3 * d_model)),
        Linear::from_checkpoint(weights, attn + "out_proj", d_model, d_model),
        Linear::from_checkpoint(weights, prefix + ".linear1", d_model, ffn),
        Linear::from_checkpoint(weights, prefix + ".linear2", ffn, d_model),
        LayerNormParams{load_vector(weights, prefix + ".norm1.weight", d_model),
                        load_vector(weights, prefix + ".norm1.bias", d_model), eps},
        LayerNormParams{load_vector(weights, prefix + ".norm2.weight", d_model),
                        load_vector(weights, prefix + ".norm2.bias", d_model), eps},
        heads);
}

Matrix TransformerEncoderLayer::apply(const MatrixRef& x, int64_t seq_len) const {
    const Eigen::Index d = out_proj_.out_features();
    SPANGUARD_THROW_IF_NOT(x.cols() == d, "transformer layer: input has " +
                                              std::to_string(x.cols()) + " columns, expected " +
                                              std::to_string(d));
    SPANGUARD_THROW_IF_NOT(seq_len > 0 && x.rows() % seq_len == 0,
                           "transformer layer: " + std::to_string(x.rows()) +
                               " rows are not a whole number of sequences of " +
                               std::to_string(seq_len));
    const Eigen::Index rows = x.rows();
    const Eigen::Index head_width = d / heads_;
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_width));

    const Matrix qkv = in_proj_.apply(x);
    Matrix context(rows, d);
    Matrix scores(seq_len, seq_len);
    for (Eigen::Index first = 0; first < rows; first += seq_len) {
        for (int head = 0; head < heads_; ++head) {
            const Eigen::Index col = head * head_width;
            const auto q = qkv.block(first, col, seq_len, head_width);
            const auto k = qkv.block(first, d + col, seq_len, head_width);
            const auto v = qkv.block(first, 2 * d + col, seq_len, head_width);
            // PyTorch scales q before the product; keep that order for the closest rounding.
            scores.noalias() = (q * scale) * k.transpose();
            for (Eigen::Index r = 0; r < seq_len; ++r) {
                auto row = scores.row(r);
                row.array() = (row.array() - row.maxCoeff()).exp();
                row /= row.sum();
            }
            context.block(first, col, seq_len, head_width).noalias() = scores * v;
        }
    }

    Matrix y = out_proj_.apply(context);
    y += x;
    layer_norm_in_place(y, norm1_, "transformer layer norm1");
    Matrix ff = linear1_.apply(y);
    relu_in_place(ff);
    Matrix out = linear2_.apply(ff);
    out += y;
    layer_norm_in_place(out, norm2_, "transformer layer norm2");
    return out;
}

}  // namespace spanguard::heads
