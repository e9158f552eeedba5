// The Unigram language model of SentencePiece: a vocabulary of scored pieces and a Viterbi search
// for the highest-scoring segmentation of one normalised segment.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spanguard::tokenizer {

// Piece types, numbered as in sentencepiece_model.proto.
enum class PieceType : int { kNormal = 1, kUnknown = 2, kControl = 3, kUserDefined = 4, kUnused = 5, kByte = 6 };

struct Piece {
    std::string text;
    float score = 0.0f;
    PieceType type = PieceType::kNormal;
};

class UnigramModel {
public:
    // kSentencePiece: only normal and user-defined pieces take part in the search, as in the
    //   SentencePiece library. kHuggingFace: every vocabulary entry does, as in the Hugging Face
    //   tokenizers library (whose tokenizer.json carries no piece types).
    enum class Matching { kSentencePiece, kHuggingFace };

    // Throws TokenizerError when `unk_id` is out of range or byte_fallback is asked for without
    // the 256 <0xNN> byte pieces.
    UnigramModel(std::vector<Piece> pieces, int32_t unk_id, bool byte_fallback, Matching matching);
    ~UnigramModel();

    struct Token {
        int32_t id;
        size_t begin;  // byte range in the segment passed to encode()
        size_t end;
    };
    // Best segmentation of `segment` (valid UTF-8, already normalised and "▁"-escaped). A
    // character no piece covers becomes the unknown piece (consecutive unknowns fused into one),
    // or, with byte_fallback, one <0xNN> piece per UTF-8 byte.
    std::vector<Token> encode(std::string_view segment) const;

    std::optional<int32_t> piece_to_id(std::string_view piece) const;
    const Piece& piece(int32_t id) const { return pieces_[static_cast<size_t>(id)]; }
    size_t size() const { return pieces_.size(); }
    int32_t unk_id() const { return unk_id_; }
    bool byte_fallback() const { return byte_fallback_; }

private:
    struct Trie;
    std::vector<Piece> pieces_;
    std::unordered_map<std::string, int32_t> id_of_;
    std::unique_ptr<Trie> trie_;
    int32_t unk_id_;
    bool byte_fallback_;
    Matching matching_;
    float min_score_ = 0.0f;
    int32_t byte_ids_[256] = {};
};

}  // namespace spanguard::tokenizer
