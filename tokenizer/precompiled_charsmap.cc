#include "tokenizer/precompiled_charsmap.h"

#include <utf8proc.h>

#include <cstring>

#include "tokenizer/error.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

// The unit encoding of the darts-clone double array that SentencePiece serialises:
//   bits 0-7  label (the byte that leads to this node; bit 31 is part of the label so that a
//             value unit, which has bit 31 set, never matches a byte),
//   bit 8     the node has a value child at (its base ^ 0),
//   bit 9     the offset is stored shifted left by 8,
//   bits 10+  offset from the unit's index to its base (by XOR).
// A value unit holds the value in bits 0-30.
constexpr uint32_t kLeafFlag = 1u << 31;

inline uint32_t unit_offset(uint32_t unit) {
    return (unit >> 10) << ((unit & (1u << 9)) >> 6);
}
inline uint32_t unit_label(uint32_t unit) {
    return unit & (kLeafFlag | 0xFFu);
}
inline bool unit_has_leaf(uint32_t unit) {
    return ((unit >> 8) & 1u) != 0;
}
inline uint32_t unit_value(uint32_t unit) {
    return unit & (kLeafFlag - 1);
}

uint32_t read_le32(const char* p) {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    return static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8) |
           (static_cast<uint32_t>(b[2]) << 16) | (static_cast<uint32_t>(b[3]) << 24);
}

size_t count_code_points(std::string_view s) {
    size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Grapheme cluster boundaries as Hugging Face tokenizers computes them (unicode-segmentation 1.12,
// Unicode 16.0) from utf8proc's (Unicode 15.0). Of the characters Unicode 16.0 added to the
// grapheme rules, only U+0897 ARABIC PEPET (Extend) can change what this normaliser produces:
// a new mark outside the BMP makes any cluster 6 bytes or longer unless it follows a 1-byte
// character, and none of those has a charsmap key that such a cluster could start with. (Found by
// comparing every code point after several bases with the Hugging Face library.) U+0897 is
// therefore classified as the Extend character U+0300 is.
inline bool grapheme_break(char32_t c1, char32_t c2, utf8proc_int32_t* state) {
    const auto as_v16 = [](char32_t c) {
        return static_cast<utf8proc_int32_t>(c == 0x0897 ? 0x0300 : c);
    };
    return utf8proc_grapheme_break_stateful(as_v16(c1), as_v16(c2), state);
}

// Length of the UTF-8 sequence at `pos` of valid UTF-8, clipped to the string.
inline size_t char_length_at(std::string_view s, size_t pos) {
    const size_t n = utf8::sequence_length(static_cast<unsigned char>(s[pos]));
    return pos + n <= s.size() ? n : s.size() - pos;
}

// Walks the trie along `bytes` and calls on_hit(length, value) for every key that is a prefix
// of it, shortest first, until on_hit returns false. The walk is darts-clone's common prefix
// search; out-of-range indices (possible only in a malformed array) end it.
template <class OnHit>
void walk_prefixes(const std::vector<uint32_t>& units, std::string_view bytes, OnHit&& on_hit) {
    const size_t n = units.size();
    size_t id = unit_offset(units[0]);
    for (size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        id ^= c;
        if (id >= n) return;
        const uint32_t unit = units[id];
        if (unit_label(unit) != c) return;
        id ^= unit_offset(unit);
        if (unit_has_leaf(unit)) {
            if (id >= n) return;
            if (!on_hit(i + 1, unit_value(units[id]))) return;
        }
    }
}

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob, std::string_view source_name)
    : blob_(blob) {
    const std::string where = "precompiled_charsmap of " + std::string(source_name);
    if (blob_.size() < 4) {
        throw TokenizerError(where + ": " + std::to_string(blob_.size()) +
                             " bytes, too short for the 4-byte trie size header");
    }
    const uint32_t trie_bytes = read_le32(blob_.data());
    if (trie_bytes == 0 || trie_bytes % 4 != 0) {
        throw TokenizerError(where + ": trie size " + std::to_string(trie_bytes) +
                             " (byte offset 0) is not a positive multiple of 4");
    }
    if (trie_bytes > blob_.size() - 4) {
        throw TokenizerError(where + ": trie size " + std::to_string(trie_bytes) +
                             " (byte offset 0) exceeds the " + std::to_string(blob_.size() - 4) +
                             " bytes that follow the header");
    }
    units_.resize(trie_bytes / 4);
    for (size_t i = 0; i < units_.size(); ++i)
        units_[i] = read_le32(blob_.data() + 4 + 4 * i);
    strings_ = std::string_view(blob_).substr(4 + trie_bytes);

    // Replacements are NUL-terminated: every value must start inside the string area, before its
    // last NUL. They must also be valid UTF-8, or normalised text would stop being UTF-8.
    const size_t last_nul = strings_.rfind('\0');
    if (auto bad = utf8::find_invalid(strings_)) {
        throw TokenizerError(where + ": replacement strings are not valid UTF-8 at byte offset " +
                             std::to_string(4 + trie_bytes + *bad));
    }
    // Every unit that can be reached as a node has bit 31 clear (its label must equal a byte), so
    // checking all such units with a value child covers every value a lookup can read.
    const size_t n = units_.size();
    for (size_t i = 0; i < n; ++i) {
        const uint32_t unit = units_[i];
        if ((unit & kLeafFlag) != 0 || !unit_has_leaf(unit)) continue;
        const size_t leaf = i ^ unit_offset(unit);
        const std::string unit_where = where + ": trie unit " + std::to_string(i) +
                                       " (byte offset " + std::to_string(4 + 4 * i) + ")";
        if (leaf >= n) {
            throw TokenizerError(unit_where + " points at unit " + std::to_string(leaf) +
                                 ", beyond the " + std::to_string(n) + " units of the trie");
        }
        const uint32_t value = unit_value(units_[leaf]);
        if (last_nul == std::string_view::npos || value > last_nul) {
            throw TokenizerError(unit_where + " has replacement offset " + std::to_string(value) +
                                 ", outside the " + std::to_string(strings_.size()) +
                                 " bytes of NUL-terminated replacement strings");
        }
    }
}

PrecompiledCharsmap::PrecompiledCharsmap(const PrecompiledCharsmap& other)
    : blob_(other.blob_), units_(other.units_) {
    strings_ = std::string_view(blob_).substr(blob_.size() - other.strings_.size());
}

PrecompiledCharsmap::PrecompiledCharsmap(PrecompiledCharsmap&& other) noexcept
    : blob_(std::move(other.blob_)), units_(std::move(other.units_)) {
    strings_ = std::string_view(blob_).substr(blob_.size() - other.strings_.size());
    other.strings_ = {};
}

PrecompiledCharsmap& PrecompiledCharsmap::operator=(const PrecompiledCharsmap& other) {
    if (this != &other) *this = PrecompiledCharsmap(other);
    return *this;
}

PrecompiledCharsmap& PrecompiledCharsmap::operator=(PrecompiledCharsmap&& other) noexcept {
    if (this != &other) {
        const size_t strings_size = other.strings_.size();
        blob_ = std::move(other.blob_);
        units_ = std::move(other.units_);
        strings_ = std::string_view(blob_).substr(blob_.size() - strings_size);
        other.strings_ = {};
    }
    return *this;
}

std::vector<PrecompiledCharsmap::Hit> PrecompiledCharsmap::prefix_matches(
    std::string_view bytes) const {
    std::vector<Hit> hits;
    walk_prefixes(units_, bytes, [&](size_t length, uint32_t value) {
        hits.push_back({length, std::string_view(strings_.data() + value)});
        return true;
    });
    return hits;
}

std::optional<PrecompiledCharsmap::Hit> PrecompiledCharsmap::longest_prefix_match(
    std::string_view bytes) const {
    size_t best_length = 0;
    uint32_t best_value = 0;
    walk_prefixes(units_, bytes, [&](size_t length, uint32_t value) {
        best_length = length;
        best_value = value;
        return true;
    });
    if (best_length == 0) return std::nullopt;
    return Hit{best_length, std::string_view(strings_.data() + best_value)};
}

std::optional<PrecompiledCharsmap::Hit> PrecompiledCharsmap::first_prefix_match(
    std::string_view bytes) const {
    std::optional<Hit> hit;
    walk_prefixes(units_, bytes, [&](size_t length, uint32_t value) {
        hit = Hit{length, std::string_view(strings_.data() + value)};
        return false;
    });
    return hit;
}

NormalizedString PrecompiledCharsmap::normalize_sentencepiece(const NormalizedString& input) const {
    const std::string_view text = input.text();
    NormalizedString out;
    size_t pos = 0;
    while (pos < text.size()) {
        if (auto hit = longest_prefix_match(text.substr(pos))) {
            out.append(hit->replacement, input.original_range(pos, pos + hit->length));
            pos += hit->length;
        } else {
            const size_t length = char_length_at(text, pos);
            out.append_from(input, pos, pos + length);
            pos += length;
        }
    }
    return out;
}

// Hugging Face applies a normaliser in two steps: it first lists, for every output character, a
// "change" (0: replaces one input character, +1: inserted, -k: replaces one input character and
// removes k more), then rebuilds the alignments from that list. The list is built as the
// `Precompiled` normaliser builds it, including its quirks (a deleted character charges its
// removal to the previous output character; one deleted at the very start is charged to nobody,
// which shifts the alignment of what follows), so that offsets come out as Hugging Face's do.
NormalizedString PrecompiledCharsmap::normalize_huggingface(const NormalizedString& input) const {
    const std::string_view text = input.text();
    struct Change {
        uint32_t out_begin;  // byte offset of the output character in `out`
        uint32_t out_length;
        int64_t change;
    };
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    std::vector<Change> changes;
    changes.reserve(text.size());
    bool modified = false;

    const auto push_chars = [&](std::string_view chars) {
        for (size_t i = 0; i < chars.size();) {
            const size_t length = char_length_at(chars, i);
            changes.push_back(
                {static_cast<uint32_t>(out.size()), static_cast<uint32_t>(length), 0});
            out.append(chars.substr(i, length));
            i += length;
        }
    };
    const auto replace = [&](size_t old_chars, std::string_view replacement) {
        modified = true;
        const size_t before = changes.size();
        push_chars(replacement);
        const auto new_chars = static_cast<int64_t>(changes.size() - before);
        const int64_t diff = new_chars - static_cast<int64_t>(old_chars);
        if (diff > 0) {
            for (size_t k = changes.size() - static_cast<size_t>(diff); k < changes.size(); ++k) {
                changes[k].change = 1;
            }
        } else if (diff < 0 && !changes.empty()) {
            changes.back().change += diff;
        }
    };

    utf8proc_int32_t state = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const auto lead = static_cast<unsigned char>(text[pos]);
        // ASCII fast path: between two ASCII characters there is always a grapheme boundary
        // except inside CR LF, so such a character is a cluster of its own.
        if (lead < 0x80 &&
            (pos + 1 == text.size() || (static_cast<unsigned char>(text[pos + 1]) < 0x80 &&
                                        !(lead == '\r' && text[pos + 1] == '\n')))) {
            const std::string_view ch = text.substr(pos, 1);
            if (auto hit = first_prefix_match(ch)) {
                replace(1, hit->replacement);
            } else {
                changes.push_back({static_cast<uint32_t>(out.size()), 1, 0});
                out.push_back(ch[0]);
            }
            state = 0;  // utf8proc's "start" state; the next cluster begins afresh
            ++pos;
            continue;
        }
        // Extended grapheme cluster [pos, end).
        size_t length = 0;
        char32_t c1 = utf8::decode(text, pos, &length);
        size_t end = pos + length;
        while (end < text.size()) {
            const char32_t c2 = utf8::decode(text, end, &length);
            if (grapheme_break(c1, c2, &state)) break;
            c1 = c2;
            end += length;
        }
        const std::string_view grapheme = text.substr(pos, end - pos);
        pos = end;
        // A short cluster is replaced whole by the value of the SHORTEST key that is a prefix of
        // it, even when that key covers only its first character (Hugging Face's behaviour).
        if (grapheme.size() < 6) {
            if (auto hit = first_prefix_match(grapheme)) {
                replace(count_code_points(grapheme), hit->replacement);
                continue;
            }
        }
        for (size_t i = 0; i < grapheme.size();) {
            const size_t char_length = char_length_at(grapheme, i);
            const std::string_view ch = grapheme.substr(i, char_length);
            if (auto hit = first_prefix_match(ch)) {
                replace(1, hit->replacement);
            } else {
                changes.push_back(
                    {static_cast<uint32_t>(out.size()), static_cast<uint32_t>(char_length), 0});
                out.append(ch);
            }
            i += char_length;
        }
    }
    if (!modified) return input;

    // Rebuild alignments as Hugging Face's NormalizedString::transform does. An input character's
    // alignment is the union of its bytes' (Hugging Face gives every byte of a character the
    // same alignment, so the union is that alignment).
    const auto char_range_at = [&](size_t offset) {
        return input.original_range(offset, offset + char_length_at(text, offset));
    };
    const auto char_range_before = [&](size_t offset) {
        size_t start = offset - 1;
        while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
            --start;
        return input.original_range(start, offset);
    };
    NormalizedString result;
    size_t offset = 0;  // bytes of `input` consumed so far
    for (const Change& c : changes) {
        ByteRange align;
        if (c.change > 0) {
            align = offset == 0 ? input.original_range(0, 0) : char_range_before(offset);
        } else {
            if (offset < text.size()) {
                align = char_range_at(offset);
                offset += char_length_at(text, offset);
            } else {
                align = input.original_range(text.size(), text.size());
            }
            for (int64_t k = 0; k < -c.change && offset < text.size(); ++k) {
                offset += char_length_at(text, offset);
            }
        }
        result.append(std::string_view(out).substr(c.out_begin, c.out_length), align);
    }
    return result;
}

}  // namespace spanguard::tokenizer
