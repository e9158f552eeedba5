// Loader for Hugging Face `tokenizer.json` files with a Unigram model. Tokenizer::from_file and
// Tokenizer::from_tokenizer_json use it; the result tokenises as the Hugging Face tokenizers
// library (0.22) does with add_special_tokens=false, ids and offsets alike.
//
// What is read:
//   version         must be "1.0" when present.
//   added_tokens    {id, content, special, normalized, lstrip, rstrip, single_word}. Tokens with
//                   normalized=false are matched on the raw input (the Tokenizer facade's
//                   AddedTokens); normalized=true ones on the normalised text. lstrip, rstrip and
//                   single_word=true are rejected (not supported). Ids are checked against the
//                   ones the library assigns on load (the model's id for a token that is a model
//                   piece, otherwise the next id after the model's vocabulary, in file order):
//                   the library ignores the file's ids, so a file whose ids differ is rejected
//                   rather than silently tokenised differently from what it says.
//   normalizer      see hf_normalizers.h; pre_tokenizer: see hf_pre_tokenizers.h.
//   model           Unigram only: vocab [[piece, score], ...], unk_id (required here) and
//                   byte_fallback.
//                   Scores are held as float32 (UnigramModel's Piece). Files converted from
//                   SentencePiece hold float32 values, so nothing is lost for them; but the
//                   library itself reads scores with serde_json's fast float parser, which can
//                   be one ulp (float64) off the decimal in the file, and its Viterbi search
//                   compares those values: on near-exact ties between two segmentations (long runs
//                   of one repeated character) it can pick the other one. Measured: 0 of 100,000
//                   corpus strings on the DeBERTa and Pegasus files, 1 in 10,000 without "▁".
//   post_processor, decoder   checked to be null or an object with a "type"; not used (they only
//                   matter with special tokens added around the input, and for decoding).
//   truncation, padding       not applied: encode() tokenises the whole input and never pads.
// Any other top-level key is ignored, as the library does.
//
// Unicode versions: ICU 72 (Unicode 15.0) supplies character data. The library's case mapping
// and regex classes know Unicode 15.1/16, so Lowercase, Whitespace and Split may treat characters
// assigned after 15.0 differently; normalisation forms, StripAccents and BertNormalizer follow the
// library's older Unicode 9.0/8.0 tables exactly (see hf_normalizers.cc).
//
// Errors are TokenizerError naming the source and the JSON path, e.g.
//   "tokenizer.json: normalizer.normalizers[2]: unknown normalizer type 'Foo'",
//   "tokenizer.json: invalid JSON at line 3, column 14: ...".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spanguard::tokenizer {

class HfSegmentEncoder;

struct ParsedTokenizerJson {
    std::shared_ptr<const HfSegmentEncoder> encoder;
    // Added tokens matched verbatim on the raw input (normalized=false), with their ids.
    std::vector<std::pair<std::string, int32_t>> raw_tokens;
};

ParsedTokenizerJson parse_tokenizer_json(std::string_view json_text, std::string_view source_name);

}  // namespace spanguard::tokenizer
