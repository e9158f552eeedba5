#include "heads/weight_loading.h"

#include <vector>

#include "core/util/error.h"
#include "core/weights/tensor_name_table.h"

namespace spanguard::heads {
namespace {

// The loader guarantees data matches the shape; checked again because a mismatch here would read
// out of bounds.
const core::WeightTensor& checked(const core::CheckpointWeights& weights, const std::string& name,
                                  const std::vector<int64_t>& expected) {
    const core::WeightTensor& tensor = weights.get(name, expected);
    int64_t count = 1;
    for (int64_t dim : expected)
        count *= dim;
    SPANGUARD_THROW_IF_NOT(tensor.data.size() == static_cast<size_t>(count),
                           "checkpoint tensor " + name + " holds " +
                               std::to_string(tensor.data.size()) + " values for shape " +
                               core::shape_to_string(tensor.shape));
    return tensor;
}

}  // namespace

Matrix load_matrix(const core::CheckpointWeights& weights, const std::string& name, int64_t rows,
                   int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {rows, cols});
    Matrix copy = Eigen::Map<const Matrix>(tensor.data.data(), rows, cols);
    weights.release_resident_pages(name);  // the heads read only their copy from now on
    return copy;
}

Vector load_vector(const core::CheckpointWeights& weights, const std::string& name, int64_t size) {
    const core::WeightTensor& tensor = checked(weights, name, {size});
    Vector copy = Eigen::Map<const Vector>(tensor.data.data(), size);
    weights.release_resident_pages(name);
    return copy;
}

std::vector<Matrix> load_stacked(const core::CheckpointWeights& weights, const std::string& name,
                                 int64_t count, int64_t rows, int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {count, rows, cols});
    std::vector<Matrix> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        out.emplace_back(
            Eigen::Map<const Matrix>(tensor.data.data() + i * rows * cols, rows, cols));
    }
    weights.release_resident_pages(name);
    return out;
}

}  // namespace spanguard::heads
