// Thin wrappers over OpenSSL libcrypto for the redaction operators (redaction.h): SHA-256,
// AES-GCM, random bytes, hex and base64. No cryptography is implemented here; every primitive is
// libcrypto's (EVP interface), so the code stays auditable and FIPS-provider friendly.
//
// Strings are byte strings (any bytes, not necessarily UTF-8) unless a name says otherwise.
// Thread safety: every function is safe to call from many threads at once (RAND_bytes and the EVP
// contexts, which are created per call, are thread-safe in OpenSSL 3).
// Errors: a failing libcrypto call (which should not happen with valid arguments) throws
// std::runtime_error with OpenSSL's error string; invalid arguments throw std::invalid_argument.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace spanguard::crypto {

inline constexpr size_t kGcmNonceBytes = 12;  // the recommended (96-bit) GCM IV length
inline constexpr size_t kGcmTagBytes = 16;    // full-length tag

// The 32-byte SHA-256 digest of `data`.
std::string sha256(std::string_view data);

// Lower-case hex of `bytes`, and back (nullopt for odd length or a non-hex character; either case
// is accepted).
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

// `count` bytes from OpenSSL's CSPRNG (RAND_bytes).
std::string random_bytes(size_t count);

// True for AES key sizes: 16, 24 or 32 bytes.
bool valid_aes_key_size(size_t bytes);

// AES-GCM with a fresh random nonce: returns nonce[12] || ciphertext || tag[16]. `aad` is
// authenticated but not encrypted. Throws std::invalid_argument for a key that is not 16/24/32
// bytes.
std::string aes_gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad);
// The same with a caller-chosen nonce (tests; never reuse a nonce with one key in production).
std::string aes_gcm_seal_with_nonce(std::string_view key, std::string_view nonce,
                                    std::string_view plaintext, std::string_view aad);

// Reverses aes_gcm_seal: the plaintext, or nullopt when `sealed` is too short or does not
// authenticate under `key` and `aad` (wrong key, altered bytes, different aad).
std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view sealed,
                                        std::string_view aad);

// Standard base64 (RFC 4648 §4, with "=" padding, no line breaks), and a strict decoder: nullopt
// for a length that is not a multiple of 4, a character outside the alphabet, whitespace, or
// padding anywhere but the last one or two characters.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace spanguard::crypto
