#include "schemas/decoding/decode_spans.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "schemas/prompt/python_whitespace.h"

namespace spanguard::schemas {

std::vector<SpanMatch> find_span_candidates(const SpanProbabilities& probs, size_t instance,
                                            size_t field, double threshold,
                                            const ModelInput& input) {
    const size_t prefix = input.prefix_size();
    const size_t words = input.words.size();
    if (probs.positions() != prefix + words) {
        throw std::invalid_argument("span probabilities have " + std::to_string(probs.positions()) +
                                    " positions, the input " + std::to_string(prefix + words));
    }
    std::vector<SpanMatch> found;
    for (size_t start = 0; start < words; ++start) {
        for (size_t width = 0; width < probs.widths(); ++width) {
            const float prob = probs.at(instance, field, prefix + start, width);
            if (!passes_span_threshold(prob, threshold)) continue;
            const size_t last = start + width;  // inclusive
            if (last >= words) continue;        // runs past the text
            const TextSpan span = input.word_span(start, last);
            const std::string_view covered =
                std::string_view(input.text)
                    .substr(span.start_byte, span.end_byte - span.start_byte);
            const std::string_view stripped = python_strip(covered);
            if (stripped.empty()) continue;
            found.push_back({std::string(stripped), prob, span.start_cp, span.end_cp});
        }
    }
    return found;
}

std::vector<SpanMatch> select_non_overlapping(std::vector<SpanMatch> candidates) {
    // Stable, so candidates that tie on all three keys keep their positional order, as Python's
    // sorted() does.
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const SpanMatch& a, const SpanMatch& b) {
                         return std::make_tuple(-a.confidence, a.start_cp, a.end_cp) <
                                std::make_tuple(-b.confidence, b.start_cp, b.end_cp);
                     });
    std::vector<SpanMatch> kept;
    for (auto& candidate : candidates) {
        const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const SpanMatch& k) {
            return !(candidate.end_cp <= k.start_cp || candidate.start_cp >= k.end_cp);
        });
        if (!overlaps) kept.push_back(std::move(candidate));
    }
    return kept;
}

}  // namespace spanguard::schemas
