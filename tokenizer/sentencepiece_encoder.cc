#include "tokenizer/sentencepiece_encoder.h"

#include <algorithm>
#include <memory>

#include "tokenizer/error.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

// U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space.
constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";

// The scratch buffers are per thread and reused; one that grew for an unusually long input is
// released afterwards rather than kept for the life of the thread.
constexpr size_t kKeepScratchBytes = size_t{1} << 20;

int32_t find_unknown_piece(const std::vector<Piece>& pieces, std::string_view source_name) {
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].type == PieceType::kUnknown) return static_cast<int32_t>(i);
    }
    throw TokenizerError(std::string(source_name) +
                         ": invalid SentencePiece model: no piece has type UNKNOWN");
}

// Builds the model, prefixing its complaints with the file name.
UnigramModel make_model(std::vector<Piece> pieces, bool byte_fallback,
                        std::string_view source_name) {
    const int32_t unk_id = find_unknown_piece(pieces, source_name);
    try {
        return UnigramModel(std::move(pieces), unk_id, byte_fallback,
                            UnigramModel::Matching::kSentencePiece);
    } catch (const TokenizerError& e) {
        throw TokenizerError(std::string(source_name) + ": " + e.what());
    }
}

std::optional<PrecompiledCharsmap> make_charsmap(const std::string& blob,
                                                 std::string_view source_name) {
    // SentencePiece uses no character folding when the charsmap is empty (the "identity" rule).
    if (blob.empty()) return std::nullopt;
    return PrecompiledCharsmap(blob, source_name);
}

}  // namespace

SentencePieceEncoder::SentencePieceEncoder(SpmModel model, std::string_view source_name)
    : model_(make_model(std::move(model.pieces), model.trainer.byte_fallback, source_name)),
      charsmap_(make_charsmap(model.normalizer.precompiled_charsmap, source_name)),
      add_dummy_prefix_(model.normalizer.add_dummy_prefix),
      remove_extra_whitespaces_(model.normalizer.remove_extra_whitespaces),
      escape_whitespaces_(model.normalizer.escape_whitespaces),
      treat_whitespace_as_suffix_(model.trainer.treat_whitespace_as_suffix) {
    for (size_t id = 0; id < model_.size(); ++id) {
        const Piece& p = model_.piece(static_cast<int32_t>(id));
        if (p.type != PieceType::kUserDefined || p.text.empty()) continue;
        user_defined_[static_cast<unsigned char>(p.text[0])].push_back(p.text);
        has_user_defined_ = true;
    }
    for (auto& group : user_defined_) {
        std::stable_sort(
            group.begin(), group.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    }
}

std::pair<std::string_view, size_t> SentencePieceEncoder::normalize_prefix(
    std::string_view input) const {
    if (has_user_defined_) {
        for (const std::string& piece : user_defined_[static_cast<unsigned char>(input[0])]) {
            if (input.substr(0, piece.size()) == piece)
                return {input.substr(0, piece.size()), piece.size()};
        }
    }
    if (charsmap_) {
        if (auto hit = charsmap_->longest_prefix_match(input))
            return {hit->replacement, hit->length};
    }
    const size_t length =
        std::min(utf8::sequence_length(static_cast<unsigned char>(input[0])), input.size());
    return {input.substr(0, length), length};
}

// SentencePiece 0.1.97 Normalizer::Normalize. The whitespace rules act on what each step
// produced, not on the input: a character the charsmap turns into " " (NBSP, tab, U+3000, ...) is
// a space, and a space at the start of a multi-character replacement is dropped after a space.
void SentencePieceEncoder::normalize(std::string_view input, std::string& normalized,
                                     std::vector<size_t>& norm_to_orig) const {
    normalized.clear();
    norm_to_orig.clear();
    if (input.empty()) return;

    size_t consumed = 0;
    // Leading spaces are dropped.
    if (remove_extra_whitespaces_) {
        while (!input.empty()) {
            const auto [text, length] = normalize_prefix(input);
            if (text != " ") break;
            input.remove_prefix(length);
            consumed += length;
        }
    }
    if (input.empty()) return;

    normalized.reserve(input.size() * 3);
    norm_to_orig.reserve(input.size() * 3 + 1);
    const auto add_whitespace = [&] {
        if (escape_whitespaces_) {
            normalized.append(kSpaceSymbol);
            norm_to_orig.insert(norm_to_orig.end(), kSpaceSymbol.size(), consumed);
        } else {
            normalized.push_back(' ');
            norm_to_orig.push_back(consumed);
        }
    };

    bool is_prev_space = remove_extra_whitespaces_;
    if (!treat_whitespace_as_suffix_ && add_dummy_prefix_) add_whitespace();

    while (!input.empty()) {
        auto [text, length] = normalize_prefix(input);
        // A run of spaces collapses into its first one.
        if (is_prev_space) {
            while (!text.empty() && text[0] == ' ')
                text.remove_prefix(1);
        }
        if (!text.empty()) {
            for (char c : text) {
                if (escape_whitespaces_ && c == ' ') {
                    normalized.append(kSpaceSymbol);
                    norm_to_orig.insert(norm_to_orig.end(), kSpaceSymbol.size(), consumed);
                } else {
                    normalized.push_back(c);
                    norm_to_orig.push_back(consumed);
                }
            }
            is_prev_space = text.back() == ' ';
        }
        consumed += length;
        input.remove_prefix(length);
        if (!remove_extra_whitespaces_) is_prev_space = false;
    }

    // Trailing spaces are dropped; the end offset moves back to where the first of them began.
    // Escaped, this also drops a literal U+2581 that ends the input, as SentencePiece does.
    if (remove_extra_whitespaces_) {
        const std::string_view space = escape_whitespaces_ ? kSpaceSymbol : std::string_view(" ");
        while (normalized.size() >= space.size() &&
               std::string_view(normalized).substr(normalized.size() - space.size()) == space) {
            const size_t length = normalized.size() - space.size();
            consumed = norm_to_orig[length];
            normalized.resize(length);
            norm_to_orig.resize(length);
        }
    }

    if (treat_whitespace_as_suffix_ && add_dummy_prefix_) add_whitespace();
    norm_to_orig.push_back(consumed);
}

void SentencePieceEncoder::encode(std::string_view segment, size_t base, Encoding& out) const {
    thread_local std::string normalized;
    thread_local std::vector<size_t> norm_to_orig;
    normalize(segment, normalized, norm_to_orig);
    if (!normalized.empty()) {
        const std::vector<UnigramModel::Token> tokens = model_.encode(normalized);
        out.ids.reserve(out.ids.size() + tokens.size());
        out.offsets.reserve(out.offsets.size() + tokens.size());
        for (const auto& t : tokens) {
            out.ids.push_back(t.id);
            out.offsets.push_back({base + norm_to_orig[t.begin], base + norm_to_orig[t.end]});
        }
    }
    if (normalized.capacity() > kKeepScratchBytes) std::string().swap(normalized);
    if (norm_to_orig.capacity() > kKeepScratchBytes) std::vector<size_t>().swap(norm_to_orig);
}

std::optional<int32_t> SentencePieceEncoder::piece_to_id(std::string_view piece) const {
    return model_.piece_to_id(piece);
}

std::string SentencePieceEncoder::id_to_piece(int32_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= model_.size()) {
        throw TokenizerError("piece id " + std::to_string(id) + " is outside the " +
                             std::to_string(model_.size()) + " pieces of the SentencePiece model");
    }
    return model_.piece(id).text;
}

Tokenizer Tokenizer::from_spm_model(std::string_view serialized_proto,
                                    std::string_view source_name) {
    SpmModel model = parse_spm_model(serialized_proto, source_name);
    auto encoder = std::make_shared<const SentencePieceEncoder>(std::move(model), source_name);
    return Tokenizer(std::move(encoder), nullptr);
}

}  // namespace spanguard::tokenizer
