// spanguard::Model::redact and deanonymize over the task layer's redaction (redaction.h).
#include <string>
#include <vector>

#include "schemas/api/public_errors.h"
#include "schemas/api/public_model.h"
#include "schemas/redaction/redaction.h"

namespace spanguard {
namespace {

schemas::Operator internal_operator(const Operator& op) {
    schemas::Operator out;
    switch (op.kind) {
        case Operator::Kind::kReplace:
            out.kind = schemas::OperatorKind::kReplace;
            break;
        case Operator::Kind::kMask:
            out.kind = schemas::OperatorKind::kMask;
            break;
        case Operator::Kind::kHash:
            out.kind = schemas::OperatorKind::kHash;
            break;
        case Operator::Kind::kEncrypt:
            out.kind = schemas::OperatorKind::kEncrypt;
            break;
        case Operator::Kind::kKeep:
            out.kind = schemas::OperatorKind::kKeep;
            break;
    }
    out.new_value = op.new_value;
    out.masking_char = op.masking_char;
    out.chars_to_mask = op.chars_to_mask;
    out.from_end = op.from_end;
    out.salt = op.salt;
    out.key = op.key;
    return out;
}

schemas::RedactRequest internal_request(const RedactOptions& o) {
    schemas::RedactRequest r;
    r.labels = o.labels;
    r.entity_types = o.entity_types;
    if (!o.preset.empty()) {
        if (!o.labels.empty()) throw RequestError("preset", "give either labels or a preset");
        r.labels = schemas::pii_preset(o.preset);
        for (std::string& t : schemas::pii_preset_entity_types(o.preset))
            r.entity_types.push_back(std::move(t));
    }
    for (const auto& [key, op] : o.operators)
        r.operators[key] = internal_operator(op);
    r.default_operator = internal_operator(o.default_operator);
    r.threshold = o.threshold;
    r.include_original = o.include_original;
    r.use_model = o.use_model;
    r.use_patterns = o.use_patterns;
    if (!o.custom_recognizers_json.empty()) {
        const schemas::Json parsed =
            schemas::Json::parse(o.custom_recognizers_json, nullptr, false);
        if (parsed.is_discarded()) {
            throw RequestError("custom_recognizers_json", "not valid JSON");
        }
        r.custom_recognizers = schemas::RecognizerSet::from_json(parsed, "custom_recognizers");
    }
    r.pattern_options.phone_regions = o.phone_regions;
    r.chunk_size = o.chunk_size;
    r.chunk_overlap = o.chunk_overlap;
    return r;
}

RedactedEntity public_item(const schemas::RedactedItem& item) {
    return {item.entity_type,    item.label,        item.recognizer, item.start, item.end,
            item.redacted_start, item.redacted_end, item.score,      item.op,    item.original};
}

Redaction public_result(const schemas::RedactionResult& r) {
    Redaction out{r.text, {}};
    out.items.reserve(r.items.size());
    for (const schemas::RedactedItem& item : r.items)
        out.items.push_back(public_item(item));
    return out;
}

}  // namespace

Redaction Model::redact(std::string_view text, const RedactOptions& options) const {
    return api::public_errors([&] {
        return public_result(schemas::redact(impl_->model, text, internal_request(options)));
    });
}

std::vector<Redaction> Model::redact(const std::vector<std::string>& texts,
                                     const RedactOptions& options) const {
    return api::public_errors([&] {
        std::vector<Redaction> out;
        out.reserve(texts.size());
        for (const schemas::RedactionResult& r : schemas::redact_batch(
                 impl_->model, texts, internal_request(options), options.batch_size)) {
            out.push_back(public_result(r));
        }
        return out;
    });
}

std::string deanonymize(std::string_view redacted_text, const std::vector<RedactedEntity>& items,
                        const std::string& key) {
    return api::public_errors([&] {
        std::vector<schemas::RedactedItem> internal;
        internal.reserve(items.size());
        for (const RedactedEntity& e : items) {
            schemas::RedactedItem item;
            item.entity_type = e.entity_type;
            item.label = e.label;
            item.recognizer = e.recognizer;
            item.start = e.start;
            item.end = e.end;
            item.redacted_start = e.redacted_start;
            item.redacted_end = e.redacted_end;
            item.score = e.score;
            item.op = e.operator_name;
            item.original = e.original;
            internal.push_back(std::move(item));
        }
        return schemas::deanonymize(redacted_text, internal, key);
    });
}

}  // namespace spanguard
