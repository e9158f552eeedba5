// redact_spans (schemas/redaction/redaction.h): rewriting by code point offsets (never by search),
// multi-byte text, span range errors, validation modes and the original-text option.
#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

using testing::request_error_message;

TEST(RedactSpansTest, RewritesOnlyTheGivenOccurrence) {
    // "Ann" occurs twice; only the second one was detected.
    const std::string text = "Ann met Ann.";
    const RedactionResult r = redact_spans(text, {{"person", 8, 11, 0.9}}, {});
    EXPECT_EQ(r.text, "Ann met <PERSON>.");
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].redacted_start, 8u);
    EXPECT_EQ(r.items[0].redacted_end, 16u);
}

TEST(RedactSpansTest, OffsetsAreCodePointsNotBytes) {
    // "東京の山田太郎さん 😀 jo@x.org": 山田太郎 is code points [3, 7) (bytes [9, 21)),
    // the e-mail starts after a 4-byte emoji.
    const std::string text =
        "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAE\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E"
        "\xE3\x81\x95\xE3\x82\x93 \xF0\x9F\x98\x80 jo@x.org";
    RedactRequest request;
    request.include_original = true;
    const RedactionResult r =
        redact_spans(text, {{"email", 12, 20, 0.8}, {"person", 3, 7, 0.9}}, request);
    EXPECT_EQ(r.text,
              "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAE<PERSON>\xE3\x81\x95\xE3\x82\x93 "
              "\xF0\x9F\x98\x80 <EMAIL_ADDRESS>");
    ASSERT_EQ(r.items.size(), 2u);  // in text order
    EXPECT_EQ(r.items[0].original, "\xE5\xB1\xB1\xE7\x94\xB0\xE5\xA4\xAA\xE9\x83\x8E");
    EXPECT_EQ(r.items[0].redacted_start, 3u);
    EXPECT_EQ(r.items[0].redacted_end, 11u);
    EXPECT_EQ(r.items[1].original, "jo@x.org");
    EXPECT_EQ(r.items[1].start, 12u);
    // 12 code points before it, +4 for "<PERSON>" replacing 4 code points.
    EXPECT_EQ(r.items[1].redacted_start, 16u);
    EXPECT_EQ(r.items[1].redacted_end, 31u);
}

TEST(RedactSpansTest, OverlapsAreResolvedBeforeRewriting) {
    const RedactionResult r =
        redact_spans("Dr Jo Smith", {{"first_name", 3, 5, 0.99}, {"person", 3, 11, 0.6}}, {});
    EXPECT_EQ(r.text, "Dr <PERSON>");
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].score, 0.6);
}

TEST(RedactSpansTest, EmptyTextAndNoSpans) {
    EXPECT_EQ(redact_spans("", {}, {}).text, "");
    EXPECT_TRUE(redact_spans("", {}, {}).items.empty());
    EXPECT_EQ(redact_spans(" \t\n", {}, {}).text, " \t\n");
}

TEST(RedactSpansTest, SpansOutOfRangeNameTheSpan) {
    const std::string text = "Zo\xC3\xAB";  // 3 code points, 4 bytes
    EXPECT_EQ(request_error_message([&] {
                  redact_spans(text, {{"person", 0, 3, 1}, {"person", 1, 4, 1}}, {});
              }),
              "spans[1]: end 4 beyond the text's 3 code points");
    EXPECT_EQ(request_error_message([&] {
                  redact_spans(text, {{"person", 2, 2, 1}}, {});
              }),
              "spans[0]: start 2 must be less than end 2");
    EXPECT_EQ(request_error_message([&] {
                  redact_spans(text, {{"", 0, 1, 1}}, {});
              }),
              "spans[0].entity_type: entity_type must not be empty");
    EXPECT_EQ(request_error_message([&] {
                  redact_spans(text, {{"x", 0, 1, std::nan("")}}, {});
              }),
              "spans[0].score: score must be a finite number");
    EXPECT_EQ(request_error_message([&] { redact_spans("ab\xC3", {}, {}); }),
              "text: invalid UTF-8 at byte offset 2");
    RedactRequest bad_threshold;
    bad_threshold.threshold = 1.5;
    EXPECT_NE(
        request_error_message([&] { redact_spans(text, {}, bad_threshold); }).find("threshold: "),
        std::string::npos);
}

const std::string kCards = "Card 4111 1111 1111 1111 or 4111 1111 1111 1112 at 10.0.0.1 by Al";
const std::vector<DetectedSpan> kCardSpans = {
    {"card_number", 5, 24, 0.9},   // Luhn-valid
    {"card_number", 28, 47, 0.9},  // Luhn-invalid
    {"ip_address", 51, 59, 0.7},
    {"person", 63, 65, 0.6},  // no validator
};

TEST(RedactSpansTest, ValidationOffReportsNoVerdict) {
    const RedactionResult r = redact_spans(kCards, kCardSpans, {});
    ASSERT_EQ(r.items.size(), 4u);
    for (const RedactedItem& item : r.items)
        EXPECT_FALSE(item.valid.has_value());
}

TEST(RedactSpansTest, ValidationAnnotateKeepsEverySpan) {
    RedactRequest request;
    request.validation = ValidationMode::kAnnotate;
    const RedactionResult r = redact_spans(kCards, kCardSpans, request);
    EXPECT_EQ(r.text, "Card <CREDIT_CARD> or <CREDIT_CARD> at <IP_ADDRESS> by <PERSON>");
    ASSERT_EQ(r.items.size(), 4u);
    EXPECT_EQ(r.items[0].valid, std::optional<bool>(true));
    EXPECT_EQ(r.items[1].valid, std::optional<bool>(false));
    EXPECT_EQ(r.items[2].valid, std::optional<bool>(true));
    EXPECT_FALSE(r.items[3].valid.has_value());
}

TEST(RedactSpansTest, ValidationRejectDropsFailedSpansBeforeOverlaps) {
    RedactRequest request;
    request.validation = ValidationMode::kReject;
    std::vector<DetectedSpan> spans = kCardSpans;
    // A wrong, more confident card span partly over both cards would win both overlaps.
    spans.push_back({"card_number", 20, 32, 0.99});  // "1111 or 4111"
    const RedactionResult r = redact_spans(kCards, spans, request);
    EXPECT_EQ(r.text, "Card <CREDIT_CARD> or 4111 1111 1111 1112 at <IP_ADDRESS> by <PERSON>");
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_EQ(r.items[0].end, 24u);
    EXPECT_FALSE(r.items[0].valid.has_value());  // reject mode drops, it does not annotate
}

}  // namespace
}  // namespace spanguard::schemas
