#include "schemas/gliner_v1/v1_decode.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace spanguard::schemas {

namespace {

float sigmoid(float x) {
    return 1.0f / (1.0f + std::exp(-x));
}

// Upstream compares a float32 tensor with a Python float: torch casts the threshold to float32.
bool passes(float p, double threshold) {
    return p > static_cast<float>(threshold);
}

bool conflicts(const V1Span& a, const V1Span& b, const V1DecodeOptions& options) {
    if (a.start_word == b.start_word && a.end_word == b.end_word) return !options.multi_label;
    const bool disjoint = a.start_word > b.end_word || b.start_word > a.end_word;
    if (disjoint) return false;
    if (options.flat_ner) return true;
    const bool nested = (a.start_word <= b.start_word && b.end_word <= a.end_word) ||
                        (b.start_word <= a.start_word && a.end_word <= b.end_word);
    return !nested;
}

std::vector<V1Span> greedy(std::vector<V1Span> candidates, const V1DecodeOptions& options) {
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const V1Span& a, const V1Span& b) { return a.score > b.score; });
    std::vector<V1Span> kept;
    for (const V1Span& c : candidates) {
        const bool ok = std::none_of(kept.begin(), kept.end(),
                                     [&](const V1Span& k) { return conflicts(c, k, options); });
        if (ok) kept.push_back(c);
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const V1Span& a, const V1Span& b) { return a.start_word < b.start_word; });
    return kept;
}

void check_size(const std::vector<float>& logits, size_t expected, const char* what) {
    if (logits.size() != expected) {
        throw std::invalid_argument(std::string(what) + ": " + std::to_string(logits.size()) +
                                    " logits, expected " + std::to_string(expected));
    }
}

}  // namespace

std::vector<V1Span> select_v1_spans(std::vector<V1Span> candidates,
                                    const V1DecodeOptions& options) {
    return greedy(std::move(candidates), options);
}

std::vector<V1Span> decode_v1_spans(const std::vector<float>& logits, size_t words,
                                    size_t max_width, size_t types,
                                    const V1DecodeOptions& options) {
    check_size(logits, words * max_width * types, "decode_v1_spans");
    std::vector<V1Span> candidates;
    for (size_t i = 0; i < words; ++i) {
        for (size_t k = 0; k < max_width && i + k < words; ++k) {
            for (size_t c = 0; c < types; ++c) {
                const float p = sigmoid(logits[(i * max_width + k) * types + c]);
                if (passes(p, options.threshold)) candidates.push_back({i, i + k, c, p});
            }
        }
    }
    return greedy(std::move(candidates), options);
}

std::vector<V1Span> decode_v1_tokens(const std::vector<float>& logits, size_t words, size_t types,
                                     const V1DecodeOptions& options) {
    check_size(logits, 3 * words * types, "decode_v1_tokens");
    auto prob = [&](size_t kind, size_t w, size_t c) {
        return sigmoid(logits[(kind * words + w) * types + c]);
    };
    // Starts and ends in word-major (word, type) order, as upstream enumerates them.
    std::vector<V1Span> candidates;
    for (size_t s = 0; s < words; ++s) {
        for (size_t c = 0; c < types; ++c) {
            const float p_start = prob(0, s, c);
            if (!passes(p_start, options.threshold)) continue;
            for (size_t e = s; e < words; ++e) {
                const float p_end = prob(1, e, c);
                if (!passes(p_end, options.threshold)) continue;
                float inside = 1.0f;
                bool all_inside = true;
                for (size_t w = s; w <= e; ++w) {
                    const float p = prob(2, w, c);
                    if (p < static_cast<float>(options.threshold)) {
                        all_inside = false;
                        break;
                    }
                    inside = std::min(inside, p);
                }
                if (!all_inside) continue;
                candidates.push_back({s, e, c, std::min({inside, p_start, p_end})});
            }
        }
    }
    return greedy(std::move(candidates), options);
}

}  // namespace spanguard::schemas
