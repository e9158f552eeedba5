// The normalisers of a Hugging Face tokenizer.json ("normalizer" field), with the Hugging Face
// tokenizers library's semantics for text AND original offsets (see hf_string.h).
//
// Supported: Sequence, Strip, StripAccents, Precompiled, Replace, Lowercase, NFC, NFD, NFKC,
// NFKD, Prepend, Nmt, BertNormalizer. Unicode data come from ICU (the library uses Rust crates
// with their own Unicode versions; characters assigned after either version may differ).
// Thread safety: normalisers are immutable; normalize() may be called from any number of threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tokenizer/hf_regex.h"
#include "tokenizer/hf_string.h"

namespace spanguard::tokenizer {

class PrecompiledCharsmap;

class HfNormalizer {
  public:
    virtual ~HfNormalizer() = default;
    virtual void normalize(HfString& s) const = 0;
};

enum class HfUnicodeForm { kNFC, kNFD, kNFKC, kNFKD };

std::unique_ptr<HfNormalizer> make_hf_sequence_normalizer(
    std::vector<std::unique_ptr<HfNormalizer>> normalizers);
// Removes leading/trailing White_Space characters.
std::unique_ptr<HfNormalizer> make_hf_strip(bool left, bool right);
// Removes characters of general category Mark (Mn, Mc, Me).
std::unique_ptr<HfNormalizer> make_hf_strip_accents();
// SentencePiece's precompiled rules applied per grapheme cluster. A null charsmap (the JSON's
// empty or null "precompiled_charsmap") changes nothing.
std::unique_ptr<HfNormalizer> make_hf_precompiled(std::shared_ptr<const PrecompiledCharsmap> map);
std::unique_ptr<HfNormalizer> make_hf_replace(HfPattern pattern, std::string content);
// Full lower-case mapping per character (Rust char::to_lowercase).
std::unique_ptr<HfNormalizer> make_hf_lowercase();
std::unique_ptr<HfNormalizer> make_hf_unicode_normalizer(HfUnicodeForm form);
// Prepends `prefix` to non-empty strings.
std::unique_ptr<HfNormalizer> make_hf_prepend(std::string prefix);
// Removes ASCII control characters and maps other whitespace-like characters to ' '.
std::unique_ptr<HfNormalizer> make_hf_nmt();
// BERT's cleaning: `strip_accents` unset means "same as lowercase".
std::unique_ptr<HfNormalizer> make_hf_bert_normalizer(bool clean_text, bool handle_chinese_chars,
                                                      std::optional<bool> strip_accents,
                                                      bool lowercase);

// The Unicode normalisation of `s` as the library's NormalizedString::nf*() computes it, with
// its per-character alignment bookkeeping (decomposition, canonical reordering, composition).
void hf_unicode_normalize(HfString& s, HfUnicodeForm form);

}  // namespace spanguard::tokenizer
