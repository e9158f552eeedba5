#include "schemas/prompt/python_whitespace.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

TEST(PythonWhitespace, MatchesCPythonIsspaceOverAllCodePoints) {
    // Printed by CPython 3.11: [hex(c) for c in range(0x110000) if chr(c).isspace()]
    const std::set<char32_t> cpython = {
        0x9,    0xa,    0xb,    0xc,    0xd,    0x1c,   0x1d,   0x1e,   0x1f,   0x20,
        0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
        0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
    for (char32_t cp = 0; cp < 0x110000; ++cp) {
        ASSERT_EQ(is_python_space(cp), cpython.count(cp) == 1)
            << "U+" << std::hex << static_cast<uint32_t>(cp);
    }
}

TEST(PythonWhitespace, Strip) {
    EXPECT_EQ(python_strip(""), "");
    EXPECT_EQ(python_strip(" \t\n"), "");
    EXPECT_EQ(python_strip("  a b  "), "a b");
    EXPECT_EQ(python_strip("\xE3\x80\x80"
                           "caf\xC3\xA9\xC2\xA0"),
              "caf\xC3\xA9");
    EXPECT_EQ(python_strip("\xE2\x80\x8B"
                           "x"),
              "\xE2\x80\x8B"
              "x");  // U+200B is not space
}

}  // namespace
}  // namespace spanguard::schemas
