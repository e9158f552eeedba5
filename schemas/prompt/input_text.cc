#include "schemas/prompt/input_text.h"

#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {

std::string apply_end_of_text_rule(std::string_view text) {
    if (text.empty()) return ".";
    const char last = text.back();
    std::string out(text);
    // The three terminators are ASCII, so the last byte decides (a UTF-8 continuation byte is
    // never one of them).
    if (last != '.' && last != '!' && last != '?') out += '.';
    return out;
}

InputText prepare_input_text(std::string_view text, std::optional<size_t> max_len,
                             const std::string& path) {
    // Checked here, before the splitter sees it, so the message names the request's text.
    if (auto bad = tokenizer::utf8::find_invalid(text)) {
        throw RequestError(path, "invalid UTF-8 at byte offset " + std::to_string(*bad));
    }
    InputText out;
    out.text = apply_end_of_text_rule(text);
    out.words = tokenizer::split_words(out.text);
    if (max_len && out.words.size() > *max_len) out.words.resize(*max_len);
    return out;
}

}  // namespace spanguard::schemas
