// Span scoring (GLINER2.md §3.4): prob[r, s] = sigmoid(<field_r, span_s>), a plain dot product
// with no
// bias or scale, for every count-conditioned field vector r (instance-major: t * M + m) and span s
// (start-major: i * K + k). Laid out row-major that is the reference's [C, M, N, K] tensor.
#pragma once

#include <vector>

#include "heads/tensor.h"

namespace spanguard::heads {

// fields: [R, H], spans: [S, H] -> R * S probabilities, row-major [R, S]. Throws core::Error when
// the widths differ.
std::vector<float> span_probabilities(const MatrixRef& fields, const MatrixRef& spans);

}  // namespace spanguard::heads
