#include "heads/weight_matrix.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {

WeightMatrix WeightMatrix::copy_of(const Eigen::Ref<const Matrix, 0, Eigen::OuterStride<>>& block) {
    core::WeightBuffer storage =
        core::WeightBuffer::uninitialized(static_cast<size_t>(block.size()));
    const int64_t cols = block.cols();
    float* out = block.size() > 0 ? storage.mutable_data() : nullptr;
    for (int64_t r = 0; r < block.rows(); ++r)
        std::copy_n(block.row(r).data(), cols, out + r * cols);
    return WeightMatrix(std::move(storage), block.rows(), cols);
}

WeightMatrix::WeightMatrix(const Matrix& values) : WeightMatrix(copy_of(values)) {}

WeightMatrix::WeightMatrix(core::WeightBuffer storage, int64_t rows, int64_t cols)
    // share(): copies of this matrix (layers are copied into their containers) and column views
    // then share one storage instead of copying owned floats.
    : storage_(storage.share()), rows_(rows), cols_(cols) {
    SPANGUARD_THROW_IF_NOT(
        rows >= 0 && cols >= 0 && storage_.size() == static_cast<size_t>(rows * cols),
        "weight matrix: " + std::to_string(storage_.size()) + " values for shape [" +
            std::to_string(rows) + ", " + std::to_string(cols) + "]");
}

}  // namespace spanguard::heads
