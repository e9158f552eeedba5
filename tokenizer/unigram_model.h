// The Unigram language model of SentencePiece: a vocabulary of scored pieces and a Viterbi search
// for the highest-scoring segmentation of one normalised segment.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace spanguard::tokenizer {

// Piece types, numbered as in sentencepiece_model.proto.
enum class PieceType : int {
    kNormal = 1,
    kUnknown = 2,
    kControl = 3,
    kUserDefined = 4,
    kUnused = 5,
    kByte = 6
};

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

    // Throws TokenizerError when `pieces` is empty or `unk_id` is out of range. kSentencePiece
    // also rejects what the SentencePiece library refuses to load: an empty or duplicated piece,
    // an unk_id that is not the one unknown piece, byte pieces without byte_fallback, and
    // byte_fallback without the 256 <0xNN> byte pieces. (The Hugging Face library accepts those;
    // there a duplicated token takes its last id and a missing byte piece means [UNK].)
    // Construction is one sort plus a linear trie build (about 0.06 s of CPU for 128k pieces).
    UnigramModel(std::vector<Piece> pieces, int32_t unk_id, bool byte_fallback, Matching matching);
    ~UnigramModel();

    struct Token {
        int32_t id;
        size_t begin;  // byte range in the segment passed to encode()
        size_t end;
    };
    // Best segmentation of `segment` (valid UTF-8, already normalised and "▁"-escaped). A
    // character no piece covers becomes the unknown piece (consecutive unknowns fused into one),
    // or, with byte_fallback, one <0xNN> piece per UTF-8 byte. Byte-piece ranges follow each
    // library: kSentencePiece gives the character's range to its last byte piece and an empty
    // range at the character's start to the others; kHuggingFace gives every byte piece the range
    // of the whole run of unknown characters. Thread-safe; allocates only the returned vector
    // (per-thread scratch buffers are reused).
    std::vector<Token> encode(std::string_view segment) const;

    std::optional<int32_t> piece_to_id(std::string_view piece) const;
    const Piece& piece(int32_t id) const { return pieces_[static_cast<size_t>(id)]; }
    size_t size() const { return pieces_.size(); }
    int32_t unk_id() const { return unk_id_; }
    bool byte_fallback() const { return byte_fallback_; }

  private:
    struct Trie;
    std::vector<Piece> pieces_;
    // (text, id) of every piece, sorted by text; among equal texts the id piece_to_id returns
    // comes first. The texts view pieces_, which is never modified after construction.
    std::vector<std::pair<std::string_view, int32_t>> sorted_ids_;
    std::unique_ptr<Trie> trie_;
    int32_t unk_id_;
    bool byte_fallback_;
    Matching matching_;
    float min_score_ = 0.0f;
    int32_t byte_ids_[256] = {};
};

}  // namespace spanguard::tokenizer
