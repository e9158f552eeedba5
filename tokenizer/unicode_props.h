// Character classes with CPython's Unicode semantics, for code that must agree with Python `re`
// and str methods. Private to the tokenizer library.
//
// The properties come from ICU (Unicode 15.0 in ICU 72). CPython 3.11 uses Unicode 14.0, so the
// only intended disagreements are code points first assigned in Unicode 15.0.
// Thread safety: pure functions.
#pragma once

namespace spanguard::tokenizer::unicode {

// Python `re` `\w` for str patterns: `_` or str.isalnum(). CPython's isalnum() is "alphabetic
// (general category L*) or has a numeric value"; every code point with a numeric value has a
// category N* and every N* code point has a numeric value, so this is `_` or category L*/N*.
// Combining marks (M*) are not word characters.
bool is_python_word(char32_t c);

// Python str.isspace() (= `re` `\s` for str patterns): general category Zs, or bidirectional class
// WS, B or S. This includes U+001C..U+001F and U+0085 but not U+200B or U+180E.
bool is_python_space(char32_t c);

}  // namespace spanguard::tokenizer::unicode
