// tokenizer.json pipeline behaviour on small inputs: ids and original byte offsets, derived by
// hand from the Hugging Face tokenizers library's rules (and cross-checked with that library when
// the tests were written). The vocabulary has single-character pieces of equal score, so each
// normalised character is one token and the offsets show where the library aligns it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace spanguard::tokenizer {
namespace {

// ids: 0 <unk>, 1 ▁, 2 a, 3 b, 4 c, 5 ' ', 6 a▁b, 7 é, 8 e, 9 U+0301, 10 i, 11 U+0307.
constexpr const char* kVocab =
    R"([["<unk>", 0.0], ["▁", -1.0], ["a", -1.0], ["b", -1.0], ["c", -1.0], [" ", -1.0],
        ["a▁b", -0.5], ["é", -1.0], ["e", -1.0], ["́", -1.0], ["i", -1.0], ["̇", -1.0]])";

std::string added_token(const std::string& content, int id, bool normalized) {
    return R"({"id": )" + std::to_string(id) + R"(, "content": ")" + content +
           R"(", "single_word": false, "lstrip": false, "rstrip": false, "normalized": )" +
           (normalized ? "true" : "false") + R"(, "special": true})";
}

// A JSON array of the given JSON values.
std::string json_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ", ";
        out += items[i];
    }
    out += "]";
    return out;
}

Tokenizer make(const std::string& normalizer, const std::string& pre_tokenizer,
               const std::string& added = "[]") {
    const std::string json =
        R"({"version": "1.0", "added_tokens": )" + added + R"(, "normalizer": )" + normalizer +
        R"(, "pre_tokenizer": )" + pre_tokenizer +
        R"(, "model": {"type": "Unigram", "unk_id": 0, "vocab": )" + kVocab + "}}";
    return Tokenizer::from_tokenizer_json(json, "test.json");
}

struct Expected {
    std::vector<int32_t> ids;
    std::vector<ByteRange> offsets;
};

void expect_encoding(const Tokenizer& tok, const std::string& text, const Expected& want) {
    const Encoding e = tok.encode(text);
    EXPECT_EQ(e.ids, want.ids) << "text: " << text;
    ASSERT_EQ(e.offsets.size(), want.offsets.size()) << "text: " << text;
    for (size_t i = 0; i < want.offsets.size(); ++i) {
        EXPECT_EQ(e.offsets[i].begin, want.offsets[i].begin) << "token " << i << " of " << text;
        EXPECT_EQ(e.offsets[i].end, want.offsets[i].end) << "token " << i << " of " << text;
    }
}

constexpr const char* kNone = "null";
const std::string kMetaspaceAlways =
    R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true})";

TEST(TokenizerJsonPipeline, StripBothSides) {
    const auto tok = make(R"({"type": "Strip", "strip_left": true, "strip_right": true})", kNone);
    expect_encoding(tok, "  ab ", {{2, 3}, {{2, 3}, {3, 4}}});
    // U+3000 (3 bytes) and U+00A0 (2 bytes) are White_Space too.
    expect_encoding(tok, "\u3000a\u00a0", {{2}, {{3, 4}}});
    expect_encoding(tok, " \t ", {{}, {}});
}

TEST(TokenizerJsonPipeline, StripLeftOnly) {
    const auto tok = make(R"({"type": "Strip", "strip_left": true, "strip_right": false})", kNone);
    expect_encoding(tok, "  ab ", {{2, 3, 5}, {{2, 3}, {3, 4}, {4, 5}}});
}

TEST(TokenizerJsonPipeline, ReplaceRunOfSpacesAlignsToItsLastSpace) {
    const auto tok =
        make(R"({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "})", kNone);
    expect_encoding(tok, "a   b", {{2, 5, 3}, {{0, 1}, {3, 4}, {4, 5}}});
    expect_encoding(tok, "a b", {{2, 5, 3}, {{0, 1}, {1, 2}, {2, 3}}});
}

TEST(TokenizerJsonPipeline, ReplaceStringThatGrowsOrDeletes) {
    // Every inserted character takes the alignment of the replaced match's last byte.
    const auto grow =
        make(R"({"type": "Replace", "pattern": {"String": "a"}, "content": "bc"})", kNone);
    expect_encoding(grow, "ca", {{4, 3, 4}, {{0, 1}, {1, 2}, {1, 2}}});
    const auto del =
        make(R"({"type": "Replace", "pattern": {"String": "b"}, "content": ""})", kNone);
    expect_encoding(del, "abc", {{2, 4}, {{0, 1}, {2, 3}}});
}

TEST(TokenizerJsonPipeline, MetaspaceAlwaysSplitsBeforeEachReplacement) {
    const auto tok = make(kNone, kMetaspaceAlways);
    // "▁a" "▁b": the prepended ▁ takes the first character's alignment, a space's ▁ its own.
    expect_encoding(tok, "a b", {{1, 2, 1, 3}, {{0, 1}, {0, 1}, {1, 2}, {2, 3}}});
    // A leading space becomes the ▁, so nothing is prepended.
    expect_encoding(tok, " a", {{1, 2}, {{0, 1}, {1, 2}}});
}

TEST(TokenizerJsonPipeline, MetaspaceWithoutSplitLetsPiecesCrossSpaces) {
    const auto tok = make(kNone, R"({"type": "Metaspace", "replacement": "▁",
        "prepend_scheme": "always", "split": false})");
    // "▁a▁b": ▁ + a▁b (-1.5) beats ▁ a ▁ b (-4).
    expect_encoding(tok, "a b", {{1, 6}, {{0, 1}, {0, 3}}});
}

TEST(TokenizerJsonPipeline, MetaspacePrependSchemesAroundAddedTokens) {
    const std::string added = json_list({added_token("[X]", 12, false)});
    const auto first = make(kNone, R"({"type": "Metaspace", "replacement": "▁",
        "prepend_scheme": "first", "split": true})",
                            added);
    // Only the segment at offset 0 of the input gets the ▁.
    expect_encoding(first, "a[X]b", {{1, 2, 12, 3}, {{0, 1}, {0, 1}, {1, 4}, {4, 5}}});
    const auto always = make(kNone, kMetaspaceAlways, added);
    expect_encoding(always, "a[X]b", {{1, 2, 12, 1, 3}, {{0, 1}, {0, 1}, {1, 4}, {4, 5}, {4, 5}}});
    const auto never = make(kNone, R"({"type": "Metaspace", "replacement": "▁",
        "prepend_scheme": "never", "split": true})",
                            added);
    expect_encoding(never, "a[X]b", {{2, 12, 3}, {{0, 1}, {1, 4}, {4, 5}}});
    // The older form: add_prefix_space true means "always".
    const auto legacy = make(
        kNone, R"({"type": "Metaspace", "replacement": "▁", "add_prefix_space": true})", added);
    expect_encoding(legacy, "a[X]b", {{1, 2, 12, 1, 3}, {{0, 1}, {0, 1}, {1, 4}, {4, 5}, {4, 5}}});
}

TEST(TokenizerJsonPipeline, DebertaLayoutOffsetsAreIntoTheWholeInput) {
    // Strip + Metaspace per segment between raw added tokens; offsets stay in input bytes.
    const auto tok = make(R"({"type": "Strip", "strip_left": true, "strip_right": true})",
                          kMetaspaceAlways, json_list({added_token("[X]", 12, false)}));
    expect_encoding(tok, "ab[X] c",
                    {{1, 2, 3, 12, 1, 4}, {{0, 1}, {0, 1}, {1, 2}, {2, 5}, {6, 7}, {6, 7}}});
}

TEST(TokenizerJsonPipeline, WhitespaceSplitDropsWhitespace) {
    const auto tok = make(kNone, R"({"type": "WhitespaceSplit"})");
    expect_encoding(tok, "a \t b", {{2, 3}, {{0, 1}, {4, 5}}});
}

TEST(TokenizerJsonPipeline, SplitBehaviours) {
    const auto removed = make(kNone, R"({"type": "Split", "pattern": {"Regex": "b+"},
        "behavior": "Removed", "invert": false})");
    expect_encoding(removed, "abba", {{2, 2}, {{0, 1}, {3, 4}}});
    const auto inverted = make(kNone, R"({"type": "Split", "pattern": {"Regex": "b+"},
        "behavior": "Removed", "invert": true})");
    expect_encoding(inverted, "abba", {{3, 3}, {{1, 2}, {2, 3}}});
}

TEST(TokenizerJsonPipeline, LowercaseUsesFullMappings) {
    const auto tok = make(R"({"type": "Lowercase"})", kNone);
    expect_encoding(tok, "AB", {{2, 3}, {{0, 1}, {1, 2}}});
    // U+0130 lower-cases to "i" + U+0307; both come from its two bytes.
    expect_encoding(tok, "\u0130", {{10, 11}, {{0, 2}, {0, 2}}});
}

TEST(TokenizerJsonPipeline, UnicodeNormalForms) {
    // NFC composes e + U+0301 into é, which keeps the alignment of its first character only
    // (the composed character "replaces e and removes the mark after it").
    expect_encoding(make(R"({"type": "NFC"})", kNone), "e\u0301", {{7}, {{0, 1}}});
    // NFD decomposes é; both characters keep é's alignment.
    expect_encoding(make(R"({"type": "NFD"})", kNone), "\u00e9", {{8, 9}, {{0, 2}, {0, 2}}});
    // StripAccents drops the combining mark and leaves e where it was.
    expect_encoding(make(R"({"type": "StripAccents"})", kNone), "e\u0301", {{8}, {{0, 1}}});
}

TEST(TokenizerJsonPipeline, NmtAndPrepend) {
    // U+0001 is removed (charged to the "a" before it); U+200B becomes a space.
    expect_encoding(make(R"({"type": "Nmt"})", kNone),
                    "a\x01"
                    "b\u200b"
                    "c",
                    {{2, 3, 5, 4}, {{0, 1}, {2, 3}, {3, 6}, {6, 7}}});
    expect_encoding(make(R"({"type": "Prepend", "prepend": "▁"})", kNone), "ab",
                    {{1, 2, 3}, {{0, 1}, {0, 1}, {1, 2}}});
}

TEST(TokenizerJsonPipeline, BertNormalizer) {
    const auto tok = make(R"({"type": "BertNormalizer", "clean_text": true,
        "handle_chinese_chars": true, "strip_accents": null, "lowercase": true})",
                          kNone);
    // É -> E + U+0301 -> E -> e, all from É's two bytes.
    expect_encoding(tok, "\u00c9", {{8}, {{0, 2}}});
    // A CJK ideograph is surrounded by spaces that share its alignment; it is unknown here.
    expect_encoding(tok,
                    "a\u4e2d"
                    "b",
                    {{2, 5, 0, 5, 3}, {{0, 1}, {1, 4}, {1, 4}, {1, 4}, {4, 5}}});
}

TEST(TokenizerJsonPipeline, NormalizedAddedTokenMatchesNormalizedText) {
    // "BC" is normalised to "bc" like the text, so it matches in "aBCa" after lower-casing.
    const auto tok =
        make(R"({"type": "Lowercase"})", kNone, json_list({added_token("BC", 12, true)}));
    expect_encoding(tok, "aBCa", {{2, 12, 2}, {{0, 1}, {1, 3}, {3, 4}}});
    EXPECT_EQ(tok.token_to_id("BC"), 12);
    EXPECT_EQ(tok.id_to_token(12), "BC");
}

TEST(TokenizerJsonPipeline, UnknownCharactersAreFused) {
    const auto tok = make(kNone, kNone);
    // Two snowmen (3 bytes each) become one <unk>.
    expect_encoding(tok,
                    "a\u2603\u2603"
                    "b",
                    {{2, 0, 3}, {{0, 1}, {1, 7}, {7, 8}}});
}

TEST(TokenizerJsonPipeline, RawAddedTokensMatchBeforeNormalisation) {
    const std::string added =
        json_list({added_token("[X]", 12, false), added_token("a", 2, false)});
    const auto tok = make(R"({"type": "Lowercase"})", kNone, added);
    // "[x]" is not "[X]": raw tokens are matched on the input as it is.
    expect_encoding(tok, "[X][x]", {{12, 0}, {{0, 3}, {3, 6}}});
    EXPECT_EQ(tok.token_to_id("[X]"), 12);
    EXPECT_EQ(tok.vocab_size(), 13u);
}

}  // namespace
}  // namespace spanguard::tokenizer
