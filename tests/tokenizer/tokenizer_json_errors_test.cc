// tokenizer.json loader: every malformed or unsupported input is a TokenizerError that names the
// source and the JSON path (or line and column), never a crash or a silently different tokenizer.
#include <gtest/gtest.h>

#include <string>

#include "tokenizer/error.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::tokenizer {
namespace {

constexpr const char* kModel =
    R"({"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0], ["b", -2.0]]})";

std::string doc(const std::string& normalizer = "null", const std::string& pre = "null",
                const std::string& added = "[]", const std::string& model = kModel) {
    return R"({"version": "1.0", "added_tokens": )" + added + R"(, "normalizer": )" + normalizer +
           R"(, "pre_tokenizer": )" + pre +
           R"(, "post_processor": null, "decoder": null, "model": )" + model + "}";
}

// The message of the TokenizerError that loading `json` throws ("" when it loads).
std::string load_error(const std::string& json) {
    try {
        Tokenizer::from_tokenizer_json(json, "tok.json");
    } catch (const TokenizerError& e) {
        return e.what();
    }
    return "";
}

TEST(TokenizerJsonErrors, MinimalDocumentLoads) {
    EXPECT_EQ(load_error(doc()), "");
}

TEST(TokenizerJsonErrors, UnknownNormalizerNamesItsPath) {
    EXPECT_EQ(load_error(doc(R"({"type": "Sequence", "normalizers": [{"type": "Lowercase"},
        {"type": "NFC"}, {"type": "Foo"}]})")),
              "tok.json: normalizer.normalizers[2]: unknown normalizer type 'Foo'");
}

TEST(TokenizerJsonErrors, NestedSequencePath) {
    EXPECT_EQ(load_error(doc(R"({"type": "Sequence", "normalizers": [{"type": "Sequence",
        "normalizers": [{"type": "Bar"}]}]})")),
              "tok.json: normalizer.normalizers[0].normalizers[0]: unknown normalizer type 'Bar'");
}

TEST(TokenizerJsonErrors, KnownButUnsupportedNormalizer) {
    EXPECT_EQ(load_error(doc(R"({"type": "ByteLevel"})")),
              "tok.json: normalizer: normalizer type 'ByteLevel' is not supported (byte-level BPE "
              "models are not)");
}

TEST(TokenizerJsonErrors, UnknownAndUnsupportedPreTokenizers) {
    EXPECT_EQ(load_error(doc("null", R"({"type": "Sequence", "pretokenizers": [
        {"type": "WhitespaceSplit"}, {"type": "Qux"}]})")),
              "tok.json: pre_tokenizer.pretokenizers[1]: unknown pre-tokenizer type 'Qux'");
    EXPECT_EQ(load_error(doc("null", R"({"type": "ByteLevel", "add_prefix_space": true})")),
              "tok.json: pre_tokenizer: pre-tokenizer type 'ByteLevel' is not supported");
}

TEST(TokenizerJsonErrors, ComponentWithoutType) {
    EXPECT_EQ(load_error(doc(R"({"strip_left": true})")),
              "tok.json: normalizer: missing field 'type'");
}

TEST(TokenizerJsonErrors, OtherModelTypesAreRejectedByName) {
    EXPECT_EQ(
        load_error(doc("null", "null", "[]", R"({"type": "BPE", "vocab": {}, "merges": []})")),
        "tok.json: model: model type 'BPE' is not supported (only Unigram)");
    EXPECT_EQ(load_error(doc("null", "null", "[]", R"({"type": "Magic"})")),
              "tok.json: model: unknown model type 'Magic'");
    EXPECT_EQ(load_error(R"({"version": "1.0", "normalizer": null})"),
              "tok.json: model: missing (a model is required)");
}

TEST(TokenizerJsonErrors, MalformedJsonNamesLineAndColumn) {
    // Line 3 holds the stray '}' after the comma: column 1 is where the parser stops.
    const std::string message = load_error("{\n  \"model\": [1,\n}\n");
    EXPECT_EQ(message.rfind("tok.json: invalid JSON at line 3, column 1: ", 0), 0u) << message;
    const std::string truncated = load_error("{\"version\": \"1.0\", \"model\": {\"type\"");
    EXPECT_EQ(truncated.rfind("tok.json: invalid JSON at line 1, column ", 0), 0u) << truncated;
    EXPECT_EQ(load_error("[1, 2]"), "tok.json: expected an object, got an array");
}

TEST(TokenizerJsonErrors, WrongTypesNameTheField) {
    EXPECT_EQ(load_error(doc(R"({"type": "Strip", "strip_left": 1, "strip_right": true})")),
              "tok.json: normalizer.strip_left: expected a boolean, got the number 1");
    EXPECT_EQ(load_error(doc(
                  "null", "null", "[]",
                  R"({"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", "x"]]})")),
              "tok.json: model.vocab[1][1]: expected a number, got the string \"x\"");
    EXPECT_EQ(
        load_error(doc("null", "null", "[]",
                       R"({"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], "a"]})")),
        "tok.json: model.vocab[1]: expected a [piece, score] pair, got the string \"a\"");
    EXPECT_EQ(load_error(doc("null", "null", "[]",
                             R"({"type": "Unigram", "unk_id": -1, "vocab": [["<unk>", 0.0]]})")),
              "tok.json: model.unk_id: expected a non-negative integer, got the number -1");
    EXPECT_EQ(load_error(doc("null", "null", "[]",
                             R"({"type": "Unigram", "unk_id": 5, "vocab": [["<unk>", 0.0]]})")),
              "tok.json: model.unk_id: 5 is outside the vocabulary of 1 pieces");
    EXPECT_EQ(load_error(doc("null", "null", "[]",
                             R"({"type": "Unigram", "unk_id": null, "vocab": [["<unk>", 0.0]]})")),
              "tok.json: model.unk_id: is missing or null; a Unigram model without an unknown "
              "token is not supported");
    EXPECT_EQ(load_error(R"({"version": "2.0", "model": null})"),
              "tok.json: version: unsupported tokenizer.json version '2.0' (expected 1.0)");
}

TEST(TokenizerJsonErrors, Base64Errors) {
    EXPECT_EQ(load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": "AAA!"})")),
              "tok.json: normalizer.precompiled_charsmap: invalid base64: unexpected '!' at "
              "character 3");
    EXPECT_EQ(load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": "AAAAA"})")),
              "tok.json: normalizer.precompiled_charsmap: invalid base64: length 5 is not a "
              "multiple of 4");
    EXPECT_EQ(load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": "AB=="})")),
              "tok.json: normalizer.precompiled_charsmap: invalid base64: non-zero unused bits in "
              "the last character (character 1)");
    // Valid base64 of a blob too short to be a charsmap: the charsmap's own check, same path.
    const std::string short_blob =
        load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": "AAA="})"));
    EXPECT_NE(short_blob.find("tok.json: normalizer.precompiled_charsmap"), std::string::npos)
        << short_blob;
}

TEST(TokenizerJsonErrors, EmptyOrNullCharsmapIsAccepted) {
    EXPECT_EQ(load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": ""})")), "");
    EXPECT_EQ(load_error(doc(R"({"type": "Precompiled", "precompiled_charsmap": null})")), "");
}

TEST(TokenizerJsonErrors, PatternErrors) {
    const std::string bad_regex =
        load_error(doc(R"({"type": "Replace", "pattern": {"Regex": "("}, "content": ""})"));
    EXPECT_EQ(bad_regex.rfind("tok.json: normalizer.pattern: invalid regular expression '(': ", 0),
              0u)
        << bad_regex;
    EXPECT_EQ(load_error(doc(R"({"type": "Replace", "pattern": {"Regex": "a", "String": "b"},
        "content": ""})")),
              "tok.json: normalizer.pattern: expected exactly one of {\"String\": ...} or "
              "{\"Regex\": ...}");
    EXPECT_EQ(load_error(doc(R"({"type": "Replace", "pattern": {"Glob": "a"}, "content": ""})")),
              "tok.json: normalizer.pattern: unknown pattern kind 'Glob' (expected String or "
              "Regex)");
    EXPECT_EQ(load_error(doc("null", R"({"type": "Split", "pattern": {"String": " "},
        "behavior": "Dropped", "invert": false})")),
              "tok.json: pre_tokenizer.behavior: unknown split behavior 'Dropped' (expected "
              "Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)");
}

TEST(TokenizerJsonErrors, MetaspaceFields) {
    EXPECT_EQ(load_error(doc("null", R"({"type": "Metaspace", "replacement": "__"})")),
              "tok.json: pre_tokenizer.replacement: expected exactly one character, got \"__\"");
    EXPECT_EQ(load_error(doc("null", R"({"type": "Metaspace", "replacement": "_",
        "prepend_scheme": "sometimes"})")),
              "tok.json: pre_tokenizer.prepend_scheme: unknown prepend_scheme 'sometimes' "
              "(expected always, first or never)");
    // The library itself refuses add_prefix_space=false unless prepend_scheme says "never".
    EXPECT_EQ(load_error(doc("null", R"({"type": "Metaspace", "replacement": "_",
        "add_prefix_space": false})")),
              "tok.json: pre_tokenizer.add_prefix_space: false requires prepend_scheme \"never\" "
              "(absent means \"always\"), as the Hugging Face library checks");
    EXPECT_EQ(load_error(doc("null", R"({"type": "Metaspace", "replacement": "_",
        "add_prefix_space": false, "prepend_scheme": "first"})")),
              "tok.json: pre_tokenizer.add_prefix_space: false does not match prepend_scheme "
              "'first'");
    EXPECT_EQ(load_error(doc("null", R"({"type": "Metaspace", "replacement": "_",
        "add_prefix_space": false, "prepend_scheme": "never"})")),
              "");
}

TEST(TokenizerJsonErrors, AddedTokens) {
    const std::string flags = R"("special": true, "normalized": false, "lstrip": false, )"
                              R"("rstrip": false, "single_word": false)";
    // Ids must be those the library assigns: a model piece keeps its id ("a" is 1), others
    // follow the vocabulary (3, 4, ...) in file order.
    EXPECT_EQ(load_error(doc("null", "null",
                             R"([{"id": 1, "content": "a", )" + flags + R"(},
                                 {"id": 3, "content": "[X]", )" +
                                 flags + R"(},
                                 {"id": 4, "content": "[Y]", )" +
                                 flags + "}]")),
              "");
    EXPECT_EQ(load_error(doc("null", "null", R"([{"id": 7, "content": "[X]", )" + flags + "}]")),
              "tok.json: added_tokens[0].id: token '[X]' has id 7 but the Hugging Face library "
              "would give it id 3 (the model's id for one of its pieces, otherwise the next id "
              "after the model's vocabulary of 3, in file order)");
    EXPECT_EQ(load_error(doc("null", "null",
                             R"([{"id": 3, "content": "[X]", "special": true, "normalized": false,
                                 "lstrip": true, "rstrip": false, "single_word": false}])")),
              "tok.json: added_tokens[0].lstrip: true is not supported (token '[X]')");
    EXPECT_EQ(load_error(doc("null", "null", R"([{"id": 3, "content": "[X]"}])")),
              "tok.json: added_tokens[0]: missing field 'special'");
    EXPECT_EQ(load_error(doc("null", "null", R"([{"id": 3, "content": "", )" + flags + "}]")),
              "tok.json: added_tokens[0].content: is empty");
    EXPECT_EQ(load_error(doc("null", "null", R"([{"id": 3, "content": "[X]", )" + flags + R"(},
                                 {"id": 3, "content": "[X]", "special": false, "normalized": false,
                                  "lstrip": false, "rstrip": false, "single_word": false}])")),
              "tok.json: added_tokens[1]: token '[X]' repeats added_tokens[0] with different "
              "settings");
    // An exact repeat is ignored, as the library does.
    EXPECT_EQ(load_error(doc("null", "null",
                             R"([{"id": 3, "content": "[X]", )" + flags + R"(},
                                 {"id": 3, "content": "[X]", )" +
                                 flags + "}]")),
              "");
}

TEST(TokenizerJsonErrors, NormalizedTokenThatNormalizesToNothing) {
    EXPECT_EQ(
        load_error(doc(R"({"type": "Strip", "strip_left": true, "strip_right": true})", "null",
                       R"([{"id": 3, "content": "  ", "special": false, "normalized": true,
                                 "lstrip": false, "rstrip": false, "single_word": false}])")),
        "tok.json: added_tokens: added token '  ' (id 3) is \"normalized\" but normalises "
        "to the empty string");
}

TEST(TokenizerJsonErrors, UnusedComponentsMustStillBeWellFormed) {
    const std::string bad =
        R"({"version": "1.0", "decoder": [1], "model": )" + std::string(kModel) + "}";
    EXPECT_EQ(load_error(bad), "tok.json: decoder: expected an object, got an array");
    const std::string padding = R"({"padding": 3, "model": )" + std::string(kModel) + "}";
    EXPECT_EQ(load_error(padding), "tok.json: padding: expected an object, got the number 3");
}

TEST(TokenizerJsonErrors, FromFileDetectsJson) {
    // from_file reads a missing file as an error naming it.
    try {
        Tokenizer::from_file("/nonexistent/tokenizer.json");
        FAIL() << "expected an error";
    } catch (const TokenizerError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "cannot open tokenizer file '/nonexistent/tokenizer.json'");
    }
}

}  // namespace
}  // namespace spanguard::tokenizer
