// The Hugging Face tokenizer.json pipeline for one segment of input (text between two added
// tokens that the Tokenizer facade matched on the raw string): normaliser, then the added tokens
// that are matched on NORMALIZED text ("normalized": true), then pre-tokeniser, then the Unigram
// model on each split. Offsets are those the Hugging Face tokenizers library reports.
//
// Thread safety: immutable after construction; encode() may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "tokenizer/hf_normalizers.h"
#include "tokenizer/hf_pre_tokenizers.h"
#include "tokenizer/segment_encoder.h"
#include "tokenizer/unigram_model.h"

namespace spanguard::tokenizer {

class HfSegmentEncoder final : public SegmentEncoder {
  public:
    // An added token with "normalized": true. It is matched (leftmost, then longest) on the
    // normalised text, in the form the normaliser gives its content.
    struct NormalizedToken {
        std::string content;  // as written in tokenizer.json
        int32_t id;
    };

    // `normalizer` and `pre_tokenizer` may be null (absent from the JSON). Throws TokenizerError
    // when a normalized token's content normalises to the empty string (it would match
    // everywhere).
    HfSegmentEncoder(std::unique_ptr<HfNormalizer> normalizer,
                     std::unique_ptr<HfPreTokenizer> pre_tokenizer,
                     std::shared_ptr<const UnigramModel> model,
                     std::vector<NormalizedToken> normalized_tokens);

    void encode(std::string_view segment, size_t base, Encoding& out) const override;
    // Normalized added tokens first, then model pieces.
    std::optional<int32_t> piece_to_id(std::string_view piece) const override;
    std::string id_to_piece(int32_t id) const override;
    // Model pieces, or more when a normalized added token has an id beyond them.
    size_t vocab_size() const override;

  private:
    void encode_split(const HfString& split, Encoding& out) const;

    std::unique_ptr<HfNormalizer> normalizer_;
    std::unique_ptr<HfPreTokenizer> pre_tokenizer_;
    std::shared_ptr<const UnigramModel> model_;
    std::vector<NormalizedToken> tokens_;
    // Normalised forms, longest first, with their ids.
    std::vector<std::pair<std::string, int32_t>> patterns_;
    std::unordered_map<std::string, int32_t> id_of_token_;
    std::unordered_map<int32_t, std::string> token_of_id_;
};

}  // namespace spanguard::tokenizer
