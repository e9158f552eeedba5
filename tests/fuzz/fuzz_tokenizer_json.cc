// Fuzzes Tokenizer::from_tokenizer_json (JSON parsing, normalizer/pre-tokenizer/model sections,
// regex patterns, added tokens) and then encodes a few fixed texts with whatever was accepted.
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/error.h"
#include "tokenizer/tokenizer.h"

using namespace spanguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto tok =
            tokenizer::Tokenizer::from_tokenizer_json(fuzz::as_text(data, size), "fuzz.json");
        static constexpr std::string_view kTexts[] = {"",
                                                      " ",
                                                      "Hello  world",
                                                      "caf\xc3\xa9 \xef\xbc\xa1\xe2\x85\xab",
                                                      "\xf0\x9f\x98\x80 x",
                                                      "a\tb\nc\r\n",
                                                      "[P] person"};
        for (const std::string_view text : kTexts)
            fuzz::check_encoding(tok.encode(text), text);
    } catch (const tokenizer::TokenizerError&) {
    }
    return 0;
}
