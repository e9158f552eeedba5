// JSON forms of redaction (schemas/redaction/redaction.h): operators in and out, results out and
// items back in (the deanonymize path of the CLI and the binding), and errors that name the path.
#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

using testing::request_error_message;

TEST(RedactJsonTest, OperatorsFromJson) {
    RedactRequest request;
    operators_from_json(Json::parse(R"({
        "email": {"type": "mask", "masking_char": "#", "chars_to_mask": 4, "from_end": true},
        "default": {"type": "replace", "new_value": "[{entity_type}]"},
        "iban": {"type": "hash", "salt": "pepper"},
        "card_number": {"type": "encrypt", "key_hex": "000102030405060708090a0b0c0d0e0f"},
        "person": {"type": "keep"}})"),
                        request);
    ASSERT_EQ(request.operators.size(), 4u);
    const Operator& email = request.operators.at("email");
    EXPECT_EQ(email.kind, OperatorKind::kMask);
    EXPECT_EQ(email.masking_char, "#");
    EXPECT_EQ(email.chars_to_mask, std::optional<size_t>(4));
    EXPECT_TRUE(email.from_end);
    EXPECT_EQ(request.default_operator.kind, OperatorKind::kReplace);
    EXPECT_EQ(request.default_operator.new_value, "[{entity_type}]");
    EXPECT_EQ(request.operators.at("iban").salt, "pepper");
    EXPECT_EQ(request.operators.at("card_number").key,
              std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f", 16));
    EXPECT_EQ(request.operators.at("person").kind, OperatorKind::kKeep);
}

TEST(RedactJsonTest, OperatorsRoundTrip) {
    RedactRequest request;
    request.operators["email"] = Operator::mask("\xE2\x80\xA2", 3, true);
    request.operators["iban"] = Operator::hash(std::string("\xFF\x00s", 3));  // not UTF-8
    request.operators["card"] = Operator::encrypt(std::string(24, '\x7f'));
    request.operators["person"] = Operator::keep();
    request.default_operator = Operator::replace("<{entity_type}>");
    const Json json = operators_to_json(request);
    EXPECT_EQ(json.at("iban").at("salt_hex"), "ff0073");
    RedactRequest back;
    operators_from_json(Json::parse(json.dump()), back);
    EXPECT_EQ(operators_to_json(back), json);
    EXPECT_EQ(back.operators.at("iban").salt, request.operators.at("iban").salt);
    EXPECT_EQ(back.operators.at("card").key, request.operators.at("card").key);
}

TEST(RedactJsonTest, OperatorErrorsNameThePath) {
    RedactRequest request;
    auto error_for = [&](const char* json) {
        return request_error_message([&] { operators_from_json(Json::parse(json), request); });
    };
    EXPECT_EQ(
        error_for(R"({"email": {"type": "mask", "chars_to_mask": -1}})"),
        "operators.email.chars_to_mask: chars_to_mask must be a non-negative integer, got -1");
    EXPECT_EQ(
        error_for(R"({"email": {"type": "mask", "chars_to_mask": 2.5}})"),
        "operators.email.chars_to_mask: chars_to_mask must be a non-negative integer, got 2.5");
    EXPECT_EQ(error_for(R"({"email": {"type": "mask", "masking_char": "ab"}})"),
              "operators.email.masking_char: masking_char must be exactly one character, got 2");
    EXPECT_EQ(error_for(R"({"email": {"type": "scramble"}})"),
              "operators.email.type: unknown operator \"scramble\" (expected replace, mask, hash, "
              "encrypt or keep)");
    EXPECT_EQ(error_for(R"({"email": {"new_value": "x"}})"),
              "operators.email: missing \"type\" (replace, mask, hash, encrypt or keep)");
    EXPECT_EQ(
        error_for(R"({"email": "mask"})"),
        "operators.email: operator must be an object such as {\"type\": \"mask\"}, got a string");
    EXPECT_EQ(error_for(R"({"ip address": {"type": "encrypt", "key": "short"}})"),
              "operators[\"ip address\"].key: key must be 16, 24 or 32 bytes, got 5");
    EXPECT_EQ(error_for(R"({"x": {"type": "encrypt"}})"),
              "operators.x: missing \"key\" (or \"key_hex\")");
    EXPECT_EQ(error_for(R"({"x": {"type": "encrypt", "key_hex": "0g"}})"),
              "operators.x.key_hex: key_hex must be an even number of hex digits");
    EXPECT_EQ(error_for(R"({"x": {"type": "keep", "salt": "s"}})"),
              "operators.x.salt: unknown key (expected one of: type)");
    EXPECT_NE(error_for(R"([])").find("operators: operators must be an object"), std::string::npos);
}

TEST(RedactJsonTest, ResultRoundTripsThroughItems) {
    RedactRequest request;
    request.include_original = true;
    request.validation = ValidationMode::kAnnotate;
    request.default_operator = Operator::encrypt(std::string(16, 'k'));
    const RedactionResult r = redact_spans(
        "Mail jo@x.org or Al", {{"email", 5, 13, 0.875}, {"person", 17, 19, 0.5}}, request);
    const Json json = to_json(r);
    EXPECT_EQ(json.at("items")[0].at("entity_type"), "EMAIL_ADDRESS");
    EXPECT_EQ(json.at("items")[0].at("label"), "email");
    EXPECT_EQ(json.at("items")[0].at("recognizer"), "caller");
    EXPECT_EQ(json.at("items")[0].at("operator"), "encrypt");
    EXPECT_EQ(json.at("items")[0].at("score"), 0.875);
    EXPECT_EQ(json.at("items")[0].at("valid"), true);
    EXPECT_EQ(json.at("items")[0].at("text"), "jo@x.org");
    EXPECT_FALSE(json.at("items")[1].contains("valid"));
    const std::vector<RedactedItem> items = items_from_json(Json::parse(json.dump()).at("items"));
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(to_json(items[0]), json.at("items")[0]);
    EXPECT_EQ(to_json(items[1]), json.at("items")[1]);
    EXPECT_EQ(deanonymize(json.at("text").get<std::string>(), items, std::string(16, 'k')),
              "Mail jo@x.org or Al");
}

TEST(RedactJsonTest, ItemErrorsNameThePath) {
    auto error_for = [](const char* json) {
        return request_error_message([&] { items_from_json(Json::parse(json)); });
    };
    const char* good = R"({"entity_type": "email", "start": 0, "end": 3, "redacted_start": 0,
                           "redacted_end": 7, "score": 0.5, "operator": "replace"})";
    EXPECT_EQ(items_from_json(Json::array({Json::parse(good)})).size(), 1u);
    EXPECT_EQ(error_for(R"([{"entity_type": "email"}])"), "items[0]: missing \"start\"");
    EXPECT_EQ(error_for(R"([{"entity_type": "e", "start": 0, "end": 3, "redacted_start": 0,
                             "redacted_end": 7, "score": "high", "operator": "replace"}])"),
              "items[0].score: score must be a number, got a string");
    EXPECT_EQ(error_for(R"([{"entity_type": "e", "start": 0, "end": 3, "redacted_start": 0,
                             "redacted_end": 7, "score": 1, "operator": "erase"}])"),
              "items[0].operator: unknown operator \"erase\" (expected replace, mask, hash, "
              "encrypt or keep)");
    EXPECT_EQ(
        error_for(R"([{"entity_type": "e", "start": 0, "end": 3, "redacted_start": 0,
                             "redacted_end": 7, "score": 1, "operator": "keep", "x": 1}])"),
        "items[0].x: unknown key (expected one of: entity_type, label, recognizer, start, end, "
        "redacted_start, redacted_end, score, operator, valid, text)");
    EXPECT_EQ(error_for(R"([1])"), "items[0]: item must be an object, got a number");
    EXPECT_EQ(error_for(R"({})"), "items: items must be an array, got an object");
}

}  // namespace
}  // namespace spanguard::schemas
