// The text half of a GLiNER2 input: the end-of-text rule of GLINER2.md §2.2, word splitting (§2.3)
// and
// the optional `max_len` word limit.
//
// Units: Word offsets are code points and UTF-8 bytes into InputText::text, the text *after* the
// §2.2 rule (so a span may cover the synthetic final "." and reach len(original) + 1).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {

// Spec §2.2: an empty text becomes "."; a text that does not end with '.', '!' or '?' gets a "."
// appended; any other text is unchanged.
std::string apply_end_of_text_rule(std::string_view text);

struct InputText {
    std::string text;                    // after apply_end_of_text_rule
    std::vector<tokenizer::Word> words;  // split_words(text), at most max_len of them
};

// Throws RequestError(path, "invalid UTF-8 at byte offset N") for text that is not valid UTF-8
// (N is a byte offset into `text` as given).
InputText prepare_input_text(std::string_view text, std::optional<size_t> max_len,
                             const std::string& path = "text");

}  // namespace spanguard::schemas
