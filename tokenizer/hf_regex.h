// The patterns of tokenizer.json's Replace normaliser and Split pre-tokeniser: {"String": s}
// (matched literally) or {"Regex": r}. The Hugging Face library compiles both with Oniguruma;
// spanguard uses ICU regular expressions, whose syntax and Unicode classes agree with it for the
// patterns tokenizer.json files use (" {2,}", "\s+", "\p{L}+", ...). Differences remain for
// Oniguruma-only syntax, which ICU rejects with a clear error at load time.
//
// Thread safety: immutable after construction; find() may be called from any number of threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/hf_string.h"

namespace spanguard::tokenizer {

class HfPattern {
  public:
    // Throws TokenizerError("<where>: invalid regular expression '...': <ICU error> at offset N").
    static HfPattern literal(const std::string& text, const std::string& where);
    static HfPattern regex(const std::string& pattern, const std::string& where);

    // Non-overlapping matches left to right, as pieces covering all of `text` (valid UTF-8),
    // byte offsets. An empty `text` gives one empty non-match piece, as in the library.
    std::vector<HfPiece> find(std::string_view text) const;

    const std::string& source() const { return source_; }

    HfPattern(HfPattern&&) noexcept;
    HfPattern& operator=(HfPattern&&) noexcept;
    ~HfPattern();

  private:
    struct Compiled;
    HfPattern(std::string source, std::shared_ptr<const Compiled> compiled);
    std::string source_;
    std::shared_ptr<const Compiled> compiled_;
};

}  // namespace spanguard::tokenizer
