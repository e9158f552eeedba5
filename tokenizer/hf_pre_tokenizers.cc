#include "tokenizer/hf_pre_tokenizers.h"

#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

// Applies `fn` to every split and concatenates the results, as PreTokenizedString::split does.
template <class Fn>
void split_each(std::vector<HfString>& splits, Fn&& fn) {
    std::vector<HfString> out;
    out.reserve(splits.size());
    for (auto& s : splits) {
        for (auto& piece : fn(std::move(s))) {
            if (!piece.empty()) out.push_back(std::move(piece));
        }
    }
    splits = std::move(out);
}

class SequencePreTokenizer final : public HfPreTokenizer {
  public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<HfPreTokenizer>> p)
        : pre_tokenizers_(std::move(p)) {}
    void pre_tokenize(std::vector<HfString>& splits) const override {
        for (const auto& p : pre_tokenizers_)
            p->pre_tokenize(splits);
    }

  private:
    std::vector<std::unique_ptr<HfPreTokenizer>> pre_tokenizers_;
};

class MetaspacePreTokenizer final : public HfPreTokenizer {
  public:
    MetaspacePreTokenizer(char32_t replacement, HfPrependScheme scheme, bool split)
        : replacement_(replacement),
          replacement_utf8_(utf8::encode(replacement)),
          scheme_(scheme),
          split_(split) {}

    void pre_tokenize(std::vector<HfString>& splits) const override {
        split_each(splits, [&](HfString s) {
            s.replace(find_char_matches(s.text(), [](char32_t c) { return c == U' '; }),
                      replacement_utf8_);
            const bool starts_with_replacement =
                s.text().compare(0, replacement_utf8_.size(), replacement_utf8_) == 0;
            if (!starts_with_replacement) {
                // "first" looks at where the split starts in the ORIGINAL input: text after an
                // added token (or after an earlier cut) gets no prefix.
                if (scheme_ == HfPrependScheme::kAlways ||
                    (scheme_ == HfPrependScheme::kFirst && s.original_begin() == 0)) {
                    s.prepend(replacement_utf8_);
                }
            }
            if (!split_) return std::vector<HfString>{std::move(s)};
            const char32_t r = replacement_;
            return s.split(find_char_matches(s.text(), [r](char32_t c) { return c == r; }),
                           HfSplitBehavior::kMergedWithNext);
        });
    }

  private:
    char32_t replacement_;
    std::string replacement_utf8_;
    HfPrependScheme scheme_;
    bool split_;
};

class WhitespaceSplitPreTokenizer final : public HfPreTokenizer {
  public:
    void pre_tokenize(std::vector<HfString>& splits) const override {
        split_each(splits, [](HfString s) {
            return s.split(find_char_matches(s.text(), hf_is_whitespace),
                           HfSplitBehavior::kRemoved);
        });
    }
};

class PatternPreTokenizer final : public HfPreTokenizer {
  public:
    PatternPreTokenizer(HfPattern pattern, HfSplitBehavior behavior, bool invert)
        : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
    void pre_tokenize(std::vector<HfString>& splits) const override {
        split_each(splits, [&](HfString s) {
            auto pieces = pattern_.find(s.text());
            if (invert_) pieces = invert_matches(std::move(pieces));
            return s.split(pieces, behavior_);
        });
    }

  private:
    HfPattern pattern_;
    HfSplitBehavior behavior_;
    bool invert_;
};

}  // namespace

std::unique_ptr<HfPreTokenizer> make_hf_sequence_pre_tokenizer(
    std::vector<std::unique_ptr<HfPreTokenizer>> pre_tokenizers) {
    return std::make_unique<SequencePreTokenizer>(std::move(pre_tokenizers));
}

std::unique_ptr<HfPreTokenizer> make_hf_metaspace(char32_t replacement, HfPrependScheme scheme,
                                                  bool split) {
    return std::make_unique<MetaspacePreTokenizer>(replacement, scheme, split);
}

std::unique_ptr<HfPreTokenizer> make_hf_whitespace_split() {
    return std::make_unique<WhitespaceSplitPreTokenizer>();
}

std::unique_ptr<HfPreTokenizer> make_hf_whitespace() {
    // The library's regex is \w+|[^\w\s]+ in Rust syntax, where \s is White_Space; ICU's \s
    // lacks U+000B and U+0085, so the class is spelt out. Both \w are UTS #18's.
    return std::make_unique<PatternPreTokenizer>(
        HfPattern::regex("\\w+|[^\\w\\p{White_Space}]+", "Whitespace pre-tokenizer"),
        HfSplitBehavior::kRemoved, /*invert=*/true);
}

std::unique_ptr<HfPreTokenizer> make_hf_split(HfPattern pattern, HfSplitBehavior behavior,
                                              bool invert) {
    return std::make_unique<PatternPreTokenizer>(std::move(pattern), behavior, invert);
}

}  // namespace spanguard::tokenizer
