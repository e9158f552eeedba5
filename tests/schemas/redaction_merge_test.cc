// Merging model spans with pattern spans (schemas/redaction/redaction.h, rules 1-4) and the
// canonical entity type table (schemas/redaction/pii_entity_types.h).
#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_pipeline.h"

namespace spanguard::schemas {
namespace {

using Spans = std::vector<DetectedSpan>;

std::vector<std::tuple<std::string, size_t, size_t>> shape(const Spans& spans) {
    std::vector<std::tuple<std::string, size_t, size_t>> out;
    for (const DetectedSpan& s : spans)
        out.emplace_back(s.entity_type, s.start, s.end);
    return out;
}

DetectedSpan model(const char* type, size_t start, size_t end, double score = 0.9) {
    return DetectedSpan(type, start, end, score, "x", "model");
}
DetectedSpan pattern(const char* type, size_t start, size_t end, double score = 1.0) {
    return DetectedSpan(type, start, end, score, "", "SomeRecognizer");
}

TEST(RedactMergeTest, NeighboursOfOneTypeJoin) {
    //                 0         1         2         3         4
    //                 0123456789012345678901234567890123456789012345
    const std::string text = "John Smith\n742 Evergreen Terrace,\nSpringfield";
    const Spans merged =
        redaction::merge_with_patterns(text,
                                       {model("PERSON", 0, 4), model("PERSON", 5, 10),
                                        model("LOCATION", 11, 32), model("LOCATION", 34, 45)},
                                       {}, 0.5);
    using T = std::tuple<std::string, size_t, size_t>;
    EXPECT_EQ(shape(merged), (std::vector<T>{{"PERSON", 0, 10}, {"LOCATION", 11, 45}}));
    // Other types do not join across punctuation or line breaks.
    const Spans apart = redaction::merge_with_patterns(
        "Ann, Bob\nCy", {model("PERSON", 0, 3), model("PERSON", 5, 8), model("PERSON", 9, 11)}, {},
        0.5);
    EXPECT_EQ(apart.size(), 3u);
}

TEST(RedactMergeTest, PatternWidensAModelSpanOfItsTypeToTheWholeValue) {
    const std::string text = "from 2001:db8:85a3::8a2e:370:7334 today";
    // The model found a fragment; the pattern the whole address (even below the threshold).
    const Spans merged = redaction::merge_with_patterns(text, {model("IP_ADDRESS", 14, 24, 0.7)},
                                                        {pattern("IP_ADDRESS", 5, 33, 0.3)}, 0.5);
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged[0].start, 5u);
    EXPECT_EQ(merged[0].end, 33u);
    EXPECT_DOUBLE_EQ(merged[0].score, 0.7);
    EXPECT_EQ(merged[0].label, "x");
    EXPECT_EQ(merged[0].recognizer, "SomeRecognizer");
}

TEST(RedactMergeTest, PatternOfAnotherTypeWinsItsTextAndNoFragmentLeaks) {
    // The model calls a piece of the address a card CVV and runs a name into it.
    const std::string text = "Jo 2001:db8::8a2e:370:7334 end";
    const Spans merged =
        redaction::merge_with_patterns(text, {model("CARD_CVV", 13, 17), model("PERSON", 0, 12)},
                                       {pattern("IP_ADDRESS", 3, 26)}, 0.5);
    using T = std::tuple<std::string, size_t, size_t>;
    EXPECT_EQ(shape(merged), (std::vector<T>{{"PERSON", 0, 2}, {"IP_ADDRESS", 3, 26}}));
    // Below the threshold a pattern of another type decides nothing.
    const Spans weak = redaction::merge_with_patterns(text, {model("PERSON", 0, 2)},
                                                      {pattern("IP_ADDRESS", 3, 26, 0.3)}, 0.5);
    EXPECT_EQ(shape(weak), (std::vector<T>{{"PERSON", 0, 2}}));
}

TEST(RedactMergeTest, RemaindersKeepLettersAndDigitsOfEveryScriptOnly) {
    // Code points: Z o ë — then the address at 4..15. The model ran the name into the dash; the
    // name keeps "Zoë" (a letter outside ASCII) and loses the dash (punctuation outside ASCII).
    const std::string text = "Zo\u00eb\u20142001:db8::1 end";
    const Spans merged = redaction::merge_with_patterns(text, {model("PERSON", 0, 5)},
                                                        {pattern("IP_ADDRESS", 4, 15)}, 0.5);
    using T = std::tuple<std::string, size_t, size_t>;
    EXPECT_EQ(shape(merged), (std::vector<T>{{"PERSON", 0, 3}, {"IP_ADDRESS", 4, 15}}));
}

TEST(RedactMergeTest, OperatorsKeyedByAnyLabelApplyToTheWholeType) {
    RedactRequest request;
    request.operators["card_number"] = Operator::mask("*", 4);
    const RedactionResult r =
        redact_spans("pay 4111 1111 1111 1111 now", {{"payment_card", 4, 23, 0.9}}, request);
    EXPECT_EQ(r.text, "pay **** 1111 1111 1111 now");
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].entity_type, "CREDIT_CARD");
    EXPECT_EQ(r.items[0].label, "payment_card");
    request.operators["payment_card"] = Operator::hash("s");
    EXPECT_EQ(testing::request_error_message([&] { redact_spans("x", {}, request); }),
              "operators.payment_card: \"card_number\" and \"payment_card\" are both CREDIT_CARD "
              "(one entity type) but have different operators; key one of them by CREDIT_CARD");
}

TEST(EntityTypesTest, EveryPresetLabelHasOneCanonicalType) {
    for (const std::string& label : pii_preset("pii")) {
        EXPECT_TRUE(is_known_entity_label(label)) << label;
    }
    EXPECT_EQ(canonical_entity_type("full_name"), "PERSON");
    EXPECT_EQ(canonical_entity_type("Full Name"), "PERSON");
    EXPECT_EQ(canonical_entity_type("payment_card"), "CREDIT_CARD");
    EXPECT_EQ(canonical_entity_type("access_token"), "SECRET");
    EXPECT_EQ(canonical_entity_type("sensitive_date"), "DATE_TIME");
    EXPECT_EQ(canonical_entity_type("iban"), "IBAN_CODE");
    EXPECT_EQ(canonical_entity_type("EMAIL_ADDRESS"), "EMAIL_ADDRESS");
    EXPECT_EQ(canonical_entity_type("medical record"), "MEDICAL_RECORD");
    size_t labels = 0;
    for (const EntityTypeRow& row : entity_type_table()) {
        EXPECT_EQ(canonical_entity_type(row.entity_type), row.entity_type);
        labels += row.labels.size();
    }
    EXPECT_EQ(labels, 42u);  // the table names each of the 42 preset labels once
    for (const std::string& label : pii_preset("common")) {
        EXPECT_TRUE(is_known_entity_label(label)) << label;
    }
    // The pii preset asks the patterns for every built-in type.
    const std::vector<std::string> types = pii_preset_entity_types("pii");
    EXPECT_EQ(std::set<std::string>(types.begin(), types.end()),
              RecognizerSet::builtin()->entity_types());
}

}  // namespace
}  // namespace spanguard::schemas
