// Copies named checkpoint tensors into the heads' Eigen types, checking each shape against the one
// the head's architecture implies (GLINER2.md §1.4), so that a checkpoint of another size or
// variant is
// reported by tensor name instead of producing wrong numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"

namespace spanguard::heads {

// A 2-D tensor of exactly [rows, cols]. Throws core::Error naming the tensor and both shapes.
Matrix load_matrix(const core::CheckpointWeights& weights, const std::string& name, int64_t rows,
                   int64_t cols);
// A 1-D tensor of exactly [size].
Vector load_vector(const core::CheckpointWeights& weights, const std::string& name, int64_t size);
// A 3-D tensor of exactly [count, rows, cols], as `count` matrices of [rows, cols].
std::vector<Matrix> load_stacked(const core::CheckpointWeights& weights, const std::string& name,
                                 int64_t count, int64_t rows, int64_t cols);

}  // namespace spanguard::heads
