// Hand-made inputs for the decoding tests: a ModelInput with real word offsets (from the word
// splitter) and score tensors filled entry by entry.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/decoding/decode_scores.h"
#include "schemas/prompt/input_text.h"
#include "schemas/prompt/model_input.h"

namespace spanguard::schemas::testing {

// `text` after the §2.2 rule and its words; `prefix` are choice-prefix tokens (no offsets).
inline ModelInput make_input(std::string_view text, std::vector<std::string> prefix = {}) {
    InputText prepared = prepare_input_text(text, std::nullopt);
    ModelInput in;
    in.text = std::move(prepared.text);
    in.words = std::move(prepared.words);
    in.choice_prefix = std::move(prefix);
    return in;
}

// A probability tensor for `input` (positions = prefix + words, widths 8), every entry `fill`.
class ScoreGrid {
  public:
    ScoreGrid(const ModelInput& input, size_t instances, size_t fields, float fill = 0.f)
        : instances_(instances),
          fields_(fields),
          prefix_(input.prefix_size()),
          positions_(input.prefix_size() + input.words.size()),
          probs_(instances * fields * positions_ * kWidths, fill) {}

    static constexpr size_t kWidths = 8;

    // Span of words [word, word + width] (width 0 = one word).
    ScoreGrid& word(size_t instance, size_t field, size_t word, size_t width, float p) {
        return position(instance, field, prefix_ + word, width, p);
    }
    ScoreGrid& position(size_t instance, size_t field, size_t pos, size_t width, float p) {
        probs_[((instance * fields_ + field) * positions_ + pos) * kWidths + width] = p;
        return *this;
    }
    SpanProbabilities build() const {
        return SpanProbabilities(instances_, fields_, positions_, kWidths, probs_);
    }

  private:
    size_t instances_, fields_, prefix_, positions_;
    std::vector<float> probs_;
};

}  // namespace spanguard::schemas::testing
