// Layer normalisation over the last dimension, as PyTorch's nn.LayerNorm computes it in eval mode:
// y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased (population) variance.
//
// Thread safety: pure functions of their arguments; rows are processed with core::parallel_for.
#pragma once

#include <span>

#include "core/tensor/matrix.h"

namespace spanguard::core {

// Normalises every row of `x` in place. `weight` and `bias` hold x.cols() values each; a size
// mismatch throws core::Error naming `what` (the weight tensor's name, for the message).
// Mean and variance are accumulated in double so long rows lose no precision; the result is float.
void layer_norm_rows(RowMatrixRef x, std::span<const float> weight, std::span<const float> bias,
                     float eps, const char* what = "layer norm");

}  // namespace spanguard::core
