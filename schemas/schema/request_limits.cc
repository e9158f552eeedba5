#include "schemas/schema/request_limits.h"

#include "schemas/schema/request_error.h"

namespace spanguard::schemas {

std::string with_thousands(size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

void check_text_size(std::string_view text, const RequestLimits& limits, const std::string& path) {
    if (text.size() > limits.max_text_bytes) {
        throw RequestError(
            path, "text is " + with_thousands(text.size()) + " bytes, over the limit of " +
                      with_thousands(limits.max_text_bytes) + " (RequestLimits::max_text_bytes)");
    }
}

void check_sequence_length(size_t tokens, const RequestLimits& limits, const std::string& path) {
    if (tokens > limits.max_sequence_tokens) {
        throw RequestError(path, "prompt and text are " + with_thousands(tokens) +
                                     " sub-tokens, over the single-pass limit of " +
                                     with_thousands(limits.max_sequence_tokens) +
                                     " (RequestLimits::max_sequence_tokens); the windowed "
                                     "calls handle any length (extract_long; the CLI's --long for "
                                     "extract, classify, run "
                                     "and moderate; redact always runs in windows)");
    }
}

size_t schema_entry_count(const Schema& schema) {
    size_t n = schema.entities.size() + schema.relations.size();
    for (const auto& task : schema.classifications)
        n += 1 + task.labels.size();
    for (const auto& structure : schema.structures) {
        n += 1;
        for (const auto& field : structure.fields)
            n += 1 + field.choices.size();
    }
    return n;
}

void check_schema_size(const Schema& schema, const RequestLimits& limits, const std::string& path) {
    const size_t n = schema_entry_count(schema);
    if (n > limits.max_schema_entries) {
        throw RequestError(path, "schema has " + with_thousands(n) +
                                     " entries (entity types, relations, tasks, labels, "
                                     "structures, fields and choices), over the limit of " +
                                     with_thousands(limits.max_schema_entries) +
                                     " (RequestLimits::max_schema_entries)");
    }
}

void check_json_depth(std::string_view json_text, const RequestLimits& limits,
                      const std::string& what) {
    size_t depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < json_text.size(); ++i) {
        const char c = json_text[i];
        if (in_string) {
            if (c == '\\') {
                ++i;  // the escaped character cannot end the string
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limits.max_request_depth) {
                throw RequestError(what, "JSON nests deeper than " +
                                             with_thousands(limits.max_request_depth) +
                                             " levels at byte offset " + std::to_string(i) +
                                             " (RequestLimits::max_request_depth)");
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

}  // namespace spanguard::schemas
