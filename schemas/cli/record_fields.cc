#include "schemas/cli/record_fields.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "schemas/cli/arguments.h"
#include "schemas/schema/request_limits.h"
#include "tokenizer/utf8.h"

namespace spanguard::cli {

FieldPath parse_field_path(const std::string& text, const std::string& option) {
    FieldPath path;
    path.text = text;
    size_t begin = 0;
    while (true) {
        const size_t dot = text.find('.', begin);
        const size_t end = dot == std::string::npos ? text.size() : dot;
        if (end == begin) {
            throw UsageError(option + " '" + text +
                             "': a field path is keys separated by '.', with no empty key");
        }
        path.keys.push_back(text.substr(begin, end - begin));
        if (dot == std::string::npos) break;
        begin = dot + 1;
    }
    return path;
}

namespace {

bool is_index(const std::string& key) {
    return !key.empty() && key.size() <= 18 &&
           key.find_first_not_of("0123456789") == std::string::npos;
}

std::string type_name(const schemas::Json& value) {
    return schemas::describe_type(value);
}

}  // namespace

const schemas::Json* find_field(const schemas::Json& record, const FieldPath& path) {
    const schemas::Json* at = &record;
    for (const auto& key : path.keys) {
        if (at->is_object()) {
            const auto it = at->find(key);
            if (it == at->end()) return nullptr;
            at = &*it;
        } else if (at->is_array() && is_index(key)) {
            const size_t index = std::stoull(key);
            if (index >= at->size()) return nullptr;
            at = &(*at)[index];
        } else {
            return nullptr;
        }
    }
    return at;
}

schemas::Json parse_record(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // nlohmann's "unexpected end of input" would not say what happened.
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        throw InputError("invalid JSON: empty line");
    }
    // Checked before parsing so the message names the byte, not a JSON column.
    if (const auto bad = tokenizer::utf8::find_invalid(line)) {
        throw InputError("invalid UTF-8 at byte offset " + std::to_string(*bad) + " of the line");
    }
    try {
        return schemas::Json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // also out_of_range: a number like 1e400
        throw InputError("invalid JSON: " + without_exception_id(e.what()));
    }
}

namespace {

std::string expected_message(const FieldPath& path) {
    return "expected a JSON object with a \"" + path.text + "\" string";
}

std::string checked_text(const schemas::Json& value, const FieldPath& path, size_t max_bytes) {
    if (!value.is_string()) throw InputError(expected_message(path));
    const auto& text = value.get_ref<const std::string&>();
    if (max_bytes > 0 && text.size() > max_bytes) {
        throw InputError("text too long: \"" + path.text + "\" is " +
                         schemas::with_thousands(text.size()) + " bytes, over --max-text-bytes " +
                         schemas::with_thousands(max_bytes));
    }
    return text;
}

}  // namespace

std::string read_text_field(const schemas::Json& record, const FieldPath& path, size_t max_bytes) {
    if (!record.is_object()) {
        throw InputError(expected_message(path) + ", got " + type_name(record));
    }
    const schemas::Json* value = find_field(record, path);
    if (value == nullptr)
        throw InputError(expected_message(path) + "; \"" + path.text + "\" is missing");
    return checked_text(*value, path, max_bytes);
}

std::optional<std::string> read_optional_text_field(const schemas::Json& record,
                                                    const FieldPath& path, size_t max_bytes) {
    const schemas::Json* value = find_field(record, path);
    if (value == nullptr) return std::nullopt;
    return checked_text(*value, path, max_bytes);
}

schemas::Json read_id_field(const schemas::Json& record, const FieldPath& path) {
    const schemas::Json* value = find_field(record, path);
    if (value == nullptr) throw InputError("id field \"" + path.text + "\" is missing");
    if (!value->is_string() && !value->is_number()) {
        throw InputError("id field \"" + path.text + "\" must be a string or a number, got " +
                         type_name(*value));
    }
    return *value;
}

schemas::Json record_with_field(const FieldPath& path, schemas::Json value) {
    for (auto it = path.keys.rbegin(); it != path.keys.rend(); ++it) {
        schemas::Json object = schemas::Json::object();
        object[*it] = std::move(value);
        value = std::move(object);
    }
    return value;
}

}  // namespace spanguard::cli
