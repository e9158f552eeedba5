// resolve_overlaps (redaction.h). The rules, made precise:
//   1. Spans with identical offsets: the higher score stays (ties: the label that sorts first).
//   2. Spans are then decided from the outside in. A span is "open" while it is neither kept nor
//      dropped; an open span that lies inside another open span waits (it yields to the container
//      whatever the scores). Among the open spans that do not wait, the one with the highest
//      priority is kept and every open span overlapping it is dropped: the spans inside it, and
//      spans partly overlapping it, which have a lower priority. A span that was waiting on a
//      dropped container competes again, so a confident span is not lost merely because a
//      weaker span around it lost to a third one.
//   Priority: higher score, then the earlier start, then the longer span, then the label that
//   sorts first (byte order).
// Cost: O(n^2) in the number of spans, which is at most a few hundred per text.
#include <algorithm>
#include <set>
#include <tuple>

#include "schemas/redaction/redaction.h"

namespace spanguard::schemas {
namespace {

bool contains(const DetectedSpan& outer, const DetectedSpan& inner) {
    return outer.start <= inner.start && inner.end <= outer.end;
}

bool overlap(const DetectedSpan& a, const DetectedSpan& b) {
    return a.start < b.end && b.start < a.end;
}

// True when `a` goes before `b` in priority order.
bool higher_priority(const DetectedSpan& a, const DetectedSpan& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.start != b.start) return a.start < b.start;
    if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
    return a.entity_type < b.entity_type;
}

// Rule 1: one span per (start, end).
std::vector<DetectedSpan> dedupe_equal_offsets(std::vector<DetectedSpan> spans) {
    std::sort(spans.begin(), spans.end(), [](const DetectedSpan& a, const DetectedSpan& b) {
        if (a.start != b.start) return a.start < b.start;
        if (a.end != b.end) return a.end < b.end;
        return higher_priority(a, b);
    });
    std::vector<DetectedSpan> out;
    for (DetectedSpan& s : spans) {
        if (!out.empty() && out.back().start == s.start && out.back().end == s.end) continue;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::vector<DetectedSpan> resolve_overlaps(std::vector<DetectedSpan> input) {
    const std::vector<DetectedSpan> spans = dedupe_equal_offsets(std::move(input));
    const size_t n = spans.size();
    // containers[i]: how many open spans strictly contain span i; inside[j]: the spans in j.
    std::vector<size_t> containers(n, 0);
    std::vector<std::vector<size_t>> inside(n);
    for (size_t j = 0; j < n; ++j) {
        for (size_t i = 0; i < n; ++i) {
            if (i != j && contains(spans[j], spans[i])) {
                ++containers[i];
                inside[j].push_back(i);
            }
        }
    }
    auto by_priority = [&spans](size_t a, size_t b) { return higher_priority(spans[a], spans[b]); };
    std::set<size_t, decltype(by_priority)> ready(by_priority);  // open spans that do not wait
    for (size_t i = 0; i < n; ++i) {
        if (containers[i] == 0) ready.insert(i);
    }
    enum class State { kOpen, kKept, kDropped };
    std::vector<State> state(n, State::kOpen);
    while (!ready.empty()) {
        const size_t best = *ready.begin();
        std::vector<size_t> closed = {best};
        state[best] = State::kKept;
        ready.erase(best);
        // Everything open that overlaps the kept span is dropped, including spans that were
        // waiting inside it, before any waiting span is released.
        for (size_t i = 0; i < n; ++i) {
            if (state[i] == State::kOpen && overlap(spans[i], spans[best])) {
                state[i] = State::kDropped;
                ready.erase(i);
                closed.push_back(i);
            }
        }
        // Each span is closed once, so each containment pair is counted down once.
        for (const size_t c : closed) {
            for (const size_t k : inside[c]) {
                if (--containers[k] == 0 && state[k] == State::kOpen) ready.insert(k);
            }
        }
    }
    std::vector<DetectedSpan> kept;
    for (size_t i = 0; i < n; ++i) {
        if (state[i] == State::kKept) kept.push_back(spans[i]);
    }
    return kept;  // already sorted by start (then end) and non-overlapping
}

}  // namespace spanguard::schemas
