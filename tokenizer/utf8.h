// UTF-8 decoding and validation shared by every stage of the tokenizer.
// All offsets are byte offsets into the string passed in unless a name says "code point".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanguard::tokenizer::utf8 {

// Byte offset of the first invalid sequence (overlong forms, surrogates, code points above
// U+10FFFF, truncated sequences and stray continuation bytes are all invalid), or nullopt.
std::optional<size_t> find_invalid(std::string_view text);

// Throws TokenizerError("invalid UTF-8 in <what> at byte offset N") when `text` is not valid UTF-8.
void require_valid(std::string_view text, std::string_view what);

// Replaces each maximal invalid subsequence by U+FFFD, as Python's errors="replace" does.
std::string replace_invalid(std::string_view text);

// Decodes the code point starting at `pos` of valid UTF-8 and stores its length in `*length`.
char32_t decode(std::string_view text, size_t pos, size_t* length);

// Length in bytes of the sequence whose lead byte is `lead` (1 for invalid lead bytes).
inline size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;
}

void append(std::string& out, char32_t cp);
std::string encode(char32_t cp);

// Code points of valid UTF-8.
std::u32string to_u32(std::string_view text);
std::string from_u32(std::u32string_view text);

// Maps byte offsets of valid UTF-8 `text` to code point offsets. Built once per text; lookups are
// O(1). Offsets that fall inside a sequence map to the code point that contains them.
class CodePointIndex {
  public:
    explicit CodePointIndex(std::string_view text);
    size_t to_code_point(size_t byte_offset) const { return cp_of_byte_[byte_offset]; }
    size_t to_byte(size_t code_point_offset) const { return byte_of_cp_[code_point_offset]; }
    size_t code_point_count() const { return byte_of_cp_.size() - 1; }

  private:
    std::vector<size_t> cp_of_byte_;  // size = bytes + 1
    std::vector<size_t> byte_of_cp_;  // size = code points + 1
};

}  // namespace spanguard::tokenizer::utf8
