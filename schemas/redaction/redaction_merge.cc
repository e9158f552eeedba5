// Merging model spans with pattern spans (redaction.h, "Merging model and pattern spans").
#include <algorithm>
#include <string>
#include <vector>

#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_pipeline.h"
#include "schemas/redaction/word_characters.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas::redaction {
namespace {

// Neighbours further apart than this stay separate items.
constexpr size_t kMaxJoinGap = 8;

bool overlap(const DetectedSpan& a, const DetectedSpan& b) {
    return a.start < b.end && b.start < a.end;
}

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 || c == 0x202F;
}

// Whether the code points [from, to) may sit between two model spans of `type` that then merge.
bool joinable_gap(const std::u32string& text, size_t from, size_t to, const std::string& type) {
    if (to - from > kMaxJoinGap) return false;
    const bool location = type == "LOCATION";
    for (size_t i = from; i < to; ++i) {
        const char32_t c = text[i];
        if (c == '\n' || c == '\r') {
            if (!location) return false;
            continue;
        }
        if (is_space(c)) continue;
        if (location && (c == ',' || c == '.' || c == ';' || c == '-' || c == '/' || c == '#')) {
            continue;
        }
        return false;
    }
    return true;
}

// [start, end) shrunk to its first and last letter or digit; empty when it has none.
std::pair<size_t, size_t> word_core(const std::u32string& text, size_t start, size_t end) {
    while (start < end && !is_letter_or_digit(text[start]))
        ++start;
    while (end > start && !is_letter_or_digit(text[end - 1]))
        --end;
    return {start, end};
}

std::vector<DetectedSpan> join_neighbours(const std::u32string& text,
                                          std::vector<DetectedSpan> spans) {
    std::sort(spans.begin(), spans.end(),
              [](const DetectedSpan& a, const DetectedSpan& b) { return a.start < b.start; });
    std::vector<DetectedSpan> out;
    for (DetectedSpan& s : spans) {
        if (!out.empty()) {
            DetectedSpan& last = out.back();
            if (last.entity_type == s.entity_type && last.end <= s.start &&
                joinable_gap(text, last.end, s.start, s.entity_type)) {
                if (s.score > last.score) {
                    last.score = s.score;
                    last.label = s.label;
                }
                last.end = s.end;
                continue;
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::vector<DetectedSpan> merge_with_patterns(std::string_view text,
                                              std::vector<DetectedSpan> model_spans,
                                              std::vector<DetectedSpan> pattern_spans,
                                              double threshold) {
    const std::u32string cps = tokenizer::utf8::to_u32(text);
    std::vector<DetectedSpan> model =
        join_neighbours(cps, resolve_overlaps(std::move(model_spans)));
    // Matches of different recognizers settle among themselves first (a card number's digits
    // inside an IBAN yield to the IBAN that contains them).
    pattern_spans = resolve_overlaps(std::move(pattern_spans));

    // Rule 2: same-type matches widen the model spans they overlap.
    std::vector<bool> absorbed(pattern_spans.size(), false);
    for (DetectedSpan& m : model) {
        for (size_t j = 0; j < pattern_spans.size(); ++j) {
            const DetectedSpan& p = pattern_spans[j];
            if (p.entity_type != m.entity_type || !overlap(p, m)) continue;
            m.start = std::min(m.start, p.start);
            m.end = std::max(m.end, p.end);
            m.score = std::max(m.score, p.score);
            m.recognizer = p.recognizer;
            absorbed[j] = true;
        }
    }
    // Rule 3: matches at or above the threshold win their text from model spans of other types.
    std::vector<DetectedSpan> strong;
    for (size_t j = 0; j < pattern_spans.size(); ++j) {
        if (!absorbed[j] && pattern_spans[j].score >= threshold) strong.push_back(pattern_spans[j]);
    }
    strong = resolve_overlaps(std::move(strong));
    std::vector<DetectedSpan> out;
    for (const DetectedSpan& m : model) {
        std::vector<DetectedSpan> pieces = {m};
        for (const DetectedSpan& p : strong) {
            std::vector<DetectedSpan> next;
            for (const DetectedSpan& piece : pieces) {
                if (!overlap(piece, p)) {
                    next.push_back(piece);
                    continue;
                }
                for (const auto& [from, to] :
                     {std::pair{piece.start, std::max(piece.start, p.start)},
                      std::pair{std::min(piece.end, p.end), piece.end}}) {
                    const auto [s, e] = word_core(cps, from, to);
                    if (s >= e) continue;
                    DetectedSpan cut = piece;
                    cut.start = s;
                    cut.end = e;
                    next.push_back(cut);
                }
            }
            pieces = std::move(next);
        }
        out.insert(out.end(), pieces.begin(), pieces.end());
    }
    // Rule 4.
    out.insert(out.end(), strong.begin(), strong.end());
    return resolve_overlaps(std::move(out));
}

}  // namespace spanguard::schemas::redaction
