// spanguard's tokenizer: SentencePiece Unigram models loaded from `spm.model` or from a Hugging
// Face `tokenizer.json`, producing the same ids as the reference library of each format, with
// offsets into the original input.
//
//   auto tok = spanguard::tokenizer::Tokenizer::from_file("spm.model");
//   tok.add_special_tokens({{"[P]", 128003}, {"[E]", 128005}});
//   Encoding e = tok.encode("[P] person");   // ids {128003, 604}, offsets {{0,3},{4,10}}
//
// Units: all offsets are UTF-8 byte offsets into the string passed to encode().
// Thread safety: a Tokenizer is immutable after construction and add_special_tokens(); encode() and
// the lookups may be called from any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/encoding.h"

namespace spanguard::tokenizer {

class SegmentEncoder;
class AddedTokens;

class Tokenizer {
  public:
    // Loads `spm.model` (a SentencePiece ModelProto) or `tokenizer.json`, told apart by content.
    // Throws TokenizerError naming the file and what is wrong with it.
    static Tokenizer from_file(const std::string& path);
    static Tokenizer from_spm_model(std::string_view serialized_proto,
                                    std::string_view source_name);
    static Tokenizer from_tokenizer_json(std::string_view json_text, std::string_view source_name);

    // Tokens matched verbatim on the raw input before any normalisation (Hugging Face "special"
    // added tokens: no normalisation, no stripping of neighbouring spaces). Where several match,
    // the longest wins. Call before sharing the tokenizer between threads.
    void add_special_tokens(const std::vector<std::pair<std::string, int32_t>>& tokens);

    // Throws TokenizerError("invalid UTF-8 in input text at byte offset N") on invalid input.
    Encoding encode(std::string_view text) const;
    std::vector<int32_t> encode_ids(std::string_view text) const { return encode(text).ids; }

    // Added tokens first, then model pieces.
    std::optional<int32_t> token_to_id(std::string_view token) const;
    std::string id_to_token(int32_t id) const;
    // Model pieces plus added tokens whose id lies beyond them.
    size_t vocab_size() const;

    Tokenizer(Tokenizer&&) noexcept;
    Tokenizer& operator=(Tokenizer&&) noexcept;
    ~Tokenizer();

  private:
    Tokenizer(std::shared_ptr<const SegmentEncoder> model, std::shared_ptr<AddedTokens> added);
    std::shared_ptr<const SegmentEncoder> model_;
    std::shared_ptr<AddedTokens> added_;
};

}  // namespace spanguard::tokenizer
