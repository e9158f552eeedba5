// The DeBERTa-v2/v3 backbone (Hugging Face DebertaV2Model / Microsoft DeBERTa, eval mode),
// GLINER2.md §5:
// word embeddings + LayerNorm + mask, log-bucketed relative positions, disentangled attention
// (content, c2p and p2c with shared query/key projections), FFN with exact erf GELU,
// post-LayerNorm. Returns the last hidden state; there is no pooler.
//
// Ownership: the encoder borrows the embeddings and LayerNorm tensors in place; `weights` must
// outlive it. It owns aligned copies of the float32 Linear weights it runs
// (linear_weight_copies.h), the int8 packed copies in int8 precision, and what is constant per
// checkpoint (the normalised relative embeddings projected through every layer's query and key
// projections), computed once in the constructor.
//
// Thread safety: immutable after construction. forward() is const, keeps all scratch local to the
// call and may run from many threads at once; it parallelises internally with core::parallel_for
// (which runs serially when called from inside another parallel region).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/encoder/deberta_weights.h"
#include "core/encoder/relative_position.h"
#include "core/tensor/matrix.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "core/weights/int8_weights.h"

namespace spanguard::core {

// Encoder output for a right-padded batch.
struct EncoderOutput {
    size_t batch = 0;
    size_t length = 0;
    // [batch * length, hidden_size]; row b * length + t is token t of sequence b. Rows of padding
    // hold what the reference computes there too, but nothing downstream should read them.
    RowMatrix hidden;

    auto token(size_t b, size_t t) const {
        return hidden.row(static_cast<Eigen::Index>(b * length + t));
    }
    // The [length, hidden_size] block of sequence b.
    auto sequence(size_t b) const {
        return hidden.middleRows(static_cast<Eigen::Index>(b * length),
                                 static_cast<Eigen::Index>(length));
    }
};

struct DebertaEncoderOptions {
    // Tensor-name prefix of the backbone inside the checkpoint.
    std::string prefix = "encoder.";
    // Only matters for sequences longer than max_relative_positions (512); see
    // relative_position.h. Hugging Face is what the GLiNER2 package runs on the published
    // checkpoints; the parity goldens need kMicrosoft for their one 935-token call.
    RelativeDistanceConvention relative_distances = RelativeDistanceConvention::kHuggingFace;
    // kInt8: the value, attention-output and both FFN Linear layers of every transformer layer
    // run the int8 GEMM on weights quantized here, at construction (core/weights/int8_weights.h);
    // embeddings, LayerNorms, query/key projections, relative-position projections and attention
    // itself stay float32.
    Precision precision = Precision::kFloat32;
};

class DebertaEncoder {
  public:
    // Resolves `<options.prefix>embeddings.*` and `<options.prefix>encoder.*` tensors. Throws
    // core::Error naming the config key for settings this engine does not implement
    // (relative_attention off, share_att_key off, position_biased_input on, token types,
    // pos_att_type other than c2p + p2c, norm_rel_ebd other than layer_norm, hidden_act other than
    // gelu) and naming the tensor for a missing or mis-shaped weight.
    DebertaEncoder(const CheckpointWeights& weights, const EncoderConfig& config,
                   DebertaEncoderOptions options = {});

    // input_ids and attention_mask: batch x length, row-major (b * length + t). Mask values are
    // 1 (real token) or 0 (padding); token ids index the word-embedding rows. Relative positions
    // count from index 0 of every row, so pad on the right, as the reference does. Any length is
    // accepted (distances beyond the bucket range share the edge embeddings). Throws core::Error
    // for size mismatches, an id outside the vocabulary or a mask value other than 0/1, naming the
    // offending [b][t].
    EncoderOutput forward(std::span<const int32_t> input_ids,
                          std::span<const int32_t> attention_mask, size_t batch,
                          size_t length) const;

    const EncoderConfig& config() const { return config_; }
    const DebertaEncoderOptions& options() const { return options_; }
    int hidden_size() const { return config_.hidden_size; }
    int64_t vocab_rows() const { return weights_.vocab_rows; }

  private:
    void embed(std::span<const int32_t> input_ids, std::span<const int32_t> attention_mask,
               RowMatrix& hidden) const;

    EncoderConfig config_;
    DebertaEncoderOptions options_;
    RelativePositionScheme positions_;
    float score_scale_ = 1.0f;  // 1 / sqrt(head_size * 3): content + c2p + p2c
    DebertaWeightsView weights_;
    // The aligned copies of the float32 Linear weights that weights_' layer views point into
    // (copy_linear_weights); the rest of weights_ points into the CheckpointWeights.
    std::shared_ptr<const void> linear_weight_copies_;
    // Per layer, transposed to [H, 2 span]: LayerNorm(rel_embeddings) W_q^T + b_q (times
    // score_scale_) and LayerNorm(rel_embeddings) W_k^T + b_k (share_att_key: the content
    // projections are reused).
    std::vector<RowMatrix> pos_query_t_;
    std::vector<RowMatrix> pos_key_t_;
};

}  // namespace spanguard::core
