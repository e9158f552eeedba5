// spm.model -> tokenizer.json converter: the DeBERTa-v2 layout of GLINER2.md §6, checked field by
// field,
// and the converted file's tokenisation checked against independent references: the real
// gliner2-base-v1 tokenizer (golden/tokenizer_parity.json) and the SentencePiece library.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "shared_fixtures.h"
#include "tokenizer/error.h"
#include "tokenizer/spm_to_tokenizer_json.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::tokenizer {
namespace {

using json = nlohmann::json;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

const std::string& spm_bytes() {
    static const std::string bytes =
        read_file(std::string(SPANGUARD_SOURCE_DIR) + "/data/tokenizers/deberta-v3/spm.model");
    return bytes;
}

// [MASK] and GLiNER2's ten markers, with the ids of reference/special_tokens.json.
std::vector<std::pair<std::string, int32_t>> gliner2_tokens() {
    return {{"[MASK]", 128000},   {"[SEP_STRUCT]", 128001}, {"[SEP_TEXT]", 128002},
            {"[P]", 128003},      {"[C]", 128004},          {"[E]", 128005},
            {"[R]", 128006},      {"[L]", 128007},          {"[EXAMPLE]", 128008},
            {"[OUTPUT]", 128009}, {"[DESCRIPTION]", 128010}};
}

std::string convert(bool transformers, std::vector<std::pair<std::string, int32_t>> extra = {}) {
    SpmConversionOptions options;
    options.transformers_compatible = transformers;
    options.extra_special_tokens = std::move(extra);
    return spm_to_tokenizer_json(spm_bytes(), "spm.model", options);
}

class SpmToTokenizerJson : public ::testing::Test {
  protected:
    void SetUp() override {
        if (spm_bytes().empty()) GTEST_SKIP() << "reference spm.model not found";
    }
};

TEST_F(SpmToTokenizerJson, WritesTheDebertaV2Layout) {
    const json j = json::parse(convert(false, {{"[MASK]", 128000}}));
    EXPECT_EQ(j["version"], "1.0");
    EXPECT_TRUE(j["truncation"].is_null());
    EXPECT_TRUE(j["padding"].is_null());

    const json& added = j["added_tokens"];
    ASSERT_EQ(added.size(), 5u);
    const std::vector<std::pair<std::string, int>> want = {
        {"[PAD]", 0}, {"[CLS]", 1}, {"[SEP]", 2}, {"[UNK]", 3}, {"[MASK]", 128000}};
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(added[i]["content"], want[i].first);
        EXPECT_EQ(added[i]["id"], want[i].second);
        EXPECT_EQ(added[i]["special"], true);
        EXPECT_EQ(added[i]["normalized"], false);
        EXPECT_EQ(added[i]["lstrip"], false);
        EXPECT_EQ(added[i]["rstrip"], false);
        EXPECT_EQ(added[i]["single_word"], false);
    }

    const json& norms = j["normalizer"]["normalizers"];
    EXPECT_EQ(j["normalizer"]["type"], "Sequence");
    ASSERT_EQ(norms.size(), 3u);
    EXPECT_EQ(norms[0],
              json::parse(R"({"type": "Strip", "strip_left": true, "strip_right": true})"));
    EXPECT_EQ(norms[1]["type"], "Precompiled");
    // 237,539 charsmap bytes of the model, base64: 4 characters per 3 bytes, padded.
    EXPECT_EQ(norms[1]["precompiled_charsmap"].get<std::string>().size(), (237539 + 2) / 3 * 4);
    EXPECT_EQ(norms[2],
              json::parse(R"({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})"));

    EXPECT_EQ(j["pre_tokenizer"],
              json::parse(R"({"type": "Sequence", "pretokenizers": [{"type": "Metaspace",
                  "replacement": "▁", "prepend_scheme": "always", "split": true}]})"));
    EXPECT_EQ(j["decoder"], json::parse(R"({"type": "Metaspace", "replacement": "▁",
                  "prepend_scheme": "always", "split": true})"));

    const json& post = j["post_processor"];
    EXPECT_EQ(post["type"], "TemplateProcessing");
    EXPECT_EQ(post["single"], json::parse(R"([{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
        {"Sequence": {"id": "A", "type_id": 0}},
        {"SpecialToken": {"id": "[SEP]", "type_id": 0}}])"));
    EXPECT_EQ(post["special_tokens"]["[CLS]"]["ids"], json::parse("[1]"));
    EXPECT_EQ(post["special_tokens"]["[SEP]"]["ids"], json::parse("[2]"));

    const json& model = j["model"];
    EXPECT_EQ(model["type"], "Unigram");
    EXPECT_EQ(model["unk_id"], 3);
    EXPECT_EQ(model["byte_fallback"], true);  // the model's own setting
    ASSERT_EQ(model["vocab"].size(), 128000u);
    // Pieces and ids as the SentencePiece library lists them (id_to_piece / get_score).
    EXPECT_EQ(model["vocab"][0], json::parse(R"(["[PAD]", 0.0])"));
    EXPECT_EQ(model["vocab"][3], json::parse(R"(["[UNK]", 0.0])"));
    EXPECT_EQ(model["vocab"][4][0], "<0x00>");
    EXPECT_EQ(model["vocab"][5365][0], "▁Hello");
}

TEST_F(SpmToTokenizerJson, TransformersModeWritesByteFallbackFalse) {
    const json j = json::parse(convert(true));
    EXPECT_EQ(j["model"]["byte_fallback"], false);
}

TEST_F(SpmToTokenizerJson, WritesFloatsAsTheLibraryDoes) {
    const std::string text = convert(false);
    // serde_json's layout: zero as 0.0, other scores as the shortest round-trip double of the
    // float32 score; no trailing newline.
    EXPECT_NE(text.find("\"[PAD]\",\n        0.0\n"), std::string::npos);
    EXPECT_NE(text.find("\"▁Hello\",\n        -"), std::string::npos);
    EXPECT_NE(text.back(), '\n');
}

TEST_F(SpmToTokenizerJson, MatchesTheRealGliner2Tokenizer) {
    SPANGUARD_SKIP_WITHOUT_SHARED();
    // golden/tokenizer_parity.json: whole-string tokenisation by fastino/gliner2-base-v1's own
    // tokenizer.json (transformers' conversion, with GLiNER2's markers added).
    const json golden = json::parse(
        read_file(spanguard::testing::shared_dir() + "/reference/golden/tokenizer_parity.json"));
    ASSERT_FALSE(golden["test_cases"].empty());
    for (bool transformers : {true, false}) {
        const Tokenizer tok =
            Tokenizer::from_tokenizer_json(convert(transformers, gliner2_tokens()), "converted");
        for (const json& c : golden["test_cases"]) {
            EXPECT_EQ(tok.encode_ids(c["text"].get<std::string>()),
                      c["token_ids"].get<std::vector<int32_t>>())
                << c["text"] << (transformers ? " (transformers mode)" : " (default mode)");
        }
    }
}

TEST_F(SpmToTokenizerJson, ByteFallbackModes) {
    // U+1AC9 has no piece. The SentencePiece library on spm.model gives byte pieces:
    // "a\u1ac9\u1ac9b" -> [266, 229, 175, 141, 229, 175, 141, 1285]. The Hugging Face library
    // gives every byte piece the range of the whole unknown run; with byte_fallback false (as
    // transformers writes) the run is one [UNK] (id 3).
    const std::string text =
        "a\u1ac9\u1ac9"
        "b";
    const Tokenizer keep = Tokenizer::from_tokenizer_json(convert(false), "default");
    const Encoding e = keep.encode(text);
    EXPECT_EQ(e.ids, (std::vector<int32_t>{266, 229, 175, 141, 229, 175, 141, 1285}));
    for (size_t i = 1; i <= 6; ++i)
        EXPECT_EQ(e.offsets[i], (ByteRange{1, 7}));

    const Tokenizer hf = Tokenizer::from_tokenizer_json(convert(true), "transformers");
    const Encoding u = hf.encode(text);
    EXPECT_EQ(u.ids, (std::vector<int32_t>{266, 3, 1285}));
    EXPECT_EQ(u.offsets, (std::vector<ByteRange>{{0, 1}, {1, 7}, {7, 8}}));
}

TEST_F(SpmToTokenizerJson, ExtraTokenIdsMustBeTheOnesTheLibraryAssigns) {
    const auto error = [](std::vector<std::pair<std::string, int32_t>> extra) -> std::string {
        try {
            convert(false, std::move(extra));
        } catch (const TokenizerError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_EQ(error({{"[MASK]", 128001}}),
              "extra special token '[MASK]' has id 128001, but the Hugging Face library would "
              "assign it id 128000 on load (a model piece keeps its id; other tokens take "
              "consecutive ids after the 128000 pieces, in id order)");
    EXPECT_EQ(error({{"[CLS]", 7}}),
              "extra special token '[CLS]' has id 7 but is already added with id 1");
    EXPECT_EQ(error({{"", 128000}}), "extra special token with id 128000 is empty");
    // A model piece keeps its own id; a repeat of a control piece is written once; the order
    // given does not matter.
    EXPECT_EQ(error({{"[P]", 128001}, {"▁Hello", 5365}, {"[CLS]", 1}, {"[MASK]", 128000}}), "");
    const json j = json::parse(convert(false, {{"[P]", 128001}, {"[CLS]", 1}, {"[MASK]", 128000}}));
    ASSERT_EQ(j["added_tokens"].size(), 6u);
    EXPECT_EQ(j["added_tokens"][4]["content"], "[MASK]");
    EXPECT_EQ(j["added_tokens"][5]["content"], "[P]");
}

TEST_F(SpmToTokenizerJson, RefusesSettingsTheLayoutCannotExpress) {
    // Appending a NormalizerSpec (ModelProto field 3) with add_dummy_prefix (field 3) = false;
    // protobuf merges it into the model's own spec.
    std::string bytes = spm_bytes();
    bytes += std::string("\x1a\x02\x18\x00", 4);
    SpmConversionOptions options;
    try {
        spm_to_tokenizer_json(bytes, "odd.model", options);
        FAIL() << "expected an error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "odd.model: normalizer_spec add_dummy_prefix is false, which the DeBERTa-v2 "
                  "tokenizer.json layout cannot express (use the transformers-compatible mode to "
                  "convert anyway)");
    }
    options.transformers_compatible = true;
    EXPECT_NO_THROW(spm_to_tokenizer_json(bytes, "odd.model", options));
}

TEST_F(SpmToTokenizerJson, RejectsWhatIsNotAModel) {
    EXPECT_THROW(spm_to_tokenizer_json("definitely not a model", "junk.model", {}), TokenizerError);
}

}  // namespace
}  // namespace spanguard::tokenizer
