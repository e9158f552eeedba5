// Matrix types of the heads: core's float32 row-major aliases (one row per token, word, span or
// field, the layout of the encoder's hidden states and of PyTorch's activations). The reference
// runs the heads in float32, and so do we.
#pragma once

#include <Eigen/Core>

#include "core/tensor/matrix.h"

namespace spanguard::heads {

using Matrix = core::RowMatrix;
using Vector = Eigen::VectorXf;
// Read-only view of a row-major matrix or row range; other layouts are copied into a temporary.
using MatrixRef = core::ConstRowMatrixRef;

}  // namespace spanguard::heads
