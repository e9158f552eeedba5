#include "schemas/decoding/decode_validators.h"

#include <unicode/parseerr.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {

struct CompiledValidator::Pattern {
    std::unique_ptr<icu::RegexPattern> regex;
};

std::string python_regex_to_icu(std::string_view pattern) {
    std::string out;
    out.reserve(pattern.size());
    bool in_class = false;
    for (size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char next = pattern[++i];
            out += '\\';
            // Python's \Z is "end of text"; ICU spells that \z (ICU's \Z also matches before a
            // final line terminator, which is Python's $).
            out += (!in_class && next == 'Z') ? 'z' : next;
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = false;
            out += c;
            continue;
        }
        if (c == '[') {
            in_class = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal member in both dialects.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
            continue;
        }
        if (pattern.compare(i, 4, "(?P<") == 0) {
            out += "(?<";
            i += 3;
            continue;
        }
        if (pattern.compare(i, 4, "(?P=") == 0) {
            const size_t close = pattern.find(')', i + 4);
            if (close != std::string_view::npos) {
                out += "\\k<";
                out += pattern.substr(i + 4, close - (i + 4));
                out += '>';
                i = close;
                continue;
            }
        }
        out += c;
    }
    return out;
}

CompiledValidator::CompiledValidator(const RegexValidator& validator, const std::string& path)
    : mode_(validator.mode), exclude_(validator.exclude) {
    const std::string translated = python_regex_to_icu(validator.pattern);
    UParseError parse_error{};
    UErrorCode status = U_ZERO_ERROR;
    const uint32_t flags = validator.case_insensitive ? UREGEX_CASE_INSENSITIVE : 0;
    std::unique_ptr<icu::RegexPattern> regex(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(translated), flags, parse_error, status));
    if (U_FAILURE(status) || !regex) {
        throw RequestError(key_path(path, "pattern"),
                           "invalid regex pattern '" + validator.pattern +
                               "': " + u_errorName(status) + " at offset " +
                               std::to_string(parse_error.offset));
    }
    auto compiled = std::make_shared<Pattern>();
    compiled->regex = std::move(regex);
    pattern_ = std::move(compiled);
}

bool CompiledValidator::passes(std::string_view text) const {
    const icu::UnicodeString input = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    UErrorCode status = U_ZERO_ERROR;
    // A matcher holds per-match state, so each call makes its own; the pattern is shared.
    std::unique_ptr<icu::RegexMatcher> matcher(pattern_->regex->matcher(input, status));
    bool matched = false;
    if (U_SUCCESS(status) && matcher) {
        matched =
            mode_ == RegexValidator::Mode::kFull ? matcher->matches(status) : matcher->find(status);
        // A matcher error (e.g. ICU's stack limit on a pathological pattern) counts as no match.
        if (U_FAILURE(status)) matched = false;
    }
    return exclude_ ? !matched : matched;
}

SchemaValidators SchemaValidators::compile(const Schema& schema) {
    SchemaValidators out;
    out.fields.resize(schema.structures.size());
    for (size_t s = 0; s < schema.structures.size(); ++s) {
        const Structure& structure = schema.structures[s];
        const std::string structure_path = key_path("structures", structure.name);
        out.fields[s].resize(structure.fields.size());
        for (size_t f = 0; f < structure.fields.size(); ++f) {
            const StructureField& field = structure.fields[f];
            const std::string list_path =
                key_path(key_path(structure_path, field.name), "validators");
            for (size_t v = 0; v < field.validators.size(); ++v) {
                out.fields[s][f].emplace_back(field.validators[v], index_path(list_path, v));
            }
        }
    }
    return out;
}

bool passes_all(const std::vector<CompiledValidator>& validators, std::string_view text) {
    for (const auto& v : validators) {
        if (!v.passes(text)) return false;
    }
    return true;
}

}  // namespace spanguard::schemas
