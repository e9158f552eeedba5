// Unit tests of the Python character classes. Expected values from CPython 3.11:
// [c for c in range(128) if chr(c).isspace()] and str.isalnum() / `re` \w.
#include "tokenizer/unicode_props.h"

#include <gtest/gtest.h>

#include <string>

namespace spanguard::tokenizer::unicode {
namespace {

TEST(UnicodeProps, AsciiMatchesCPython) {
    const std::string word = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
    for (char32_t c = 0; c < 0x80; ++c) {
        const bool space = (c >= 9 && c <= 13) || (c >= 28 && c <= 32);
        EXPECT_EQ(is_python_space(c), space) << static_cast<int>(c);
        EXPECT_EQ(is_python_word(c), word.find(static_cast<char>(c)) != std::string::npos)
            << static_cast<int>(c);
    }
}

TEST(UnicodeProps, NonAsciiSpaces) {
    for (char32_t c :
         {0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
        EXPECT_TRUE(is_python_space(c)) << std::hex << static_cast<int>(c);
    }
    // Zero width space, Mongolian vowel separator, BOM, word joiner: not whitespace for Python.
    for (char32_t c : {0x200B, 0x180E, 0xFEFF, 0x2060}) {
        EXPECT_FALSE(is_python_space(c)) << std::hex << static_cast<int>(c);
    }
}

TEST(UnicodeProps, NonAsciiWordCharacters) {
    // Letters and every numeric category: é, fullwidth 3, superscript 2, ½, Roman numeral eight,
    // circled 1, Devanagari letter ha, CJK 中, Lm modifier letter small h.
    for (char32_t c : {0xE9, 0xFF13, 0xB2, 0xBD, 0x2167, 0x2460, 0x939, 0x4E2D, 0x2B0}) {
        EXPECT_TRUE(is_python_word(c)) << std::hex << static_cast<int>(c);
    }
    // Combining acute (Mn), Devanagari vowel sign i (Mc), enclosing circle (Me), ZWJ (Cf),
    // emoji (So), private use, unassigned.
    for (char32_t c : {0x301, 0x93F, 0x20DD, 0x200D, 0x1F600, 0xE000, 0x10FFFF}) {
        EXPECT_FALSE(is_python_word(c)) << std::hex << static_cast<int>(c);
    }
}

}  // namespace
}  // namespace spanguard::tokenizer::unicode
