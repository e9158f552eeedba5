#include "schemas/schema/json_path.h"

#include <nlohmann/json.hpp>

namespace spanguard::schemas {
namespace {

bool is_plain_identifier(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key) {
        const bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!plain) return false;
    }
    return true;
}

}  // namespace

std::string key_path(std::string_view parent, std::string_view key) {
    std::string out(parent);
    if (is_plain_identifier(key)) {
        if (!out.empty()) out += '.';
        out += key;
        return out;
    }
    // JSON string syntax, so quotes and control characters in a key cannot garble the path. The
    // replace handler keeps this from throwing on keys that are not valid UTF-8.
    out += '[';
    out += nlohmann::json(std::string(key))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += ']';
    return out;
}

std::string index_path(std::string_view parent, size_t index) {
    std::string out(parent);
    out += '[';
    out += std::to_string(index);
    out += ']';
    return out;
}

}  // namespace spanguard::schemas
