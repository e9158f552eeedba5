// Which code points count as part of a word, for the redaction layer's boundaries: pattern matches
// must not start or end inside a word (pattern_recognizer_scan.cc), and a model span's part beside
// a pattern match is kept only for its letters and digits (redaction_merge.cc). One Unicode
// definition (utf8proc general categories) serves both, so "é", "٣" or "ß" are word characters
// and "—" or "«" are not, in every script.
// Thread safety: pure functions.
#pragma once

namespace spanguard::schemas::redaction {

// Letters (Lu Ll Lt Lm Lo), digits and numerals (Nd Nl No) and non-spacing marks (Mn).
bool is_letter_or_digit(char32_t cp);

// is_letter_or_digit or "_" (as in regular expressions' \w).
inline bool is_word_code_point(char32_t cp) {
    return cp == U'_' || is_letter_or_digit(cp);
}

}  // namespace spanguard::schemas::redaction
