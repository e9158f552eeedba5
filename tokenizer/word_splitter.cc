// A hand-written matcher for GLiNER2's word regex (see word_splitter.h), reproducing CPython `re`
// (str pattern, re.IGNORECASE, finditer) match for match.
//
// How CPython's `re` treats the pattern, and what that means here:
// * Leftmost match, alternatives in order, first success wins; no alternative matches whitespace
//   or the empty string, so whitespace is skipped and every match starts at a non-space character.
// * IGNORECASE in Unicode mode compares the simple lower-case mapping of the subject character with
//   the lowered pattern, where the lowered class also holds the "equivalent" characters CPython
//   adds (i ~ U+0131 dotless i, s ~ U+017F long s). So [a-z] also matches U+0130 (lowers to i),
//   U+0131, U+017F and U+212A KELVIN SIGN (lowers to k); the literal `s` of `https?` also matches
//   U+017F. No other non-ASCII character lowers into these classes or onto the letters of
//   "http"/"www".
// * Backtracking only matters in the e-mail alternative; it is resolved in closed form below.
#include "tokenizer/word_splitter.h"

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/stringpiece.h>

#include <array>
#include <cstdint>
#include <limits>
#include <utility>

#include "tokenizer/error.h"
#include "tokenizer/unicode_props.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

// Per-character class bits, one byte per code point.
enum : uint8_t {
    kWord = 1 << 0,    // \w
    kSpace = 1 << 1,   // \s
    kLocal = 1 << 2,   // [a-z0-9._%+-] under IGNORECASE (e-mail local part)
    kDomain = 1 << 3,  // [a-z0-9.-] under IGNORECASE (e-mail domain)
    kAlpha = 1 << 4,   // [a-z] under IGNORECASE (e-mail top-level domain)
    kHandle = 1 << 5,  // [a-z0-9_] under IGNORECASE (@handle)
};

constexpr uint8_t kAllLetterClasses = kLocal | kDomain | kAlpha | kHandle;

constexpr std::array<uint8_t, 128> make_ascii_classes() {
    std::array<uint8_t, 128> t{};
    for (int c = 0x09; c <= 0x0D; ++c)
        t[c] = kSpace;
    for (int c = 0x1C; c <= 0x1F; ++c)
        t[c] = kSpace;
    t[' '] = kSpace;
    for (int c = 'a'; c <= 'z'; ++c)
        t[c] = kWord | kAllLetterClasses;
    for (int c = 'A'; c <= 'Z'; ++c)
        t[c] = kWord | kAllLetterClasses;
    for (int c = '0'; c <= '9'; ++c)
        t[c] = kWord | kLocal | kDomain | kHandle;
    t['_'] = kWord | kLocal | kHandle;
    t['.'] = kLocal | kDomain;
    t['-'] = kLocal | kDomain;
    t['%'] = kLocal;
    t['+'] = kLocal;
    return t;
}

constexpr std::array<uint8_t, 128> kAsciiClasses = make_ascii_classes();

uint8_t classify(char32_t c) {
    if (c < 0x80) return kAsciiClasses[c];
    uint8_t bits = 0;
    if (unicode::is_python_word(c)) bits |= kWord;
    if (unicode::is_python_space(c)) bits |= kSpace;
    // The four non-ASCII characters that case-insensitively match [a-z] (see the file comment).
    if (c == 0x0130 || c == 0x0131 || c == 0x017F || c == 0x212A) bits |= kAllLetterClasses;
    return bits;
}

constexpr size_t kNoMatch = std::numeric_limits<size_t>::max();

// The text decoded once into code points with their classes; all positions are code point
// indices. Matching is linear in the text length: runs that a failed attempt scans are cached
// (the e-mail alternative) so that later start positions inside them do not rescan.
class Matcher {
  public:
    explicit Matcher(std::string_view text) {
        cps_.reserve(text.size());
        classes_.reserve(text.size());
        byte_of_.reserve(text.size() + 1);
        size_t pos = 0;
        while (pos < text.size()) {
            size_t len = 0;
            const char32_t c = utf8::decode(text, pos, &len);
            byte_of_.push_back(pos);
            cps_.push_back(c);
            classes_.push_back(classify(c));
            pos += len;
        }
        byte_of_.push_back(text.size());
    }

    size_t size() const { return cps_.size(); }
    size_t byte_of(size_t i) const { return byte_of_[i]; }
    bool is_space(size_t i) const { return (classes_[i] & kSpace) != 0; }

    // End of the match starting at `i` (a non-space position), trying the alternatives in order.
    size_t match_at(size_t i, WordPattern pattern) {
        size_t end = kNoMatch;
        if (pattern == WordPattern::kGliner2) {
            end = match_url(i);
            if (end == kNoMatch) end = match_email(i);
            if (end == kNoMatch) end = match_handle(i);
        }
        if (end == kNoMatch) end = match_word(i);
        if (end == kNoMatch) end = i + 1;  // \S: `i` is not whitespace
        return end;
    }

  private:
    bool has(size_t i, uint8_t cls) const { return i < cps_.size() && (classes_[i] & cls) != 0; }
    bool is(size_t i, char32_t c) const { return i < cps_.size() && cps_[i] == c; }
    // A pattern letter under IGNORECASE: the subject's simple lower-case mapping must equal it.
    // For h, t, p and w only the ASCII pair lowers onto them.
    bool is_letter(size_t i, char lower) const {
        return is(i, static_cast<char32_t>(lower)) ||
               is(i, static_cast<char32_t>(lower - 'a' + 'A'));
    }
    // `s` also matches U+017F LONG S, CPython's case equivalent of s.
    bool is_s(size_t i) const { return is_letter(i, 's') || is(i, 0x017F); }

    // End of the maximal run of `cls` characters starting at `i`.
    size_t run_end(size_t i, uint8_t cls) const {
        while (i < cps_.size() && (classes_[i] & cls) != 0)
            ++i;
        return i;
    }
    size_t non_space_run_end(size_t i) const {
        while (i < cps_.size() && (classes_[i] & kSpace) == 0)
            ++i;
        return i;
    }

    // https?://[^\s]+ | www\.[^\s]+
    size_t match_url(size_t i) const {
        if (is_letter(i, 'h') && is_letter(i + 1, 't') && is_letter(i + 2, 't') &&
            is_letter(i + 3, 'p')) {
            size_t j = i + 4;
            // `s?` is greedy, but giving the `s` back cannot help: the next thing needed is ':'.
            if (is_s(j)) ++j;
            if (is(j, ':') && is(j + 1, '/') && is(j + 2, '/') && has_non_space(j + 3)) {
                return non_space_run_end(j + 3);
            }
            return kNoMatch;  // "http..." never begins "www."
        }
        if (is_letter(i, 'w') && is_letter(i + 1, 'w') && is_letter(i + 2, 'w') && is(i + 3, '.') &&
            has_non_space(i + 4)) {
            return non_space_run_end(i + 4);
        }
        return kNoMatch;
    }
    bool has_non_space(size_t i) const { return i < cps_.size() && !is_space(i); }

    // [a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}
    // The local part cannot backtrack usefully ('@' is not in its class), so it must be the whole
    // run followed by '@'. The domain run is greedy and then gives back characters until a '.'
    // follows it with two [a-z] after the '.'; since '.' and [a-z] are domain characters, that
    // '.' is the last qualifying '.' inside the domain run (excluding its first character), and the
    // match ends where the [a-z] run after it ends.
    size_t match_email(size_t i) {
        if (!has(i, kLocal)) return kNoMatch;
        // All positions of one run share its end; start positions only increase.
        if (i >= local_run_end_) local_run_end_ = run_end(i, kLocal);
        const size_t at = local_run_end_;
        if (!is(at, '@')) return kNoMatch;
        if (at != domain_cache_at_) {
            domain_cache_at_ = at;
            domain_cache_end_ = match_domain(at + 1);
        }
        return domain_cache_end_;
    }

    size_t match_domain(size_t start) const {
        const size_t domain_end = run_end(start, kDomain);
        // The domain part takes at least one character, so the '.' is at start + 1 or later.
        for (size_t dot = domain_end; dot > start + 1;) {
            --dot;
            if (is(dot, '.') && has(dot + 1, kAlpha) && has(dot + 2, kAlpha)) {
                return run_end(dot + 1, kAlpha);
            }
        }
        return kNoMatch;
    }

    // @[a-z0-9_]+
    size_t match_handle(size_t i) const {
        if (!is(i, '@') || !has(i + 1, kHandle)) return kNoMatch;
        return run_end(i + 1, kHandle);
    }

    // \w+(?:[-_]\w+)*  Nothing follows the group, so the greedy path is the match. A maximal \w
    // run is never followed by '_' (itself a word character), so only '-' can join two runs.
    size_t match_word(size_t i) const {
        if (!has(i, kWord)) return kNoMatch;
        size_t end = run_end(i, kWord);
        while (is(end, '-') && has(end + 1, kWord))
            end = run_end(end + 1, kWord);
        return end;
    }

    std::vector<char32_t> cps_;
    std::vector<uint8_t> classes_;
    std::vector<size_t> byte_of_;  // byte offset of each code point, plus the text size
    size_t local_run_end_ = 0;
    size_t domain_cache_at_ = kNoMatch;
    size_t domain_cache_end_ = kNoMatch;
};

bool is_ascii(std::string_view text) {
    for (char ch : text) {
        if (static_cast<unsigned char>(ch) >= 0x80) return false;
    }
    return true;
}

// python_lower() of text already known to be valid UTF-8.
std::string lower_valid(std::string_view text) {
    std::string out;
    if (is_ascii(text)) {
        // Exactly str.lower() on ASCII: only A-Z change, and no context rule applies.
        out.assign(text);
        for (char& ch : out) {
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        }
        return out;
    }
    if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
        throw TokenizerError("text to lower-case is too long for ICU (" +
                             std::to_string(text.size()) + " bytes)");
    }
    // Full (SpecialCasing) lower-case mapping in the root locale: U+0130 becomes "i" + U+0307 and
    // capital sigma becomes final sigma in the Final_Sigma context, as in CPython. The root locale
    // is named explicitly because a null locale would mean the process default (e.g. Turkish).
    out.reserve(text.size());
    icu::StringByteSink<std::string> sink(&out);
    UErrorCode status = U_ZERO_ERROR;
    icu::CaseMap::utf8ToLower("", 0,
                              icu::StringPiece(text.data(), static_cast<int32_t>(text.size())),
                              sink, nullptr, status);
    if (U_FAILURE(status)) {
        throw TokenizerError(std::string("ICU lower-case mapping failed: ") + u_errorName(status));
    }
    return out;
}

}  // namespace

std::vector<Word> split_words(std::string_view text, WordPattern pattern) {
    utf8::require_valid(text, "text to split into words");
    Matcher matcher(text);
    std::vector<Word> words;
    size_t i = 0;
    const size_t n = matcher.size();
    while (i < n) {
        if (matcher.is_space(i)) {
            ++i;
            continue;
        }
        const size_t end = matcher.match_at(i, pattern);
        Word word;
        word.start_cp = i;
        word.end_cp = end;
        word.start_byte = matcher.byte_of(i);
        word.end_byte = matcher.byte_of(end);
        word.lowered = lower_valid(text.substr(word.start_byte, word.end_byte - word.start_byte));
        words.push_back(std::move(word));
        i = end;
    }
    return words;
}

std::string python_lower(std::string_view text) {
    utf8::require_valid(text, "text to lower-case");
    return lower_valid(text);
}

}  // namespace spanguard::tokenizer
