// A PyTorch nn.Linear at inference: y = x W^T + b, applied to every row of x.
//
// Thread safety: immutable after construction; apply() may run on many threads at once.
#pragma once

#include <string>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class Linear {
  public:
    // `weight` is [out, in] as PyTorch stores it, `bias` is [out]. Throws core::Error when the two
    // disagree.
    Linear(Matrix weight, Vector bias);

    // Reads `<name>.weight` [out, in] and `<name>.bias` [out].
    static Linear from_checkpoint(const core::CheckpointWeights& weights, const std::string& name,
                                  int64_t in, int64_t out);

    int64_t in_features() const { return weight_.cols(); }
    int64_t out_features() const { return weight_.rows(); }
    const Matrix& weight() const { return weight_; }
    const Vector& bias() const { return bias_; }

    // x: [rows, in] -> [rows, out]. Throws core::Error when x has the wrong width.
    Matrix apply(const MatrixRef& x) const;

  private:
    Matrix weight_;
    Vector bias_;
};

// In-place element-wise max(x, 0).
inline void relu_in_place(Matrix& x) {
    x = x.cwiseMax(0.0f);
}

}  // namespace spanguard::heads
