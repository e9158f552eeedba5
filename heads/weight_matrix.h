// A read-only row-major weight matrix of a head layer, in storage that its copies share (layers
// are copied into their containers; no weight is duplicated).
//
// Ownership: keeps its storage alive (core::WeightBuffer shared ownership), so it may outlive the
// CheckpointWeights it came from; copies and column views share it. Thread safety: immutable;
// share freely.
#pragma once

#include <cstdint>

#include "core/weights/weight_buffer.h"
#include "heads/tensor.h"

namespace spanguard::heads {

// A read-only row-major view of a WeightMatrix.
using WeightMap = core::ConstRowMap;

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
    WeightMap map() const { return {data(), rows_, cols_}; }

  private:
    core::WeightBuffer storage_;
    int64_t rows_ = 0;
    int64_t cols_ = 0;
};

}  // namespace spanguard::heads
