// Merging long-document window results (GLINER2.md §4.7) on hand-made window outputs. The expected
// values follow the merge rules written in long_text_merge.h step by step (see comments).
#include <gtest/gtest.h>

#include "schemas/decoding/long_text_merge.h"

namespace spanguard::schemas {
namespace {

// Document "a b c d e f" (11 code points), windows of 4 words overlapping by 2:
//   window 0 = words 0..3 "a b c d" at [0, 7); window 1 = words 2..5 "c d e f" at [4, 11).
const char* const kDoc = "a b c d e f";

std::vector<TextWindow> windows() {
    auto w = split_text_windows(kDoc, 4, 2);
    EXPECT_EQ(w.size(), 2u);
    EXPECT_EQ(w[1].start_cp, 4u);
    return w;
}

Json parse(const char* text) {
    return Json::parse(text);
}

const OutputOptions kBoth{true, true};
const OutputOptions kPlain{false, false};

TEST(LongTextMerge, EntitiesDedupeRemoveOverlapsAndSortByPosition) {
    const std::vector<Json> results = {
        parse(R"({"entities": {"person": [
            {"text": "c", "confidence": 0.9, "start": 4, "end": 5},
            {"text": "a b", "confidence": 0.6, "start": 0, "end": 3},
            {"text": "d.", "confidence": 0.5, "start": 6, "end": 8}]}})"),
        parse(R"({"entities": {"person": [
            {"text": "c", "confidence": 0.8, "start": 0, "end": 1},
            {"text": "c d", "confidence": 0.7, "start": 0, "end": 3},
            {"text": "f.", "confidence": 0.65, "start": 6, "end": 8}]}})"),
    };
    // Window 1 offsets move by 4: c [4,5), "c d" [4,7), "f." [10,12).
    // Most confident first: c@4 0.9 taken; c@4 0.8 same (text, start, end) -> skipped;
    // "c d" 0.7 overlaps c -> removed; "f." 0.65 taken; "a b" 0.6 taken; "d." 0.5 at [6,8)
    // overlaps nothing taken ("c d" was not taken) -> taken.
    // Texts: "d." of window 0 lies inside the document, re-sliced: document[6:8] = "d " (the
    // synthetic period of the window became the document's next character). "f." ends at 12 >
    // 11 = len(document): keeps its window text.
    // Sorted by (start, end, text): a b, c, "d ", f.
    const Json merged = merge_window_results(kDoc, windows(), results, {}, kBoth);
    EXPECT_EQ(merged, parse(R"({"entities": {"person": [
        {"text": "a b", "confidence": 0.6, "start": 0, "end": 3},
        {"text": "c", "confidence": 0.9, "start": 4, "end": 5},
        {"text": "d ", "confidence": 0.5, "start": 6, "end": 8},
        {"text": "f.", "confidence": 0.65, "start": 10, "end": 12}]}})"));
    // Without the flags the items become their texts.
    EXPECT_EQ(merge_window_results(kDoc, windows(), results, {}, kPlain),
              parse(R"({"entities": {"person": ["a b", "c", "d ", "f."]}})"));
    // A `str` entity type takes the first item of the positional list ("a b", though "c" is more
    // confident), or null.
    EXPECT_EQ(merge_window_results(kDoc, windows(), results, {"person"}, kPlain),
              parse(R"({"entities": {"person": "a b"}})"));
    EXPECT_EQ(merge_window_results(
                  kDoc, windows(),
                  {parse(R"({"entities": {"person": null}})"), parse(R"({"entities": {}})")},
                  {"person"}, kPlain),
              parse(R"({"entities": {"person": null}})"));
}

TEST(LongTextMerge, ClassificationStringsAndStructures) {
    const std::vector<Json> results = {
        parse(R"({"profile": [{"name": {"text": "a", "confidence": 0.6, "start": 0, "end": 1}}],
                  "topic": {"label": "sports", "confidence": 0.4},
                  "tag": "x", "vote": "p"})"),
        parse(R"({"profile": [{"name": {"text": "a", "confidence": 0.7, "start": -4, "end": -3}},
                              {"name": {"text": "e", "confidence": 0.5, "start": 4, "end": 5}}],
                  "topic": {"label": "science", "confidence": 0.45},
                  "tag": "y", "vote": "q"})"),
        parse(R"({"profile": {}, "topic": {"label": "sports", "confidence": 0.41},
                  "tag": "y", "vote": "q"})"),
    };
    std::vector<TextWindow> w = windows();
    w.push_back(w[1]);
    // profile: {} ignored; lists concatenated; the two "a"@[0,1) instances are the same once
    // confidence is ignored (window 1's moves from [-4,-3) to [0,1)) -> the more confident (0.7)
    // one replaces the first in its place; "e"@[8,9) appended.
    // topic: the most confident classification object. tag: "y" twice beats "x". vote: tie? no:
    // p once, q twice -> q.
    const Json merged = merge_window_results(kDoc, w, results, {}, kBoth);
    EXPECT_EQ(merged, parse(R"({
        "profile": [{"name": {"text": "a", "confidence": 0.7, "start": 0, "end": 1}},
                    {"name": {"text": "e", "confidence": 0.5, "start": 8, "end": 9}}],
        "topic": {"label": "science", "confidence": 0.45},
        "tag": "y", "vote": "q"})"));
    EXPECT_EQ(merge_window_results(kDoc, w, results, {}, kPlain),
              parse(R"({"profile": [{"name": "a"}, {"name": "e"}], "topic": "science",
                        "tag": "y", "vote": "q"})"));
    // Majority ties go to the first seen; all-empty values give the first value.
    const std::vector<Json> tie = {parse(R"({"v": "m", "s": {}})"),
                                   parse(R"({"v": "n", "s": []})")};
    EXPECT_EQ(merge_window_results(kDoc, windows(), tie, {}, kPlain),
              parse(R"({"v": "m", "s": {}})"));
}

TEST(LongTextMerge, RelationsDedupeWithoutOverlapRemoval) {
    const std::vector<Json> results = {
        parse(R"({"relation_extraction": {"r": [
            {"head": {"text": "c", "confidence": 0.6, "start": 4, "end": 5},
             "tail": {"text": "d", "confidence": 0.6, "start": 6, "end": 7}}]}})"),
        parse(R"({"relation_extraction": {"r": [
            {"head": {"text": "c", "confidence": 0.9, "start": 0, "end": 1},
             "tail": {"text": "d", "confidence": 0.5, "start": 2, "end": 3}},
            {"head": {"text": "c d", "confidence": 0.8, "start": 0, "end": 3},
             "tail": {"text": "d", "confidence": 0.5, "start": 2, "end": 3}}], "s": []}})"),
    };
    // The second window's first pair is the first's after the shift; its representative
    // confidence (max nested: 0.9) beats 0.6 -> it replaces the first. The overlapping "c d" pair
    // is kept (no overlap removal for relations). "s" only exists in window 1. Without flags the
    // pairs are rendered as a single-pass call renders them: [head, tail].
    EXPECT_EQ(merge_window_results(kDoc, windows(), results, {}, kPlain),
              parse(R"({"relation_extraction": {"r": [["c", "d"], ["c d", "d"]], "s": []}})"));
}

TEST(LongTextMerge, DedupeAndStripDirectly) {
    // Equal confidences keep their input order through the stable sorts.
    const std::vector<Json> items = {parse(R"({"text": "B", "start": 2, "end": 3})"),
                                     parse(R"({"text": "b", "start": 2, "end": 3})"),
                                     parse(R"({"text": "A", "start": 2, "end": 3})")};
    // Same offsets: "B" taken; "b" is a case-insensitive duplicate; "A" is a different text at
    // the same place and, without overlap removal, kept. Then sorted by (start, end, text):
    // "A" < "B".
    EXPECT_EQ(
        dedupe_merged_items(items, false),
        parse(R"([{"text": "A", "start": 2, "end": 3}, {"text": "B", "start": 2, "end": 3}])"));
    EXPECT_EQ(dedupe_merged_items(items, true), parse(R"([{"text": "B", "start": 2, "end": 3}])"));
    // Choice picks (text + confidence, no offsets) become their text without confidence.
    EXPECT_EQ(strip_span_metadata(parse(R"({"f": {"text": "bad", "confidence": 0.6}})"), kPlain),
              parse(R"({"f": "bad"})"));
    EXPECT_THROW(merge_window_results(kDoc, windows(), {}, {}, kPlain), std::invalid_argument);
}

}  // namespace
}  // namespace spanguard::schemas
