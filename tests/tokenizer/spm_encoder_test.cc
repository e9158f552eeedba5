// The spm.model pipeline end to end through Tokenizer. Expected ids and byte offsets are those of
// SentencePiece 0.1.97 (Python: SentencePieceText parsed from encode_as_serialized_proto) on the
// same model; the GLiNER2 marker case is the upstream fixture golden/tokenizer_parity.json.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tokenizer/error.h"
#include "tokenizer/sentencepiece_encoder.h"
#include "tokenizer/spm_model_proto.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::tokenizer {
namespace {

const std::string kModelPath =
    std::string(SPANGUARD_SOURCE_DIR) + "/data/tokenizers/deberta-v3/spm.model";

const Tokenizer& spm_tokenizer() {
    static const Tokenizer tok = Tokenizer::from_file(kModelPath);
    return tok;
}

struct Case {
    std::string text;
    std::vector<int32_t> ids;
    std::vector<ByteRange> offsets;
};

// Each row: SentencePiece's ids and (begin, end) for the text.
const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {"Hello, world!", {5365, 261, 447, 300}, {{0, 5}, {5, 6}, {6, 12}, {12, 13}}},
        {"  leading and trailing spaces  ",
         {1249, 263, 18347, 3654},
         {{2, 9}, {9, 13}, {13, 22}, {22, 29}}},
        {"", {}, {}},
        {"   ", {}, {}},
        {"\xE2\x96\x81", {}, {}},  // a lone U+2581 is dropped as trailing whitespace
        {"a\xE2\x96\x81 \xE2\x96\x81", {266}, {{0, 1}}},
        // Byte fallback: the bytes before the last are empty ranges at the character's start.
        {"\xF4\x8F\xBF\xBD", {507, 248, 147, 195, 193}, {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 4}}},
        {"x\xF3\xA0\x84\x80y",
         {1204, 247, 164, 136, 132, 608},
         {{0, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 5}, {5, 6}}},
        {"\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C \xEF\xAC\x81",
         {3306, 16466},
         {{0, 12}, {12, 16}}},
        {"a\xC2\xA0\xC2\xA0"
         "b",
         {266, 2165},
         {{0, 1}, {1, 6}}},
        // U+00A8 -> " " + U+0308: after a space the replacement loses its leading space.
        {"x\xC2\xA8 \xC2\xA8y", {1204, 34198, 34198, 608}, {{0, 1}, {1, 3}, {3, 6}, {6, 7}}},
        {"\xE2\x80\x8Bx", {1204}, {{3, 4}}},  // ZWSP -> space, dropped as leading whitespace
        {"A\xCC\x82\xCC\x80", {507, 229, 190, 170}, {{0, 0}, {0, 0}, {0, 0}, {0, 5}}},
        {"<0x41>", {2569, 693, 982, 5920, 1504}, {{0, 1}, {1, 2}, {2, 3}, {3, 5}, {5, 6}}},
        {"[CLS]", {647, 16312, 430, 592}, {{0, 1}, {1, 3}, {3, 4}, {4, 5}}},
        {"e\xCC\x81", {14287}, {{0, 3}}},
        {"a\tb\nc\r\nd", {266, 2165, 2285, 1931}, {{0, 1}, {1, 3}, {3, 5}, {5, 8}}},
    };
    return all;
}

TEST(SentencePieceEncoder, MatchesSentencePiece) {
    for (const Case& c : cases()) {
        const Encoding e = spm_tokenizer().encode(c.text);
        EXPECT_EQ(e.ids, c.ids) << c.text;
        EXPECT_EQ(e.offsets, c.offsets) << c.text;
    }
}

TEST(SentencePieceEncoder, GlinerMarkersAsAddedTokens) {
    Tokenizer tok = Tokenizer::from_file(kModelPath);
    tok.add_special_tokens({{"[SEP_STRUCT]", 128001},
                            {"[SEP_TEXT]", 128002},
                            {"[P]", 128003},
                            {"[C]", 128004},
                            {"[E]", 128005},
                            {"[R]", 128006},
                            {"[L]", 128007},
                            {"[EXAMPLE]", 128008},
                            {"[OUTPUT]", 128009},
                            {"[DESCRIPTION]", 128010}});
    const Encoding e = tok.encode("[P] person [E] name");
    EXPECT_EQ(e.ids, (std::vector<int32_t>{128003, 604, 128005, 601}));
    // Between markers, SentencePiece on " person " drops the leading space: begin 3 + 1.
    EXPECT_EQ(e.offsets, (std::vector<ByteRange>{{0, 3}, {4, 10}, {11, 14}, {15, 19}}));
}

TEST(SentencePieceEncoder, VocabularyLookups) {
    const Tokenizer& tok = spm_tokenizer();
    EXPECT_EQ(tok.vocab_size(), 128000u);
    EXPECT_EQ(tok.token_to_id("\xE2\x96\x81Hello"), 5365);
    EXPECT_EQ(tok.token_to_id("[UNK]"), 3);
    EXPECT_EQ(tok.token_to_id("<0xFF>"), 259);
    EXPECT_FALSE(tok.token_to_id("no such piece").has_value());
    EXPECT_EQ(tok.id_to_token(3), "[UNK]");
    EXPECT_EQ(tok.id_to_token(5365), "\xE2\x96\x81Hello");
    EXPECT_THROW(tok.id_to_token(128000), TokenizerError);
    EXPECT_THROW(tok.id_to_token(-1), TokenizerError);
}

TEST(SentencePieceEncoder, NormalizeReportsOriginalOffsets) {
    std::ifstream in(kModelPath, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const SentencePieceEncoder encoder(parse_spm_model(bytes.str(), "spm.model"), "spm.model");
    std::string normalized;
    std::vector<size_t> norm_to_orig;
    // Leading spaces dropped (the dummy prefix maps to the first kept byte), the NBSP run
    // collapsed into one "▁", trailing spaces dropped and the end moved back to them.
    encoder.normalize(
        "  a\xC2\xA0\xC2\xA0"
        "b  ",
        normalized, norm_to_orig);
    EXPECT_EQ(normalized,
              "\xE2\x96\x81"
              "a\xE2\x96\x81"
              "b");
    EXPECT_EQ(norm_to_orig, (std::vector<size_t>{2, 2, 2, 2, 3, 3, 3, 7, 8}));
    encoder.normalize(" \t\xE3\x80\x80", normalized, norm_to_orig);
    EXPECT_TRUE(normalized.empty());
    EXPECT_TRUE(norm_to_orig.empty());
}

TEST(SentencePieceEncoder, ConcurrentEncodesAgree) {
    const Tokenizer& tok = spm_tokenizer();
    std::vector<std::thread> threads;
    std::vector<int> failures(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 200; ++round) {
                for (const Case& c : cases()) {
                    const Encoding e = tok.encode(c.text);
                    failures[static_cast<size_t>(t)] += e.ids != c.ids || e.offsets != c.offsets;
                }
            }
        });
    }
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(failures, (std::vector<int>{0, 0, 0, 0}));
}

TEST(SentencePieceEncoder, RejectsUnusableModels) {
    try {
        Tokenizer::from_spm_model(
            "\x0A\x05"
            "ab",
            "broken.model");
        FAIL() << "accepted a truncated model";
    } catch (const TokenizerError& e) {
        EXPECT_NE(std::string(e.what()).find("broken.model"), std::string::npos) << e.what();
    }
    // A model whose only piece is normal has no unknown piece.
    const std::string one_piece =
        "\x0A\x05\x0A\x01"
        "a\x18\x01";
    try {
        Tokenizer::from_spm_model(one_piece, "nounk.model");
        FAIL() << "accepted a model without an unknown piece";
    } catch (const TokenizerError& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "nounk.model: invalid SentencePiece model: no piece has type UNKNOWN"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(Tokenizer::from_file(kModelPath + ".does-not-exist"), TokenizerError);
}

}  // namespace
}  // namespace spanguard::tokenizer
