// Standard base64 (RFC 4648 alphabet, '=' padding), as tokenizer.json stores the Precompiled
// normaliser's charsmap.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace spanguard::tokenizer {

std::string base64_encode(std::string_view bytes);

// Strict: the length must be a multiple of 4, padding only at the end, no whitespace, and unused
// trailing bits zero. Throws TokenizerError("<what>: invalid base64: ... at character N").
std::string base64_decode(std::string_view text, std::string_view what);

}  // namespace spanguard::tokenizer
