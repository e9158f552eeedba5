// Unigram Viterbi search, emulating two reference implementations exactly:
//
//   * SentencePiece 0.1.97, unigram::Model::EncodeOptimized plus the unknown-piece handling of
//     SentencePieceProcessor::Encode (fusion of consecutive unknowns, byte fallback);
//   * Hugging Face tokenizers, Unigram::encode_optimized plus Unigram::tokenize.
//
// Both walk the segment one character at a time. For each start position they enumerate every
// searchable piece that is a prefix of the rest of the segment (shortest first) and relax the best
// path ending where that piece ends; a strictly greater score is needed to replace an existing
// best path, so on ties the path found first wins (the one whose last piece starts earliest). If
// no piece covers exactly the one character at the start, an unknown node of that character is
// relaxed last, with score (min score - 10).
//
// The arithmetic differs between the two and is reproduced bit for bit, because it decides ties
// and near-ties:
//   SentencePiece: path scores are stored as float. A piece's candidate score is computed in
//     double (there the piece score is the double expression `user_defined ? length * max_score
//     - 0.1 : score`) and compared with the stored float before being rounded to float; the
//     unknown candidate is a float sum.
//   Hugging Face: scores and path scores are f64 throughout.
#include "tokenizer/unigram_model.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <utility>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {
namespace {

// The unknown-node penalty: `constexpr float kUnkPenalty = 10.0` in SentencePiece,
// `K_UNK_PENALTY: f64 = 10.0` in Hugging Face.
constexpr float kUnkPenalty = 10.0f;

// SentencePiece's user-defined symbols get `length * max_score_ - 0.1` (length in bytes).
constexpr double kUserDefinedPenalty = 0.1;

const char* type_name(PieceType type) {
    switch (type) {
        case PieceType::kNormal:
            return "normal";
        case PieceType::kUnknown:
            return "unknown";
        case PieceType::kControl:
            return "control";
        case PieceType::kUserDefined:
            return "user-defined";
        case PieceType::kUnused:
            return "unused";
        case PieceType::kByte:
            return "byte";
    }
    return "invalid";
}

// "<0x41>" for 0x41, as both libraries spell byte pieces.
std::string byte_piece(unsigned byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string s = "<0x00>";
    s[3] = kHex[byte >> 4];
    s[4] = kHex[byte & 15];
    return s;
}

// Length of the character whose lead byte is `lead`, as SentencePiece's OneCharLen computes it
// (and as Rust's char length is for valid UTF-8); the caller clamps it to the bytes left.
inline size_t char_length(unsigned char lead) {
    static constexpr unsigned char kLength[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLength[lead >> 4];
}

// A double-array trie over the bytes of the searchable pieces.
//
// Unit i holds `base` (children of i live at base ^ byte) and a 9-bit check: 0x100 | byte for a
// unit that is the child reached by `byte`, 0 for a free unit. Every node with children gets a base
// no other node has, so a unit whose check names `byte` and that sits at base ^ byte can only be
// the child of the node with that base. Nodes without children all share base 0, which no node with
// children is given. Bases are chosen within allocated 256-unit blocks, so base ^ byte is always
// a valid index and the search needs no bounds check.
//
// The piece that ends at a unit is stored in the unit itself (id and score), since a separate
// table costs a cache miss per match, which measured as a third of the search time. A score that
// is not a float (only SentencePiece's user-defined pieces, scored in double) is flagged in the
// id and kept in a side table.
struct TrieUnit {
    uint32_t base_check = 0;  // base << 9 | check
    int32_t piece = -1;       // id of the piece ending here (| kWideScore), or -1 when none
    float score = 0.0f;       // its score, unless kWideScore
};
constexpr uint32_t kUsed = 0x100;
constexpr uint32_t kMaxBase = (1u << 23) - 1;
constexpr int32_t kWideScore = 1 << 30;  // the score is wide_scores[id]
constexpr int32_t kMaxPieces = kWideScore;

// A searchable piece while the trie is built.
struct TrieEntry {
    int32_t id;
    float score;
    bool wide;
};

}  // namespace

struct UnigramModel::Trie {
    std::vector<TrieUnit> units;
    std::unordered_map<int32_t, double> wide_scores;  // by piece id
    float unk_score_f = 0.0f;                         // SentencePiece: min_score - 10 in float
    double unk_score_d = 0.0;                         // Hugging Face: min_score - 10 in f64
};

namespace {

// Places the nodes of a double-array trie, darts-style: free units of the most recent blocks form
// a doubly linked list; a node's children go at the first base whose slots are all free. Older
// blocks are closed (their free units abandoned) so that each search stays short.
class DoubleArrayBuilder {
  public:
    using Unit = TrieUnit;
    static constexpr uint32_t kBlock = 256;
    static constexpr uint32_t kOpenBlocks = 16;

    explicit DoubleArrayBuilder(std::vector<Unit>& units) : units_(units) {
        add_block();
        take(0);             // the root
        base_taken_[0] = 1;  // reserved for the nodes without children
    }

    // Finds a base whose slots for every byte in `labels` (sorted, non-empty) are free, claims
    // them and returns it.
    uint32_t place(const unsigned char* labels, size_t count) {
        uint32_t base = find_base(labels, count);
        base_taken_[base] = 1;
        for (size_t i = 0; i < count; ++i) {
            const uint32_t slot = base ^ labels[i];
            take(slot);
            units_[slot].base_check = kUsed | labels[i];
        }
        return base;
    }

  private:
    uint32_t find_base(const unsigned char* labels, size_t count) {
        if (head_ >= 0) {
            int32_t slot = head_;
            do {
                const uint32_t base = static_cast<uint32_t>(slot) ^ labels[0];
                if (!base_taken_[base]) {
                    bool fits = true;
                    for (size_t i = 1; i < count && fits; ++i) {
                        fits = !taken_[base ^ labels[i]];
                    }
                    if (fits) return base;
                }
                slot = next_[static_cast<size_t>(slot)];
            } while (slot != head_);
        }
        const uint32_t start = add_block();
        return start;  // a fresh block: every slot free, base unused
    }

    uint32_t add_block() {
        const auto start = static_cast<uint32_t>(units_.size());
        if (start + kBlock - 1 > kMaxBase) {
            throw TokenizerError("unigram vocabulary too large for the piece trie (more than " +
                                 std::to_string(kMaxBase + 1) + " trie nodes)");
        }
        units_.resize(start + kBlock);
        taken_.resize(start + kBlock, 0);
        base_taken_.resize(start + kBlock, 0);
        next_.resize(start + kBlock, -1);
        prev_.resize(start + kBlock, -1);
        for (uint32_t i = start; i < start + kBlock; ++i) {
            link(i);
        }
        if (start / kBlock - first_open_ >= kOpenBlocks) close_oldest();
        return start;
    }

    void close_oldest() {
        const uint32_t start = first_open_ * kBlock;
        for (uint32_t i = start; i < start + kBlock; ++i) {
            if (!taken_[i]) unlink(i);
        }
        ++first_open_;
    }

    void link(uint32_t i) {
        const auto s = static_cast<int32_t>(i);
        if (head_ < 0) {
            head_ = next_[i] = prev_[i] = s;
            return;
        }
        const int32_t tail = prev_[static_cast<size_t>(head_)];
        next_[static_cast<size_t>(tail)] = s;
        prev_[i] = tail;
        next_[i] = head_;
        prev_[static_cast<size_t>(head_)] = s;
    }

    void unlink(uint32_t i) {
        const int32_t n = next_[i];
        const int32_t p = prev_[i];
        if (n == static_cast<int32_t>(i)) {
            head_ = -1;
        } else {
            next_[static_cast<size_t>(p)] = n;
            prev_[static_cast<size_t>(n)] = p;
            if (head_ == static_cast<int32_t>(i)) head_ = n;
        }
    }

    void take(uint32_t slot) {
        taken_[slot] = 1;
        unlink(slot);
    }

    std::vector<Unit>& units_;
    std::vector<uint8_t> taken_;
    std::vector<uint8_t> base_taken_;
    std::vector<int32_t> next_;
    std::vector<int32_t> prev_;
    int32_t head_ = -1;
    uint32_t first_open_ = 0;
};

// Builds the trie of `keys` (byte strings, sorted, unique, non-empty), key i carrying entries[i].
void build_trie(const std::vector<std::string_view>& keys, const std::vector<TrieEntry>& entries,
                std::vector<TrieUnit>& units) {
    units.clear();
    units.reserve(keys.size() * 4 + 256);
    DoubleArrayBuilder builder(units);

    // Depth-first over key ranges that share a prefix; explicit stack, since pieces of a
    // tokenizer.json may be arbitrarily long.
    struct Job {
        uint32_t unit;
        size_t lo, hi, depth;
    };
    std::vector<Job> stack{{0, 0, keys.size(), 0}};
    unsigned char labels[256];
    size_t bounds[257];
    while (!stack.empty()) {
        Job job = stack.back();
        stack.pop_back();
        if (keys[job.lo].size() == job.depth) {  // sorted: the key equal to the prefix is first
            const TrieEntry& e = entries[job.lo];
            units[job.unit].piece = e.wide ? (e.id | kWideScore) : e.id;
            units[job.unit].score = e.score;
            ++job.lo;
        }
        size_t count = 0;
        for (size_t i = job.lo; i < job.hi;) {
            const auto label = static_cast<unsigned char>(keys[i][job.depth]);
            bounds[count] = i;
            labels[count++] = label;
            while (i < job.hi && static_cast<unsigned char>(keys[i][job.depth]) == label) {
                ++i;
            }
        }
        bounds[count] = job.hi;
        if (count == 0) continue;  // a leaf keeps base 0
        const uint32_t b = builder.place(labels, count);
        units[job.unit].base_check = (b << 9) | (units[job.unit].base_check & 0x1FF);
        for (size_t k = count; k-- > 0;) {
            stack.push_back({b ^ labels[k], bounds[k], bounds[k + 1], job.depth + 1});
        }
    }
}

}  // namespace

UnigramModel::UnigramModel(std::vector<Piece> pieces, int32_t unk_id, bool byte_fallback,
                           Matching matching)
    : pieces_(std::move(pieces)),
      trie_(std::make_unique<Trie>()),
      unk_id_(unk_id),
      byte_fallback_(byte_fallback),
      matching_(matching) {
    const bool spm = matching_ == Matching::kSentencePiece;
    if (pieces_.empty()) throw TokenizerError("unigram model has no pieces");
    if (unk_id_ < 0 || static_cast<size_t>(unk_id_) >= pieces_.size()) {
        throw TokenizerError("unigram unk_id " + std::to_string(unk_id_) +
                             " is outside the vocabulary of " + std::to_string(pieces_.size()) +
                             " pieces");
    }
    if (pieces_.size() >= static_cast<size_t>(kMaxPieces)) {
        throw TokenizerError("unigram model has " + std::to_string(pieces_.size()) +
                             " pieces, more than the " + std::to_string(kMaxPieces) + " supported");
    }
    const auto count = static_cast<int32_t>(pieces_.size());

    // One bytewise sort of (text, id) serves piece_to_id, the duplicate checks and the trie (whose
    // builder wants sorted keys). It is ordered so that the id piece_to_id must return comes first
    // among equal texts. SentencePiece keeps normal/user-defined/unused pieces and the others
    // (control, unknown, byte) in two maps, rejects a duplicate within either, and looks the second
    // kind up first. Hugging Face keeps the last id of a duplicated token.
    auto searchable = [](PieceType t) {
        return t == PieceType::kNormal || t == PieceType::kUserDefined || t == PieceType::kUnused;
    };
    sorted_ids_.resize(pieces_.size());
    for (int32_t id = 0; id < count; ++id) {
        sorted_ids_[static_cast<size_t>(id)] = {pieces_[static_cast<size_t>(id)].text, id};
    }
    if (spm) {
        std::sort(sorted_ids_.begin(), sorted_ids_.end(), [&](const auto& a, const auto& b) {
            if (a.first != b.first) return a.first < b.first;
            const bool sa = searchable(pieces_[static_cast<size_t>(a.second)].type);
            const bool sb = searchable(pieces_[static_cast<size_t>(b.second)].type);
            return sa != sb ? sb : a.second < b.second;
        });
    } else {
        std::sort(sorted_ids_.begin(), sorted_ids_.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : a.second > b.second;
        });
    }

    std::vector<std::string_view> keys;  // searchable texts, sorted and unique
    std::vector<int32_t> key_ids;
    keys.reserve(pieces_.size());
    key_ids.reserve(pieces_.size());
    if (spm) {
        int32_t unknown_piece = -1;
        for (int32_t id = 0; id < count; ++id) {
            const Piece& p = pieces_[static_cast<size_t>(id)];
            auto where = [id] { return "unigram piece " + std::to_string(id); };
            if (p.text.empty()) throw TokenizerError(where() + " is empty");
            if (p.type == PieceType::kUnknown) {
                if (unknown_piece >= 0) {
                    throw TokenizerError(where() + " is a second unknown piece (the first is " +
                                         std::to_string(unknown_piece) + ")");
                }
                unknown_piece = id;
            }
            if (p.type == PieceType::kByte && !byte_fallback_) {
                throw TokenizerError(where() + " is the byte piece '" + p.text +
                                     "' although byte_fallback is false");
            }
        }
        for (size_t i = 0; i < sorted_ids_.size(); ++i) {
            const auto [text, id] = sorted_ids_[i];
            const PieceType type = pieces_[static_cast<size_t>(id)].type;
            if (i > 0 && sorted_ids_[i - 1].first == text &&
                searchable(pieces_[static_cast<size_t>(sorted_ids_[i - 1].second)].type) ==
                    searchable(type)) {
                throw TokenizerError("unigram piece " + std::to_string(id) + " '" +
                                     std::string(text) + "' repeats piece " +
                                     std::to_string(sorted_ids_[i - 1].second));
            }
            if (searchable(type) && type != PieceType::kUnused) {
                keys.push_back(text);
                key_ids.push_back(id);
            }
        }
        if (pieces_[static_cast<size_t>(unk_id_)].type != PieceType::kUnknown) {
            throw TokenizerError("unigram unk_id " + std::to_string(unk_id_) + " names the " +
                                 type_name(pieces_[static_cast<size_t>(unk_id_)].type) +
                                 " piece '" + pieces_[static_cast<size_t>(unk_id_)].text +
                                 "', not an unknown piece");
        }
    } else {
        // Every distinct non-empty token is searchable, under its last id (the root of the
        // Hugging Face trie is never reported, so the empty token is never matched).
        for (size_t i = 0; i < sorted_ids_.size(); ++i) {
            const auto [text, id] = sorted_ids_[i];
            if (text.empty() || (i > 0 && sorted_ids_[i - 1].first == text)) continue;
            keys.push_back(text);
            key_ids.push_back(id);
        }
    }

    // Byte pieces. SentencePiece insists on all 256 (as BYTE pieces, the ones its lookup
    // finds first); Hugging Face looks each up when needed and falls back to the unknown token
    // for a string with any byte missing, recorded here as -1.
    for (unsigned b = 0; b < 256; ++b) {
        const std::string name = byte_piece(b);
        byte_ids_[b] = piece_to_id(name).value_or(-1);
        if (spm && byte_fallback_ &&
            (byte_ids_[b] < 0 ||
             pieces_[static_cast<size_t>(byte_ids_[b])].type != PieceType::kByte)) {
            throw TokenizerError("unigram model has byte_fallback but no byte piece '" + name +
                                 "' (all 256 <0xNN> pieces are required)");
        }
    }

    // Scores. SentencePiece: min and max over normal pieces, starting from FLT_MAX and FLT_MIN
    // (the smallest positive float, so max_score is never negative). Hugging Face: min over
    // every entry.
    float min_score = FLT_MAX;
    float max_score = FLT_MIN;
    double min_score_hf = std::numeric_limits<double>::infinity();
    for (const Piece& p : pieces_) {
        if (p.type == PieceType::kNormal) {
            min_score = std::min(min_score, p.score);
            max_score = std::max(max_score, p.score);
        }
        min_score_hf = std::min(min_score_hf, static_cast<double>(p.score));
    }
    if (spm) {
        min_score_ = min_score;
        trie_->unk_score_f = min_score - kUnkPenalty;
    } else {
        min_score_ = static_cast<float>(min_score_hf);
        trie_->unk_score_d = min_score_hf - static_cast<double>(kUnkPenalty);
    }

    // Build the trie (keys are sorted bytewise: std::string_view compares like memcmp).
    std::vector<TrieEntry> entries(keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
        const int32_t id = key_ids[i];
        const Piece& p = pieces_[static_cast<size_t>(id)];
        entries[i] = {id, p.score, false};
        if (spm && p.type == PieceType::kUserDefined) {
            // SentencePiece: `length * max_score_ - 0.1`, a size_t times a float (float), minus a
            // double; length is the piece's length in bytes.
            trie_->wide_scores[id] =
                static_cast<double>(static_cast<float>(p.text.size()) * max_score) -
                kUserDefinedPenalty;
            entries[i].wide = true;
        }
    }
    if (!keys.empty()) build_trie(keys, entries, trie_->units);
    if (trie_->units.empty()) {  // no searchable piece: a lone root, never matched
        trie_->units.resize(DoubleArrayBuilder::kBlock);
    }
}

UnigramModel::~UnigramModel() = default;

std::optional<int32_t> UnigramModel::piece_to_id(std::string_view piece) const {
    auto it =
        std::lower_bound(sorted_ids_.begin(), sorted_ids_.end(), piece,
                         [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (it == sorted_ids_.end() || it->first != piece) return std::nullopt;
    return it->second;
}

namespace {

// The best path ending at one byte position: its score, the start of its last token and that
// token's id. `start` -1 means no path ends here yet.
template <typename Score>
struct BestPath {
    Score score;
    int32_t start;
    int32_t id;
};

struct PathToken {
    uint32_t begin;
    uint32_t end;
    int32_t id;
};

// encode() keeps its working vectors per thread, so that a call allocates only its result. A
// vector grown past this many entries by a very long segment is released when the call ends
// rather than held for the life of the thread.
constexpr size_t kMaxKeptScratch = size_t{1} << 20;

template <typename T>
class ScratchTrim {
  public:
    explicit ScratchTrim(std::vector<T>& v) : v_(v) {}
    ~ScratchTrim() {
        if (v_.capacity() > kMaxKeptScratch) std::vector<T>().swap(v_);
    }
    ScratchTrim(const ScratchTrim&) = delete;
    ScratchTrim& operator=(const ScratchTrim&) = delete;

  private:
    std::vector<T>& v_;
};

}  // namespace

namespace {

// The Viterbi pass shared by both libraries. `Score` is the stored path score type (float for
// SentencePiece, double for Hugging Face); candidate piece scores are always computed in double
// and the unknown candidate in `Score`. Leaves the best path's tokens, in order, in `path`.
template <typename Score>
void viterbi(std::string_view text, const TrieUnit* units,
             const std::unordered_map<int32_t, double>& wide_scores, Score unk_score,
             int32_t unk_id, std::vector<BestPath<Score>>& best, std::vector<PathToken>& path) {
    const size_t size = text.size();
    const auto* data = reinterpret_cast<const unsigned char*>(text.data());
    best.resize(size + 1);
    BestPath<Score>* b = best.data();
    for (size_t i = 0; i <= size; ++i) {
        b[i] = {Score(0), -1, 0};
    }

    size_t start = 0;
    while (start < size) {
        const Score here = b[start].score;
        const size_t mblen = std::min(char_length(data[start]), size - start);
        bool has_single = false;
        uint32_t node = 0;
        for (size_t pos = start; pos < size;) {
            const uint32_t c = data[pos];
            const uint32_t next = (units[node].base_check >> 9) ^ c;
            if ((units[next].base_check & 0x1FF) != (kUsed | c)) break;
            node = next;
            ++pos;
            const TrieUnit& unit = units[node];
            if (unit.piece < 0) continue;
            int32_t id = unit.piece;
            double score = unit.score;
            if (id & kWideScore) [[unlikely]] {
                id &= ~kWideScore;
                score = wide_scores.at(id);
            }
            BestPath<Score>& target = b[pos];
            const double candidate = score + static_cast<double>(here);
            if (target.start < 0 || candidate > static_cast<double>(target.score)) {
                target.score = static_cast<Score>(candidate);
                target.start = static_cast<int32_t>(start);
                target.id = id;
            }
            if (pos - start == mblen) has_single = true;
        }
        if (!has_single) {
            BestPath<Score>& target = b[start + mblen];
            const Score candidate = unk_score + here;
            if (target.start < 0 || candidate > target.score) {
                target.score = candidate;
                target.start = static_cast<int32_t>(start);
                target.id = unk_id;
            }
        }
        start += mblen;
    }

    path.clear();
    for (size_t end = size; end > 0;) {
        const BestPath<Score>& node = b[end];
        path.push_back({static_cast<uint32_t>(node.start), static_cast<uint32_t>(end), node.id});
        end = static_cast<size_t>(node.start);
    }
    std::reverse(path.begin(), path.end());
}

}  // namespace

std::vector<UnigramModel::Token> UnigramModel::encode(std::string_view segment) const {
    std::vector<Token> out;
    if (segment.empty()) return out;
    if (segment.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
        throw TokenizerError("unigram segment of " + std::to_string(segment.size()) +
                             " bytes is longer than the 2 GiB the search supports");
    }
    thread_local std::vector<PathToken> path;
    const ScratchTrim<PathToken> trim_path(path);

    if (matching_ == Matching::kSentencePiece) {
        thread_local std::vector<BestPath<float>> best;
        const ScratchTrim<BestPath<float>> trim_best(best);
        viterbi<float>(segment, trie_->units.data(), trie_->wide_scores, trie_->unk_score_f,
                       unk_id_, best, path);
        out.reserve(path.size());
        // SentencePieceProcessor::Encode (0.1.97): under byte fallback an unknown node (always
        // one character here) becomes one byte piece per UTF-8 byte; the last one spans the
        // character and the others are empty at its start. Without byte fallback it is merged
        // into an unknown token right before it.
        bool prev_unk = false;
        for (const PathToken& t : path) {
            const bool is_unk = t.id == unk_id_;
            if (is_unk && byte_fallback_) {
                for (uint32_t i = t.begin; i < t.end; ++i) {
                    const int32_t id = byte_ids_[static_cast<unsigned char>(segment[i])];
                    out.push_back({id, t.begin, i + 1 == t.end ? t.end : t.begin});
                }
            } else if (is_unk && prev_unk) {
                out.back().end = t.end;
            } else {
                out.push_back({t.id, t.begin, t.end});
            }
            prev_unk = is_unk;
        }
        return out;
    }

    thread_local std::vector<BestPath<double>> best;
    const ScratchTrim<BestPath<double>> trim_best(best);
    viterbi<double>(segment, trie_->units.data(), trie_->wide_scores, trie_->unk_score_d, unk_id_,
                    best, path);
    out.reserve(path.size());
    // Unigram::encode_optimized fuses each run of nodes whose id is unk_id (an unknown character
    // or a literal match of the unknown token's text) into one string; Unigram::tokenize then maps
    // every string back to an id through the vocabulary, so a fused run that happens to be a
    // token gets that token's id, and an unmatched one becomes byte pieces over the whole run
    // (if every byte has one) or the unknown token.
    for (size_t i = 0; i < path.size();) {
        if (path[i].id != unk_id_) {
            out.push_back({path[i].id, path[i].begin, path[i].end});
            ++i;
            continue;
        }
        const uint32_t begin = path[i].begin;
        while (i < path.size() && path[i].id == unk_id_) {
            ++i;
        }
        const uint32_t end = path[i - 1].end;
        const std::string_view run = segment.substr(begin, end - begin);
        if (const auto id = piece_to_id(run)) {
            out.push_back({*id, begin, end});
            continue;
        }
        bool all_bytes = byte_fallback_;
        for (size_t k = 0; all_bytes && k < run.size(); ++k) {
            all_bytes = byte_ids_[static_cast<unsigned char>(run[k])] >= 0;
        }
        if (all_bytes) {
            for (char ch : run) {
                out.push_back({byte_ids_[static_cast<unsigned char>(ch)], begin, end});
            }
        } else {
            out.push_back({unk_id_, begin, end});
        }
    }
    return out;
}

}  // namespace spanguard::tokenizer
