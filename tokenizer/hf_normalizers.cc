#include "tokenizer/hf_normalizers.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "tokenizer/error.h"
#include "tokenizer/precompiled_charsmap.h"

namespace spanguard::tokenizer {
namespace {

class SequenceNormalizer final : public HfNormalizer {
  public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<HfNormalizer>> n)
        : normalizers_(std::move(n)) {}
    void normalize(HfString& s) const override {
        for (const auto& n : normalizers_)
            n->normalize(s);
    }

  private:
    std::vector<std::unique_ptr<HfNormalizer>> normalizers_;
};

class StripNormalizer final : public HfNormalizer {
  public:
    StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
    void normalize(HfString& s) const override { s.strip(left_, right_); }

  private:
    bool left_, right_;
};

// The library takes Unicode data from Rust crates frozen at old Unicode versions: the
// normalisation forms and StripAccents' mark test from unicode-normalization-alignments (Unicode
// 9.0), BertNormalizer's categories from unicode_categories (Unicode 8.0, and without any
// unassigned code points in its "Cn" table). ICU knows newer characters; treating those as
// unassigned reproduces the library (measured with it, see tests/python/test_hf_parity.py).
bool assigned_by(char32_t c, uint8_t major, uint8_t minor) {
    UVersionInfo age;
    u_charAge(static_cast<UChar32>(c), age);
    return age[0] < major || (age[0] == major && age[1] <= minor);
}
constexpr uint8_t kNormalizationMajor = 9, kNormalizationMinor = 0;
constexpr uint8_t kCategoriesMajor = 8, kCategoriesMinor = 0;

bool known_to_normalization(char32_t c) {
    return c < 0x300 || assigned_by(c, kNormalizationMajor, kNormalizationMinor);
}

bool is_mark(char32_t c) {
    const auto type = u_charType(static_cast<UChar32>(c));
    return (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
            type == U_ENCLOSING_MARK) &&
           known_to_normalization(c);
}

class StripAccentsNormalizer final : public HfNormalizer {
  public:
    void normalize(HfString& s) const override {
        s.filter([](char32_t c) { return !is_mark(c); });
    }
};

class PrecompiledNormalizer final : public HfNormalizer {
  public:
    explicit PrecompiledNormalizer(std::shared_ptr<const PrecompiledCharsmap> map)
        : map_(std::move(map)) {}
    void normalize(HfString& s) const override {
        if (!map_ || s.empty()) return;
        s.set_normalized(map_->normalize_huggingface(s.normalized()));
    }

  private:
    std::shared_ptr<const PrecompiledCharsmap> map_;
};

class ReplaceNormalizer final : public HfNormalizer {
  public:
    ReplaceNormalizer(HfPattern pattern, std::string content)
        : pattern_(std::move(pattern)), content_(std::move(content)) {}
    void normalize(HfString& s) const override { s.replace(pattern_.find(s.text()), content_); }

  private:
    HfPattern pattern_;
    std::string content_;
};

class LowercaseNormalizer final : public HfNormalizer {
  public:
    void normalize(HfString& s) const override { s.lowercase(); }
};

class UnicodeNormalizer final : public HfNormalizer {
  public:
    explicit UnicodeNormalizer(HfUnicodeForm form) : form_(form) {}
    void normalize(HfString& s) const override { hf_unicode_normalize(s, form_); }

  private:
    HfUnicodeForm form_;
};

class PrependNormalizer final : public HfNormalizer {
  public:
    explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
    void normalize(HfString& s) const override {
        if (!s.empty()) s.prepend(prefix_);
    }

  private:
    std::string prefix_;
};

class NmtNormalizer final : public HfNormalizer {
  public:
    void normalize(HfString& s) const override {
        s.filter([](char32_t c) {
            return !((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) ||
                     c == 0x7F || c == 0x8F || c == 0x9F);
        });
        s.map([](char32_t c) -> char32_t {
            switch (c) {
                case 0x09:
                case 0x0A:
                case 0x0C:
                case 0x0D:
                case 0x1680:
                case 0x2028:
                case 0x2029:
                case 0x2581:
                case 0xFEFF:
                case 0xFFFD:
                    return ' ';
                default:
                    return c >= 0x200B && c <= 0x200F ? U' ' : c;
            }
        });
    }
};

// The character classes of the library's BertNormalizer (Rust's char methods and the
// unicode_categories crate).
bool bert_is_whitespace(char32_t c) {
    return c == '\t' || c == '\n' || c == '\r' || hf_is_whitespace(c);
}

bool bert_is_control(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    const auto type = u_charType(static_cast<UChar32>(c));
    return (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || type == U_PRIVATE_USE_CHAR ||
            type == U_SURROGATE) &&
           assigned_by(c, kCategoriesMajor, kCategoriesMinor);
}

bool bert_is_nonspacing_mark(char32_t c) {
    // U+1885 and U+1886 became Mn in Unicode 9.0; they were Lo before.
    if (c == 0x1885 || c == 0x1886) return false;
    return u_charType(static_cast<UChar32>(c)) == U_NON_SPACING_MARK &&
           assigned_by(c, kCategoriesMajor, kCategoriesMinor);
}

bool bert_is_chinese(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
           (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

class BertNormalizer final : public HfNormalizer {
  public:
    BertNormalizer(bool clean_text, bool chinese, bool strip_accents, bool lowercase)
        : clean_text_(clean_text),
          chinese_(chinese),
          strip_accents_(strip_accents),
          lowercase_(lowercase) {}
    void normalize(HfString& s) const override {
        if (clean_text_) {
            s.filter([](char32_t c) { return !(c == 0 || c == 0xFFFD || bert_is_control(c)); });
            s.map([](char32_t c) { return bert_is_whitespace(c) ? U' ' : c; });
        }
        if (chinese_) {
            std::vector<HfChange> dest;
            for (const auto& ch : s.chars()) {
                if (bert_is_chinese(ch.c)) {
                    dest.push_back({U' ', 0});
                    dest.push_back({ch.c, 1});
                    dest.push_back({U' ', 1});
                } else {
                    dest.push_back({ch.c, 0});
                }
            }
            s.transform(dest, 0);
        }
        if (strip_accents_) {
            hf_unicode_normalize(s, HfUnicodeForm::kNFD);
            s.filter([](char32_t c) { return !bert_is_nonspacing_mark(c); });
        }
        if (lowercase_) s.lowercase();
    }

  private:
    bool clean_text_, chinese_, strip_accents_, lowercase_;
};

const icu::Normalizer2& icu_normalizer(bool compat) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = compat ? icu::Normalizer2::getNFKDInstance(status)
                                       : icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status) || !n) {
        throw TokenizerError(std::string("ICU normalisation data unavailable: ") +
                             u_errorName(status));
    }
    return *n;
}

const icu::Normalizer2& icu_composer() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || !n) {
        throw TokenizerError(std::string("ICU normalisation data unavailable: ") +
                             u_errorName(status));
    }
    return *n;
}

uint8_t ccc(char32_t c) {
    if (c < 0x300) return 0;
    return known_to_normalization(c) ? u_getCombiningClass(static_cast<UChar32>(c)) : 0;
}

// Full decomposition of every character, then canonical ordering. A character's decomposition
// keeps change 0 on its first code point and +1 (inserted) on the others; reordering moves
// (character, change) pairs together, which is what the library's decomposition iterator does.
std::vector<HfChange> decompose(HfString& s, bool compat) {
    const icu::Normalizer2& norm = icu_normalizer(compat);
    std::vector<HfChange> out;
    size_t pending = 0;  // start of the run of non-starters not yet ordered
    const auto push = [&](char32_t c, int64_t change) {
        if (ccc(c) == 0) {
            std::stable_sort(
                out.begin() + static_cast<std::ptrdiff_t>(pending), out.end(),
                [](const HfChange& a, const HfChange& b) { return ccc(a.c) < ccc(b.c); });
            out.push_back({c, change});
            pending = out.size();
        } else {
            out.push_back({c, change});
        }
    };
    icu::UnicodeString decomposition;
    for (const auto& ch : s.chars()) {
        decomposition.remove();
        if (!known_to_normalization(ch.c) ||
            !norm.getDecomposition(static_cast<UChar32>(ch.c), decomposition)) {
            push(ch.c, 0);
            continue;
        }
        int32_t i = 0;
        bool first = true;
        while (i < decomposition.length()) {
            const UChar32 cp = decomposition.char32At(i);
            push(static_cast<char32_t>(cp), first ? 0 : 1);
            first = false;
            i += U16_LENGTH(cp);
        }
    }
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(pending), out.end(),
                     [](const HfChange& a, const HfChange& b) { return ccc(a.c) < ccc(b.c); });
    return out;
}

// Canonical composition (UAX #15) over the decomposed pairs. When a character is composed into
// the preceding starter, the starter's change absorbs it: change(starter) + change(c) - 1.
std::vector<HfChange> compose(const std::vector<HfChange>& in) {
    const icu::Normalizer2& nfc = icu_composer();
    std::vector<HfChange> out;
    std::vector<HfChange> buffer;  // non-starters after the current starter, not composed
    bool have_composee = false;
    HfChange composee{0, 0};
    bool have_last_ccc = false;
    uint8_t last_ccc = 0;
    const auto flush = [&] {
        if (have_composee) out.push_back(composee);
        out.insert(out.end(), buffer.begin(), buffer.end());
        buffer.clear();
        have_last_ccc = false;
    };
    for (const HfChange& ch : in) {
        const uint8_t cls = ccc(ch.c);
        if (!have_composee) {
            if (cls != 0) {
                out.push_back(ch);
                continue;
            }
            composee = ch;
            have_composee = true;
            continue;
        }
        if (have_last_ccc && last_ccc >= cls) {
            // Blocked from the starter.
            if (cls == 0) {
                flush();
                composee = ch;
                continue;
            }
            buffer.push_back(ch);
            last_ccc = cls;
            continue;
        }
        const UChar32 composite =
            nfc.composePair(static_cast<UChar32>(composee.c), static_cast<UChar32>(ch.c));
        if (composite >= 0 && known_to_normalization(static_cast<char32_t>(composite)) &&
            known_to_normalization(ch.c)) {
            composee = {static_cast<char32_t>(composite), composee.change + ch.change - 1};
            continue;
        }
        if (!have_last_ccc && cls == 0) {
            flush();
            composee = ch;
            continue;
        }
        buffer.push_back(ch);
        have_last_ccc = true;
        last_ccc = cls;
    }
    flush();
    return out;
}

}  // namespace

void hf_unicode_normalize(HfString& s, HfUnicodeForm form) {
    const bool compat = form == HfUnicodeForm::kNFKC || form == HfUnicodeForm::kNFKD;
    std::vector<HfChange> dest = decompose(s, compat);
    if (form == HfUnicodeForm::kNFC || form == HfUnicodeForm::kNFKC) dest = compose(dest);
    s.transform(dest, 0);
}

std::unique_ptr<HfNormalizer> make_hf_sequence_normalizer(
    std::vector<std::unique_ptr<HfNormalizer>> normalizers) {
    return std::make_unique<SequenceNormalizer>(std::move(normalizers));
}
std::unique_ptr<HfNormalizer> make_hf_strip(bool left, bool right) {
    return std::make_unique<StripNormalizer>(left, right);
}
std::unique_ptr<HfNormalizer> make_hf_strip_accents() {
    return std::make_unique<StripAccentsNormalizer>();
}
std::unique_ptr<HfNormalizer> make_hf_precompiled(std::shared_ptr<const PrecompiledCharsmap> map) {
    return std::make_unique<PrecompiledNormalizer>(std::move(map));
}
std::unique_ptr<HfNormalizer> make_hf_replace(HfPattern pattern, std::string content) {
    return std::make_unique<ReplaceNormalizer>(std::move(pattern), std::move(content));
}
std::unique_ptr<HfNormalizer> make_hf_lowercase() {
    return std::make_unique<LowercaseNormalizer>();
}
std::unique_ptr<HfNormalizer> make_hf_unicode_normalizer(HfUnicodeForm form) {
    return std::make_unique<UnicodeNormalizer>(form);
}
std::unique_ptr<HfNormalizer> make_hf_prepend(std::string prefix) {
    return std::make_unique<PrependNormalizer>(std::move(prefix));
}
std::unique_ptr<HfNormalizer> make_hf_nmt() {
    return std::make_unique<NmtNormalizer>();
}
std::unique_ptr<HfNormalizer> make_hf_bert_normalizer(bool clean_text, bool handle_chinese_chars,
                                                      std::optional<bool> strip_accents,
                                                      bool lowercase) {
    return std::make_unique<BertNormalizer>(clean_text, handle_chinese_chars,
                                            strip_accents.value_or(lowercase), lowercase);
}

}  // namespace spanguard::tokenizer
