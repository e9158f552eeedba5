// Element-wise activations, in float32 with the formulas PyTorch's CPU kernels use.
#pragma once

#include <cmath>

namespace spanguard::heads {

// 1 / (1 + exp(-x)); saturates to exactly 0 or 1 for large |x| like the reference.
inline float sigmoid(float x) {
    return 1.0f / (1.0f + std::exp(-x));
}

}  // namespace spanguard::heads
