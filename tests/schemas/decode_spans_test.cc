// Span candidates and greedy non-overlap (GLINER2.md §4.1, §4.2) on hand-made probabilities.
#include "schemas/decoding/decode_spans.h"

#include <gtest/gtest.h>

#include <cmath>

#include "decode_test_support.h"

namespace spanguard::schemas {
namespace {

using testing::make_input;
using testing::ScoreGrid;

// "Tim Cook is CEO of Apple." splits into 7 words:
//   0 Tim [0,3)  1 Cook [4,8)  2 is [9,11)  3 CEO [12,15)  4 of [16,18)  5 Apple [19,24)  6 .
//   [24,25)
const char* const kText = "Tim Cook is CEO of Apple.";

TEST(DecodeSpans, CandidatesArePositionalWithCodePointOffsets) {
    const ModelInput in = make_input(kText);
    ASSERT_EQ(in.words.size(), 7u);
    // Set out of positional order on purpose: the result must come back start-major, width-minor.
    const auto probs = ScoreGrid(in, 1, 1)
                           .word(0, 0, 5, 0, 0.9f)   // "Apple"
                           .word(0, 0, 0, 1, 0.6f)   // "Tim Cook" (words 0..1)
                           .word(0, 0, 0, 0, 0.8f)   // "Tim"
                           .word(0, 0, 3, 2, 0.55f)  // "CEO of Apple" (words 3..5)
                           .build();
    const auto found = find_span_candidates(probs, 0, 0, 0.5, in);
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0].text, "Tim");
    EXPECT_EQ(found[1].text, "Tim Cook");
    EXPECT_EQ(found[1].start_cp, 0u);
    EXPECT_EQ(found[1].end_cp, 8u);
    EXPECT_EQ(found[2].text, "CEO of Apple");
    EXPECT_EQ(found[2].start_cp, 12u);
    EXPECT_EQ(found[2].end_cp, 24u);
    EXPECT_EQ(found[3].text, "Apple");
    EXPECT_EQ(found[3].confidence, 0.9f);
}

TEST(DecodeSpans, ThresholdIsCompareInFloat32AndInclusive) {
    const ModelInput in = make_input(kText);
    // 0.7f = 0.699999988... : below 0.7 as a double, equal to float(0.7) -> passes (torch casts
    // the Python threshold to the tensor's float32). The next float below it does not pass.
    const float just_below = std::nextafter(0.7f, 0.f);
    const auto probs =
        ScoreGrid(in, 1, 1).word(0, 0, 0, 0, 0.7f).word(0, 0, 1, 0, just_below).build();
    const auto found = find_span_candidates(probs, 0, 0, 0.7, in);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "Tim");
    EXPECT_TRUE(passes_span_threshold(0.5f, 0.5));
    EXPECT_FALSE(passes_span_threshold(std::nextafter(0.5f, 0.f), 0.5));
}

TEST(DecodeSpans, SpansPastTheLastWordAreIgnored) {
    const ModelInput in = make_input(kText);
    // Word 5 "Apple" with width 1 ends at word 6 (the period): valid. Width 2 would end at word 7,
    // which does not exist; the reference computes such entries from placeholder indices and
    // drops them by the end <= text_len test.
    const auto probs = ScoreGrid(in, 1, 1)
                           .word(0, 0, 5, 1, 0.9f)
                           .word(0, 0, 5, 2, 0.99f)
                           .word(0, 0, 6, 7, 0.99f)
                           .build();
    const auto found = find_span_candidates(probs, 0, 0, 0.5, in);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "Apple.");
    EXPECT_EQ(found[0].end_cp, 25u);
}

TEST(DecodeSpans, ChoicePrefixPositionsAreNotWords) {
    const ModelInput in = make_input(kText, {"(", "review:", "x", "(", "a", "|", "b", ")", ")"});
    ASSERT_EQ(in.prefix_size(), 9u);
    // A high score at a prefix position is never a text span; word 0 is position 9.
    const auto probs =
        ScoreGrid(in, 1, 1).position(0, 0, 4, 0, 0.99f).position(0, 0, 9, 0, 0.6f).build();
    const auto found = find_span_candidates(probs, 0, 0, 0.5, in);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "Tim");
}

TEST(DecodeSpans, SyntheticPeriodAndMultiByteOffsets) {
    // "Ünïcödé café" has no final punctuation: the input text is "Ünïcödé café." and the synthetic
    // period is word 2 at code points [12, 13) (bytes [16, 17)).
    const ModelInput in = make_input("Ünïcödé café");
    ASSERT_EQ(in.text, "Ünïcödé café.");
    ASSERT_EQ(in.words.size(), 3u);
    const auto probs = ScoreGrid(in, 1, 1).word(0, 0, 1, 1, 0.8f).build();
    const auto found = find_span_candidates(probs, 0, 0, 0.5, in);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].text, "café.");
    EXPECT_EQ(found[0].start_cp, 8u);
    EXPECT_EQ(found[0].end_cp, 13u);

    // An empty text becomes "." (one word at [0, 1)).
    const ModelInput empty = make_input("");
    const auto p2 = ScoreGrid(empty, 1, 1).word(0, 0, 0, 0, 0.65f).build();
    const auto f2 = find_span_candidates(p2, 0, 0, 0.5, empty);
    ASSERT_EQ(f2.size(), 1u);
    EXPECT_EQ(f2[0].text, ".");
    EXPECT_EQ(f2[0].start_cp, 0u);
    EXPECT_EQ(f2[0].end_cp, 1u);
}

TEST(DecodeSpans, WrongPositionCountIsAnError) {
    const ModelInput in = make_input(kText);
    const ModelInput other = make_input("two words");
    const auto probs = ScoreGrid(other, 1, 1).build();
    EXPECT_THROW(find_span_candidates(probs, 0, 0, 0.5, in), std::invalid_argument);
    EXPECT_THROW(SpanProbabilities(1, 1, 2, 8, std::vector<float>(15)), std::invalid_argument);
}

SpanMatch span(const char* text, float conf, size_t start, size_t end) {
    return {text, conf, start, end};
}

TEST(DecodeSpans, NonOverlapIsGreedyByConfidence) {
    // "Tim Cook" (0.8) beats the overlapping "Cook is" (0.7) and "Tim" (0.6); "is" [9,11) does
    // not overlap "Tim Cook" [0,8) and is kept; "Apple" is kept. Order: confidence descending.
    std::vector<SpanMatch> in = {span("Tim", 0.6f, 0, 3), span("Tim Cook", 0.8f, 0, 8),
                                 span("Cook is", 0.7f, 4, 11), span("is", 0.55f, 9, 11),
                                 span("Apple", 0.9f, 19, 24)};
    const auto kept = select_non_overlapping(in);
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].text, "Apple");
    EXPECT_EQ(kept[1].text, "Tim Cook");
    EXPECT_EQ(kept[2].text, "is");
}

TEST(DecodeSpans, TouchingSpansDoNotOverlapAndTiesGoByStartThenEnd) {
    // [0,3) and [3,5) touch: no overlap (end <= start'). Equal confidences: (start, end)
    // ascending decides, so [3,5) is taken before [3,8), which then overlaps it and is dropped.
    std::vector<SpanMatch> in = {span("b long", 0.7f, 3, 8), span("b", 0.7f, 3, 5),
                                 span("a", 0.7f, 0, 3)};
    const auto kept = select_non_overlapping(in);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0].text, "a");
    EXPECT_EQ(kept[1].text, "b");
}

}  // namespace
}  // namespace spanguard::schemas
