#include "heads/span_scoring.h"

#include <string>

#include "core/kernels/gemm.h"
#include "core/util/error.h"
#include "heads/activations.h"

namespace spanguard::heads {

std::vector<float> span_probabilities(const MatrixRef& fields, const MatrixRef& spans) {
    SPANGUARD_THROW_IF_NOT(fields.cols() == spans.cols(),
                           "span scoring: field vectors have " + std::to_string(fields.cols()) +
                               " columns, span vectors " + std::to_string(spans.cols()));
    std::vector<float> probabilities(static_cast<size_t>(fields.rows() * spans.rows()));
    if (probabilities.empty()) return probabilities;
    // Dot products of rows with rows: the GEMM kernel reads both operands in place.
    core::gemm_nt(fields.data(), fields.outerStride(), spans.data(), spans.outerStride(),
                  probabilities.data(), spans.rows(), fields.rows(), spans.rows(), fields.cols(),
                  nullptr);
    for (float& value : probabilities)
        value = sigmoid(value);
    return probabilities;
}

}  // namespace spanguard::heads
