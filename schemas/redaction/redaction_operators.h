// The five redaction operators of redaction.h applied to one span's text, their names, their
// checks, and the encrypt operator's token format. Internal to the redaction files.
//
// Strings are UTF-8 unless named bytes (salt, key). Thread safety: pure functions (encryption
// draws its nonce from RAND_bytes, which is thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schemas/redaction/redaction.h"

namespace spanguard::schemas::redaction {

// "replace", "mask", "hash", "encrypt", "keep" (the item's "operator" field), and back.
std::string_view operator_name(OperatorKind kind);
std::optional<OperatorKind> operator_kind_from_name(std::string_view name);

// Throws schemas::RequestError(path, ...) for an operator that cannot be applied: a replacement
// that is not valid UTF-8, a masking_char that is not exactly one code point, an encrypt key that
// is not 16, 24 or 32 bytes. Checked once per request, before any text is touched.
void check_operator(const Operator& op, const std::string& path);

// What `value` (the span's text, valid UTF-8) becomes under `op`; `op` passed check_operator.
std::string apply_operator(const Operator& op, std::string_view entity_type,
                           std::string_view value);

// "<EMAIL>" for "email": the replace operator's default. ASCII letters are upper-cased; other
// characters are kept.
std::string default_replacement(std::string_view entity_type);

// The encrypt operator's token, "ENC(" base64(nonce || ciphertext || tag) ")", with the entity
// type as associated data, and its inverse (nullopt when the token is malformed or does not
// authenticate under `key` and `entity_type`).
inline constexpr std::string_view kTokenPrefix = "ENC(";
inline constexpr std::string_view kTokenSuffix = ")";
std::string encrypt_token(const std::string& key, std::string_view entity_type,
                          std::string_view value);
std::optional<std::string> decrypt_token(const std::string& key, std::string_view entity_type,
                                         std::string_view token);

}  // namespace spanguard::schemas::redaction
