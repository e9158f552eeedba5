// A read-only row-major weight matrix of a head layer: either its own copy (built in memory, or
// a slice of a checkpoint tensor) or the checkpoint's storage itself, shared without a copy.
// Sharing is what a loaded model does: a base checkpoint's heads hold ~100 MB of weights, and
// copying them into fresh memory was about a third of the load time.
//
// Ownership: keeps its storage alive (core::WeightBuffer shared ownership), so it may outlive the
// CheckpointWeights it came from. Thread safety: immutable; share freely.
#pragma once

#include <cstdint>

#include "core/weights/weight_buffer.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class WeightMatrix {
  public:
    WeightMatrix() = default;
    // A copy of `values` (implicit: layers built in memory pass Eigen matrices).
    WeightMatrix(const Matrix& values);  // NOLINT(google-explicit-constructor)
    // A copy of a block of another matrix (e.g. some columns), straight into the new storage.
    static WeightMatrix copy_of(const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& block);
    // `storage` holds rows * cols floats, row-major. Throws core::Error when it does not.
    WeightMatrix(core::WeightBuffer storage, int64_t rows, int64_t cols);

    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    const float* data() const { return storage_.data(); }
    // Distance between rows, in floats (for core::gemm_nt's leading dimension).
    int64_t outerStride() const { return cols_; }
    // The matrix as an Eigen expression: products, blocks, transposes.
    core::ConstRowMap map() const { return {storage_.data(), rows_, cols_}; }

  private:
    core::WeightBuffer storage_;
    int64_t rows_ = 0;
    int64_t cols_ = 0;
};

}  // namespace spanguard::heads
