// GLiNER v1's decoding: threshold the sigmoid of the logits, then keep candidates greedily by
// descending score.
//
// Span mode (logits [W, K, C]): every span (i, i + k) with i + k < W and sigmoid > threshold
// (strictly) is a candidate. Token level (logits [3, W, C]: start, end, inside): a candidate joins
// a start word s and an end word e >= s of the same type whose start and end probabilities pass
// the threshold and whose inside probabilities all do over s..e; its score is the smallest of
// those. Greedy: candidates in (start, width or end, type) order, stably sorted by descending
// score; one is kept when compatible with every kept one. flat_ner: no shared word. Nested:
// disjoint or one inside the other, never crossing. The same word range twice is a conflict unless
// multi_label. The kept list is returned stably sorted by start word.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spanguard::schemas {

struct V1Span {
    size_t start_word = 0;
    size_t end_word = 0;  // inclusive
    size_t type = 0;
    float score = 0.f;  // float32 sigmoid, as upstream reports it
};

struct V1DecodeOptions {
    double threshold = 0.5;
    bool flat_ner = true;
    bool multi_label = false;
};

// The greedy selection alone, on candidates given in positional order (start word, end word,
// type); returns the kept ones by start word.
std::vector<V1Span> select_v1_spans(std::vector<V1Span> candidates, const V1DecodeOptions& options);

// logits: words * max_width * types values, entry ((i * max_width) + k) * types + c.
std::vector<V1Span> decode_v1_spans(const std::vector<float>& logits, size_t words,
                                    size_t max_width, size_t types, const V1DecodeOptions& options);

// logits: 3 * words * types values, entry ((k * words) + w) * types + c.
std::vector<V1Span> decode_v1_tokens(const std::vector<float>& logits, size_t words, size_t types,
                                     const V1DecodeOptions& options);

}  // namespace spanguard::schemas
