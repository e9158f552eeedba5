// redact_spans() and the span rewrite every redaction call ends in (redaction_pipeline.h).
#include <cmath>
#include <map>
#include <string>

#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/pii_validators.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_operators.h"
#include "schemas/redaction/redaction_pipeline.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace redaction {
namespace {

size_t code_point_count(std::string_view utf8) {
    size_t n = 0;
    for (const char c : utf8)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// True when the span's text passes its type's validator; nullopt when the type has none.
std::optional<bool> verdict(const DetectedSpan& span, std::string_view value) {
    const PiiValidator validator = validator_for_label(span.entity_type);
    if (validator == nullptr) return std::nullopt;
    return validator(value);
}

}  // namespace

void require_valid_text(std::string_view text, const std::string& path) {
    if (const auto bad = tokenizer::utf8::find_invalid(text)) {
        throw schemas::RequestError(path, "invalid UTF-8 at byte offset " + std::to_string(*bad));
    }
}

void check_request(const RedactRequest& request) {
    if (!(request.threshold >= 0.0 && request.threshold <= 1.0)) {
        throw schemas::RequestError("threshold", "threshold must be within [0, 1], got " +
                                                     std::to_string(request.threshold));
    }
    if (request.chunk_size == 0) {
        throw schemas::RequestError("chunk_size", "chunk_size must be at least 1 word");
    }
    if (request.chunk_overlap >= request.chunk_size) {
        throw schemas::RequestError("chunk_overlap", "chunk_overlap (" +
                                                         std::to_string(request.chunk_overlap) +
                                                         ") must be smaller than chunk_size (" +
                                                         std::to_string(request.chunk_size) + ")");
    }
    check_operator(request.default_operator, "default_operator");
    std::map<std::string, std::string> key_of_type;  // canonical type -> first key giving it
    for (const auto& [label, op] : request.operators) {
        check_operator(op, "operators." + label);
        const std::string type = canonical_entity_type(label);
        const auto [it, fresh] = key_of_type.emplace(type, label);
        if (!fresh && to_json(request.operators.at(it->second)) != to_json(op)) {
            throw schemas::RequestError(
                "operators." + label,
                "\"" + it->second + "\" and \"" + label + "\" are both " + type +
                    " (one entity type) but have different operators; key one of them by " + type);
        }
    }
}

const Operator& operator_for(const RedactRequest& request, const std::string& entity_type) {
    for (const auto& [key, op] : request.operators) {
        if (key == entity_type || canonical_entity_type(key) == entity_type) return op;
    }
    return request.default_operator;
}

RedactionResult apply_spans(std::string_view text, std::vector<DetectedSpan> spans,
                            std::vector<DetectedSpan> pattern_spans, const RedactRequest& request,
                            bool join) {
    const tokenizer::utf8::CodePointIndex index(text);
    auto value_of = [&](const DetectedSpan& s) {
        const size_t begin = index.to_byte(s.start);
        return text.substr(begin, index.to_byte(s.end) - begin);
    };
    for (DetectedSpan& s : spans) {
        if (s.label.empty()) s.label = s.entity_type;
        s.entity_type = canonical_entity_type(s.entity_type);
    }
    // Rejection comes before overlap resolution so that a failed span cannot push out a valid
    // span it overlaps.
    if (request.validation == ValidationMode::kReject) {
        std::erase_if(spans, [&](const DetectedSpan& s) {
            return verdict(s, value_of(s)) == std::optional<bool>(false);
        });
    }
    const std::vector<DetectedSpan> kept =
        join || !pattern_spans.empty()
            ? merge_with_patterns(text, std::move(spans), std::move(pattern_spans),
                                  request.threshold)
            : resolve_overlaps(std::move(spans));

    RedactionResult result;
    size_t byte_pos = 0;  // next byte of `text` to copy
    size_t cp_pos = 0;    // same position in code points
    size_t out_cps = 0;   // code points written to result.text
    for (const DetectedSpan& s : kept) {
        const size_t begin = index.to_byte(s.start);
        const size_t end = index.to_byte(s.end);
        result.text.append(text.substr(byte_pos, begin - byte_pos));
        out_cps += s.start - cp_pos;

        const std::string_view value = text.substr(begin, end - begin);
        const Operator& op = operator_for(request, s.entity_type);
        const std::string replacement = apply_operator(op, s.entity_type, value);

        RedactedItem item;
        item.entity_type = s.entity_type;
        item.label = s.label;
        item.recognizer = s.recognizer.empty() ? "caller" : s.recognizer;
        item.start = s.start;
        item.end = s.end;
        item.score = s.score;
        item.op = std::string(operator_name(op.kind));
        item.redacted_start = out_cps;
        out_cps += code_point_count(replacement);
        item.redacted_end = out_cps;
        if (request.validation == ValidationMode::kAnnotate) item.valid = verdict(s, value);
        if (request.include_original) item.original = std::string(value);
        result.items.push_back(std::move(item));

        result.text.append(replacement);
        byte_pos = end;
        cp_pos = s.end;
    }
    result.text.append(text.substr(byte_pos));
    return result;
}

}  // namespace redaction

RedactionResult redact_spans(std::string_view text, const std::vector<DetectedSpan>& spans,
                             const RedactRequest& request) {
    redaction::require_valid_text(text, "text");
    redaction::check_request(request);
    const size_t length = tokenizer::utf8::CodePointIndex(text).code_point_count();
    for (size_t i = 0; i < spans.size(); ++i) {
        const DetectedSpan& s = spans[i];
        const std::string path = "spans[" + std::to_string(i) + "]";
        if (s.entity_type.empty()) {
            throw schemas::RequestError(path + ".entity_type", "entity_type must not be empty");
        }
        if (s.end > length) {
            throw schemas::RequestError(path, "end " + std::to_string(s.end) +
                                                  " beyond the text's " + std::to_string(length) +
                                                  " code points");
        }
        if (s.start >= s.end) {
            throw schemas::RequestError(path, "start " + std::to_string(s.start) +
                                                  " must be less than end " +
                                                  std::to_string(s.end));
        }
        if (!std::isfinite(s.score)) {
            throw schemas::RequestError(path + ".score", "score must be a finite number");
        }
    }
    return redaction::apply_spans(text, spans, {}, request, /*join=*/false);
}

}  // namespace spanguard::schemas
