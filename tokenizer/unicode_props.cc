#include "tokenizer/unicode_props.h"

#include <unicode/uchar.h>

namespace spanguard::tokenizer::unicode {

// Both functions are valid for every code point, ASCII included (e.g. U+001C..U+001F have bidi
// class B or S, \t and \v class S, \f class WS). Callers on a hot path keep their own ASCII table.

bool is_python_word(char32_t c) {
    if (c == U'_') return true;
    const auto cp = static_cast<UChar32>(c);
    return (U_GET_GC_MASK(cp) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

bool is_python_space(char32_t c) {
    const auto cp = static_cast<UChar32>(c);
    if (u_charType(cp) == U_SPACE_SEPARATOR) return true;
    const UCharDirection dir = u_charDirection(cp);
    return dir == U_WHITE_SPACE_NEUTRAL || dir == U_BLOCK_SEPARATOR || dir == U_SEGMENT_SEPARATOR;
}

}  // namespace spanguard::tokenizer::unicode
