// Schema + text -> the encoder's input ids and the positions the heads read (GLINER2.md §2.5).
//
// Every GLiNER2 token of the linearised prompt (prompt_builder.h) and every text word is tokenised
// on its own, with no [CLS]/[SEP]; the ids are concatenated. Recorded along the way:
//   * per task block, the position of the first sub-token of each block token whose first
//     sub-token is a pooled marker ([P] [C] [E] [R] [L]): the [P] then one per child;
//   * per text token (choice-prefix tokens first, then the words), the position of its first
//     sub-token. A word that yields no sub-token points at the next position, as in the reference.
//
//   auto tok = load_checkpoint_tokenizer(dir);
//   ModelInputBuilder builder(tok);
//   ModelInput in = builder.build(schema, "Tim Cook is CEO of Apple.");
//
// Units: positions index input_ids; Word offsets are code points and UTF-8 bytes into
// ModelInput::text (the text after the §2.2 end-of-text rule).
// Thread safety: a ModelInputBuilder is immutable; build() may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/prompt/prompt_builder.h"
#include "schemas/schema/schema.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {

struct BlockPositions {
    TaskKind kind;
    size_t index = 0;  // into the Schema vector of this kind
    std::string name;
    // The [P] position, then one position per child in child order.
    std::vector<size_t> marker_positions;
};

// A half-open character range of the text, in both units.
struct TextSpan {
    size_t start_cp = 0;
    size_t end_cp = 0;
    size_t start_byte = 0;
    size_t end_byte = 0;
};

// The schema half of an input, identical for every text of a request: encode it once per request.
struct PromptEncoding {
    std::vector<TaskBlock> blocks;
    std::vector<BlockPositions> block_positions;
    std::vector<std::string> choice_prefix;
    // Blocks, separators, [SEP_TEXT] and the choice prefix.
    std::vector<int32_t> ids;
    // First sub-token position of each choice-prefix token.
    std::vector<size_t> prefix_positions;
};

struct ModelInput {
    std::vector<int32_t> input_ids;
    std::vector<BlockPositions> blocks;
    // Choice-prefix tokens: text positions for the encoder and span grid, without offsets.
    std::vector<std::string> choice_prefix;
    // First sub-token position of every text token: the choice prefix, then the words.
    std::vector<size_t> text_positions;
    // The text after the §2.2 rule, and its words (after any max_len cut).
    std::string text;
    std::vector<tokenizer::Word> words;

    size_t prefix_size() const { return choice_prefix.size(); }
    size_t word_position(size_t word) const { return text_positions[prefix_size() + word]; }
    // Text covered by words first..last (inclusive word indices, first <= last < words.size()).
    TextSpan word_span(size_t first, size_t last) const {
        return {words[first].start_cp, words[last].end_cp, words[first].start_byte,
                words[last].end_byte};
    }
};

class ModelInputBuilder {
  public:
    // Keeps a reference to `tokenizer`, which must outlive the builder. Throws
    // tokenizer::TokenizerError when the tokenizer lacks the GLiNER2 markers.
    explicit ModelInputBuilder(const tokenizer::Tokenizer& tokenizer);

    // Throws RequestError for an empty schema, or for a child name or prompt that starts with a
    // pooled marker token (it would add a marker position the heads do not expect).
    PromptEncoding encode_prompt(const Schema& schema) const;

    // `max_len` keeps only the first max_len words. `path` names the text in errors. Throws
    // RequestError for invalid UTF-8, and for the one input the reference cannot index: a last
    // word (after a max_len cut) that yields no sub-token.
    ModelInput build(const PromptEncoding& prompt, std::string_view text,
                     std::optional<size_t> max_len = std::nullopt,
                     const std::string& path = "text") const;
    ModelInput build(const Schema& schema, std::string_view text,
                     std::optional<size_t> max_len = std::nullopt,
                     const std::string& path = "text") const;
    // One input per text (batched requests); errors name the text as `path[i]`.
    std::vector<ModelInput> build_batch(const Schema& schema, const std::vector<std::string>& texts,
                                        std::optional<size_t> max_len = std::nullopt,
                                        const std::string& path = "texts") const;

  private:
    const tokenizer::Tokenizer& tokenizer_;
    std::vector<int32_t> pooled_ids_;  // ids of [P] [C] [E] [R] [L]
    int32_t sep_struct_id_ = 0;
    int32_t sep_text_id_ = 0;

    bool is_pooled(int32_t id) const;
};

}  // namespace spanguard::schemas
