// One PyTorch nn.TransformerEncoderLayer in eval mode with its defaults as count_lstm_v2 uses them
// (GLINER2.md §3.3): post-norm, ReLU feed-forward, no mask, no dropout.
//   x <- LayerNorm1(x + MHA(x));   x <- LayerNorm2(x + W2 ReLU(W1 x + b1) + b2)
// MHA: packed in_proj [q; k; v], `heads` heads, scores scaled by 1/sqrt(head width), softmax over
// the keys, then out_proj.
//
// Thread safety: immutable after construction; apply() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "core/weights/checkpoint_weights.h"
#include "heads/linear.h"
#include "heads/tensor.h"

namespace spanguard::heads {

struct LayerNormParams {
    Vector weight;
    Vector bias;
    float eps = 1e-5f;
};

class TransformerEncoderLayer {
  public:
    // in_proj: d -> 3d; out_proj: d -> d; linear1: d -> ffn; linear2: ffn -> d. Throws
    // core::Error on inconsistent widths or when `heads` does not divide d.
    TransformerEncoderLayer(Linear in_proj, Linear out_proj, Linear linear1, Linear linear2,
                            LayerNormParams norm1, LayerNormParams norm2, int heads);

    // Reads <prefix>.{self_attn.in_proj_weight, self_attn.in_proj_bias, self_attn.out_proj,
    // linear1, linear2, norm1, norm2}.
    static TransformerEncoderLayer from_checkpoint(const core::CheckpointWeights& weights,
                                                   const std::string& prefix, int64_t d_model,
                                                   int64_t ffn, int heads, float eps);

    // x: [batch * seq_len, d], rows b * seq_len + s; attention runs within each block of
    // seq_len rows only. Returns the same shape.
    Matrix apply(const MatrixRef& x, int64_t seq_len) const;

  private:
    Linear in_proj_;
    Linear out_proj_;
    Linear linear1_;
    Linear linear2_;
    LayerNormParams norm1_;
    LayerNormParams norm2_;
    int heads_ = 1;
};

}  // namespace spanguard::heads
