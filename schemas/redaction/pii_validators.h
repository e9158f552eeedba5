// Checks for structured PII types, used by redaction (redaction.h, ValidationMode) to confirm or
// reject spans a model found. Each takes the span's text (UTF-8) exactly as it appears, so a
// validator decides on what would be redacted.
//
//   card number  Luhn (ISO/IEC 7812-1 check digit) over 12 to 19 digits; single spaces or hyphens
//                between digit groups are allowed ("4111 1111 1111 1111"), other characters not.
//   IBAN         ISO 13616: two letters, two check digits, up to 30 alphanumerics; the length
//                must be the registry's for the country where it is listed here (iban_length),
//                otherwise 15 to 34; ISO 7064 MOD 97-10 must give 1. The paper form with single
//                spaces between groups and lower-case letters are accepted.
//   e-mail       a pragmatic RFC 5321/5322 address: dot-atom local part (at most 64 bytes) "@" a
//                domain of at least two dot-separated labels (letters, digits, inner hyphens, at
//                most 63 bytes each, 253 in all) whose last label is not all digits. Non-ASCII
//                letters are accepted in both parts (RFC 6531 internationalised addresses).
//                Quoted local parts and IP-literal domains are rejected: they are vanishingly
//                rare in text and mostly false positives.
//   IP address   exactly what POSIX inet_pton accepts for AF_INET or AF_INET6: IPv4 as four
//                decimal octets 0..255 without leading zeros (so "01.2.3.4" is rejected: a leading
//                zero reads as octal to inet_aton, making the address ambiguous), IPv6 in RFC 4291
//                text form including "::" and an embedded IPv4 tail; no zone ids ("%eth0"),
//                brackets, ports or prefix lengths.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace spanguard::schemas {

bool luhn_valid(std::string_view card_number);
// The IBAN shape and MOD 97-10 check only, whatever the country's registered length (a mistyped
// or truncated IBAN still names an account).
bool iban_checksum_valid(std::string_view iban);
bool iban_valid(std::string_view iban);
bool email_valid(std::string_view email);
bool ipv4_valid(std::string_view address);
bool ipv6_valid(std::string_view address);
bool ip_address_valid(std::string_view address);  // IPv4 or IPv6

// The registry length of IBANs of a two-letter (upper-case) country code, when listed here.
std::optional<size_t> iban_length(std::string_view country_code);

// The validator for an entity type (a label or a canonical type, pii_entity_types.h), or nullptr
// when the type has none: CREDIT_CARD (card_number, payment_card, credit_card_number) ->
// luhn_valid, IBAN_CODE (iban) -> iban_valid, EMAIL_ADDRESS (email) -> email_valid, IP_ADDRESS
// (ip_address) -> ip_address_valid.
using PiiValidator = bool (*)(std::string_view);
PiiValidator validator_for_label(std::string_view entity_type);

}  // namespace spanguard::schemas
