// The exact (erf-based) GELU, x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)): what Hugging Face's "gelu"
// activation and PyTorch's F.gelu (approximate="none") compute. Not the tanh approximation.
//
// Thread safety: pure functions; gelu_erf_inplace splits rows with core::parallel_for.
#pragma once

#include <cmath>

#include "core/tensor/matrix.h"

namespace spanguard::core {

inline float gelu_erf(float x) {
    constexpr float kInvSqrt2 = 0.70710678118654752440f;
    return 0.5f * x * (1.0f + std::erf(x * kInvSqrt2));
}

// Applies gelu_erf to every element of `x`.
void gelu_erf_inplace(RowMatrixRef x);

}  // namespace spanguard::core
