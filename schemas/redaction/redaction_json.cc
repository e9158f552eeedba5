// JSON forms of redaction operators and results (redaction.h), for the CLI and the Python binding.
#include <cmath>
#include <limits>
#include <string>

#include "schemas/redaction/crypto.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_operators.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

// The key under which operators_from_json reads the default operator.
constexpr std::string_view kDefaultKey = "default";

// Presidio's recognizer_name for spans the model found.
constexpr std::string_view kModelRecognizerName = "SpanguardModelRecognizer";

// The replacement of `item` in the redacted text (code point offsets).
std::string redacted_value(const std::string& redacted,
                           const tokenizer::utf8::CodePointIndex& index, const RedactedItem& item) {
    const size_t begin = index.to_byte(item.redacted_start);
    return redacted.substr(begin, index.to_byte(item.redacted_end) - begin);
}

size_t read_count(const Json& value, const std::string& path, std::string_view what) {
    if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<long long>() < 0)) {
        throw RequestError(path, std::string(what) + " must be a non-negative integer, got " +
                                     (value.is_number() ? value.dump() : describe_type(value)));
    }
    return value.get<size_t>();
}

double read_score(const Json& value, const std::string& path) {
    if (!value.is_number()) {
        throw RequestError(path, "score must be a number, got " + describe_type(value));
    }
    return value.get<double>();
}

// Byte strings: "name" as UTF-8, or "name_hex" as hex (exactly one of them).
std::string read_bytes(const Json& object, const std::string& path, const std::string& name,
                       bool required) {
    const bool has_text = object.contains(name);
    const bool has_hex = object.contains(name + "_hex");
    if (has_text && has_hex) {
        throw RequestError(path, "give either " + name + " or " + name + "_hex, not both");
    }
    if (has_hex) {
        const std::string hex_path = key_path(path, name + "_hex");
        const std::string hex =
            schemas::read_string(object.at(name + "_hex"), hex_path, name + "_hex");
        auto bytes = crypto::from_hex(hex);
        if (!bytes) {
            throw RequestError(hex_path, name + "_hex must be an even number of hex digits");
        }
        return *bytes;
    }
    if (has_text) return schemas::read_string(object.at(name), key_path(path, name), name);
    if (required) throw RequestError(path, "missing \"" + name + "\" (or \"" + name + "_hex\")");
    return "";
}

Operator operator_from_json(const Json& value, const std::string& path) {
    if (!value.is_object()) {
        throw RequestError(path, "operator must be an object such as {\"type\": \"mask\"}, got " +
                                     describe_type(value));
    }
    if (!value.contains("type")) {
        throw RequestError(path, "missing \"type\" (replace, mask, hash, encrypt or keep)");
    }
    const std::string type_path = key_path(path, "type");
    const std::string type = schemas::read_string(value.at("type"), type_path, "type");
    const auto kind = redaction::operator_kind_from_name(type);
    if (!kind) {
        throw RequestError(type_path, "unknown operator \"" + type +
                                          "\" (expected replace, mask, hash, encrypt or keep)");
    }
    Operator op;
    op.kind = *kind;
    switch (*kind) {
        case OperatorKind::kReplace:
            schemas::reject_unknown_keys(value, path, {"type", "new_value"});
            if (value.contains("new_value")) {
                op.new_value = schemas::read_string(value.at("new_value"),
                                                    key_path(path, "new_value"), "new_value");
            }
            break;
        case OperatorKind::kMask:
            schemas::reject_unknown_keys(value, path,
                                         {"type", "masking_char", "chars_to_mask", "from_end"});
            if (value.contains("masking_char")) {
                op.masking_char = schemas::read_string(
                    value.at("masking_char"), key_path(path, "masking_char"), "masking_char");
            }
            if (value.contains("chars_to_mask") && !value.at("chars_to_mask").is_null()) {
                op.chars_to_mask = read_count(value.at("chars_to_mask"),
                                              key_path(path, "chars_to_mask"), "chars_to_mask");
            }
            if (value.contains("from_end")) {
                op.from_end = schemas::read_bool(value.at("from_end"), key_path(path, "from_end"),
                                                 "from_end");
            }
            break;
        case OperatorKind::kHash:
            schemas::reject_unknown_keys(value, path, {"type", "salt", "salt_hex"});
            op.salt = read_bytes(value, path, "salt", /*required=*/false);
            break;
        case OperatorKind::kEncrypt:
            schemas::reject_unknown_keys(value, path, {"type", "key", "key_hex"});
            op.key = read_bytes(value, path, "key", /*required=*/true);
            break;
        case OperatorKind::kKeep:
            schemas::reject_unknown_keys(value, path, {"type"});
            break;
    }
    redaction::check_operator(op, path);
    return op;
}

// A byte string under "name", or "name_hex" when it is not valid UTF-8 (JSON strings must be).
void write_bytes(Json& out, const std::string& name, const std::string& bytes) {
    if (tokenizer::utf8::find_invalid(bytes)) {
        out[name + "_hex"] = crypto::to_hex(bytes);
    } else {
        out[name] = bytes;
    }
}

const Json& required(const Json& object, const std::string& path, const char* key) {
    const auto it = object.find(key);
    if (it == object.end()) throw RequestError(path, std::string("missing \"") + key + "\"");
    return *it;
}

RedactedItem item_from_json(const Json& value, const std::string& path) {
    if (!value.is_object()) {
        throw RequestError(path, "item must be an object, got " + describe_type(value));
    }
    schemas::reject_unknown_keys(
        value, path,
        {"entity_type", "label", "recognizer", "start", "end", "redacted_start", "redacted_end",
         "score", "operator", "valid", "text"});
    RedactedItem item;
    item.entity_type = schemas::read_string(required(value, path, "entity_type"),
                                            key_path(path, "entity_type"), "entity_type");
    if (value.contains("label")) {
        item.label = schemas::read_string(value.at("label"), key_path(path, "label"), "label");
    }
    if (value.contains("recognizer")) {
        item.recognizer = schemas::read_string(value.at("recognizer"), key_path(path, "recognizer"),
                                               "recognizer");
    }
    item.start = read_count(required(value, path, "start"), key_path(path, "start"), "start");
    item.end = read_count(required(value, path, "end"), key_path(path, "end"), "end");
    item.redacted_start = read_count(required(value, path, "redacted_start"),
                                     key_path(path, "redacted_start"), "redacted_start");
    item.redacted_end = read_count(required(value, path, "redacted_end"),
                                   key_path(path, "redacted_end"), "redacted_end");
    item.score = read_score(required(value, path, "score"), key_path(path, "score"));
    const std::string op_path = key_path(path, "operator");
    item.op = schemas::read_string(required(value, path, "operator"), op_path, "operator");
    if (!redaction::operator_kind_from_name(item.op)) {
        throw RequestError(op_path, "unknown operator \"" + item.op +
                                        "\" (expected replace, mask, hash, encrypt or keep)");
    }
    if (value.contains("valid")) {
        item.valid = schemas::read_bool(value.at("valid"), key_path(path, "valid"), "valid");
    }
    if (value.contains("text")) {
        item.original = schemas::read_string(value.at("text"), key_path(path, "text"), "text");
    }
    return item;
}

}  // namespace

void operators_from_json(const Json& operators, RedactRequest& request, const std::string& path) {
    if (!operators.is_object()) {
        throw RequestError(path, "operators must be an object of entity type -> operator, got " +
                                     describe_type(operators));
    }
    for (const auto& [label, value] : operators.items()) {
        const std::string op_path = key_path(path, label);
        Operator op = operator_from_json(value, op_path);
        if (label == kDefaultKey) {
            request.default_operator = std::move(op);
        } else {
            request.operators[label] = std::move(op);
        }
    }
}

Json to_json(const Operator& op) {
    Json out = Json::object();
    out["type"] = std::string(redaction::operator_name(op.kind));
    switch (op.kind) {
        case OperatorKind::kReplace:
            if (!op.new_value.empty()) out["new_value"] = op.new_value;
            break;
        case OperatorKind::kMask:
            out["masking_char"] = op.masking_char;
            if (op.chars_to_mask) out["chars_to_mask"] = *op.chars_to_mask;
            out["from_end"] = op.from_end;
            break;
        case OperatorKind::kHash:
            if (!op.salt.empty()) write_bytes(out, "salt", op.salt);
            break;
        case OperatorKind::kEncrypt:
            // Keys are random bytes; hex keeps every key representable.
            out["key_hex"] = crypto::to_hex(op.key);
            break;
        case OperatorKind::kKeep:
            break;
    }
    return out;
}

Json operators_to_json(const RedactRequest& request) {
    Json out = Json::object();
    for (const auto& [label, op] : request.operators)
        out[label] = to_json(op);
    out[std::string(kDefaultKey)] = to_json(request.default_operator);
    return out;
}

Json to_json(const RedactedItem& item) {
    Json out = Json::object();
    out["entity_type"] = item.entity_type;
    if (!item.label.empty()) out["label"] = item.label;
    out["recognizer"] = item.recognizer;
    out["start"] = item.start;
    out["end"] = item.end;
    out["redacted_start"] = item.redacted_start;
    out["redacted_end"] = item.redacted_end;
    out["score"] = item.score;
    out["operator"] = item.op;
    if (item.valid) out["valid"] = *item.valid;
    if (item.original) out["text"] = *item.original;
    return out;
}

Json to_json(const RedactionResult& result) {
    Json items = Json::array();
    for (const RedactedItem& item : result.items)
        items.push_back(to_json(item));
    Json out = Json::object();
    out["text"] = result.text;
    out["items"] = std::move(items);
    return out;
}

Json to_presidio_json(const RedactionResult& result) {
    Json analyzer = Json::array();
    Json items = Json::array();
    const tokenizer::utf8::CodePointIndex index(result.text);
    for (const RedactedItem& item : result.items) {
        const std::string name =
            item.recognizer == "model" ? std::string(kModelRecognizerName) : item.recognizer;
        Json metadata = Json::object();
        metadata["recognizer_name"] = name;
        metadata["recognizer_identifier"] = name;
        if (!item.label.empty()) metadata["label"] = item.label;
        Json found = Json::object();
        found["entity_type"] = item.entity_type;
        found["start"] = item.start;
        found["end"] = item.end;
        found["score"] = item.score;
        found["analysis_explanation"] = nullptr;
        found["recognition_metadata"] = std::move(metadata);
        analyzer.push_back(std::move(found));
        Json done = Json::object();
        done["start"] = item.redacted_start;
        done["end"] = item.redacted_end;
        done["entity_type"] = item.entity_type;
        done["text"] = redacted_value(result.text, index, item);
        done["operator"] = item.op;
        items.push_back(std::move(done));
    }
    Json anonymizer = Json::object();
    anonymizer["text"] = result.text;
    anonymizer["items"] = std::move(items);
    Json out = Json::object();
    out["analyzer_results"] = std::move(analyzer);
    out["anonymizer_result"] = std::move(anonymizer);
    return out;
}

std::vector<RedactedItem> items_from_json(const Json& items, const std::string& path) {
    if (!items.is_array()) {
        throw RequestError(path, "items must be an array, got " + describe_type(items));
    }
    std::vector<RedactedItem> out;
    for (size_t i = 0; i < items.size(); ++i) {
        out.push_back(item_from_json(items[i], schemas::index_path(path, i)));
    }
    return out;
}

}  // namespace spanguard::schemas
