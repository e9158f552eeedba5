// Span candidates and the greedy non-overlap rule shared by every span task (GLINER2.md §4.1,
// §4.2).
//
//   auto found = find_span_candidates(probs, instance, field, threshold, input);
//   auto kept = select_non_overlapping(found);   // list values, ordered by confidence
//
// Units: SpanMatch offsets are code points into ModelInput::text (the text after the §2.2
// end-of-text rule), half-open, as the reference reports them.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "schemas/decoding/decode_scores.h"
#include "schemas/prompt/model_input.h"

namespace spanguard::schemas {

// One text span the model proposes for a field.
struct SpanMatch {
    std::string text;        // the covered text with Python str.strip() applied
    float confidence = 0.f;  // the float32 probability
    size_t start_cp = 0;     // code points into ModelInput::text, half-open
    size_t end_cp = 0;
};

// The reference's threshold test for span probabilities: a float32 tensor compared with a Python
// float, which torch casts to float32 first (so 0.7f passes a threshold of 0.7).
inline bool passes_span_threshold(float prob, double threshold) {
    return prob >= static_cast<float>(threshold);
}

// Every span of `input`'s words whose probability at (instance, field) passes `threshold`, in
// positional order: start word ascending, then width ascending. A span must end at or before the
// last word; its text is sliced from input.text and stripped; a span whose text strips to nothing
// is dropped. The choice-prefix positions are skipped (they come first in `probs`).
// Throws std::invalid_argument when `probs` does not have prefix + words positions.
std::vector<SpanMatch> find_span_candidates(const SpanProbabilities& probs, size_t instance,
                                            size_t field, double threshold,
                                            const ModelInput& input);

// The greedy rule for list values: order by (confidence descending, start, end) and keep a span
// unless it overlaps one already kept (overlap: neither ends at or before the other's start).
// The result is in that confidence order.
std::vector<SpanMatch> select_non_overlapping(std::vector<SpanMatch> candidates);

}  // namespace spanguard::schemas
