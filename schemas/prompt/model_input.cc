#include "schemas/prompt/model_input.h"

#include <algorithm>

#include "schemas/prompt/checkpoint_tokenizer.h"
#include "schemas/prompt/input_text.h"
#include "schemas/prompt/markers.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

const char* kind_name(TaskKind kind) {
    switch (kind) {
        case TaskKind::kStructure:
            return "structure";
        case TaskKind::kEntities:
            return "entity";
        case TaskKind::kRelation:
            return "relation";
        case TaskKind::kClassification:
            return "classification";
    }
    return "task";
}

// Schema strings from the parser are valid UTF-8, but a Schema built in code may not be: report
// the task and the string rather than the tokenizer's bare "input text".
std::vector<int32_t> encode_schema_string(const tokenizer::Tokenizer& tok, const std::string& s,
                                          const std::string& owner) {
    if (auto bad = tokenizer::utf8::find_invalid(s)) {
        throw RequestError("", owner + ": '" + tokenizer::utf8::replace_invalid(s) +
                                   "' is not valid UTF-8 (byte offset " + std::to_string(*bad) +
                                   ")");
    }
    return tok.encode(s).ids;
}

}  // namespace

ModelInputBuilder::ModelInputBuilder(const tokenizer::Tokenizer& tokenizer)
    : tokenizer_(tokenizer) {
    require_gliner2_markers(tokenizer_, "the tokenizer");
    for (auto marker : markers::kPooled)
        pooled_ids_.push_back(*tokenizer_.token_to_id(marker));
    sep_struct_id_ = *tokenizer_.token_to_id(markers::kSepStruct);
    sep_text_id_ = *tokenizer_.token_to_id(markers::kSepText);
}

bool ModelInputBuilder::is_pooled(int32_t id) const {
    return std::find(pooled_ids_.begin(), pooled_ids_.end(), id) != pooled_ids_.end();
}

PromptEncoding ModelInputBuilder::encode_prompt(const Schema& schema) const {
    if (schema.empty()) throw RequestError("", "the schema has no task");
    PromptEncoding out;
    out.blocks = build_task_blocks(schema);
    out.choice_prefix = build_choice_prefix(schema);

    for (size_t b = 0; b < out.blocks.size(); ++b) {
        const TaskBlock& block = out.blocks[b];
        if (b > 0) out.ids.push_back(sep_struct_id_);
        BlockPositions positions{block.kind, block.index, block.name, {}};
        // Names the block in errors, e.g. "entity task 'entities'".
        const std::string owner = std::string(kind_name(block.kind)) + " task '" +
                                  tokenizer::utf8::replace_invalid(block.name) + "'";
        for (size_t t = 0; t < block.tokens.size(); ++t) {
            const size_t position = out.ids.size();
            const auto ids = encode_schema_string(tokenizer_, block.tokens[t], owner);
            out.ids.insert(out.ids.end(), ids.begin(), ids.end());
            // The reference pools every block token whose first sub-token is a pooled marker.
            if (ids.empty() || !is_pooled(ids[0])) continue;
            // Block tokens are "(", "[P]", prompt, "(", then marker/child pairs: the markers sit
            // at index 1 and at even indices from 4. Anything else starting with a marker would
            // shift every later position the heads read.
            const bool expected = t == 1 || (t >= 4 && t % 2 == 0 && t + 2 < block.tokens.size());
            if (!expected) {
                throw RequestError("", owner + ": '" + block.tokens[t] +
                                           "' starts with a GLiNER2 marker token, which the "
                                           "model would read as an extra task or child marker");
            }
            positions.marker_positions.push_back(position);
        }
        out.block_positions.push_back(std::move(positions));
    }
    out.ids.push_back(sep_text_id_);
    for (const auto& token : out.choice_prefix) {
        out.prefix_positions.push_back(out.ids.size());
        const auto ids = encode_schema_string(tokenizer_, token, "choice prefix");
        out.ids.insert(out.ids.end(), ids.begin(), ids.end());
    }
    return out;
}

ModelInput ModelInputBuilder::build(const PromptEncoding& prompt, std::string_view text,
                                    std::optional<size_t> max_len, const std::string& path) const {
    InputText input = prepare_input_text(text, max_len, path);
    ModelInput out;
    out.input_ids = prompt.ids;
    out.blocks = prompt.block_positions;
    out.choice_prefix = prompt.choice_prefix;
    out.text_positions = prompt.prefix_positions;
    out.text_positions.reserve(prompt.prefix_positions.size() + input.words.size());
    for (size_t w = 0; w < input.words.size(); ++w) {
        // A word with no sub-token still gets a row, pointing at the next position.
        out.text_positions.push_back(out.input_ids.size());
        const auto ids = tokenizer_.encode(input.words[w].lowered).ids;
        out.input_ids.insert(out.input_ids.end(), ids.begin(), ids.end());
    }
    if (!input.words.empty() && out.text_positions.back() == out.input_ids.size()) {
        // Only reachable through a max_len cut: the full text always ends in '.', '!' or '?'.
        throw RequestError(path, "the last word (word " + std::to_string(input.words.size() - 1) +
                                     ", byte offset " +
                                     std::to_string(input.words.back().start_byte) +
                                     ") yields no sub-token, so it has no position to read");
    }
    out.text = std::move(input.text);
    out.words = std::move(input.words);
    return out;
}

ModelInput ModelInputBuilder::build(const Schema& schema, std::string_view text,
                                    std::optional<size_t> max_len, const std::string& path) const {
    return build(encode_prompt(schema), text, max_len, path);
}

std::vector<ModelInput> ModelInputBuilder::build_batch(const Schema& schema,
                                                       const std::vector<std::string>& texts,
                                                       std::optional<size_t> max_len,
                                                       const std::string& path) const {
    const PromptEncoding prompt = encode_prompt(schema);
    std::vector<ModelInput> out;
    out.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        out.push_back(build(prompt, texts[i], max_len, index_path(path, i)));
    }
    return out;
}

}  // namespace spanguard::schemas
