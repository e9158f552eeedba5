#include "tokenizer/utf8.h"

#include "tokenizer/error.h"

namespace spanguard::tokenizer::utf8 {
namespace {

// Length of the valid sequence at `pos`, or 0 when it is invalid. Follows the well-formed byte
// sequence table of the Unicode standard (Table 3-7).
size_t valid_sequence_at(std::string_view s, size_t pos) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    const size_t left = s.size() - pos;
    if (b0 < 0x80) return 1;
    const auto cont = [&](size_t i, unsigned char lo, unsigned char hi) {
        return pos + i < s.size() && byte(pos + i) >= lo && byte(pos + i) <= hi;
    };
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1, 0x80, 0xBF) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (left < 3) return 0;
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return cont(1, lo, hi) && cont(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (left < 4) return 0;
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return cont(1, lo, hi) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

// Length of the maximal prefix of an ill-formed sequence at `pos` (the "maximal subpart" that
// Unicode and Python's decoder replace by one U+FFFD).
size_t maximal_invalid_subpart(std::string_view s, size_t pos) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    size_t expected = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        expected = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        expected = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        expected = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return 1;
    }
    size_t n = 1;
    while (n < expected && pos + n < s.size()) {
        const auto b = static_cast<unsigned char>(s[pos + n]);
        const unsigned char l = n == 1 ? lo : 0x80;
        const unsigned char h = n == 1 ? hi : 0xBF;
        if (b < l || b > h) break;
        ++n;
    }
    return n;
}

}  // namespace

std::optional<size_t> find_invalid(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
        // ASCII fast path: most text is mostly ASCII.
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const size_t n = valid_sequence_at(text, pos);
        if (n == 0) return pos;
        pos += n;
    }
    return std::nullopt;
}

void require_valid(std::string_view text, std::string_view what) {
    if (auto bad = find_invalid(text)) {
        throw TokenizerError("invalid UTF-8 in " + std::string(what) + " at byte offset " +
                             std::to_string(*bad));
    }
}

std::string replace_invalid(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t n = valid_sequence_at(text, pos);
        if (n > 0) {
            out.append(text.substr(pos, n));
            pos += n;
        } else {
            out.append("\xEF\xBF\xBD");
            pos += maximal_invalid_subpart(text, pos);
        }
    }
    return out;
}

char32_t decode(std::string_view text, size_t pos, size_t* length) {
    const auto b = [&](size_t i) {
        return static_cast<char32_t>(static_cast<unsigned char>(text[pos + i]));
    };
    const size_t n = sequence_length(static_cast<unsigned char>(text[pos]));
    *length = n;
    switch (n) {
        case 1:
            return b(0);
        case 2:
            return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
        case 3:
            return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        default:
            return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) |
                   (b(3) & 0x3F);
    }
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode(char32_t cp) {
    std::string s;
    append(s, cp);
    return s;
}

std::u32string to_u32(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        size_t n = 0;
        out.push_back(decode(text, pos, &n));
        pos += n;
    }
    return out;
}

std::string from_u32(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text)
        append(out, cp);
    return out;
}

CodePointIndex::CodePointIndex(std::string_view text) : cp_of_byte_(text.size() + 1) {
    size_t cp = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t n = sequence_length(static_cast<unsigned char>(text[pos]));
        byte_of_cp_.push_back(pos);
        for (size_t i = 0; i < n && pos + i < text.size(); ++i)
            cp_of_byte_[pos + i] = cp;
        pos += n;
        ++cp;
    }
    byte_of_cp_.push_back(text.size());
    cp_of_byte_[text.size()] = cp;
}

}  // namespace spanguard::tokenizer::utf8
