// Affine map with PyTorch Linear conventions, out = x W^T + b, as one GEMM over all rows of `x`
// (all tokens of a batch at once). W is [out_features, in_features] row-major, exactly as stored in
// a checkpoint, and is read in place.
//
// fp32 runs core::gemm_nt (core/kernels/gemm.h: AVX-512 kernel when the CPU has it, else Eigen)
// on the weight in place; `int8` set runs the int8 GEMM instead.
//
// Thread safety: linear() only reads `layer` and `x`; output features are split across threads with
// core::parallel_for (Eigen's own threading is disabled for the whole project, see
// core/CMakeLists.txt, so parallel_for decides every thread count).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/tensor/matrix.h"

namespace spanguard::core {

class PackedInt8Weight;  // core/kernels/int8_gemm.h

// Borrowed view of a Linear layer's weight and bias; the storage (normally CheckpointWeights) must
// outlive the view.
struct LinearView {
    const float* weight = nullptr;  // [out_features, in_features], row-major
    const float* bias = nullptr;    // [out_features]
    int64_t out_features = 0;
    int64_t in_features = 0;
    std::string name;  // the weight tensor's name, for error messages
    // When set (quantize_linears_int8, core/weights/int8_weights.h), linear() runs the int8 GEMM on
    // this packed copy of `weight` instead of the fp32 GEMM. Immutable; shared by copies of the
    // view.
    std::shared_ptr<const PackedInt8Weight> int8 = nullptr;

    ConstRowMap weight_matrix() const { return ConstRowMap(weight, out_features, in_features); }
    ConstRowVectorMap bias_vector() const { return ConstRowVectorMap(bias, out_features); }
};

// out = x W^T + b. `out` must already be x.rows() x out_features and must not alias `x`; a shape
// mismatch throws core::Error naming the layer.
void linear(const ConstRowMatrixRef& x, const LinearView& layer, RowMatrixRef out);

}  // namespace spanguard::core
