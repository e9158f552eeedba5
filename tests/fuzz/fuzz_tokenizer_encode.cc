// Fuzzes Tokenizer::encode with the real DeBERTa-v3 model (data/tokenizers/deberta-v3, loaded once
// with its added tokens): valid UTF-8 must encode without throwing into in-bounds, ordered offsets
// and in-vocabulary ids; invalid UTF-8 must throw TokenizerError.
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/error.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

using namespace spanguard;

namespace {

const tokenizer::Tokenizer& deberta() {
    static const tokenizer::Tokenizer tok = [] {
        const std::string dir = SPANGUARD_SOURCE_DIR "/data/tokenizers/deberta-v3/";
        auto t = tokenizer::Tokenizer::from_file(dir + "spm.model");
        std::ifstream in(dir + "added_tokens.json");
        std::stringstream buffer;
        buffer << in.rdbuf();
        // Named: items() of a temporary would dangle inside the loop.
        const nlohmann::json added_json = nlohmann::json::parse(buffer.str());
        std::vector<std::pair<std::string, int32_t>> added;
        for (const auto& [token, id] : added_json.items()) {
            added.emplace_back(token, id.get<int32_t>());
        }
        t.add_special_tokens(added);
        return t;
    }();
    return tok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const tokenizer::Tokenizer& tok = deberta();
    const std::string_view text = fuzz::as_text(data, size);
    const bool valid = !tokenizer::utf8::find_invalid(text).has_value();
    tokenizer::Encoding e;
    try {
        e = tok.encode(text);
    } catch (const tokenizer::TokenizerError&) {
        FUZZ_CHECK(!valid);
        return 0;
    }
    FUZZ_CHECK(valid);
    FUZZ_CHECK(e.ids.size() == e.offsets.size());
    const auto vocab = static_cast<int64_t>(tok.vocab_size());
    size_t prev_begin = 0;
    for (size_t i = 0; i < e.ids.size(); ++i) {
        FUZZ_CHECK(e.ids[i] >= 0 && e.ids[i] < vocab);
        FUZZ_CHECK(e.offsets[i].begin <= e.offsets[i].end && e.offsets[i].end <= text.size());
        FUZZ_CHECK(prev_begin <= e.offsets[i].begin);
        prev_begin = e.offsets[i].begin;
    }
    return 0;
}
