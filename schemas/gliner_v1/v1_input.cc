#include "schemas/gliner_v1/v1_input.h"

#include <utility>

namespace spanguard::schemas {

std::vector<tokenizer::Word> split_v1_words(std::string_view text) {
    return tokenizer::split_words(text, tokenizer::WordPattern::kGlinerV1);
}

V1Input build_v1_input(const tokenizer::Tokenizer& tokenizer, const V1Markers& markers,
                       const std::vector<std::string>& types, std::string_view text,
                       std::vector<tokenizer::Word> words, size_t text_words) {
    V1Input in;
    in.text_words = text_words;
    in.input_ids.push_back(markers.cls_id);
    in.word_ids.push_back(-1);
    int32_t word = 0;
    auto add_ids = [&](const std::vector<int32_t>& ids) {
        for (int32_t id : ids) {
            in.input_ids.push_back(id);
            in.word_ids.push_back(word);
        }
        ++word;
    };
    for (const std::string& type : types) {
        in.type_positions.push_back(in.input_ids.size());
        add_ids({markers.ent_id});
        add_ids(tokenizer.encode(type).ids);
    }
    add_ids({markers.sep_token_id});
    in.prompt_words = static_cast<size_t>(word);
    if (words.empty()) {
        // Upstream feeds the special word [PAD] for a text without words; it still gets scores
        // (spans over it are never reported: they cover no text).
        in.empty_text = true;
        in.word_positions.push_back(in.input_ids.size());
        add_ids({markers.pad_id});
    } else {
        for (const tokenizer::Word& w : words) {
            const std::vector<int32_t> ids =
                tokenizer.encode(text.substr(w.start_byte, w.end_byte - w.start_byte)).ids;
            in.word_positions.push_back(ids.empty() ? kNoPosition : in.input_ids.size());
            add_ids(ids);
        }
    }
    in.input_ids.push_back(markers.sep_id);
    in.word_ids.push_back(-1);
    in.words = std::move(words);
    return in;
}

}  // namespace spanguard::schemas
