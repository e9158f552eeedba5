// RecognizerSet::find and the pieces every recognizer shares (pattern_recognizers.h): scanning
// with RE2, word boundaries, trimming, validation with shorter prefixes, context words.
#include <algorithm>
#include <cctype>

#include "schemas/redaction/pattern_recognizer_set.h"
#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/word_characters.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace patterns {
namespace {

namespace utf8 = tokenizer::utf8;

using redaction::is_word_code_point;

// The code point that ends just before byte `pos` (pos > 0), and its start.
char32_t code_point_before(std::string_view text, size_t pos, size_t* start) {
    size_t s = pos - 1;
    while (s > 0 && (static_cast<unsigned char>(text[s]) & 0xC0) == 0x80)
        --s;
    size_t length = 0;
    *start = s;
    return utf8::decode(text, s, &length);
}

// A match continues a word when a letter or digit touches it, or when a joiner of the
// recognizer's shape ('.', '-', ':', '/') stands between it and one ("1.2.3.4.5", "12-34-5678-9").
bool continues_word(std::string_view text, size_t begin, size_t end) {
    constexpr std::string_view kJoiners = ".-:/";
    if (begin > 0) {
        size_t s = 0;
        const char32_t before = code_point_before(text, begin, &s);
        if (is_word_code_point(before)) return true;
        if (kJoiners.find(static_cast<char>(before)) != std::string_view::npos && before < 0x80 &&
            s > 0) {
            size_t s2 = 0;
            if (is_word_code_point(code_point_before(text, s, &s2))) return true;
        }
    }
    if (end < text.size()) {
        size_t length = 0;
        const char32_t after = utf8::decode(text, end, &length);
        if (is_word_code_point(after)) return true;
        if (after < 0x80 && kJoiners.find(static_cast<char>(after)) != std::string_view::npos &&
            end + 1 < text.size()) {
            if (is_word_code_point(utf8::decode(text, end + 1, &length))) return true;
        }
    }
    return false;
}

// Trailing characters of `trim` and closing brackets without an opening one are cut off.
size_t trimmed_end(std::string_view text, size_t begin, size_t end, std::string_view trim) {
    while (end > begin) {
        const char last = text[end - 1];
        if (trim.find(last) != std::string_view::npos) {
            --end;
            continue;
        }
        if (last == ')' || last == ']') {
            const char open = last == ')' ? '(' : '[';
            const std::string_view value = text.substr(begin, end - begin);
            if (std::count(value.begin(), value.end(), open) <
                std::count(value.begin(), value.end(), last)) {
                --end;
                continue;
            }
        }
        break;
    }
    return end;
}

// The longest validated prefix of [begin, end) that ends at the match's end or just before one
// of its separators; nullopt when none validates.
std::optional<size_t> validated_end(const Recognizer& r, std::string_view text, size_t begin,
                                    size_t end) {
    if (!r.validator) return end;
    for (size_t e = end; e > begin; --e) {
        const bool at_end = e == end;
        if (!at_end) {
            const char next = text[e];
            if (next != ' ' && next != '-' && next != '.') continue;
            if (std::isalnum(static_cast<unsigned char>(text[e - 1])) == 0) continue;
        }
        if (r.validator(text.substr(begin, e - begin))) return e;
    }
    return std::nullopt;
}

std::string lower_ascii(std::string_view word) {
    std::string out(word);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Words (runs of letters and digits; non-ASCII bytes count as letters) of `text`.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    size_t start = std::string_view::npos;
    for (size_t i = 0; i <= text.size(); ++i) {
        const bool word =
            i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) ||
                                static_cast<unsigned char>(text[i]) >= 0x80 || text[i] == '#');
        if (word && start == std::string_view::npos) start = i;
        if (!word && start != std::string_view::npos) {
            words.push_back(text.substr(start, i - start));
            start = std::string_view::npos;
        }
    }
    return words;
}

constexpr size_t kWordsBefore = 6;
constexpr size_t kWordsAfter = 2;
// Bytes looked at on each side for those words; enough for six ordinary words.
constexpr size_t kContextBytes = 120;

bool has_context(const Recognizer& r, std::string_view text, size_t begin, size_t end) {
    if (r.context.empty()) return false;
    const size_t from = begin > kContextBytes ? begin - kContextBytes : 0;
    std::vector<std::string_view> before = words_of(text.substr(from, begin - from));
    if (from > 0 && !before.empty()) before.erase(before.begin());  // maybe cut in half
    std::vector<std::string_view> after =
        words_of(text.substr(end, std::min(kContextBytes, text.size() - end)));
    std::vector<std::string_view> near;
    for (size_t i = before.size() > kWordsBefore ? before.size() - kWordsBefore : 0;
         i < before.size(); ++i) {
        near.push_back(before[i]);
    }
    for (size_t i = 0; i < after.size() && i < kWordsAfter; ++i)
        near.push_back(after[i]);
    for (const std::string_view w : near) {
        const std::string word = lower_ascii(w);
        for (const std::string& c : r.context) {
            if (word.compare(0, c.size(), c) == 0) return true;
        }
    }
    return false;
}

// Whether r.required_prefix matches the text that ends where a match begins.
bool preceded_as_required(const Recognizer& r, std::string_view text, size_t begin) {
    if (!r.required_prefix) return true;
    size_t start = begin > kPrefixWindow ? begin - kPrefixWindow : 0;
    while (start < begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80)
        ++start;  // not inside a UTF-8 sequence
    const std::string_view before = text.substr(start, begin - start);
    return RE2::PartialMatch(re2::StringPiece(before.data(), before.size()), *r.required_prefix);
}

// Presidio's context enhancement: +0.35, at least 0.4, at most 1.
double with_context(double score) {
    return std::min(1.0, std::max(0.4, score + 0.35));
}

struct ByteMatch {
    size_t begin;
    size_t end;
    double score;
};

std::vector<ByteMatch> scan(const Recognizer& r, std::string_view text) {
    std::vector<ByteMatch> found;
    for (const Pattern& p : r.patterns) {
        size_t pos = 0;
        re2::StringPiece match;
        while (pos <= text.size() &&
               p.regex->Match(text, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
            const size_t begin = static_cast<size_t>(match.data() - text.data());
            size_t end = begin + match.size();
            pos = match.empty() ? end + 1 : end;
            if (match.empty()) continue;
            // A validator may accept the match with its trailing characters ("2001:db8::");
            // otherwise they are trimmed ("fe80::1." at a sentence's end).
            std::optional<size_t> valid_end;
            if (r.validator && r.validator(text.substr(begin, end - begin))) valid_end = end;
            if (!valid_end) {
                end = trimmed_end(text, begin, end, r.trim_trailing);
                if (end == begin) continue;
                valid_end = validated_end(r, text, begin, end);
            }
            if (!valid_end || continues_word(text, begin, *valid_end)) continue;
            if (!preceded_as_required(r, text, begin)) continue;
            if (*valid_end < text.size() &&
                r.not_followed_by.find(text[*valid_end]) != std::string::npos)
                continue;
            const std::string_view value = text.substr(begin, *valid_end - begin);
            double score = r.rescore ? r.rescore(value, p.score) : p.score;
            if (has_context(r, text, begin, *valid_end)) score = with_context(score);
            found.push_back({begin, *valid_end, score});
        }
    }
    // Patterns of one recognizer may find the same value twice, or one inside another: the
    // longer (then higher-scoring) match stands.
    std::sort(found.begin(), found.end(), [](const ByteMatch& a, const ByteMatch& b) {
        if (a.begin != b.begin) return a.begin < b.begin;
        if (a.end != b.end) return a.end > b.end;
        return a.score > b.score;
    });
    std::vector<ByteMatch> kept;
    for (const ByteMatch& m : found) {
        if (!kept.empty() && m.begin < kept.back().end) continue;
        kept.push_back(m);
    }
    return kept;
}

}  // namespace

std::unique_ptr<RE2> compile(const std::string& regex, bool case_sensitive,
                             const std::string& recognizer, const std::string& path) {
    RE2::Options options;
    options.set_case_sensitive(case_sensitive);
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingUTF8);
    auto re = std::make_unique<RE2>(regex, options);
    if (!re->ok()) {
        throw schemas::RequestError(
            path, "recognizer \"" + recognizer + "\": invalid regular expression: " + re->error());
    }
    return re;
}

}  // namespace patterns

RecognizerSet::RecognizerSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecognizerSet::~RecognizerSet() = default;

std::shared_ptr<const RecognizerSet> RecognizerSet::builtin() {
    static const std::shared_ptr<const RecognizerSet> set = [] {
        auto impl = std::make_unique<Impl>();
        impl->recognizers = patterns::builtin_recognizers();
        impl->phone = true;
        return std::shared_ptr<const RecognizerSet>(new RecognizerSet(std::move(impl)));
    }();
    return set;
}

std::set<std::string> RecognizerSet::entity_types() const {
    std::set<std::string> types;
    for (const auto& r : impl_->recognizers)
        types.insert(r.entity_type);
    if (impl_->phone) types.insert("PHONE_NUMBER");
    return types;
}

std::vector<std::string> RecognizerSet::names() const {
    std::vector<std::string> out;
    for (const auto& r : impl_->recognizers)
        out.push_back(r.name);
    if (impl_->phone) out.emplace_back("PhoneRecognizer");
    return out;
}

std::vector<DetectedSpan> RecognizerSet::find(std::string_view text,
                                              const std::set<std::string>& entity_types,
                                              const PatternOptions& options) const {
    auto wanted = [&](const std::string& type) {
        return entity_types.empty() || entity_types.count(type) > 0;
    };
    std::vector<DetectedSpan> spans;
    const tokenizer::utf8::CodePointIndex index(text);
    auto add = [&](const std::string& type, const std::string& name, size_t begin, size_t end,
                   double score) {
        DetectedSpan s;
        s.entity_type = type;
        s.start = index.to_code_point(begin);
        s.end = index.to_code_point(end);
        s.score = score;
        s.recognizer = name;
        spans.push_back(std::move(s));
    };
    for (const auto& r : impl_->recognizers) {
        if (!wanted(r.entity_type)) continue;
        for (const auto& m : patterns::scan(r, text))
            add(r.entity_type, r.name, m.begin, m.end, m.score);
    }
    if (impl_->phone && wanted("PHONE_NUMBER")) {
        if (options.phone_regions.empty()) {
            throw schemas::RequestError("default_region", "give at least one phone region");
        }
        for (const auto& m : patterns::find_phone_numbers(text, options.phone_regions)) {
            add("PHONE_NUMBER", "PhoneRecognizer", m.begin, m.end, 0.75);
        }
    }
    std::sort(spans.begin(), spans.end(), [](const DetectedSpan& a, const DetectedSpan& b) {
        return a.start != b.start ? a.start < b.start : a.end < b.end;
    });
    return spans;
}

}  // namespace spanguard::schemas
