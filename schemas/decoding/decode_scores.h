// The score tensors that decoding reads (GLINER2.md §3.4, §3.5): span probabilities of one task
// block,
// and the float32 activations the reference applies to head logits.
//
// Everything is float32 on purpose: the reference keeps probabilities as float32 tensors and the
// threshold tests of GLINER2.md §4 depend on it (a float32 probability is compared with the
// threshold
// cast to float32; see decode_spans.h).
//
// Thread safety: SpanProbabilities is a value type; const access is safe from many threads.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

namespace spanguard::schemas {

// sigmoid(logit) in float32, as torch.sigmoid computes it on a float32 tensor.
inline float sigmoid_f32(float logit) {
    return 1.0f / (1.0f + std::exp(-logit));
}

// Probabilities of every (start position, width) span of one span block, per count instance and
// field: prob[t][m][i][k] for instance t < instances, field (child marker) m < fields, text
// position i < positions and width k < widths (a span of k + 1 words). Positions are the block
// input's text positions: the choice prefix first, then the words (model_input.h), so a decoder
// reads word w at position prefix_size + w. Entries of spans that run past the last position are
// present but never read (the reference computes them from placeholder indices and ignores them).
class SpanProbabilities {
  public:
    SpanProbabilities() = default;
    // Throws std::invalid_argument unless probs.size() == instances * fields * positions * widths.
    SpanProbabilities(size_t instances, size_t fields, size_t positions, size_t widths,
                      std::vector<float> probs);

    size_t instances() const { return instances_; }
    size_t fields() const { return fields_; }
    size_t positions() const { return positions_; }
    size_t widths() const { return widths_; }

    // Unchecked: callers index within the sizes above.
    float at(size_t instance, size_t field, size_t position, size_t width) const {
        return probs_[((instance * fields_ + field) * positions_ + position) * widths_ + width];
    }
    const std::vector<float>& data() const { return probs_; }

  private:
    size_t instances_ = 0;
    size_t fields_ = 0;
    size_t positions_ = 0;
    size_t widths_ = 0;
    std::vector<float> probs_;
};

}  // namespace spanguard::schemas
