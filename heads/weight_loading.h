// Copies named checkpoint tensors into the heads' own memory, checking each shape against the one
// the head's architecture implies (GLINER2.md §1.4), so that a checkpoint of another size or
// variant is reported by tensor name instead of producing wrong numbers.
//
// Copies, not views of the file mapping: on the development VM the heads ran slower per request
// reading their weights from the mapping (200 words, 1 thread, alternating builds: 349-417 ms
// against 315-367 ms with copies), which outweighs the ~0.4 s a base checkpoint's copy adds to
// the load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"
#include "heads/weight_matrix.h"

namespace spanguard::heads {

// A 2-D tensor of exactly [rows, cols], for a layer's weight. Throws core::Error naming the
// tensor and both shapes.
WeightMatrix load_weight_matrix(const core::CheckpointWeights& weights, const std::string& name,
                                int64_t rows, int64_t cols);
// The same as an Eigen matrix.
Matrix load_matrix(const core::CheckpointWeights& weights, const std::string& name, int64_t rows,
                   int64_t cols);
// A 1-D tensor of exactly [size].
Vector load_vector(const core::CheckpointWeights& weights, const std::string& name, int64_t size);
// A 3-D tensor of exactly [count, rows, cols], as `count` matrices of [rows, cols].
std::vector<Matrix> load_stacked(const core::CheckpointWeights& weights, const std::string& name,
                                 int64_t count, int64_t rows, int64_t cols);

}  // namespace spanguard::heads
