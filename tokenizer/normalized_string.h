// A string under normalisation that remembers, for every byte, which bytes of the original input it
// came from. Offsets reported to users are always original offsets, so every stage that rewrites
// text (charsmap folding, whitespace collapsing, lower-casing, the "▁" prefix) goes through here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spanguard::tokenizer {

// Half-open range [begin, end) of UTF-8 byte offsets.
struct ByteRange {
    size_t begin = 0;
    size_t end = 0;
    bool operator==(const ByteRange&) const = default;
};

class NormalizedString {
  public:
    NormalizedString() = default;
    // Identity alignment: byte i of `original` maps to [base + i, base + i + 1), where `base` is
    // the offset of `original` inside the caller's full input.
    explicit NormalizedString(std::string_view original, size_t base = 0);

    const std::string& text() const { return text_; }
    // One entry per byte of text(): the original bytes that byte was produced from.
    const std::vector<ByteRange>& alignments() const { return align_; }
    bool empty() const { return text_.empty(); }
    size_t size() const { return text_.size(); }

    // Appends `piece`; each of its bytes is attributed to `original`.
    void append(std::string_view piece, ByteRange original);
    // Appends bytes [begin, end) of `other`, keeping their alignments.
    void append_from(const NormalizedString& other, size_t begin, size_t end);

    // Original range covered by normalized bytes [begin, end): first byte's begin to last byte's
    // end. For an empty range it is the empty range at the original position of `begin`.
    ByteRange original_range(size_t begin, size_t end) const;

    NormalizedString slice(size_t begin, size_t end) const;

  private:
    std::string text_;
    std::vector<ByteRange> align_;
};

}  // namespace spanguard::tokenizer
