// Pattern recognizers: PII found by its shape, beside the model. Regular expressions run on RE2
// (linear time in the text, so hostile input cannot make a scan explode), phone numbers on
// libphonenumber. Each recognizer has a base score, context words that raise it when they occur
// near a match, and a validator that rejects false matches (check digits, checksums, calendar
// dates). The built-in set (canonical types of pii_entity_types.h):
//
//   EmailRecognizer        EMAIL_ADDRESS  RFC 5322 dot-atom addresses (pii_validators.h)    1.0
//   CreditCardRecognizer   CREDIT_CARD    13-19 digits from 2-6, single spaces or hyphens (one
//                                         kind), Luhn                                        1.0
//   IbanRecognizer         IBAN_CODE      ISO 13616, country length, mod 97                   1.0
//   IbanChecksumRecognizer IBAN_CODE      the same shape and mod 97, another length           0.6
//   IpRecognizer           IP_ADDRESS     IPv4 (0.6) and IPv6 in every RFC 4291 text form,
//                                         compressed and with an IPv4 tail (0.95); inet_pton
//   MacAddressRecognizer   MAC_ADDRESS    six hex pairs with one separator kind, or 3 x 4 hex
//                                         digits separated by dots                           0.8
//   UrlRecognizer          URL            http(s)/ftp URLs (0.9), www. hosts (0.7); trailing
//                                         punctuation and unbalanced brackets left out
//   PhoneRecognizer        PHONE_NUMBER   libphonenumber's matcher at STRICT_GROUPING leniency
//                                         (valid numbers, digits grouped as the region does),
//                                         in international form for every region it knows,
//                                         national forms for each of `phone_regions`; no
//                                         letters but an extension marker, no IPv4 address  0.75
//   UsSsnRecognizer        US_SSN         AAA-GG-SSSS (spaces, dots or none; 9 bare digits
//                                         only 0.3): area not 000/666/9xx, group not 00,
//                                         serial not 0000, not all one digit                 0.6
//   UsItinRecognizer       US_ITIN        9XX-[50-65|70-88|90-92|94-99]-XXXX                 0.6
//   CryptoRecognizer       CRYPTO         Bitcoin base58check (P2PKH/P2SH; double SHA-256) and
//                                         bech32/bech32m (BIP 173/350) addresses (1.0),
//                                         Ethereum 0x + 40 hex digits: EIP-55 checksum when
//                                         mixed case (1.0), 0.8 when single case
//   AwsKeyRecognizer, GitHubTokenRecognizer, SlackTokenRecognizer, StripeKeyRecognizer,
//   JwtRecognizer, PrivateKeyRecognizer
//                          SECRET         AWS access key ids (AKIA/ASIA...), GitHub tokens
//                                         (ghp_/gho_/ghu_/ghs_/ghr_, github_pat_), Slack xox?-
//                                         tokens, Stripe secret/restricted keys, JWTs whose
//                                         header decodes to JSON with "alg", PEM private-key
//                                         blocks                                        0.9-1.0
//   DateRecognizer         DATE_TIME      numeric (d/m/y, m/d/y, ISO) and written-month dates
//                                         that exist in the calendar                         0.45
//   UsernameRecognizer     USERNAME       an account name ([A-Za-z0-9][A-Za-z0-9._-]{1,31})
//                                         after a "username:", "user id:" or "user=" label
//                                         (any name), or after a bare "user", "username",
//                                         "account", "login" or "handle" (or a "login:"
//                                         label) when it has an underscore, dot or digit
//                                         beside a letter ("admin_jdoe")                     0.6
//
// A match must not continue a word: the characters just before and after it are not letters or
// digits. When a validator rejects a match that has separators (spaces, hyphens, dots), shorter
// prefixes ending before a separator are tried, so "DE89 3704 0044 0532 0130 00 BIC" yields the
// IBAN and "4111 1111 1111 1111 2027" the card. Context: when one of the recognizer's context
// words is one of the six words before the match or the two after it (case-insensitive; a word
// counts when it starts with the context word), the score rises by 0.35, to at least 0.4 and at
// most 1.0 (Presidio's defaults).
//
// User recognizers come from JSON (RecognizerSet::from_json), in Presidio's ad-hoc recognizer
// shape:
//   {"recognizers": [
//     {"name": "EmployeeIdRecognizer", "entity_type": "EMPLOYEE_ID",
//      "patterns": [{"name": "emp", "regex": "EMP-[0-9]{6}", "score": 0.9}],
//      "context": ["employee", "staff"], "case_sensitive": false},
//     {"name": "CodenameRecognizer", "supported_entity": "PROJECT",
//      "deny_list": ["Blue Heron", "Falcon"], "deny_list_score": 1.0}]}
// (a top-level array of recognizers is accepted too). Regexes use RE2 syntax and are
// case-insensitive unless "case_sensitive" is true; deny-list terms match whole words, ignoring
// case. Entity types are canonicalised (pii_entity_types.h). An invalid regex is an error naming
// the recognizer and the pattern's path.
//
// Units: spans are code points, half-open, into the text as given (valid UTF-8).
// Thread safety: a RecognizerSet is immutable once built and may be shared by any number of
// threads (RE2 and libphonenumber matching are thread-safe on const objects).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/schema/json_values.h"

namespace spanguard::schemas {

struct DetectedSpan;

struct PatternOptions {
    // ISO 3166 region codes whose national phone formats are recognized (international forms
    // with "+" are recognized for every region whatever this holds). Must not be empty.
    std::vector<std::string> phone_regions = {"US"};
};

class RecognizerSet {
  public:
    // The built-in recognizers above, compiled once per process.
    static std::shared_ptr<const RecognizerSet> builtin();
    // User recognizers; throws schemas::RequestError naming the path ("recognizers[1].patterns[0]
    // .regex: recognizer \"EmployeeId\": invalid regular expression: missing ]: [0-9").
    static std::shared_ptr<const RecognizerSet> from_json(const schemas::Json& value,
                                                          const std::string& path = "recognizers");

    ~RecognizerSet();
    RecognizerSet(const RecognizerSet&) = delete;
    RecognizerSet& operator=(const RecognizerSet&) = delete;

    // The canonical entity types these recognizers can report.
    std::set<std::string> entity_types() const;
    // Recognizer names, in the order they run.
    std::vector<std::string> names() const;

    // Every validated match of the recognizers whose type is in `entity_types` (all when empty),
    // with its score after context; DetectedSpan::recognizer is the recognizer's name and
    // DetectedSpan::label empty. Matches of one recognizer never overlap; matches of different
    // recognizers may. Sorted by start, then end. Throws schemas::RequestError for an unknown
    // phone region ("default_region").
    std::vector<DetectedSpan> find(std::string_view text, const std::set<std::string>& entity_types,
                                   const PatternOptions& options) const;

    struct Impl;

  private:
    explicit RecognizerSet(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace spanguard::schemas
