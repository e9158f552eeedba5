#include "schemas/decoding/decode_scores.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace spanguard::schemas {

SpanProbabilities::SpanProbabilities(size_t instances, size_t fields, size_t positions,
                                     size_t widths, std::vector<float> probs)
    : instances_(instances),
      fields_(fields),
      positions_(positions),
      widths_(widths),
      probs_(std::move(probs)) {
    if (probs_.size() != instances * fields * positions * widths) {
        throw std::invalid_argument("SpanProbabilities: " + std::to_string(probs_.size()) +
                                    " values for a " + std::to_string(instances) + " x " +
                                    std::to_string(fields) + " x " + std::to_string(positions) +
                                    " x " + std::to_string(widths) + " tensor");
    }
}

}  // namespace spanguard::schemas
