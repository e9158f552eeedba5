// The pre-tokenisers of a Hugging Face tokenizer.json ("pre_tokenizer" field), with the Hugging
// Face tokenizers library's semantics for splits and original offsets (see hf_string.h).
//
// Supported: Sequence, Metaspace, WhitespaceSplit, Whitespace, Split.
// Thread safety: pre-tokenisers are immutable; pre_tokenize() may be called from any number of
// threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tokenizer/hf_regex.h"
#include "tokenizer/hf_string.h"

namespace spanguard::tokenizer {

class HfPreTokenizer {
  public:
    virtual ~HfPreTokenizer() = default;
    // Replaces each string of `splits` by the pieces it is cut into (empty pieces dropped).
    virtual void pre_tokenize(std::vector<HfString>& splits) const = 0;
};

// Metaspace's prepend_scheme: when a replacement character is put in front of a split that does
// not start with one. kFirst: only for a split that starts at offset 0 of the ORIGINAL input
// (so not for text after an added token).
enum class HfPrependScheme { kAlways, kFirst, kNever };

std::unique_ptr<HfPreTokenizer> make_hf_sequence_pre_tokenizer(
    std::vector<std::unique_ptr<HfPreTokenizer>> pre_tokenizers);
// Replaces every ' ' by `replacement`, prepends it as `scheme` says, and (if `split`) cuts
// before every `replacement`, which stays with the text after it.
std::unique_ptr<HfPreTokenizer> make_hf_metaspace(char32_t replacement, HfPrependScheme scheme,
                                                  bool split);
// Cuts at White_Space characters, which are dropped.
std::unique_ptr<HfPreTokenizer> make_hf_whitespace_split();
// Keeps the runs of \w+ and of [^\w\s]+ (Unicode classes); drops the rest.
std::unique_ptr<HfPreTokenizer> make_hf_whitespace();
// Cuts at matches of `pattern` (or, with `invert`, at the text between them) as `behavior` says.
std::unique_ptr<HfPreTokenizer> make_hf_split(HfPattern pattern, HfSplitBehavior behavior,
                                              bool invert);

}  // namespace spanguard::tokenizer
