#include "tokenizer/hf_string.h"

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include <algorithm>

#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

size_t char_length_at(const std::string& text, size_t pos) {
    return utf8::sequence_length(static_cast<unsigned char>(text[pos]));
}

}  // namespace

HfString::HfString(std::string_view text, size_t base)
    : orig_begin_(base), orig_end_(base + text.size()) {
    // The library aligns every byte of a character to the whole character (NormalizedString's
    // identity alignment is per byte); transform() reads alignments through a character's first
    // byte and the byte before a position, so the difference would show in offsets.
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t len = std::min(utf8::sequence_length(static_cast<unsigned char>(text[pos])),
                                    text.size() - pos);
        ns_.append(text.substr(pos, len), {base + pos, base + pos + len});
        pos += len;
    }
}

std::vector<HfString::Char> HfString::chars() const {
    std::vector<Char> out;
    const std::string& t = ns_.text();
    out.reserve(t.size());
    size_t pos = 0;
    while (pos < t.size()) {
        size_t len = 0;
        const char32_t c = utf8::decode(t, pos, &len);
        out.push_back({c, pos, len});
        pos += len;
    }
    return out;
}

void HfString::transform(const std::vector<HfChange>& dest, size_t initial_offset) {
    // The library applies a whole-string transform to the normalized range that its
    // convert_offsets() gives for the whole ORIGINAL range: from the first byte with a non-empty
    // alignment to the end of the run of bytes aligned inside the original bounds. For ordinary
    // strings that is every byte; the edge cases are reproduced rather than "fixed".
    const auto& align = ns_.alignments();
    if (orig_begin_ == orig_end_) {
        transform_range(0, 0, dest, initial_offset);
        return;
    }
    bool have_start = false, have_end = false;
    size_t start = 0, end = 0;
    for (size_t i = 0; i < align.size(); ++i) {
        if (!(orig_end_ >= align[i].end)) break;
        if (!have_start && orig_begin_ <= align[i].begin && align[i].begin != align[i].end) {
            have_start = true;
            start = i;
        }
        have_end = true;
        end = i + 1;
    }
    if (have_start && have_end) {
        transform_range(start, end, dest, initial_offset);
    } else if (have_end) {
        transform_range(end, end, dest, initial_offset);
    }
    // Neither: the library finds no range and leaves the string unchanged.
}

void HfString::transform_range(size_t begin, size_t end, const std::vector<HfChange>& dest,
                               size_t initial_offset) {
    const std::string& old = ns_.text();
    const auto& align = ns_.alignments();
    // `cursor` is the old byte position of the next character to be replaced or removed; the
    // library calls it `offset` and reads alignments through it, also outside [begin, end).
    size_t cursor = begin;
    for (size_t k = 0; k < initial_offset && cursor < end; ++k)
        cursor += char_length_at(old, cursor);

    const auto alignment_at = [&](size_t index) -> ByteRange {
        // Past the end the library would panic; the last alignment is the closest sane answer.
        if (index < align.size()) return align[index];
        return align.empty() ? ByteRange{orig_end_, orig_end_} : align.back();
    };
    const auto consume = [&] {
        if (cursor < end) cursor += char_length_at(old, cursor);
    };

    NormalizedString out;
    out.append_from(ns_, 0, begin);
    std::string encoded;
    for (const auto& [c, change] : dest) {
        ByteRange a;
        if (change > 0) {
            // A new character shares the alignment of the byte before it; at the very start
            // there is none and the library uses the empty range at the start.
            a = cursor < 1 ? ByteRange{orig_begin_, orig_begin_} : alignment_at(cursor - 1);
        } else {
            a = alignment_at(cursor);
            consume();
            for (int64_t k = 0; k < -change; ++k)
                consume();
        }
        encoded.clear();
        utf8::append(encoded, c);
        out.append(encoded, a);
    }
    out.append_from(ns_, end, ns_.size());
    ns_ = std::move(out);
}

void HfString::replace(const std::vector<HfPiece>& pieces, std::string_view content) {
    const auto& align = ns_.alignments();
    NormalizedString out;
    for (const auto& p : pieces) {
        if (!p.is_match) {
            out.append_from(ns_, p.begin, p.end);
            continue;
        }
        // Every character of `content` counts as inserted after the whole match was removed,
        // so it takes the alignment of the match's last byte.
        const ByteRange a = p.end < 1 ? ByteRange{orig_begin_, orig_begin_} : align[p.end - 1];
        if (!content.empty()) out.append(content, a);
    }
    ns_ = std::move(out);
}

void HfString::filter(const std::function<bool(char32_t)>& keep) {
    // Each kept character absorbs the removed characters that follow it; removed characters
    // before the first kept one are skipped through the initial offset.
    std::vector<HfChange> dest;
    int64_t removed = 0;
    size_t removed_start = 0;
    bool have_last = false;
    char32_t last = 0;
    for (const auto& ch : chars()) {
        if (keep(ch.c)) {
            if (have_last) {
                dest.push_back({last, -removed});
            } else {
                removed_start = static_cast<size_t>(removed);
            }
            last = ch.c;
            have_last = true;
            removed = 0;
        } else {
            ++removed;
        }
    }
    if (have_last) dest.push_back({last, -removed});
    transform(dest, removed_start);
}

void HfString::map(const std::function<char32_t(char32_t)>& fn) {
    std::vector<HfChange> dest;
    for (const auto& ch : chars())
        dest.push_back({fn(ch.c), 0});
    transform(dest, 0);
}

void HfString::lowercase() {
    std::vector<HfChange> dest;
    std::u32string lowered;
    for (const auto& ch : chars()) {
        lowered.clear();
        hf_append_lowercase(ch.c, lowered);
        for (size_t i = 0; i < lowered.size(); ++i)
            dest.push_back({lowered[i], i > 0 ? 1 : 0});
    }
    transform(dest, 0);
}

void HfString::prepend(std::string_view prefix) {
    if (ns_.empty() || prefix.empty()) return;
    size_t first_len = 0;
    const char32_t first = utf8::decode(ns_.text(), 0, &first_len);
    std::vector<HfChange> dest;
    const std::u32string cps = utf8::to_u32(prefix);
    for (size_t i = 0; i < cps.size(); ++i)
        dest.push_back({cps[i], i != 0 ? 1 : 0});
    dest.push_back({first, 1});
    transform_range(0, first_len, dest, 0);
}

void HfString::strip(bool left, bool right) {
    const auto cs = chars();
    size_t leading = 0, trailing = 0;
    if (left) {
        while (leading < cs.size() && hf_is_whitespace(cs[leading].c))
            ++leading;
    }
    if (right) {
        while (trailing < cs.size() && hf_is_whitespace(cs[cs.size() - 1 - trailing].c)) {
            ++trailing;
        }
    }
    if (leading == 0 && trailing == 0) return;
    const size_t count = cs.size();
    std::vector<HfChange> dest;
    for (size_t i = 0; i < count; ++i) {
        if (i < leading || i >= count - trailing) continue;
        // The library compares a CHARACTER index with a BYTE length here, so the removal of the
        // trailing spaces is attached to a kept character only for ASCII text. It changes no
        // alignment either way (the trailing characters are at the end), but keep it faithful.
        if (trailing <= ns_.size() && i + trailing + 1 == ns_.size()) {
            dest.push_back({cs[i].c, -static_cast<int64_t>(trailing)});
        } else {
            dest.push_back({cs[i].c, 0});
        }
    }
    transform(dest, leading);
}

HfString HfString::slice(size_t begin, size_t end) const {
    HfString out;
    out.ns_ = ns_.slice(begin, end);
    if (begin < end) {
        out.orig_begin_ = ns_.alignments()[begin].begin;
        out.orig_end_ = ns_.alignments()[end - 1].end;
    } else {
        const ByteRange r = ns_.original_range(begin, begin);
        out.orig_begin_ = out.orig_end_ = r.begin;
    }
    return out;
}

std::vector<HfString> HfString::split(const std::vector<HfPiece>& pieces,
                                      HfSplitBehavior behavior) const {
    struct Cut {
        size_t begin, end;
        bool remove;
    };
    std::vector<Cut> cuts;
    switch (behavior) {
        case HfSplitBehavior::kRemoved:
            for (const auto& p : pieces)
                cuts.push_back({p.begin, p.end, p.is_match});
            break;
        case HfSplitBehavior::kIsolated:
            for (const auto& p : pieces)
                cuts.push_back({p.begin, p.end, false});
            break;
        case HfSplitBehavior::kContiguous: {
            bool previous = false;
            for (const auto& p : pieces) {
                if (p.is_match == previous && !cuts.empty()) {
                    cuts.back().end = p.end;
                } else {
                    cuts.push_back({p.begin, p.end, false});
                }
                previous = p.is_match;
            }
            break;
        }
        case HfSplitBehavior::kMergedWithPrevious: {
            bool previous = false;
            for (const auto& p : pieces) {
                if (p.is_match && !previous && !cuts.empty()) {
                    cuts.back().end = p.end;
                } else {
                    cuts.push_back({p.begin, p.end, false});
                }
                previous = p.is_match;
            }
            break;
        }
        case HfSplitBehavior::kMergedWithNext: {
            bool previous = false;
            for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
                if (it->is_match && !previous && !cuts.empty()) {
                    cuts.back().begin = it->begin;
                } else {
                    cuts.push_back({it->begin, it->end, false});
                }
                previous = it->is_match;
            }
            std::reverse(cuts.begin(), cuts.end());
            break;
        }
    }
    std::vector<HfString> out;
    for (const auto& c : cuts) {
        if (c.remove || c.begin >= c.end) continue;
        out.push_back(slice(c.begin, c.end));
    }
    return out;
}

std::vector<HfPiece> find_char_matches(std::string_view text,
                                       const std::function<bool(char32_t)>& is_match) {
    std::vector<HfPiece> pieces;
    if (text.empty()) {
        pieces.push_back({0, 0, false});
        return pieces;
    }
    size_t last = 0, pos = 0;
    while (pos < text.size()) {
        size_t len = 0;
        const char32_t c = utf8::decode(text, pos, &len);
        if (is_match(c)) {
            if (last < pos) pieces.push_back({last, pos, false});
            pieces.push_back({pos, pos + len, true});
            last = pos + len;
        }
        pos += len;
    }
    if (last < text.size()) pieces.push_back({last, text.size(), false});
    return pieces;
}

std::vector<HfPiece> invert_matches(std::vector<HfPiece> pieces) {
    for (auto& p : pieces)
        p.is_match = !p.is_match;
    return pieces;
}

bool hf_is_whitespace(char32_t c) {
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
    return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE) != 0;
}

void hf_append_lowercase(char32_t c, std::u32string& out) {
    if (c < 0x80) {
        out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
        return;
    }
    // ICU's root-locale full mapping of a lone character is the unconditional SpecialCasing +
    // UnicodeData mapping that Rust's char::to_lowercase gives (no final-sigma context).
    UChar src[2];
    int32_t src_len = 0;
    U16_APPEND_UNSAFE(src, src_len, static_cast<UChar32>(c));
    UChar dst[8];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = u_strToLower(dst, 8, src, src_len, "", &status);
    if (U_FAILURE(status)) {
        out.push_back(c);
        return;
    }
    for (int32_t i = 0; i < n;) {
        UChar32 cp;
        U16_NEXT(dst, i, n, cp);
        out.push_back(static_cast<char32_t>(cp));
    }
}

}  // namespace spanguard::tokenizer
