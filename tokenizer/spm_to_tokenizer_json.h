// Converts a SentencePiece Unigram `spm.model` into a Hugging Face `tokenizer.json` in the layout
// that transformers' DebertaV2Converter writes (GLINER2.md §6):
//   added_tokens   the control and unknown pieces ([PAD] [CLS] [SEP] [UNK] for DeBERTa-v3) and
//                  user-defined pieces, in id order, then the caller's extra special tokens; all
//                  normalized=false, lstrip/rstrip/single_word false; special except
//                  user-defined pieces.
//   normalizer     Sequence[Strip(left, right), Precompiled(charsmap; omitted when the model has
//                  none), Replace(Regex " {2,}" -> " ")]
//   pre_tokenizer  Sequence[Metaspace("▁", prepend_scheme "always", split true)]
//   model          Unigram: every piece with its score, unk_id from the trainer spec,
//                  byte_fallback (see below)
//   post_processor TemplateProcessing [CLS] $A [SEP] / [CLS] $A [SEP] $B [SEP]
//   decoder        Metaspace("▁", "always", split true)
//
// byte_fallback: transformers writes false for DeBERTa-v3 even though its spm.model says true (so
// in transformers an unknown character becomes [UNK], where SentencePiece gives one <0xNN> piece
// per UTF-8 byte). By default the converter keeps the model's value, so that the tokenizer.json
// tokenises like the spm.model; `transformers_compatible` writes false as transformers does.
//
// Thread safety: a pure function of its inputs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanguard::tokenizer {

struct SpmConversionOptions {
    // Extra special tokens (content, id), e.g. {"[MASK]", 128000} and GLiNER2's markers
    // 128001..128010. The Hugging Face library ignores the ids in a tokenizer.json and assigns
    // them itself on load, so each id must be the one it will assign: a token that is a model
    // piece keeps the piece's id, the others take consecutive ids right after the vocabulary.
    // (They are written in id order.) A token that repeats one of the model's control pieces
    // with the same id is accepted and written once.
    std::vector<std::pair<std::string, int32_t>> extra_special_tokens;
    // false: keep the spm.model's byte_fallback (tokenises like the spm.model);
    // true: byte_fallback false, as transformers' DebertaV2Converter writes.
    bool transformers_compatible = false;
};

// Returns the tokenizer.json text, laid out as the Hugging Face library writes one (serde_json's
// pretty printer: 2-space indent, shortest round-trip floats, no trailing newline). Throws
// TokenizerError naming `source_name` when the model cannot be converted: not Unigram, no
// [CLS]/[SEP] pieces for the post-processor, an extra token id the library would reassign, or
// (unless transformers_compatible) normaliser settings that the DeBERTa layout cannot express.
std::string spm_to_tokenizer_json(std::string_view spm_model_bytes, std::string_view source_name,
                                  const SpmConversionOptions& options);

}  // namespace spanguard::tokenizer
