// Private interface between the Tokenizer facade and its two pipelines (SentencePiece semantics
// for spm.model, Hugging Face semantics for tokenizer.json).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tokenizer/encoding.h"

namespace spanguard::tokenizer {

class SegmentEncoder {
  public:
    virtual ~SegmentEncoder() = default;
    // Tokenises `segment`, a piece of the caller's input that contains no added token and starts
    // at byte `base` of that input; appends ids and original offsets (shifted by `base`) to `out`.
    // `segment` is valid UTF-8. Must be safe to call concurrently.
    virtual void encode(std::string_view segment, size_t base, Encoding& out) const = 0;
    virtual std::optional<int32_t> piece_to_id(std::string_view piece) const = 0;
    virtual std::string id_to_piece(int32_t id) const = 0;
    virtual size_t vocab_size() const = 0;
};

}  // namespace spanguard::tokenizer
