// Long documents (GLINER2.md §4.7): overlapping windows of words, each run as its own request with
// max_len = chunk_size and its span offsets shifted back by the window start.
//
// The document is split with the GLiNER2 word splitter as given (before the §2.2 rule). Window k
// covers words [k*step, min(k*step + chunk_size, n)) with step = chunk_size - chunk_overlap; the
// last window ends at the last word. A window's text is the document substring from its first
// word's start to its last word's end. A document without words is one window: the whole text.
//
// Units: code points and UTF-8 bytes into the document, half-open.
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/prompt/model_input.h"

namespace spanguard::schemas {

inline constexpr size_t kDefaultChunkSize = 384;
inline constexpr size_t kDefaultChunkOverlap = 64;

struct TextWindow {
    std::string text;  // document substring [start_byte, end_byte)
    size_t start_cp = 0;
    size_t end_cp = 0;
    size_t start_byte = 0;
    size_t end_byte = 0;
    size_t first_word = 0;  // word range [first_word, end_word) of the document's words
    size_t end_word = 0;
};

// A span found in a window's input (offsets into the window text after the §2.2 rule) moved to
// document offsets. A span that covers the window input's synthetic final "." ends one code point
// (one byte) past the window; callers re-slice text from the document only when the shifted span
// lies inside it, as the reference does.
inline TextSpan to_document_span(const TextWindow& window, const TextSpan& local) {
    return {local.start_cp + window.start_cp, local.end_cp + window.start_cp,
            local.start_byte + window.start_byte, local.end_byte + window.start_byte};
}

// Throws RequestError for chunk_size == 0 or chunk_overlap >= chunk_size, and for text that is
// not valid UTF-8 (naming `path` and the byte offset).
std::vector<TextWindow> split_text_windows(std::string_view text,
                                           size_t chunk_size = kDefaultChunkSize,
                                           size_t chunk_overlap = kDefaultChunkOverlap,
                                           const std::string& path = "text");

}  // namespace spanguard::schemas
