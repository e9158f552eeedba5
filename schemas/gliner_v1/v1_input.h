// GLiNER v1's model input for one text: the prompt words (for each entity type "<<ENT>>" and the
// type name, then "<<SEP>>"), the text words, and their sub-token ids.
//
//   [CLS] <<ENT>> person <<ENT>> phone number <<SEP>> My name is Ana [SEP]
//
// Every prompt and text word is tokenized alone (a type name with spaces is one word); the first
// sub-token of a text word gives its vector, and each <<ENT>> token its type's vector. A text
// without words becomes the single special word [PAD] (id `pad_id`), as upstream does.
//
// Units: Word offsets are code points and UTF-8 bytes into the text as given.
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {

struct V1Markers {
    int32_t cls_id = 1;
    int32_t sep_id = 2;
    int32_t pad_id = 0;
    int32_t ent_id = -1;        // <<ENT>>
    int32_t sep_token_id = -1;  // <<SEP>>
};

// No sub-token for a text word: its vector is zero (upstream's pooling leaves it so).
inline constexpr size_t kNoPosition = static_cast<size_t>(-1);

struct V1Input {
    std::vector<int32_t> input_ids;
    // For every input id, the index of its word in prompt words + text words; -1 for [CLS]/[SEP].
    std::vector<int32_t> word_ids;
    size_t prompt_words = 0;
    std::vector<size_t> type_positions;  // the <<ENT>> rows, one per entity type
    std::vector<size_t> word_positions;  // first sub-token row of each text word, or kNoPosition
    std::vector<tokenizer::Word> words;  // the text words used (after any cut)
    size_t text_words = 0;               // words the text has before any cut
    bool empty_text = false;             // the text had no words: one [PAD] word stands in
};

// The text's words by GLiNER v1's splitter. Throws tokenizer::TokenizerError for invalid UTF-8.
std::vector<tokenizer::Word> split_v1_words(std::string_view text);

// Builds the input from `words` (all of them: cut them first to keep upstream's max_len). Throws
// tokenizer::TokenizerError for a type name the tokenizer rejects.
V1Input build_v1_input(const tokenizer::Tokenizer& tokenizer, const V1Markers& markers,
                       const std::vector<std::string>& types, std::string_view text,
                       std::vector<tokenizer::Word> words, size_t text_words);

}  // namespace spanguard::schemas
