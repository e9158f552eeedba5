// Fuzzes tokenizer::split_words: valid UTF-8 must split without throwing into ordered,
// non-overlapping, in-bounds words; invalid UTF-8 must throw TokenizerError.
#include <cstdint>
#include <vector>

#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/error.h"
#include "tokenizer/utf8.h"
#include "tokenizer/word_splitter.h"

using namespace spanguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    const bool valid = !tokenizer::utf8::find_invalid(text).has_value();
    std::vector<tokenizer::Word> words;
    try {
        words = tokenizer::split_words(text);
    } catch (const tokenizer::TokenizerError&) {
        FUZZ_CHECK(!valid);
        return 0;
    }
    FUZZ_CHECK(valid);
    size_t prev_end_byte = 0;
    size_t prev_end_cp = 0;
    for (const tokenizer::Word& w : words) {
        FUZZ_CHECK(prev_end_byte <= w.start_byte && w.start_byte < w.end_byte);
        FUZZ_CHECK(w.end_byte <= text.size());
        FUZZ_CHECK(prev_end_cp <= w.start_cp && w.start_cp < w.end_cp);
        FUZZ_CHECK(w.end_cp - w.start_cp <= w.end_byte - w.start_byte);
        FUZZ_CHECK(!tokenizer::utf8::find_invalid(w.lowered).has_value());
        prev_end_byte = w.end_byte;
        prev_end_cp = w.end_cp;
    }
    return 0;
}
