// resolve_overlaps (schemas/redaction/redaction.h): containment beats score, partial overlaps go to
// the higher score with the stated tie-breaks, identical offsets keep one span, and a span inside a
// losing container competes again.
#include <gtest/gtest.h>

#include <sstream>

#include "schemas/redaction/redaction.h"

namespace spanguard::schemas {
namespace {

std::string render(const std::vector<DetectedSpan>& spans) {
    std::ostringstream out;
    for (const DetectedSpan& s : spans)
        out << s.entity_type << "[" << s.start << "," << s.end << ") ";
    return out.str();
}

TEST(RedactOverlapsTest, ContainedSpanYieldsWhateverTheScore) {
    EXPECT_EQ(render(resolve_overlaps({{"first_name", 0, 3, 0.99}, {"person", 0, 9, 0.51}})),
              "person[0,9) ");
    EXPECT_EQ(render(resolve_overlaps({{"city", 4, 6, 0.99}, {"address", 0, 12, 0.2}})),
              "address[0,12) ");
}

TEST(RedactOverlapsTest, PartialOverlapGoesToHigherScore) {
    EXPECT_EQ(render(resolve_overlaps({{"a", 0, 5, 0.6}, {"b", 3, 8, 0.9}})), "b[3,8) ");
    EXPECT_EQ(render(resolve_overlaps({{"a", 0, 5, 0.9}, {"b", 3, 8, 0.6}})), "a[0,5) ");
}

TEST(RedactOverlapsTest, TiesGoToEarlierStartThenLongerThenLabel) {
    // Equal scores, partial overlap: the earlier start wins.
    EXPECT_EQ(render(resolve_overlaps({{"b", 3, 8, 0.7}, {"a", 0, 5, 0.7}})), "a[0,5) ");
    // Identical offsets: the higher score, then the label that sorts first.
    EXPECT_EQ(render(resolve_overlaps({{"zip", 2, 7, 0.9}, {"code", 2, 7, 0.8}})), "zip[2,7) ");
    EXPECT_EQ(render(resolve_overlaps({{"zip", 2, 7, 0.8}, {"code", 2, 7, 0.8}})), "code[2,7) ");
}

TEST(RedactOverlapsTest, SpanInsideALosingContainerCompetesAgain) {
    // "outer" would swallow "inner", but loses to "right"; "inner" does not overlap "right".
    EXPECT_EQ(render(resolve_overlaps(
                  {{"outer", 0, 10, 0.5}, {"inner", 0, 3, 0.9}, {"right", 8, 15, 0.8}})),
              "inner[0,3) right[8,15) ");
    // A span inside the winner never comes back.
    EXPECT_EQ(render(resolve_overlaps(
                  {{"outer", 0, 10, 0.95}, {"inner", 0, 3, 0.99}, {"right", 8, 15, 0.8}})),
              "outer[0,10) ");
}

TEST(RedactOverlapsTest, DisjointSpansAreSortedAndKept) {
    EXPECT_EQ(render(resolve_overlaps(
                  {{"c", 10, 12, 0.1}, {"a", 0, 2, 0.2}, {"b", 2, 4, 0.3}, {"a", 0, 2, 0.2}})),
              "a[0,2) b[2,4) c[10,12) ");
    EXPECT_TRUE(resolve_overlaps({}).empty());
}

TEST(RedactOverlapsTest, SurvivorsNeverOverlap) {
    // A dense pseudo-random pile-up: whatever the rule picks, survivors must be disjoint.
    std::vector<DetectedSpan> spans;
    unsigned state = 12345;
    auto next = [&state] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7FFF; };
    for (int i = 0; i < 300; ++i) {
        const size_t start = next() % 200;
        const size_t length = 1 + next() % 15;
        spans.push_back({std::string(1, static_cast<char>('a' + next() % 5)), start, start + length,
                         static_cast<double>(next() % 100) / 100.0});
    }
    const std::vector<DetectedSpan> kept = resolve_overlaps(spans);
    ASSERT_FALSE(kept.empty());
    for (size_t i = 1; i < kept.size(); ++i)
        EXPECT_LE(kept[i - 1].end, kept[i].start);
    // Nothing is dropped without cause: every input span is kept or overlaps a kept span.
    for (const DetectedSpan& s : spans) {
        bool covered = false;
        for (const DetectedSpan& k : kept)
            covered = covered || (s.start < k.end && k.start < s.end);
        EXPECT_TRUE(covered) << s.entity_type << "[" << s.start << "," << s.end << ")";
    }
}

}  // namespace
}  // namespace spanguard::schemas
