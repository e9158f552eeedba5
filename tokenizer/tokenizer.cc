#include "tokenizer/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tokenizer/added_tokens.h"
#include "tokenizer/error.h"
#include "tokenizer/segment_encoder.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {

Tokenizer::Tokenizer(std::shared_ptr<const SegmentEncoder> model,
                     std::shared_ptr<AddedTokens> added)
    : model_(std::move(model)),
      added_(added ? std::move(added) : std::make_shared<AddedTokens>()) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::from_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TokenizerError("cannot open tokenizer file '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    // A ModelProto starts with the tag of field 1 (pieces), byte 0x0A, which is also JSON
    // whitespace; so only text that does not start with that tag is taken for tokenizer.json.
    const size_t first = bytes.find_first_not_of(" \t\r\n");
    const bool json =
        !bytes.empty() && bytes[0] != '\x0A' && first != std::string::npos && bytes[first] == '{';
    if (json) return from_tokenizer_json(bytes, path);
    return from_spm_model(bytes, path);
}

void Tokenizer::add_special_tokens(const std::vector<std::pair<std::string, int32_t>>& tokens) {
    // Copy on write: tokenizers that share the table with this one are not affected.
    auto copy = std::make_shared<AddedTokens>(*added_);
    for (const auto& [token, id] : tokens)
        copy->add(token, id);
    added_ = std::move(copy);
}

Encoding Tokenizer::encode(std::string_view text) const {
    utf8::require_valid(text, "input text");
    Encoding out;
    size_t pos = 0;
    for (const auto& m : added_->find_all(text)) {
        if (m.begin > pos) model_->encode(text.substr(pos, m.begin - pos), pos, out);
        out.ids.push_back(m.id);
        out.offsets.push_back({m.begin, m.end});
        pos = m.end;
    }
    if (pos < text.size()) model_->encode(text.substr(pos), pos, out);
    return out;
}

std::optional<int32_t> Tokenizer::token_to_id(std::string_view token) const {
    if (auto id = added_->id_of(token)) return id;
    return model_->piece_to_id(token);
}

std::string Tokenizer::id_to_token(int32_t id) const {
    if (auto token = added_->token_of(id)) return *token;
    if (id < 0 || static_cast<size_t>(id) >= model_->vocab_size()) {
        throw TokenizerError("token id " + std::to_string(id) + " is outside the vocabulary of " +
                             std::to_string(vocab_size()) + " ids");
    }
    return model_->id_to_piece(id);
}

size_t Tokenizer::vocab_size() const {
    const size_t pieces = model_->vocab_size();
    const auto after_added = static_cast<size_t>(added_->max_id() + 1);
    return std::max(pieces, after_added);
}

}  // namespace spanguard::tokenizer
