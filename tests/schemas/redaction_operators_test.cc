// Each redaction operator through redact_spans (schemas/redaction/redaction.h): replace with its
// default and templates, mask in every variant, hash against an independent digest, encrypt and its
// reversal with deanonymize, keep; and the operator checks.
#include "schemas/redaction/redaction_operators.h"

#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/redaction/crypto.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

const std::string kText = "Mail jo@example.org now";  // the address is code points [5, 19)

RedactionResult redact_email(const Operator& op) {
    RedactRequest request;
    request.operators["email"] = op;
    return redact_spans(kText, {{"email", 5, 19, 0.9}}, request);
}

using testing::request_error_message;

TEST(RedactOperatorsTest, ReplaceDefaultsToUpperCaseLabel) {
    const RedactionResult r = redact_email(Operator::replace());
    EXPECT_EQ(r.text, "Mail <EMAIL_ADDRESS> now");
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].op, "replace");
    EXPECT_EQ(r.items[0].start, 5u);
    EXPECT_EQ(r.items[0].end, 19u);
    EXPECT_EQ(r.items[0].redacted_start, 5u);
    EXPECT_EQ(r.items[0].redacted_end, 20u);
    EXPECT_FALSE(r.items[0].original.has_value());
    EXPECT_EQ(redaction::default_replacement("phone_number"), "<PHONE_NUMBER>");
}

TEST(RedactOperatorsTest, ReplaceTemplateSubstitutesEveryPlaceholder) {
    EXPECT_EQ(redact_email(Operator::replace("[{entity_type}]")).text, "Mail [EMAIL_ADDRESS] now");
    EXPECT_EQ(redact_email(Operator::replace("{entity_type}/{entity_type}")).text,
              "Mail EMAIL_ADDRESS/EMAIL_ADDRESS now");
    EXPECT_EQ(redact_email(Operator::replace("REDACTED")).text, "Mail REDACTED now");
    EXPECT_EQ(redact_email(Operator::replace("{entity}")).text, "Mail {entity} now");
}

TEST(RedactOperatorsTest, MaskWholeSpanByDefault) {
    const RedactionResult r = redact_email(Operator::mask());
    EXPECT_EQ(r.text, "Mail ************** now");
    EXPECT_EQ(r.items[0].op, "mask");
    EXPECT_EQ(r.items[0].redacted_end, 19u);
}

TEST(RedactOperatorsTest, MaskPartialFromStartAndFromEnd) {
    EXPECT_EQ(redact_email(Operator::mask("#", 4)).text, "Mail ####xample.org now");
    EXPECT_EQ(redact_email(Operator::mask("#", 4, true)).text, "Mail jo@example#### now");
    EXPECT_EQ(redact_email(Operator::mask("#", 0)).text, kText);  // nothing masked
    EXPECT_EQ(redact_email(Operator::mask("#", 100, true)).text, "Mail ############## now");
}

TEST(RedactOperatorsTest, MaskCountsCodePointsAndTakesMultiByteChar) {
    // "Zoë Ångström" is 12 code points, 15 bytes; "•" is 3 bytes.
    const std::string text = "Hi Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m!";
    RedactRequest request;
    request.default_operator = Operator::mask("\xE2\x80\xA2", 3, true);
    const RedactionResult r = redact_spans(text, {{"person", 3, 15, 0.8}}, request);
    // The last three code points, "r", "ö" (2 bytes) and "m", become three bullets.
    EXPECT_EQ(r.text, "Hi Zo\xC3\xAB \xC3\x85ngst\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2!");
    EXPECT_EQ(r.items[0].redacted_start, 3u);
    EXPECT_EQ(r.items[0].redacted_end, 15u);  // code points, not bytes
}

TEST(RedactOperatorsTest, HashIsSaltedSha256Hex) {
    // printf 'pepperjo@example.org' | sha256sum  (and Python hashlib.sha256 agrees)
    EXPECT_EQ(redact_email(Operator::hash("pepper")).text,
              "Mail 992a3ffabb75dced3951a5abcda9033e6b33a65df8ef8e431be42a84f0c86a32 now");
    // printf 'jo@example.org' | sha256sum
    EXPECT_EQ(redact_email(Operator::hash("")).text,
              "Mail b6be3cb544f77c4e76ce1a92deed71a292e7a92f67c9b554b881605112283f95 now");
    EXPECT_EQ(redact_email(Operator::hash("x")).items[0].op, "hash");
}

TEST(RedactOperatorsTest, EncryptRoundTripsThroughDeanonymize) {
    const std::string key(32, 'k');
    const std::string text = "Zo\xC3\xAB at jo@example.org, IBAN DE89370400440532013000.";
    RedactRequest request;
    request.default_operator = Operator::encrypt(key);
    request.operators["person"] = Operator::replace();  // left alone by deanonymize
    const RedactionResult r = redact_spans(
        text, {{"person", 0, 3, 0.9}, {"email", 7, 21, 0.9}, {"iban", 28, 50, 0.9}}, request);
    ASSERT_EQ(r.items.size(), 3u);
    EXPECT_EQ(r.items[1].op, "encrypt");
    EXPECT_EQ(r.text.find("jo@example.org"), std::string::npos);
    EXPECT_EQ(r.text.rfind("<PERSON> at ENC(", 0), 0u);
    EXPECT_EQ(deanonymize(r.text, r.items, key),
              "<PERSON> at jo@example.org, IBAN DE89370400440532013000.");
    // Each call draws a fresh nonce.
    EXPECT_NE(redact_spans(text, {{"email", 7, 21, 0.9}}, request).text,
              redact_spans(text, {{"email", 7, 21, 0.9}}, request).text);
}

TEST(RedactOperatorsTest, DeanonymizeRejectsWrongKeyTamperingAndMovedLabels) {
    const std::string key(16, 'k');
    RedactRequest request;
    request.default_operator = Operator::encrypt(key);
    const RedactionResult r = redact_spans(kText, {{"email", 5, 19, 0.9}}, request);

    EXPECT_NE(request_error_message([&] {
                  deanonymize(r.text, r.items, std::string(16, 'K'));
              }).find("items[0]: the token at [5, "),
              std::string::npos);

    std::string tampered = r.text;
    const size_t pos = tampered.find("ENC(") + 6;
    tampered[pos] = tampered[pos] == 'A' ? 'B' : 'A';
    EXPECT_THROW(deanonymize(tampered, r.items, key), schemas::RequestError);

    std::vector<RedactedItem> moved = r.items;
    moved[0].entity_type = "person";  // the entity type is the associated data
    EXPECT_THROW(deanonymize(r.text, moved, key), schemas::RequestError);

    std::vector<RedactedItem> shifted = r.items;
    shifted[0].redacted_start += 1;  // no longer starts at "ENC("
    EXPECT_THROW(deanonymize(r.text, shifted, key), schemas::RequestError);

    std::vector<RedactedItem> outside = r.items;
    outside[0].redacted_end = 1000;
    EXPECT_NE(request_error_message([&] { deanonymize(r.text, outside, key); }).find("not within"),
              std::string::npos);
    EXPECT_NE(request_error_message([&] { deanonymize(r.text, r.items, "short"); }).find("key: "),
              std::string::npos);
}

TEST(RedactOperatorsTest, KeepLeavesTextButReportsItem) {
    RedactRequest request;
    request.include_original = true;
    request.default_operator = Operator::keep();
    const RedactionResult r = redact_spans(kText, {{"email", 5, 19, 0.9}}, request);
    EXPECT_EQ(r.text, kText);
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(r.items[0].op, "keep");
    EXPECT_EQ(r.items[0].original, "jo@example.org");
}

TEST(RedactOperatorsTest, InvalidOperatorsNameTheirPath) {
    RedactRequest request;
    request.operators["email"] = Operator::mask("ab");
    EXPECT_EQ(request_error_message([&] { redact_spans(kText, {}, request); }),
              "operators.email.masking_char: masking_char must be exactly one character, got 2");
    request.operators["email"] = Operator::mask("");
    EXPECT_THROW(redact_spans(kText, {}, request), schemas::RequestError);
    request.operators["email"] = Operator::mask("\xFF");
    EXPECT_NE(
        request_error_message([&] { redact_spans(kText, {}, request); }).find("invalid UTF-8"),
        std::string::npos);
    request.operators.clear();
    request.default_operator = Operator::encrypt("0123456789");
    EXPECT_EQ(request_error_message([&] { redact_spans(kText, {}, request); }),
              "default_operator.key: key must be 16, 24 or 32 bytes, got 10");
    request.default_operator = Operator::replace("\xC3");
    EXPECT_NE(request_error_message([&] {
                  redact_spans(kText, {}, request);
              }).find("default_operator.new_value: invalid UTF-8 at byte offset 0"),
              std::string::npos);
}

}  // namespace
}  // namespace spanguard::schemas
