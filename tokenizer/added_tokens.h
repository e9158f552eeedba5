// Added tokens matched verbatim on the raw input before normalisation, as the Hugging Face
// tokenizers library does for special added tokens: at each position the leftmost match wins, and
// among matches starting there the longest one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace spanguard::tokenizer {

class AddedTokens {
  public:
    struct Match {
        size_t begin;
        size_t end;
        int32_t id;
    };

    // Adds or re-maps a token. Throws TokenizerError for an empty token.
    void add(const std::string& token, int32_t id);
    bool empty() const { return by_text_.empty(); }

    // Non-overlapping matches in `text`, left to right.
    std::vector<Match> find_all(std::string_view text) const;

    std::optional<int32_t> id_of(std::string_view token) const;
    std::optional<std::string> token_of(int32_t id) const;
    int32_t max_id() const { return max_id_; }

  private:
    std::unordered_map<std::string, int32_t> by_text_;
    std::unordered_map<int32_t, std::string> by_id_;
    // Tokens grouped by first byte, longest first, so a scan tries few candidates per position.
    std::vector<std::vector<std::pair<std::string, int32_t>>> by_first_byte_ =
        std::vector<std::vector<std::pair<std::string, int32_t>>>(256);
    int32_t max_id_ = -1;
};

}  // namespace spanguard::tokenizer
