// The editing operations of the Hugging Face tokenizers library's NormalizedString, reproduced on
// top of spanguard's NormalizedString so that every normaliser and pre-tokeniser of the
// tokenizer.json pipeline assigns original offsets exactly as that library does (its offsets are
// what users of tokenizer.json compare against, quirks included).
//
// Units: all positions are UTF-8 byte offsets. Positions into text() are "normalized" offsets;
// alignments and original_begin()/original_end() are offsets into the caller's full input.
// Thread safety: a value type; distinct objects may be used from distinct threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/normalized_string.h"

namespace spanguard::tokenizer {

// One character of a rewritten string and how it relates to the characters it replaces, as in
// the library's `transform`: 0 = replaces the next old character; +1 = inserted (takes the
// alignment of the old byte just before the current position); -n = replaces the next old
// character and removes the n old characters after it.
struct HfChange {
    char32_t c;
    int64_t change;
};

// A piece of a string found by a pattern: [begin, end) in bytes, and whether it is a match of
// the pattern (true) or the text between two matches (false). A pattern's pieces cover the
// whole string in order.
struct HfPiece {
    size_t begin;
    size_t end;
    bool is_match;
};

// What a split does with the matched delimiters (the library's SplitDelimiterBehavior).
enum class HfSplitBehavior {
    kRemoved,
    kIsolated,
    kMergedWithPrevious,
    kMergedWithNext,
    kContiguous
};

class HfString {
  public:
    HfString() = default;
    // `text` (valid UTF-8) is a piece of the caller's input that starts at byte `base` of it.
    // As in the library, every byte of a character is aligned to the whole character.
    HfString(std::string_view text, size_t base);

    const std::string& text() const { return ns_.text(); }
    const NormalizedString& normalized() const { return ns_; }
    bool empty() const { return ns_.empty(); }
    size_t size() const { return ns_.size(); }
    // The original bytes this string was cut from (the library's `offsets_original`). A slice
    // covers the original bytes of its first to its last normalized byte.
    size_t original_begin() const { return orig_begin_; }
    size_t original_end() const { return orig_end_; }
    // Original range of normalized bytes [begin, end) (the library's convert_offsets).
    ByteRange original_range(size_t begin, size_t end) const {
        return ns_.original_range(begin, end);
    }

    // Replaces the normalized text and alignments wholesale (for normalisers that compute them
    // elsewhere, e.g. PrecompiledCharsmap::normalize_huggingface); the original bounds stay.
    void set_normalized(NormalizedString ns) { ns_ = std::move(ns); }

    // The library's `transform`: rewrites the whole string from `dest`, after skipping
    // `initial_offset` old characters.
    void transform(const std::vector<HfChange>& dest, size_t initial_offset);
    // The library's `transform_range` on normalized bytes [begin, end).
    void transform_range(size_t begin, size_t end, const std::vector<HfChange>& dest,
                         size_t initial_offset);

    // Replaces every matched piece by `content`; each inserted character takes the alignment of
    // the last byte of the match it replaces.
    void replace(const std::vector<HfPiece>& pieces, std::string_view content);
    void filter(const std::function<bool(char32_t)>& keep);
    void map(const std::function<char32_t(char32_t)>& fn);
    // Full (unconditional, context-free) lower-casing of each character.
    void lowercase();
    // Inserts `prefix` before a non-empty string; the prefix takes the first character's
    // alignment.
    void prepend(std::string_view prefix);
    // Removes leading and/or trailing White_Space characters.
    void strip(bool left, bool right);

    HfString slice(size_t begin, size_t end) const;
    // Cuts the string at `pieces` (from one of the find_* functions below) as `behavior` says;
    // empty results are dropped, as the library's PreTokenizedString does.
    std::vector<HfString> split(const std::vector<HfPiece>& pieces, HfSplitBehavior behavior) const;

    // Characters of text() with their byte positions.
    struct Char {
        char32_t c;
        size_t begin;
        size_t length;
    };
    std::vector<Char> chars() const;

  private:
    NormalizedString ns_;
    size_t orig_begin_ = 0;
    size_t orig_end_ = 0;
};

// Every character for which `is_match` holds is its own match (the library's Pattern for
// closures and for `char`).
std::vector<HfPiece> find_char_matches(std::string_view text,
                                       const std::function<bool(char32_t)>& is_match);
// Flips is_match on every piece (the library's Invert).
std::vector<HfPiece> invert_matches(std::vector<HfPiece> pieces);

// Rust's char::is_whitespace: the Unicode White_Space property.
bool hf_is_whitespace(char32_t c);
// Appends Rust's char::to_lowercase(c): the full lower-case mapping without context.
void hf_append_lowercase(char32_t c, std::u32string& out);

}  // namespace spanguard::tokenizer
