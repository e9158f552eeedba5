// What a RecognizerSet (pattern_recognizers.h) holds, shared by the files that build one (the
// built-in table, the JSON reader) and the scanner. Internal to the pattern recognizer files.
#pragma once

#include <re2/re2.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/redaction/pattern_recognizers.h"

namespace spanguard::schemas::patterns {

struct Pattern {
    std::string name;
    std::unique_ptr<RE2> regex;
    double score = 0.5;
};

struct Recognizer {
    std::string name;
    std::string entity_type;  // canonical
    std::vector<Pattern> patterns;
    std::vector<std::string> context;  // lower case
    // Rejects false matches; null = every match stands.
    std::function<bool(std::string_view)> validator;
    // Characters a match may not end with (trailing sentence punctuation taken by a greedy
    // pattern); they are cut off before validation.
    std::string trim_trailing;
    // The score of a validated match per pattern, when the validator's verdict alone sets it:
    // a function of the matched text (null = the pattern's score).
    std::function<double(std::string_view, double)> rescore;
    // When set, a match counts only where this expression (ending in `$`) matches the text just
    // before it (the preceding kPrefixWindow bytes, cut at a UTF-8 boundary): for values that are
    // PII only through what introduces them, such as the account name in "for user admin_jdoe".
    std::shared_ptr<const RE2> required_prefix;
    // Characters that may not follow a match (for an account name, "@": it is then the local
    // part of an e-mail address, which the e-mail recognizer finds whole).
    std::string not_followed_by;
};

// How far before a match Recognizer::required_prefix looks, in bytes.
inline constexpr size_t kPrefixWindow = 48;

}  // namespace spanguard::schemas::patterns

namespace spanguard::schemas {

struct RecognizerSet::Impl {
    std::vector<patterns::Recognizer> recognizers;
    bool phone = false;  // the libphonenumber recognizer is part of the set
};

}  // namespace spanguard::schemas

namespace spanguard::schemas::patterns {

// Compiles `regex` for a recognizer; throws schemas::RequestError(path, "recognizer \"NAME\":
// invalid regular expression: ...") when RE2 rejects it.
std::unique_ptr<RE2> compile(const std::string& regex, bool case_sensitive,
                             const std::string& recognizer, const std::string& path);

// The built-in recognizers other than the phone recognizer.
std::vector<Recognizer> builtin_recognizers();

// Phone numbers in `text` (UTF-8): byte offsets [begin, end) of every valid number for any of
// `regions` (deduplicated, sorted). Throws schemas::RequestError("default_region", ...) for a
// region libphonenumber does not know.
struct ByteSpan {
    size_t begin = 0;
    size_t end = 0;
};
std::vector<ByteSpan> find_phone_numbers(std::string_view text,
                                         const std::vector<std::string>& regions);

}  // namespace spanguard::schemas::patterns
