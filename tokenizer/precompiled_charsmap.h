// SentencePiece's precompiled normalisation rules ("precompiled_charsmap"): a double-array trie
// over UTF-8 byte strings whose values index NUL-terminated replacement strings.
// Blob layout: [u32 little-endian trie size in bytes][trie units, u32 each][replacement strings].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/normalized_string.h"

namespace spanguard::tokenizer {

class PrecompiledCharsmap {
  public:
    // Validates and copies the blob. Throws TokenizerError naming `source_name` when it is
    // malformed (sizes inconsistent, trie or value offsets out of range).
    PrecompiledCharsmap(std::string_view blob, std::string_view source_name);
    // Copies and moves re-point the view of the replacement strings at the new object's blob.
    PrecompiledCharsmap(const PrecompiledCharsmap& other);
    PrecompiledCharsmap(PrecompiledCharsmap&& other) noexcept;
    PrecompiledCharsmap& operator=(const PrecompiledCharsmap& other);
    PrecompiledCharsmap& operator=(PrecompiledCharsmap&& other) noexcept;

    struct Hit {
        size_t length;                 // bytes of the key matched
        std::string_view replacement;  // may be empty (the key is deleted)
    };
    // Every key that is a prefix of `bytes`, shortest first.
    std::vector<Hit> prefix_matches(std::string_view bytes) const;
    // Allocation-free single lookups: the longest key (SentencePiece's rule) or the shortest
    // key (Hugging Face's "first hit" rule) that is a prefix of `bytes`.
    std::optional<Hit> longest_prefix_match(std::string_view bytes) const;
    std::optional<Hit> first_prefix_match(std::string_view bytes) const;

    // SentencePiece normaliser semantics (normalizer.cc): at each position the LONGEST matching
    // key is replaced; an unmatched code point is copied. Alignment follows the consumed bytes.
    // Whitespace handling (remove_extra_whitespaces, dummy prefix) is not done here.
    NormalizedString normalize_sentencepiece(const NormalizedString& input) const;

    // Hugging Face `Precompiled` normaliser semantics: walks extended grapheme clusters; a cluster
    // shorter than 6 bytes is looked up whole, otherwise (or when the whole cluster has no entry)
    // each code point is looked up on its own.
    NormalizedString normalize_huggingface(const NormalizedString& input) const;

    const std::string& blob() const { return blob_; }

  private:
    std::string blob_;
    std::vector<uint32_t> units_;
    std::string_view strings_;
};

}  // namespace spanguard::tokenizer
