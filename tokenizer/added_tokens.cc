#include "tokenizer/added_tokens.h"

#include <algorithm>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {

void AddedTokens::add(const std::string& token, int32_t id) {
    if (token.empty())
        throw TokenizerError("added token with id " + std::to_string(id) + " is empty");
    if (id < 0)
        throw TokenizerError("added token '" + token + "' has negative id " + std::to_string(id));
    auto& bucket = by_first_byte_[static_cast<unsigned char>(token[0])];
    if (auto it = by_text_.find(token); it != by_text_.end()) {
        by_id_.erase(it->second);
        bucket.erase(std::remove_if(bucket.begin(), bucket.end(),
                                    [&](const auto& e) { return e.first == token; }),
                     bucket.end());
    }
    by_text_[token] = id;
    by_id_[id] = token;
    bucket.emplace_back(token, id);
    std::stable_sort(bucket.begin(), bucket.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    max_id_ = std::max(max_id_, id);
}

std::vector<AddedTokens::Match> AddedTokens::find_all(std::string_view text) const {
    std::vector<Match> matches;
    if (by_text_.empty()) return matches;
    size_t pos = 0;
    while (pos < text.size()) {
        const auto& bucket = by_first_byte_[static_cast<unsigned char>(text[pos])];
        bool matched = false;
        for (const auto& [token, id] : bucket) {
            if (text.compare(pos, token.size(), token) == 0) {
                matches.push_back({pos, pos + token.size(), id});
                pos += token.size();
                matched = true;
                break;
            }
        }
        if (!matched) ++pos;
    }
    return matches;
}

std::optional<int32_t> AddedTokens::id_of(std::string_view token) const {
    auto it = by_text_.find(std::string(token));
    if (it == by_text_.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> AddedTokens::token_of(int32_t id) const {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return std::nullopt;
    return it->second;
}

}  // namespace spanguard::tokenizer
