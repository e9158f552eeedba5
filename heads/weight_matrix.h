// A read-only row-major weight matrix of a head layer: either its own copy (built in memory, or
// a slice of a checkpoint tensor) or the checkpoint's storage itself, shared without a copy.
// Sharing is what a loaded model does: a base checkpoint's heads hold ~100 MB of weights, and
// copying them into fresh memory was about a third of the load time.
//
// Ownership: keeps its storage alive (core::WeightBuffer shared ownership), so it may outlive the
// CheckpointWeights it came from; copies and column views share it. Thread safety: immutable;
// share freely.
#pragma once

#include <cstdint>

#include "core/weights/weight_buffer.h"
#include "heads/tensor.h"

namespace spanguard::heads {

// A read-only row-major view whose rows may be further apart than its width.
using WeightMap = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;

class WeightMatrix {
  public:
    WeightMatrix() = default;
    // A copy of `values` (implicit: layers built in memory pass Eigen matrices).
    WeightMatrix(const Matrix& values);  // NOLINT(google-explicit-constructor)
    // A copy of a block of another matrix (e.g. some columns), straight into the new storage.
    static WeightMatrix copy_of(const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& block);
    // `storage` holds rows * cols floats, row-major. Throws core::Error when it does not.
    WeightMatrix(core::WeightBuffer storage, int64_t rows, int64_t cols);

    // Columns [first, first + count) of this matrix, sharing its storage (no copy).
    WeightMatrix columns(int64_t first, int64_t count) const;

    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    const float* data() const { return storage_.data() + offset_; }
    // Distance between rows, in floats (for core::gemm_nt's leading dimension).
    int64_t outerStride() const { return stride_; }
    // The matrix as an Eigen expression: products, blocks, transposes.
    WeightMap map() const { return {data(), rows_, cols_, Eigen::OuterStride<>(stride_)}; }

  private:
    core::WeightBuffer storage_;
    int64_t offset_ = 0;  // floats from the storage's start to element [0, 0]
    int64_t rows_ = 0;
    int64_t cols_ = 0;
    int64_t stride_ = 0;
};

}  // namespace spanguard::heads
