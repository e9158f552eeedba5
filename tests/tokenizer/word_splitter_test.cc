// Unit tests of the GLiNER2 word splitter and python_lower(). Every expected value below was
// produced by CPython 3.11 (`re.finditer` with the reference pattern and re.IGNORECASE, then
// str.lower()); tests/python/test_word_splitter_differential.py compares at scale.
#include "tokenizer/word_splitter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {
namespace {

// (lowered word, start code point, end code point, start byte, end byte)
using Expected = std::tuple<std::string, size_t, size_t, size_t, size_t>;

std::vector<Expected> split(const std::string& text) {
    std::vector<Expected> out;
    for (const Word& w : split_words(text)) {
        out.emplace_back(w.lowered, w.start_cp, w.end_cp, w.start_byte, w.end_byte);
    }
    return out;
}

// Only the lowered words, for tests where the offsets are obvious.
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    for (const Word& w : split_words(text))
        out.push_back(w.lowered);
    return out;
}

// The splitter examples of schemas/GLINER2.md §2.3 and upstream's own.
TEST(WordSplitter, SpecVectors) {
    EXPECT_EQ(split("e-mail: John.Doe@Example.COM!"),
              (std::vector<Expected>{{"e-mail", 0, 6, 0, 6},
                                     {":", 6, 7, 6, 7},
                                     {"john.doe@example.com", 8, 28, 8, 28},
                                     {"!", 28, 29, 28, 29}}));
    EXPECT_EQ(split("see https://x.y/z?a=1."),
              (std::vector<Expected>{{"see", 0, 3, 0, 3}, {"https://x.y/z?a=1.", 4, 22, 4, 22}}));
    EXPECT_EQ(split("@user_1 ok"),
              (std::vector<Expected>{{"@user_1", 0, 7, 0, 7}, {"ok", 8, 10, 8, 10}}));
    EXPECT_EQ(split("$999"), (std::vector<Expected>{{"$", 0, 1, 0, 1}, {"999", 1, 4, 1, 4}}));
    EXPECT_EQ(words_of("U.S.A."), (std::vector<std::string>{"u", ".", "s", ".", "a", "."}));
    EXPECT_EQ(split("na\u00efve-ish_x"),
              (std::vector<Expected>{{"na\u00efve-ish_x", 0, 11, 0, 12}}));
    EXPECT_EQ(split("\uff13\uff15"), (std::vector<Expected>{{"\uff13\uff15", 0, 2, 0, 6}}));
    // U+0130 lowers to "i" + U+0307: the lowered word is one code point longer than the match.
    EXPECT_EQ(split("\u0130stanbul"), (std::vector<Expected>{{"i\u0307stanbul", 0, 8, 0, 9}}));
}

TEST(WordSplitter, EmptyAndWhitespaceOnly) {
    EXPECT_TRUE(split_words("").empty());
    // Space, tab, the information separators, NEL, NBSP, em space, ideographic space, LS, PS.
    EXPECT_TRUE(split_words(" \t\n\x1c\x1f\u0085\u00a0\u2003\u3000\u2028\u2029").empty());
}

TEST(WordSplitter, UnicodeWhitespaceSeparatesWords) {
    EXPECT_EQ(split("x\u00a0y\u2003z\u3000w\u0085v\x1cu"),
              (std::vector<Expected>{{"x", 0, 1, 0, 1},
                                     {"y", 2, 3, 3, 4},
                                     {"z", 4, 5, 7, 8},
                                     {"w", 6, 7, 11, 12},
                                     {"v", 8, 9, 14, 15},
                                     {"u", 10, 11, 16, 17}}));
    // U+200B ZERO WIDTH SPACE is not whitespace for Python: a token of its own.
    EXPECT_EQ(
        split("a\u200bb"),
        (std::vector<Expected>{{"a", 0, 1, 0, 1}, {"\u200b", 1, 2, 1, 4}, {"b", 2, 3, 4, 5}}));
}

TEST(WordSplitter, HyphenAndUnderscoreChains) {
    EXPECT_EQ(split("a--b -a a- a_-b"), (std::vector<Expected>{{"a", 0, 1, 0, 1},
                                                               {"-", 1, 2, 1, 2},
                                                               {"-", 2, 3, 2, 3},
                                                               {"b", 3, 4, 3, 4},
                                                               {"-", 5, 6, 5, 6},
                                                               {"a", 6, 7, 6, 7},
                                                               {"a", 8, 9, 8, 9},
                                                               {"-", 9, 10, 9, 10},
                                                               {"a_-b", 11, 15, 11, 15}}));
    EXPECT_EQ(words_of("state-of-the-art foo_bar"),
              (std::vector<std::string>{"state-of-the-art", "foo_bar"}));
}

TEST(WordSplitter, CombiningMarksAreNotWordCharacters) {
    EXPECT_EQ(split("cafe\u0301 \u0939\u093f\u0928\u094d\u0926\u0940"),
              (std::vector<Expected>{{"cafe", 0, 4, 0, 4},
                                     {"\u0301", 4, 5, 4, 6},
                                     {"\u0939", 6, 7, 7, 10},
                                     {"\u093f", 7, 8, 10, 13},
                                     {"\u0928", 8, 9, 13, 16},
                                     {"\u094d", 9, 10, 16, 19},
                                     {"\u0926", 10, 11, 19, 22},
                                     {"\u0940", 11, 12, 22, 25}}));
}

TEST(WordSplitter, NumericCharactersAreWordCharacters) {
    // Vulgar fraction (No), roman numeral (Nl, lowered), superscript two (No).
    EXPECT_EQ(split("\u00bd\u2167x\u00b2"),
              (std::vector<Expected>{{"\u00bd\u2177x\u00b2", 0, 4, 0, 8}}));
}

TEST(WordSplitter, EmojiSplitPerCodePoint) {
    EXPECT_EQ(words_of("\U0001F44D\U0001F3FD \U0001F468\u200d\U0001F469"),
              (std::vector<std::string>{"\U0001F44D", "\U0001F3FD", "\U0001F468", "\u200d",
                                        "\U0001F469"}));
    EXPECT_EQ(split("\U0001F44D"), (std::vector<Expected>{{"\U0001F44D", 0, 1, 0, 4}}));
}

TEST(WordSplitter, Urls) {
    EXPECT_EQ(words_of("www.a"), (std::vector<std::string>{"www.a"}));
    // Nothing after the scheme or "www.": the URL alternative fails and the pieces are words.
    EXPECT_EQ(
        words_of("www. http:// https://"),
        (std::vector<std::string>{"www", ".", "http", ":", "/", "/", "https", ":", "/", "/"}));
    // Case-insensitive, and the `s` of https? also matches U+017F LONG S.
    EXPECT_EQ(split("HTTP\u017f://x"), (std::vector<Expected>{{"http\u017f://x", 0, 9, 0, 10}}));
    // ...but only there: U+017F in "http" itself is no match.
    EXPECT_EQ(words_of("ht\u017fp://k"),
              (std::vector<std::string>{"ht\u017fp", ":", "/", "/", "k"}));
}

TEST(WordSplitter, Emails) {
    EXPECT_EQ(split("x@y.co.uk, a.b@c.d"), (std::vector<Expected>{{"x@y.co.uk", 0, 9, 0, 9},
                                                                  {",", 9, 10, 9, 10},
                                                                  {"a", 11, 12, 11, 12},
                                                                  {".", 12, 13, 12, 13},
                                                                  {"b", 13, 14, 13, 14},
                                                                  {"@c", 14, 16, 14, 16},
                                                                  {".", 16, 17, 16, 17},
                                                                  {"d", 17, 18, 17, 18}}));
    // The domain gives back characters until a '.' with two letters after it.
    EXPECT_EQ(split("a.b.c@d.e-f.gh.i"),
              (std::vector<Expected>{
                  {"a.b.c@d.e-f.gh", 0, 14, 0, 14}, {".", 14, 15, 14, 15}, {"i", 15, 16, 15, 16}}));
    EXPECT_EQ(words_of("a@b..cc"), (std::vector<std::string>{"a@b..cc"}));
    // The domain needs a character before the '.'.
    EXPECT_EQ(words_of("a@.cc"), (std::vector<std::string>{"a", "@", ".", "cc"}));
    EXPECT_EQ(words_of("@@x @ a@b"), (std::vector<std::string>{"@", "@x", "@", "a", "@b"}));
}

TEST(WordSplitter, IgnoreCaseMatchesKelvinLongSAndDottedI) {
    EXPECT_EQ(split("u@ex\u212aample.\u212a\u0130"),
              (std::vector<Expected>{{"u@exkample.ki\u0307", 0, 13, 0, 18}}));
    EXPECT_EQ(split("\u0131@x.\u017f\u0131 \u017f@x.yy"),
              (std::vector<Expected>{{"\u0131@x.\u017f\u0131", 0, 6, 0, 9},
                                     {"\u017f@x.yy", 7, 13, 10, 17}}));
}

TEST(WordSplitter, LowerCasesEachWordInItsOwnContext) {
    // Final sigma is decided within the matched word, not the whole text.
    EXPECT_EQ(words_of("\u039f\u0394\u039f\u03a3 \u03a3\u0391"),
              (std::vector<std::string>{"\u03bf\u03b4\u03bf\u03c2", "\u03c3\u03b1"}));
    EXPECT_EQ(words_of("ABC-\u03a3\u03a3-\u03a3"),
              (std::vector<std::string>{"abc-\u03c3\u03c2-\u03c3"}));
    EXPECT_EQ(words_of("\u00c0B-\u00c7D \u1e9e \u01c5"),
              (std::vector<std::string>{"\u00e0b-\u00e7d", "\u00df", "\u01c6"}));
}

TEST(WordSplitter, InvalidUtf8NamesByteOffset) {
    try {
        split_words("ab\xe2\x82 cd");
        FAIL() << "expected TokenizerError";
    } catch (const TokenizerError& e) {
        EXPECT_NE(std::string(e.what()).find("byte offset 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(split_words("\xed\xa0\x80"), TokenizerError);  // encoded surrogate
    EXPECT_THROW(split_words("\xc0\xaf"), TokenizerError);      // overlong
    EXPECT_THROW(split_words(std::string("ok\x80", 3)), TokenizerError);
}

TEST(WordSplitter, LinearOnAdversarialInput) {
    // Start positions inside a long e-mail local part with no usable domain: a naive backtracking
    // matcher rescans the run from every position (quadratic); ours must stay linear.
    std::string text;
    for (int i = 0; i < 100000; ++i)
        text += "a.";
    text += "@";
    for (int i = 0; i < 100000; ++i)
        text += "b-";
    const auto start = std::chrono::steady_clock::now();
    const auto words = split_words(text);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // As CPython splits it (checked with a shorter run): "a" "." alternate, then "@b", "-",
    // "b-b-...-b", "-".
    ASSERT_EQ(words.size(), 200004u);
    EXPECT_EQ(words[199999].lowered, ".");
    EXPECT_EQ(words[200000].lowered, "@b");
    EXPECT_EQ(words[200001].lowered, "-");
    EXPECT_EQ(words[200002].lowered.size(), 199997u);
    EXPECT_EQ(words[200003].lowered, "-");
    EXPECT_LT(seconds, 2.0);
}

TEST(PythonLower, FullCaseMappingAndFinalSigma) {
    EXPECT_EQ(python_lower(""), "");
    EXPECT_EQ(python_lower("Hello, WORLD 123"), "hello, world 123");
    EXPECT_EQ(python_lower("\u0130"), "i\u0307");
    EXPECT_EQ(python_lower("\u03a3"), "\u03c3");
    EXPECT_EQ(python_lower("\u03a3\u0391\u03a3"), "\u03c3\u03b1\u03c2");
    EXPECT_EQ(python_lower("A\u0345\u03a3"), "a\u0345\u03c2");  // case-ignorable skipped
    EXPECT_EQ(python_lower("A.\u03a3"), "a.\u03c2");
    EXPECT_EQ(python_lower("A\u03a3.b"), "a\u03c3.b");
    EXPECT_EQ(python_lower("\u038c\u03a3\u039f\u03a3"), "\u03cc\u03c3\u03bf\u03c2");
    EXPECT_EQ(python_lower("\u1e9e\u1fbc\u212a"), "\u00df\u1fb3k");
}

TEST(PythonLower, InvalidUtf8NamesByteOffset) {
    try {
        python_lower("\xce\xa3\xff");
        FAIL() << "expected TokenizerError";
    } catch (const TokenizerError& e) {
        EXPECT_NE(std::string(e.what()).find("byte offset 2"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace spanguard::tokenizer
