#include "tokenizer/hf_regex.h"

#include <unicode/regex.h>
#include <unicode/utext.h>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {

struct HfPattern::Compiled {
    std::unique_ptr<icu::RegexPattern> pattern;
};

namespace {

std::unique_ptr<icu::RegexPattern> compile_or_throw(const std::string& source, uint32_t flags,
                                                    const std::string& where) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    std::unique_ptr<icu::RegexPattern> pattern(icu::RegexPattern::compile(
        icu::UnicodeString::fromUTF8(source), flags, parse_error, status));
    if (U_FAILURE(status) || !pattern) {
        throw TokenizerError(where + ": invalid regular expression '" + source +
                             "': " + u_errorName(status) + " at offset " +
                             std::to_string(parse_error.offset));
    }
    return pattern;
}

struct UTextCloser {
    void operator()(UText* t) const { utext_close(t); }
};

}  // namespace

HfPattern::HfPattern(std::string source, std::shared_ptr<const Compiled> compiled)
    : source_(std::move(source)), compiled_(std::move(compiled)) {}
HfPattern::HfPattern(HfPattern&&) noexcept = default;
HfPattern& HfPattern::operator=(HfPattern&&) noexcept = default;
HfPattern::~HfPattern() = default;

HfPattern HfPattern::literal(const std::string& text, const std::string& where) {
    auto compiled = std::make_shared<Compiled>();
    compiled->pattern = compile_or_throw(text, UREGEX_LITERAL, where);
    return HfPattern(text, std::move(compiled));
}

HfPattern HfPattern::regex(const std::string& pattern, const std::string& where) {
    auto compiled = std::make_shared<Compiled>();
    compiled->pattern = compile_or_throw(pattern, 0, where);
    return HfPattern(pattern, std::move(compiled));
}

std::vector<HfPiece> HfPattern::find(std::string_view text) const {
    std::vector<HfPiece> pieces;
    if (text.empty()) {
        pieces.push_back({0, 0, false});
        return pieces;
    }
    UErrorCode status = U_ZERO_ERROR;
    // Over a UTF-8 UText the matcher's native indices are byte offsets into `text`. A matcher
    // per call keeps find() safe to call from several threads on one pattern.
    std::unique_ptr<UText, UTextCloser> ut(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    std::unique_ptr<icu::RegexMatcher> matcher(compiled_->pattern->matcher(status));
    if (U_FAILURE(status)) {
        throw TokenizerError("regular expression '" + source_ + "': " + u_errorName(status));
    }
    matcher->reset(ut.get());
    size_t previous = 0;
    // ICU steps one character past an empty match before searching again, as Oniguruma does.
    while (matcher->find(status) && U_SUCCESS(status)) {
        const auto start = static_cast<size_t>(matcher->start64(status));
        const auto end = static_cast<size_t>(matcher->end64(status));
        if (previous != start) pieces.push_back({previous, start, false});
        pieces.push_back({start, end, true});
        previous = end;
    }
    if (U_FAILURE(status)) {
        throw TokenizerError("regular expression '" + source_ + "': " + u_errorName(status));
    }
    if (previous != text.size()) pieces.push_back({previous, text.size(), false});
    return pieces;
}

}  // namespace spanguard::tokenizer
