#include "schemas/prompt/checkpoint_tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

#include "schemas/prompt/markers.h"
#include "tokenizer/error.h"

namespace spanguard::schemas {
namespace {

using tokenizer::TokenizerError;

// 'text', built by appending (GCC 12 warns falsely on "'" + std::string temporaries).
std::string quoted(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    out += text;
    out += '\'';
    return out;
}

std::vector<std::pair<std::string, int32_t>> read_added_tokens(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw TokenizerError("cannot open '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    nlohmann::ordered_json json;
    try {
        json = nlohmann::ordered_json::parse(buffer.str());
    } catch (const nlohmann::json::exception& e) {
        throw TokenizerError("'" + path + "' is not valid JSON: " + e.what());
    }
    if (!json.is_object()) {
        throw TokenizerError("'" + path + "' must be an object of token -> id");
    }
    std::vector<std::pair<std::string, int32_t>> tokens;
    for (const auto& item : json.items()) {
        const auto& id = item.value();
        if (!id.is_number_integer() || id.get<int64_t>() < 0 ||
            id.get<int64_t>() > std::numeric_limits<int32_t>::max()) {
            throw TokenizerError("'" + path + "': the id of token '" + item.key() +
                                 "' must be a non-negative 32-bit integer, got " + id.dump());
        }
        tokens.emplace_back(item.key(), static_cast<int32_t>(id.get<int64_t>()));
    }
    return tokens;
}

}  // namespace

void require_gliner2_markers(const tokenizer::Tokenizer& tokenizer, const std::string& source) {
    for (auto marker : markers::kAll) {
        const auto id = tokenizer.token_to_id(marker);
        const auto ids = tokenizer.encode(marker).ids;
        if (!id || ids.size() != 1 || ids[0] != *id) {
            throw TokenizerError(source + " does not define the GLiNER2 marker token '" +
                                 std::string(marker) + "' as an added token");
        }
    }
}

tokenizer::Tokenizer load_folder_tokenizer(const std::string& dir, std::string* source) {
    namespace fs = std::filesystem;
    const fs::path folder(dir);
    const fs::path tokenizer_json = folder / "tokenizer.json";
    const fs::path spm_model = folder / "spm.model";
    const fs::path added_tokens = folder / "added_tokens.json";

    if (fs::exists(tokenizer_json)) {
        if (source) *source = quoted(tokenizer_json.string());
        return tokenizer::Tokenizer::from_file(tokenizer_json.string());
    }
    if (!fs::exists(spm_model)) {
        throw TokenizerError("checkpoint folder '" + dir +
                             "' has neither tokenizer.json nor spm.model");
    }
    auto tok = tokenizer::Tokenizer::from_file(spm_model.string());
    if (fs::exists(added_tokens)) tok.add_special_tokens(read_added_tokens(added_tokens.string()));
    if (source) *source = quoted(spm_model.string()) + " with " + quoted(added_tokens.string());
    return tok;
}

tokenizer::Tokenizer load_checkpoint_tokenizer(const std::string& dir) {
    std::string source;
    tokenizer::Tokenizer tok = load_folder_tokenizer(dir, &source);
    require_gliner2_markers(tok, source);
    return tok;
}

}  // namespace spanguard::schemas
