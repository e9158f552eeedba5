// Long-document windows (GLINER2.md §4.7).
#include "schemas/prompt/text_windows.h"

#include <gtest/gtest.h>

#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

TEST(TextWindows, OverlappingWordWindows) {
    // Words: a bb c d e f g (7), chunk 3, overlap 1 -> step 2.
    auto w = split_text_windows("a bb  c d e f g", 3, 1);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0].text, "a bb  c");
    EXPECT_EQ(w[0].first_word, 0u);
    EXPECT_EQ(w[0].end_word, 3u);
    EXPECT_EQ(w[1].text, "c d e");
    EXPECT_EQ(w[1].first_word, 2u);
    EXPECT_EQ(w[1].start_cp, 6u);
    EXPECT_EQ(w[1].end_cp, 11u);
    EXPECT_EQ(w[2].text, "e f g");
    EXPECT_EQ(w[2].end_word, 7u);
}

TEST(TextWindows, LastWindowEndsAtTheLastWord) {
    auto w = split_text_windows("a b c d e f  ", 3, 1);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[2].text, "e f");  // trailing spaces are outside every window
    EXPECT_EQ(w[2].first_word, 4u);
    EXPECT_EQ(w[2].end_word, 6u);
    // A text that fits is one window from its first to its last word.
    w = split_text_windows("  short text here ");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].text, "short text here");
    EXPECT_EQ(w[0].start_cp, 2u);
    EXPECT_EQ(w[0].end_cp, 17u);
}

TEST(TextWindows, OffsetsInCodePointsAndBytes) {
    // "é" is 2 bytes, "東京" 6 bytes / 2 code points.
    auto w = split_text_windows("caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC x y", 2, 1);
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[1].text, "\xE6\x9D\xB1\xE4\xBA\xAC x");
    EXPECT_EQ(w[1].start_cp, 5u);
    EXPECT_EQ(w[1].start_byte, 6u);
    EXPECT_EQ(w[1].end_cp, 9u);
    EXPECT_EQ(w[1].end_byte, 14u);
}

TEST(TextWindows, WindowSpansShiftToDocumentOffsets) {
    const std::string doc = "caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC x y";
    auto w = split_text_windows(doc, 2, 1);
    // "x" is at code points 3..4, bytes 7..8 of the second window's text.
    TextSpan x = to_document_span(w[1], {3, 4, 7, 8});
    EXPECT_EQ(x.start_cp, 8u);
    EXPECT_EQ(x.end_cp, 9u);
    EXPECT_EQ(doc.substr(x.start_byte, x.end_byte - x.start_byte), "x");
}

TEST(TextWindows, NoWordsIsOneWholeWindow) {
    auto w = split_text_windows("");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].text, "");
    w = split_text_windows(" \xC2\xA0 ");
    ASSERT_EQ(w.size(), 1u);
    EXPECT_EQ(w[0].text, " \xC2\xA0 ");
    EXPECT_EQ(w[0].end_cp, 3u);
    EXPECT_EQ(w[0].end_byte, 4u);
}

TEST(TextWindows, Errors) {
    EXPECT_THROW(split_text_windows("a", 0, 0), RequestError);
    EXPECT_THROW(split_text_windows("a", 4, 4), RequestError);
    try {
        split_text_windows("ok \xC0\x80", 384, 64, "texts[3]");
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(std::string(e.what()), "texts[3]: invalid UTF-8 at byte offset 3");
    }
}

}  // namespace
}  // namespace spanguard::schemas
