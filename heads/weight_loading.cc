#include "heads/weight_loading.h"

#include <vector>

#include "core/util/error.h"
#include "core/weights/huge_pages.h"
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

// Copies `count` floats of `source` from element `first` on, through the file for a tensor
// borrowed from the checkpoint's mapping (WeightBuffer::read: the mapped pages are never faulted
// in), into a destination advised for huge pages (huge_pages.h): a large copy's time is mostly the
// first touch of fresh memory (the heads of a base checkpoint are ~100 MB).
void copy_floats(const core::WeightBuffer& source, size_t first, size_t count, float* destination) {
    core::advise_huge_pages(destination, count * sizeof(float));
    source.read_in_parallel(first, count, destination);
}

}  // namespace

Matrix load_matrix(const core::CheckpointWeights& weights, const std::string& name, int64_t rows,
                   int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {rows, cols});
    Matrix copy(rows, cols);
    copy_floats(tensor.data, 0, static_cast<size_t>(rows * cols), copy.data());
    return copy;
}

Vector load_vector(const core::CheckpointWeights& weights, const std::string& name, int64_t size) {
    const core::WeightTensor& tensor = checked(weights, name, {size});
    Vector copy(size);
    copy_floats(tensor.data, 0, static_cast<size_t>(size), copy.data());
    return copy;
}

std::vector<Matrix> load_stacked(const core::CheckpointWeights& weights, const std::string& name,
                                 int64_t count, int64_t rows, int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {count, rows, cols});
    std::vector<Matrix> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        Matrix& copy = out.emplace_back(rows, cols);
        copy_floats(tensor.data, static_cast<size_t>(i * rows * cols),
                    static_cast<size_t>(rows * cols), copy.data());
    }
    return out;
}

}  // namespace spanguard::heads
