#include "tokenizer/hf_segment_encoder.h"

#include <algorithm>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {

HfSegmentEncoder::HfSegmentEncoder(std::unique_ptr<HfNormalizer> normalizer,
                                   std::unique_ptr<HfPreTokenizer> pre_tokenizer,
                                   std::shared_ptr<const UnigramModel> model,
                                   std::vector<NormalizedToken> normalized_tokens)
    : normalizer_(std::move(normalizer)),
      pre_tokenizer_(std::move(pre_tokenizer)),
      model_(std::move(model)),
      tokens_(std::move(normalized_tokens)) {
    if (!model_) throw TokenizerError("tokenizer.json pipeline has no model");
    for (const auto& t : tokens_) {
        // The library matches these tokens in the form its normaliser gives their content.
        HfString content(t.content, 0);
        if (normalizer_) normalizer_->normalize(content);
        if (content.empty()) {
            throw TokenizerError("added token '" + t.content + "' (id " + std::to_string(t.id) +
                                 ") is \"normalized\" but normalises to the empty string");
        }
        patterns_.emplace_back(content.text(), t.id);
        id_of_token_.emplace(t.content, t.id);
        token_of_id_.emplace(t.id, t.content);
    }
    // Longest first, so the first pattern that matches at a position is the longest there.
    std::stable_sort(patterns_.begin(), patterns_.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

void HfSegmentEncoder::encode(std::string_view segment, size_t base, Encoding& out) const {
    HfString s(segment, base);
    if (normalizer_) normalizer_->normalize(s);
    if (s.empty()) return;
    if (patterns_.empty()) {
        encode_split(s, out);
        return;
    }
    // Cut out the normalized added tokens, leftmost first and longest at a position, then
    // tokenise the text between them.
    const std::string& text = s.text();
    size_t pos = 0, last = 0;
    while (pos < text.size()) {
        const std::pair<std::string, int32_t>* hit = nullptr;
        for (const auto& p : patterns_) {
            if (text.compare(pos, p.first.size(), p.first) == 0) {
                hit = &p;
                break;
            }
        }
        if (!hit) {
            ++pos;
            continue;
        }
        if (last < pos) encode_split(s.slice(last, pos), out);
        out.ids.push_back(hit->second);
        out.offsets.push_back(s.original_range(pos, pos + hit->first.size()));
        pos += hit->first.size();
        last = pos;
    }
    if (last < text.size()) encode_split(s.slice(last, text.size()), out);
}

void HfSegmentEncoder::encode_split(const HfString& split, Encoding& out) const {
    std::vector<HfString> splits{split};
    if (pre_tokenizer_) pre_tokenizer_->pre_tokenize(splits);
    for (const HfString& piece : splits) {
        for (const auto& t : model_->encode(piece.text())) {
            out.ids.push_back(t.id);
            out.offsets.push_back(piece.original_range(t.begin, t.end));
        }
    }
}

std::optional<int32_t> HfSegmentEncoder::piece_to_id(std::string_view piece) const {
    if (auto it = id_of_token_.find(std::string(piece)); it != id_of_token_.end()) {
        return it->second;
    }
    return model_->piece_to_id(piece);
}

std::string HfSegmentEncoder::id_to_piece(int32_t id) const {
    if (auto it = token_of_id_.find(id); it != token_of_id_.end()) return it->second;
    if (id < 0 || static_cast<size_t>(id) >= model_->size()) {
        throw TokenizerError("token id " + std::to_string(id) + " is neither a model piece (0.." +
                             std::to_string(model_->size() - 1) + ") nor an added token");
    }
    return model_->piece(id).text;
}

size_t HfSegmentEncoder::vocab_size() const {
    size_t n = model_->size();
    for (const auto& t : tokens_)
        n = std::max(n, static_cast<size_t>(t.id) + 1);
    return n;
}

}  // namespace spanguard::tokenizer
