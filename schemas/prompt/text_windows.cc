#include "schemas/prompt/text_windows.h"

#include <algorithm>

#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"
#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {

std::vector<TextWindow> split_text_windows(std::string_view text, size_t chunk_size,
                                           size_t chunk_overlap, const std::string& path) {
    if (chunk_size == 0) throw RequestError("chunk_size", "chunk_size must be greater than 0");
    if (chunk_overlap >= chunk_size) {
        throw RequestError("chunk_overlap", "chunk_overlap must be smaller than chunk_size");
    }
    if (auto bad = tokenizer::utf8::find_invalid(text)) {
        throw RequestError(path, "invalid UTF-8 at byte offset " + std::to_string(*bad));
    }
    const auto words = tokenizer::split_words(text);
    std::vector<TextWindow> windows;
    if (words.empty()) {
        TextWindow whole;
        whole.text = std::string(text);
        whole.end_cp = tokenizer::utf8::CodePointIndex(text).code_point_count();
        whole.end_byte = text.size();
        windows.push_back(std::move(whole));
        return windows;
    }
    const size_t step = chunk_size - chunk_overlap;
    for (size_t first = 0; first < words.size(); first += step) {
        const size_t end = std::min(first + chunk_size, words.size());
        TextWindow w;
        w.start_cp = words[first].start_cp;
        w.end_cp = words[end - 1].end_cp;
        w.start_byte = words[first].start_byte;
        w.end_byte = words[end - 1].end_byte;
        w.text = std::string(text.substr(w.start_byte, w.end_byte - w.start_byte));
        w.first_word = first;
        w.end_word = end;
        windows.push_back(std::move(w));
        if (end == words.size()) break;
    }
    return windows;
}

}  // namespace spanguard::schemas
