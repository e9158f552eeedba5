// Eigen aliases shared by the kernels, the encoder and the heads. Everything is float32 and
// row-major, the layout of PyTorch tensors and of CheckpointWeights, so a weight tensor can be
// viewed in place without a copy.
#pragma once

#include <Eigen/Core>

namespace spanguard::core {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;

// Read-only view of a contiguous row-major block, e.g. a weight tensor owned by CheckpointWeights.
using ConstRowMap = Eigen::Map<const RowMatrix>;
using ConstRowVectorMap = Eigen::Map<const RowVector>;

// Any row-major block with unit inner stride: a whole matrix, a range of rows, or a column range of
// rows (e.g. one attention head's slice of a [tokens, hidden] matrix).
using RowMatrixRef = Eigen::Ref<RowMatrix>;
using ConstRowMatrixRef = Eigen::Ref<const RowMatrix>;

}  // namespace spanguard::core
