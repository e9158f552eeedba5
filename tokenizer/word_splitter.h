// GLiNER2's word splitter: the regex of the reference implementation, with Python `re` Unicode
// semantics, applied to the original text; each word also carries its Python `str.lower()` form.
//
// Alternatives tried in order at each position (case-insensitive):
//   URL            https?://\S+ | www\.\S+
//   e-mail         [a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}
//   handle         @[a-z0-9_]+
//   joined word    \w+(?:[-_]\w+)*
//   anything else  one non-whitespace character
// Thread safety: a pure function of its input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spanguard::tokenizer {

struct Word {
    std::string lowered;  // Python str.lower() of the matched text (full case mapping, UTF-8)
    size_t start_cp = 0;  // code point offsets into the input, half-open
    size_t end_cp = 0;
    size_t start_byte = 0;  // UTF-8 byte offsets into the input, half-open
    size_t end_byte = 0;
};

// Which regex: GLiNER2's (above), or GLiNER v1's `\w+(?:[-_]\w+)*|\S` (its "whitespace"
// splitter: the joined-word and single-character alternatives only, case kept).
enum class WordPattern { kGliner2, kGlinerV1 };

// `text` must be valid UTF-8 (throws TokenizerError naming the byte offset otherwise).
std::vector<Word> split_words(std::string_view text, WordPattern pattern = WordPattern::kGliner2);

// Python str.lower() of valid UTF-8 text.
std::string python_lower(std::string_view text);

}  // namespace spanguard::tokenizer
