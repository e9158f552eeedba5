// Validators of the built-in pattern recognizers (pattern_recognizers.h) beyond those of
// pii_validators.h. Each takes a match's text (UTF-8) exactly as found.
//
//   us_ssn_valid        AAA-GG-SSSS with one separator kind (-, space, dot) or none; area not 000,
//                       666 or 900-999, group not 00, serial not 0000, not one digit repeated
//   us_itin_valid       9XX-GG-XXXX with group 50-65, 70-88, 90-92 or 94-99
//   mac_address_valid   six hex pairs joined by one separator kind (':' or '-'), or three groups
//                       of four hex digits joined by '.'
//   bitcoin_address_valid   base58check (double SHA-256 checksum) with version byte 0x00 or 0x05,
//                       or bech32 (segwit v0) / bech32m (v1+) with the "bc" prefix, one case only
//   ethereum_address_valid  "0x" + 40 hex digits; mixed case must satisfy EIP-55 (Keccak-256)
//   jwt_valid           three base64url parts; the first decodes to a JSON object with "alg"
//   calendar_date_valid a date the calendar has: numeric d/m/y, m/d/y or y-m-d (either order
//                       accepted when both read as a real date), or with a written month name
//                       (English); years 1900-2099 (two-digit years accepted)
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace spanguard::schemas::patterns {

bool us_ssn_valid(std::string_view text);
bool us_itin_valid(std::string_view text);
bool mac_address_valid(std::string_view text);
bool bitcoin_address_valid(std::string_view text);
bool ethereum_address_valid(std::string_view text);
bool jwt_valid(std::string_view text);
bool calendar_date_valid(std::string_view text);

// Keccak-256 as Ethereum uses it (original Keccak padding, not SHA3-256's): 32 raw bytes.
std::string keccak256(std::string_view data);

}  // namespace spanguard::schemas::patterns
