#include "heads/weight_loading.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/parallel/parallel_for.h"
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

// Copies `count` floats; in parallel, because most of a large copy's time is the page faults of
// the fresh destination, and those scale with threads (the heads of a base checkpoint are ~100 MB).
void copy_floats(const float* source, size_t count, float* destination) {
    constexpr size_t kPiece = size_t{1} << 18;  // 1 MiB
    core::parallel_for((count + kPiece - 1) / kPiece, 1, [&](size_t begin, size_t end) {
        const size_t first = begin * kPiece;
        const size_t last = std::min(count, end * kPiece);
        std::memcpy(destination + first, source + first, (last - first) * sizeof(float));
    });
}

}  // namespace

Matrix load_matrix(const core::CheckpointWeights& weights, const std::string& name, int64_t rows,
                   int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {rows, cols});
    Matrix copy(rows, cols);
    copy_floats(tensor.data.data(), static_cast<size_t>(rows * cols), copy.data());
    weights.release_resident_pages(name);  // the heads read only their copy from now on
    return copy;
}

Vector load_vector(const core::CheckpointWeights& weights, const std::string& name, int64_t size) {
    const core::WeightTensor& tensor = checked(weights, name, {size});
    Vector copy(size);
    copy_floats(tensor.data.data(), static_cast<size_t>(size), copy.data());
    weights.release_resident_pages(name);
    return copy;
}

std::vector<Matrix> load_stacked(const core::CheckpointWeights& weights, const std::string& name,
                                 int64_t count, int64_t rows, int64_t cols) {
    const core::WeightTensor& tensor = checked(weights, name, {count, rows, cols});
    std::vector<Matrix> out;
    out.reserve(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i) {
        Matrix& copy = out.emplace_back(rows, cols);
        copy_floats(tensor.data.data() + i * rows * cols, static_cast<size_t>(rows * cols),
                    copy.data());
    }
    weights.release_resident_pages(name);
    return out;
}

}  // namespace spanguard::heads
