// The spm.model pipeline: SentencePiece 0.1.97's normaliser (precompiled charsmap, extra
// whitespace removal, dummy prefix, "▁" escaping) followed by its Unigram search, with the
// offsets SentencePiece itself reports (SentencePieceText.pieces[i].begin/end).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/precompiled_charsmap.h"
#include "tokenizer/segment_encoder.h"
#include "tokenizer/spm_model_proto.h"
#include "tokenizer/unigram_model.h"

namespace spanguard::tokenizer {

// Immutable after construction; encode() may be called from many threads at once.
class SentencePieceEncoder final : public SegmentEncoder {
  public:
    // Throws TokenizerError naming `source_name` when the model cannot be used (no UNKNOWN piece,
    // malformed charsmap, missing byte pieces under byte_fallback, ...).
    SentencePieceEncoder(SpmModel model, std::string_view source_name);

    void encode(std::string_view segment, size_t base, Encoding& out) const override;
    std::optional<int32_t> piece_to_id(std::string_view piece) const override;
    std::string id_to_piece(int32_t id) const override;
    size_t vocab_size() const override { return model_.size(); }

    // SentencePiece's Normalizer::Normalize on valid UTF-8 `input`: writes the normalised text
    // and, for each of its bytes and once more for its end, the byte offset in `input` of the
    // input chunk that byte came from (norm_to_orig). A token covering normalised bytes [b, e)
    // covers original bytes [norm_to_orig[b], norm_to_orig[e]). Both are empty when the input
    // normalises to nothing.
    void normalize(std::string_view input, std::string& normalized,
                   std::vector<size_t>& norm_to_orig) const;

  private:
    // One step of the normaliser: the text that replaces the start of `input` and how many bytes
    // of `input` it consumes (a user-defined piece verbatim, else the longest charsmap key, else
    // one character unchanged).
    std::pair<std::string_view, size_t> normalize_prefix(std::string_view input) const;

    UnigramModel model_;
    std::optional<PrecompiledCharsmap> charsmap_;
    bool add_dummy_prefix_;
    bool remove_extra_whitespaces_;
    bool escape_whitespaces_;
    bool treat_whitespace_as_suffix_;
    // User-defined pieces are kept verbatim by the normaliser (longest match wins); grouped by
    // first byte, longest first.
    std::array<std::vector<std::string>, 256> user_defined_;
    bool has_user_defined_ = false;
};

}  // namespace spanguard::tokenizer
