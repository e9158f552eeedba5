// The structured-type validators (schemas/redaction/pii_validators.h) on the standard examples of
// public documentation: issuers' published test card numbers, the IBAN examples of the ECBS/SWIFT
// registry documentation, RFC 5952/4291 address forms.
#include "schemas/redaction/pii_validators.h"

#include <gtest/gtest.h>

namespace spanguard::schemas {
namespace {

TEST(PiiValidatorsTest, LuhnAcceptsPublishedTestCardNumbers) {
    EXPECT_TRUE(luhn_valid("4111111111111111"));     // Visa test number
    EXPECT_TRUE(luhn_valid("4111 1111 1111 1111"));  // grouped with spaces
    EXPECT_TRUE(luhn_valid("5500-0000-0000-0004"));  // Mastercard test number, hyphens
    EXPECT_TRUE(luhn_valid("378282246310005"));      // American Express test number (15 digits)
    EXPECT_TRUE(luhn_valid("6011111111111117"));     // Discover test number
}

TEST(PiiValidatorsTest, LuhnRejectsWrongCheckDigitsAndShapes) {
    EXPECT_FALSE(luhn_valid("4111111111111112"));  // check digit off by one
    EXPECT_FALSE(luhn_valid("378282246310006"));
    EXPECT_FALSE(luhn_valid("79927398713"));           // Luhn-valid but 11 digits: not a PAN
    EXPECT_FALSE(luhn_valid("41111111111111111111"));  // 20 digits
    EXPECT_FALSE(luhn_valid("4111  1111 1111 1111"));  // doubled separator
    EXPECT_FALSE(luhn_valid(" 4111111111111111"));     // leading separator
    EXPECT_FALSE(luhn_valid("4111111111111111-"));     // trailing separator
    EXPECT_FALSE(luhn_valid("4111.1111.1111.1111"));   // other punctuation
    EXPECT_FALSE(luhn_valid("4111111111111111x"));
    EXPECT_FALSE(luhn_valid(""));
}

TEST(PiiValidatorsTest, IbanAcceptsRegistryExamples) {
    EXPECT_TRUE(iban_valid("GB82 WEST 1234 5698 7654 32"));  // paper form
    EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));       // electronic form
    EXPECT_TRUE(iban_valid("gb82west12345698765432"));       // lower case
    EXPECT_TRUE(iban_valid("DE89370400440532013000"));
    EXPECT_TRUE(iban_valid("FR1420041010050500013M02606"));
    EXPECT_TRUE(iban_valid("NL91ABNA0417164300"));
    EXPECT_TRUE(iban_valid("BE68539007547034"));
    EXPECT_TRUE(iban_valid("NO9386011117947"));  // the shortest registered length, 15
}

TEST(PiiValidatorsTest, IbanRejectsBadChecksumsLengthsAndShapes) {
    EXPECT_FALSE(iban_valid("GB82WEST12345698765433"));  // last digit changed: mod 97 != 1
    EXPECT_FALSE(iban_valid("GB28WEST12345698765432"));  // check digits swapped
    EXPECT_FALSE(iban_valid("DE8937040044053201300"));   // DE is 22 characters, this is 21
    // 23 characters with a valid checksum for the shape, but GB IBANs are 22 long.
    EXPECT_FALSE(iban_valid("GB82WEST123456987654320"));
    EXPECT_FALSE(iban_valid("1282WEST12345698765432"));  // country code must be letters
    EXPECT_FALSE(iban_valid("GBX2WEST12345698765432"));  // check digits must be digits
    EXPECT_FALSE(iban_valid("GB82-WEST-1234-5698-7654-32"));
    EXPECT_FALSE(iban_valid("GB82  WEST12345698765432"));
    EXPECT_FALSE(iban_valid(""));
    // The checksum-only check accepts the wrong registered length, nothing else.
    EXPECT_TRUE(iban_checksum_valid("GB68 XCSO 4957 5682 8633 7"));  // 21, GB has 22
    EXPECT_FALSE(iban_valid("GB68 XCSO 4957 5682 8633 7"));
    EXPECT_TRUE(iban_checksum_valid("GB82 WEST 1234 5698 7654 32"));
    EXPECT_FALSE(iban_checksum_valid("GB82WEST12345698765433"));
    EXPECT_FALSE(iban_checksum_valid("1282WEST12345698765432"));
    EXPECT_EQ(iban_length("DE"), std::optional<size_t>(22));
    EXPECT_EQ(iban_length("ZZ"), std::nullopt);
}

TEST(PiiValidatorsTest, Ipv4FollowsInetPton) {
    EXPECT_TRUE(ipv4_valid("192.168.0.1"));
    EXPECT_TRUE(ipv4_valid("0.0.0.0"));
    EXPECT_TRUE(ipv4_valid("255.255.255.255"));
    EXPECT_FALSE(ipv4_valid("256.1.1.1"));
    // Leading zeros are rejected (inet_pton does): inet_aton would read "01" as octal.
    EXPECT_FALSE(ipv4_valid("01.2.3.4"));
    EXPECT_FALSE(ipv4_valid("1.2.3"));
    EXPECT_FALSE(ipv4_valid("1.2.3.4.5"));
    EXPECT_FALSE(ipv4_valid(" 1.2.3.4"));
    EXPECT_FALSE(ipv4_valid("1.2.3.4:80"));
    EXPECT_FALSE(ipv4_valid("1.2.3.4/24"));
    EXPECT_FALSE(ipv4_valid(std::string_view("1.2.3.4\0x", 9)));  // NUL must not truncate
}

TEST(PiiValidatorsTest, Ipv6FollowsInetPton) {
    EXPECT_TRUE(ipv6_valid("::"));
    EXPECT_TRUE(ipv6_valid("::1"));
    EXPECT_TRUE(ipv6_valid("2001:db8::1"));
    EXPECT_TRUE(ipv6_valid("2001:0DB8:0000:0000:0000:ff00:0042:8329"));
    EXPECT_TRUE(ipv6_valid("::ffff:192.0.2.128"));
    EXPECT_FALSE(ipv6_valid("2001:db8:::1"));
    EXPECT_FALSE(ipv6_valid("2001:db8::1::2"));  // "::" twice
    EXPECT_FALSE(ipv6_valid("1:2:3:4:5:6:7:8:9"));
    EXPECT_FALSE(ipv6_valid("fe80::1%eth0"));
    EXPECT_FALSE(ipv6_valid("[::1]"));
    EXPECT_FALSE(ipv6_valid("2001:db8::g"));
    EXPECT_TRUE(ip_address_valid("10.0.0.1"));
    EXPECT_TRUE(ip_address_valid("fe80::1"));
    EXPECT_FALSE(ip_address_valid("example.org"));
}

TEST(PiiValidatorsTest, Email) {
    EXPECT_TRUE(email_valid("jo@example.org"));
    EXPECT_TRUE(email_valid("first.last+tag@mail.example.co.uk"));
    EXPECT_TRUE(email_valid("o'brien_x-y@ex-ample.io"));
    EXPECT_TRUE(email_valid("jos\xC3\xA9@ex\xC3\xA1mple.es"));  // josé@exámple.es
    EXPECT_FALSE(email_valid("jo@localhost"));                  // one label
    EXPECT_FALSE(email_valid("jo..x@example.org"));
    EXPECT_FALSE(email_valid(".jo@example.org"));
    EXPECT_FALSE(email_valid("jo.@example.org"));
    EXPECT_FALSE(email_valid("jo@-example.org"));
    EXPECT_FALSE(email_valid("jo@example..org"));
    EXPECT_FALSE(email_valid("jo@example.123"));  // numeric top-level label
    EXPECT_FALSE(email_valid("jo@@example.org"));
    EXPECT_FALSE(email_valid("jo smith@example.org"));
    EXPECT_FALSE(email_valid("@example.org"));
    EXPECT_FALSE(email_valid("jo@"));
    EXPECT_FALSE(email_valid("jo.example.org"));
    EXPECT_FALSE(email_valid(std::string(65, 'a') + "@example.org"));  // local part > 64
}

TEST(PiiValidatorsTest, LabelsMapToValidators) {
    EXPECT_EQ(validator_for_label("card_number"), &luhn_valid);
    EXPECT_EQ(validator_for_label("payment_card"), &luhn_valid);
    EXPECT_EQ(validator_for_label("iban"), &iban_valid);
    EXPECT_EQ(validator_for_label("email"), &email_valid);
    EXPECT_EQ(validator_for_label("ip_address"), &ip_address_valid);
    EXPECT_EQ(validator_for_label("person"), nullptr);
    // Labels go through their canonical type (pii_entity_types.h), so case and spelling of a
    // synonym do not matter.
    EXPECT_EQ(validator_for_label("Email"), &email_valid);
    EXPECT_EQ(validator_for_label("CREDIT_CARD"), &luhn_valid);
    EXPECT_EQ(validator_for_label("IBAN_CODE"), &iban_valid);
    EXPECT_EQ(validator_for_label("full_name"), nullptr);
}

}  // namespace
}  // namespace spanguard::schemas
