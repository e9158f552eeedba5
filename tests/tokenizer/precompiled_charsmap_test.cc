// PrecompiledCharsmap: blob validation, trie lookups, and both normalisers. Expected foldings of
// the real nmt_nfkc charsmap were checked with SentencePiece's own `spm_normalize` (0.1.97); the
// Hugging Face expectations (text and alignments) with the tokenizers library 0.22.2 (its
// `Precompiled` normaliser, offsets read back through a one-token-per-character tokenizer).
#include "tokenizer/precompiled_charsmap.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tokenizer/error.h"
#include "tokenizer/spm_model_proto.h"

namespace spanguard::tokenizer {
namespace {

const std::string& real_blob() {
    static const std::string blob = [] {
        std::ifstream in(
            std::string(SPANGUARD_SOURCE_DIR) + "/data/tokenizers/deberta-v3/spm.model",
            std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return parse_spm_model(s.str(), "spm.model").normalizer.precompiled_charsmap;
    }();
    return blob;
}

const PrecompiledCharsmap& real_charsmap() {
    static const PrecompiledCharsmap charsmap(real_blob(), "spm.model");
    return charsmap;
}

std::string le32(uint32_t v) {
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i)
        out[static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return out;
}

// A hand-built darts-clone array with keys "a" (value `value_a`) and "ab" (value `value_ab`):
// root base 1; node 'a' at 1^0x61 = 96 with base 96^leaf_offset_a; its value unit at that base;
// node 'b' at 97^0x62 = 3 with base 2, value unit at 2.
std::string tiny_blob(const std::string& strings, uint32_t value_a = 0, uint32_t value_ab = 2,
                      uint32_t leaf_offset_a = 1) {
    std::vector<uint32_t> units(256, 0);
    units[0] = 1u << 10;
    units[96] = 0x61u | (1u << 8) | (leaf_offset_a << 10);
    units[97] = (1u << 31) | value_a;
    units[3] = 0x62u | (1u << 8) | (1u << 10);
    units[2] = (1u << 31) | value_ab;
    std::string blob = le32(static_cast<uint32_t>(units.size() * 4));
    for (uint32_t u : units)
        blob += le32(u);
    return blob + strings;
}

void expect_malformed(const std::string& blob, const std::string& fragment) {
    try {
        PrecompiledCharsmap charsmap(blob, "bad.model");
        FAIL() << "accepted; expected an error containing '" << fragment << "'";
    } catch (const TokenizerError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("bad.model"), std::string::npos) << message;
        EXPECT_NE(message.find(fragment), std::string::npos) << message;
    }
}

std::string sp_normalize(std::string_view text) {
    return real_charsmap().normalize_sentencepiece(NormalizedString(text)).text();
}

std::vector<ByteRange> char_alignments(const NormalizedString& n) {
    // One range per output character (the union over its bytes).
    std::vector<ByteRange> out;
    const std::string& t = n.text();
    for (size_t i = 0; i < t.size();) {
        size_t len = 1;
        const auto lead = static_cast<unsigned char>(t[i]);
        if (lead >= 0xF0)
            len = 4;
        else if (lead >= 0xE0)
            len = 3;
        else if (lead >= 0xC0)
            len = 2;
        out.push_back(n.original_range(i, i + len));
        i += len;
    }
    return out;
}

TEST(PrecompiledCharsmap, TinyTrieLookups) {
    const PrecompiledCharsmap m(tiny_blob(std::string("X\0Y\0", 4)), "tiny");
    const auto hits = m.prefix_matches("abc");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].length, 1u);
    EXPECT_EQ(hits[0].replacement, "X");
    EXPECT_EQ(hits[1].length, 2u);
    EXPECT_EQ(hits[1].replacement, "Y");
    EXPECT_EQ(m.longest_prefix_match("abc")->replacement, "Y");
    EXPECT_EQ(m.first_prefix_match("abc")->replacement, "X");
    EXPECT_EQ(m.longest_prefix_match("ac")->length, 1u);
    EXPECT_FALSE(m.longest_prefix_match("ba").has_value());
    EXPECT_FALSE(m.first_prefix_match("").has_value());
    EXPECT_TRUE(m.prefix_matches("zzz").empty());
    EXPECT_EQ(m.normalize_sentencepiece(NormalizedString("aabab")).text(), "XYY");
}

TEST(PrecompiledCharsmap, CopiesAndMovesOwnTheirStrings) {
    std::optional<PrecompiledCharsmap> original(std::in_place, tiny_blob(std::string("X\0Y\0", 4)),
                                                "tiny");
    PrecompiledCharsmap copy(*original);
    PrecompiledCharsmap assigned = copy;
    assigned = *original;
    original.reset();
    EXPECT_EQ(copy.longest_prefix_match("ab")->replacement, "Y");
    PrecompiledCharsmap moved(std::move(copy));
    EXPECT_EQ(moved.first_prefix_match("ab")->replacement, "X");
    EXPECT_EQ(assigned.longest_prefix_match("a")->replacement, "X");
}

TEST(PrecompiledCharsmap, RejectsMalformedBlobs) {
    expect_malformed("", "too short for the 4-byte trie size header");
    expect_malformed("abc", "3 bytes, too short");
    expect_malformed(le32(0) + "xxxx",
                     "trie size 0 (byte offset 0) is not a positive multiple of 4");
    expect_malformed(le32(6) + "xxxxxxxx", "trie size 6");
    expect_malformed(le32(1024) + std::string(10, '\0'),
                     "trie size 1024 (byte offset 0) exceeds the 10 bytes");
    expect_malformed(tiny_blob(std::string("X\0", 2), 100, 0), "replacement offset 100");
    // The value starts inside the string area but no NUL terminates it.
    expect_malformed(tiny_blob(std::string("X\0YY", 4)), "replacement offset 2");
    expect_malformed(tiny_blob(std::string("X\0Y\0", 4), 0, 2, 1024),
                     "points at unit 1120, beyond the 256 units");
    expect_malformed(tiny_blob(std::string("X\0\xFF\0", 4)), "not valid UTF-8 at byte offset 1030");
    // A value in a trie with no strings at all.
    expect_malformed(tiny_blob(""), "outside the 0 bytes of NUL-terminated replacement strings");
}

TEST(PrecompiledCharsmap, RealCharsmapFoldings) {
    // Each checked with spm_normalize --model=spm.model --remove_extra_whitespaces=false.
    EXPECT_EQ(sp_normalize("\xEF\xBC\xA6"), "F");                  // fullwidth F
    EXPECT_EQ(sp_normalize("\xEF\xAC\x81"), "fi");                 // U+FB01 ligature
    EXPECT_EQ(sp_normalize("\xC2\xA0x\xC2\xA0y"), " x y");         // NBSP
    EXPECT_EQ(sp_normalize("\xE2\x91\xA0\xE3\x8E\x8F"), "1kg");    // circled 1, square kg
    EXPECT_EQ(sp_normalize("A\xCC\x82\xCC\x80"), "\xE1\xBA\xA6");  // A + U+0302 + U+0300 -> U+1EA6
    EXPECT_EQ(sp_normalize("\x01"
                           "a\x7F"
                           "b"),
              "ab");  // control characters deleted
    EXPECT_EQ(sp_normalize("x\t\ty"), "x  y");
    EXPECT_EQ(sp_normalize("\xE3\x80\x80z"), " z");   // U+3000
    EXPECT_EQ(sp_normalize("\xC3\x85"), "\xC3\x85");  // already NFKC: unchanged
    EXPECT_EQ(sp_normalize("plain ASCII text."), "plain ASCII text.");
    EXPECT_EQ(sp_normalize(""), "");
}

TEST(PrecompiledCharsmap, RealCharsmapPrefixRules) {
    const auto& m = real_charsmap();
    // Both "A+U+0302" and "A+U+0302+U+0300" are keys: SentencePiece takes the longest, Hugging
    // Face the first (shortest).
    const auto hits = m.prefix_matches("A\xCC\x82\xCC\x80z");
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0].length, 3u);
    EXPECT_EQ(hits[0].replacement, "\xC3\x82");
    EXPECT_EQ(hits[1].length, 5u);
    EXPECT_EQ(hits[1].replacement, "\xE1\xBA\xA6");
    EXPECT_EQ(m.longest_prefix_match("A\xCC\x82\xCC\x80")->length, 5u);
    EXPECT_EQ(m.first_prefix_match("A\xCC\x82\xCC\x80")->length, 3u);
    const auto deleted = m.longest_prefix_match("\x01");
    ASSERT_TRUE(deleted.has_value());
    EXPECT_TRUE(deleted->replacement.empty());
    EXPECT_FALSE(m.longest_prefix_match("abc").has_value());
}

TEST(PrecompiledCharsmap, SentencePieceAlignmentFollowsConsumedBytes) {
    // "aﬁ\x01Ｆ" -> "afiF": both bytes of "fi" come from the 3 bytes of U+FB01; the deleted \x01
    // leaves no trace; F comes from the 3 bytes of U+FF26.
    const NormalizedString n = real_charsmap().normalize_sentencepiece(
        NormalizedString("a\xEF\xAC\x81\x01\xEF\xBC\xA6", 10));
    EXPECT_EQ(n.text(), "afiF");
    const std::vector<ByteRange> expected = {{10, 11}, {11, 14}, {11, 14}, {15, 18}};
    EXPECT_EQ(n.alignments(), expected);
}

TEST(PrecompiledCharsmap, HuggingFaceFirstHitReplacesTheWholeGrapheme) {
    const auto& m = real_charsmap();
    const auto hf = [&](std::string_view s) {
        return m.normalize_huggingface(NormalizedString(s));
    };
    // The grapheme A+U+0302+U+0300 (5 bytes) is replaced by the shortest key's value: the
    // grave accent is lost, unlike in SentencePiece.
    EXPECT_EQ(hf("A\xCC\x82\xCC\x80z").text(), "\xC3\x82z");
    EXPECT_EQ(hf("\xEF\xAC\x81\xCC\x81").text(), "fi");     // U+FB01 + U+0301
    EXPECT_EQ(hf("\xC2\xA0\xCC\x81").text(), " ");          // NBSP + U+0301
    EXPECT_EQ(hf("e\xCC\x81\xCC\x81").text(), "\xC3\xA9");  // e + 2 x U+0301
    EXPECT_EQ(hf("x\r\ny").text(), "x y");                  // CR LF is one grapheme
    // U+0897 became a grapheme extender in Unicode 16.0, the version Hugging Face follows.
    EXPECT_EQ(hf("\xC2\xA0\xE0\xA2\x97").text(), " ");
    // Graphemes of 6 bytes or more are looked up per character.
    EXPECT_EQ(hf("\xEF\xAC\x81\xCC\x81\xCC\x81").text(), "fi\xCC\x81\xCC\x81");
    EXPECT_EQ(hf("\xEF\xBC\xA6\xEF\xBD\x95ll \xE2\x91\xA0").text(), "Full 1");
}

TEST(PrecompiledCharsmap, HuggingFaceAlignments) {
    const auto& m = real_charsmap();
    const auto aligned = [&](std::string_view s) {
        return char_alignments(m.normalize_huggingface(NormalizedString(s)));
    };
    using R = std::vector<ByteRange>;
    // A replacement with fewer characters is aligned to the first replaced character only.
    EXPECT_EQ(aligned("A\xCC\x82\xCC\x80z"), (R{{0, 1}, {5, 6}}));
    EXPECT_EQ(aligned("x\r\ny"), (R{{0, 1}, {1, 2}, {3, 4}}));
    // Extra characters share the alignment of the character they came from.
    EXPECT_EQ(aligned("\xEF\xAC\x81x"), (R{{0, 3}, {0, 3}, {3, 4}}));
    // A deleted character is charged to the previous output character: after "fi" the inserted
    // "i" takes over the deleted \x01's alignment.
    EXPECT_EQ(aligned("\xEF\xAC\x81\x01x"), (R{{0, 3}, {3, 4}, {4, 5}}));
    // A deleted first character is charged to nobody, so what follows shifts by one character.
    EXPECT_EQ(aligned("\x01"
                      "ab"),
              (R{{0, 1}, {1, 2}}));
    // Untouched input keeps its alignment.
    const NormalizedString plain("abc", 7);
    EXPECT_EQ(m.normalize_huggingface(plain).alignments(), plain.alignments());
}

}  // namespace
}  // namespace spanguard::tokenizer
