// The built-in pattern recognizers (schemas/redaction/pattern_recognizers.h): what each finds
// whole, what its validator rejects, context words, phone regions, and user recognizers from JSON.
#include "schemas/redaction/pattern_recognizers.h"

#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/redaction/crypto.h"
#include "schemas/redaction/pattern_validators.h"
#include "schemas/redaction/redaction.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

using testing::request_error_message;

struct Found {
    std::string type;
    std::string value;
    double score;
    std::string recognizer;
};

std::vector<Found> find(const std::string& text, const PatternOptions& options = {},
                        const RecognizerSet& set = *RecognizerSet::builtin()) {
    const std::u32string cps = tokenizer::utf8::to_u32(text);
    std::vector<Found> out;
    for (const DetectedSpan& s : set.find(text, {}, options)) {
        out.push_back({s.entity_type,
                       tokenizer::utf8::from_u32(cps.substr(s.start, s.end - s.start)), s.score,
                       s.recognizer});
    }
    return out;
}

// The values of `type` found in `text`.
std::vector<std::string> values(const std::string& text, const std::string& type,
                                const PatternOptions& options = {}) {
    std::vector<std::string> out;
    for (const Found& f : find(text, options)) {
        if (f.type == type) out.push_back(f.value);
    }
    return out;
}

using Values = std::vector<std::string>;

TEST(PatternRecognizersTest, IpAddressesInEveryTextForm) {
    EXPECT_EQ(
        values("Access from 2001:db8:85a3::8a2e:370:7334 and from fe80::1 today.", "IP_ADDRESS"),
        (Values{"2001:db8:85a3::8a2e:370:7334", "fe80::1"}));
    EXPECT_EQ(values("hosts ::1, ::, 2001:db8::, ::ffff:192.0.2.1 and "
                     "2001:0db8:0000:0000:0000:ff00:0042:8329.",
                     "IP_ADDRESS"),
              (Values{"::1", "::", "2001:db8::", "::ffff:192.0.2.1",
                      "2001:0db8:0000:0000:0000:ff00:0042:8329"}));
    EXPECT_EQ(values("from 192.168.0.17: ok", "IP_ADDRESS"), (Values{"192.168.0.17"}));
    // Not addresses: times, a MAC, an octet over 255, a longer dotted number, C++ scope.
    EXPECT_EQ(
        values("at 10:30:00, 00:1A:2B:3C:4D:5E, 256.1.1.1, 1.2.3.4.5, std::string", "IP_ADDRESS"),
        Values{});
}

TEST(PatternRecognizersTest, CardsAndIbansAreValidatedAndCutToTheValidPrefix) {
    EXPECT_EQ(values("Card 4111 1111 1111 1111 2027 and 4111-1111-1111-1111.", "CREDIT_CARD"),
              (Values{"4111 1111 1111 1111", "4111-1111-1111-1111"}));
    EXPECT_EQ(values("Card 4111 1111 1111 1112 or 1234567812345670", "CREDIT_CARD"), Values{});
    EXPECT_EQ(values("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", "IBAN_CODE"),
              (Values{"DE89 3704 0044 0532 0130 00"}));
    EXPECT_EQ(values("GB82WEST12345698765432 / GB82WEST12345698765433", "IBAN_CODE"),
              (Values{"GB82WEST12345698765432"}));
}

TEST(PatternRecognizersTest, PhoneNumbersWholeInInternationalAndNationalForms) {
    EXPECT_EQ(values("Call +33 (0)1 51 78 78 14 or (415) 555-0132.", "PHONE_NUMBER"),
              (Values{"+33 (0)1 51 78 78 14", "(415) 555-0132"}));
    // A German national number needs its region; the international one does not.
    EXPECT_EQ(values("Tel. 030 12345678, +49 30 12345678", "PHONE_NUMBER"),
              (Values{"+49 30 12345678"}));
    PatternOptions de;
    de.phone_regions = {"US", "DE"};
    EXPECT_EQ(values("Tel. 030 12345678, +49 30 12345678", "PHONE_NUMBER", de),
              (Values{"030 12345678", "+49 30 12345678"}));
    // Offsets are code points even after multi-byte text.
    EXPECT_EQ(values("Müller 😀 +44 20 7946 0958", "PHONE_NUMBER"), (Values{"+44 20 7946 0958"}));
    PatternOptions bad;
    bad.phone_regions = {"XX"};
    EXPECT_NE(request_error_message([&] {
                  find("+1 415 555 0132", bad);
              }).find("default_region: unknown phone region \"XX\""),
              std::string::npos);
}

TEST(PatternRecognizersTest, SsnItinMacUrlEmail) {
    EXPECT_EQ(values("SSN 536-22-1234, not 000-12-3456, 666-12-3456 or 111-11-1111", "US_SSN"),
              (Values{"536-22-1234"}));
    EXPECT_EQ(values("ITIN 912-78-1234; 912-40-1234 is none", "US_ITIN"), (Values{"912-78-1234"}));
    EXPECT_EQ(values("mac 00:1A:2B:3C:4D:5E, 00:1A-2B:3C:4D:5E, 0123.4567.89ab", "MAC_ADDRESS"),
              (Values{"00:1A:2B:3C:4D:5E", "0123.4567.89ab"}));
    EXPECT_EQ(values("See https://example.org/a_(b)?q=1). Or (www.example.com/x).", "URL"),
              (Values{"https://example.org/a_(b)?q=1", "www.example.com/x"}));
    EXPECT_EQ(
        values("Mail jo.smith+tag@example.co.uk, not jo@localhost or @x.org.", "EMAIL_ADDRESS"),
        (Values{"jo.smith+tag@example.co.uk"}));
}

TEST(PatternRecognizersTest, CryptoWalletsByChecksum) {
    EXPECT_EQ(
        values("BTC 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 and 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3",
               "CRYPTO"),
        (Values{"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"}));
    EXPECT_EQ(values("to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4, not "
                     "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
                     "CRYPTO"),
              (Values{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}));
    // EIP-55: the mixed-case checksum must hold; one flipped letter breaks it.
    EXPECT_EQ(values("eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed and "
                     "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
                     "CRYPTO"),
              (Values{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}));
    // Keccak-256 of the empty string, as Ethereum publishes it (not SHA3-256's a7ffc6...).
    EXPECT_EQ(crypto::to_hex(patterns::keccak256("")),
              "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(PatternRecognizersTest, SecretFormats) {
    const std::string text =
        "aws AKIAIOSFODNN7EXAMPLE gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 slack "
        "xoxb-123456789012-abcdefghij stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc jwt "
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_"
        "wW1gFWFOEjXk "
        "pem -----BEGIN RSA PRIVATE "
        "KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n"
        "-----END RSA PRIVATE KEY----- done";
    std::vector<std::string> names;
    for (const Found& f : find(text)) {
        if (f.type == "SECRET") names.push_back(f.recognizer);
    }
    EXPECT_EQ(names, (Values{"AwsKeyRecognizer", "GitHubTokenRecognizer", "SlackTokenRecognizer",
                             "StripeKeyRecognizer", "JwtRecognizer", "PrivateKeyRecognizer"}));
    // A JWT-shaped string whose header is not JSON is no token.
    EXPECT_EQ(values("eyJub3QganNvbg.eyJzdWIiOiIxMjM0In0.sig", "SECRET"), Values{});
}

TEST(PatternRecognizersTest, DatesMustExistAndContextRaisesTheScore) {
    EXPECT_EQ(values("on 2024-02-29, 31/04/2024, 12 March 2024 and March 12th, 2024; 2023-02-29",
                     "DATE_TIME"),
              (Values{"2024-02-29", "12 March 2024", "March 12th, 2024"}));
    double plain = 0;
    double with_context = 0;
    for (const Found& f : find("Meeting on 03/04/2021."))
        plain = f.score;
    for (const Found& f : find("Date of birth: 03/04/2021."))
        with_context = f.score;
    EXPECT_DOUBLE_EQ(plain, 0.45);
    EXPECT_DOUBLE_EQ(with_context, 0.8);
}

TEST(PatternRecognizersTest, AccountNamesOnlyWhereSomethingIntroducesThem) {
    EXPECT_EQ(values("2024-03-11T09:14:22Z login failed for user admin_jdoe from 203.0.113.42",
                     "USERNAME"),
              (Values{"admin_jdoe"}));
    EXPECT_EQ(values("Username: maria and User ID=48213; login: r.kumar.", "USERNAME"),
              (Values{"maria", "48213", "r.kumar"}));
    EXPECT_EQ(values("account jsmith42 and handle @x", "USERNAME"), (Values{"jsmith42"}));
    // After a bare keyword, plain words are prose; nothing follows a keyword inside a word.
    EXPECT_EQ(values("The user Maria logged in; login failed; enter your username below; "
                     "superuser root_1; the account details; login: token refreshed",
                     "USERNAME"),
              Values{});
    // A name continuing into an e-mail address is the address's, found whole by its recognizer.
    for (const Found& f : find("user j.doe@example.org"))
        EXPECT_EQ(f.type, "EMAIL_ADDRESS") << f.value;
}

TEST(PatternRecognizersTest, OnlyTheRequestedTypesRun) {
    const std::string text = "jo@x.org 192.168.0.1";
    const auto spans = RecognizerSet::builtin()->find(text, {"IP_ADDRESS"}, {});
    ASSERT_EQ(spans.size(), 1u);
    EXPECT_EQ(spans[0].entity_type, "IP_ADDRESS");
}

TEST(PatternRecognizersTest, UserRecognizersFromJson) {
    const auto set = RecognizerSet::from_json(Json::parse(R"({"recognizers": [
        {"name": "EmployeeId", "entity_type": "employee id",
         "patterns": [{"name": "emp", "regex": "EMP-[0-9]{6}", "score": 0.3}],
         "context": ["staff"]},
        {"name": "Codenames", "supported_entity": "PROJECT", "deny_list": ["Blue Heron"]}]})"));
    EXPECT_EQ(set->entity_types(), (std::set<std::string>{"EMPLOYEE_ID", "PROJECT"}));
    const auto found =
        find("staff emp-123456 on blue heron; EMP-1234567 and Blue Herons", {}, *set);
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].value, "emp-123456");  // case-insensitive by default
    EXPECT_DOUBLE_EQ(found[0].score, 0.65);   // 0.3 + context
    EXPECT_EQ(found[1].type, "PROJECT");
    EXPECT_EQ(found[1].value, "blue heron");

    auto error = [](const char* json) {
        return request_error_message([&] { RecognizerSet::from_json(Json::parse(json)); });
    };
    EXPECT_EQ(error(R"({"recognizers": [{"name": "Broken", "entity_type": "X",
                        "patterns": [{"regex": "[0-9"}]}]})"),
              "recognizers.recognizers[0].patterns[0].regex: recognizer \"Broken\": invalid "
              "regular expression: missing ]: [0-9");
    EXPECT_EQ(error(R"([{"name": "Empty", "entity_type": "X"}])"),
              "recognizers[0]: recognizer \"Empty\" has neither patterns nor a deny_list");
    EXPECT_EQ(error(R"([{"name": "A", "entity_type": "X", "deny_list": ["a"]},
                        {"name": "A", "entity_type": "Y", "deny_list": ["b"]}])"),
              "recognizers[1].name: recognizer \"A\" is defined twice");
    EXPECT_EQ(error(R"([{"name": "A", "deny_list": ["a"]}])"),
              "recognizers[0]: recognizer \"A\": give \"entity_type\" (or Presidio's "
              "\"supported_entity\")");
}

TEST(PatternRecognizersTest, HostileInputStaysLinear) {
    // Long runs that would make a backtracking engine explode on the e-mail and IPv6 patterns.
    const std::string text = std::string(200000, 'a') + "@" + std::string(200000, ':');
    EXPECT_NO_THROW(find(text));
}

}  // namespace
}  // namespace spanguard::schemas
