#include "schemas/prompt/python_whitespace.h"

#include "tokenizer/utf8.h"

namespace spanguard::schemas {

bool is_python_space(char32_t cp) {
    // The complete set for which CPython's str.isspace() is true (Unicode 15).
    if (cp >= 0x09 && cp <= 0x0D) return true;
    if (cp >= 0x1C && cp <= 0x20) return true;
    if (cp >= 0x2000 && cp <= 0x200A) return true;
    switch (cp) {
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
            return true;
        default:
            return false;
    }
}

std::string_view python_strip(std::string_view text) {
    size_t begin = 0;
    while (begin < text.size()) {
        size_t length = 0;
        const char32_t cp = tokenizer::utf8::decode(text, begin, &length);
        if (!is_python_space(cp)) break;
        begin += length;
    }
    // Scan forward and remember where the last non-space code point ends: UTF-8 cannot be
    // decoded backwards without re-synchronising, and these strings are short.
    size_t end = begin;
    size_t pos = begin;
    while (pos < text.size()) {
        size_t length = 0;
        const char32_t cp = tokenizer::utf8::decode(text, pos, &length);
        pos += length;
        if (!is_python_space(cp)) end = pos;
    }
    return text.substr(begin, end - begin);
}

}  // namespace spanguard::schemas
