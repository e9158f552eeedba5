#include "schemas/decoding/output_format.h"

#include <set>
#include <string>
#include <tuple>

#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {
namespace {

// Confidences are float32 values that the reference prints as Python floats (doubles).
Json confidence_value(float confidence) {
    return Json(static_cast<double>(confidence));
}

Json render_choice(const ChoiceMatch& choice, const OutputOptions& options) {
    if (!options.include_confidence) return Json(choice.text);
    Json item = Json::object();
    item["text"] = choice.text;
    item["confidence"] = confidence_value(choice.confidence);
    return item;
}

Json render_choice_list(const std::vector<ChoiceMatch>& choices, const OutputOptions& options) {
    // Choice items never carry offsets, so they are de-duplicated by lower-cased text alone.
    Json list = Json::array();
    std::set<std::string> seen;
    for (const auto& c : choices) {
        if (c.text.empty()) continue;
        if (!seen.insert(tokenizer::python_lower(c.text)).second) continue;
        list.push_back(render_choice(c, options));
    }
    return list;
}

Json format_entities(const EntitiesResult& result, const OutputOptions& options) {
    Json out = Json::object();
    if (!result.gate_open) return out;
    for (const auto& type : result.types) {
        if (type.dtype == ValueType::kList) {
            out[type.name] = render_span_list(type.spans, options);
        } else {
            out[type.name] =
                type.spans.empty() ? Json(nullptr) : render_span(type.spans[0], options);
        }
    }
    return out;
}

Json format_field(const FieldValue& field, const OutputOptions& options) {
    if (field.is_choice) {
        if (field.dtype == ValueType::kList) return render_choice_list(field.choices, options);
        return field.choices.empty() ? Json(nullptr) : render_choice(field.choices[0], options);
    }
    if (field.dtype == ValueType::kList) return render_span_list(field.spans, options);
    return field.spans.empty() ? Json(nullptr) : render_span(field.spans[0], options);
}

Json format_structure(const StructureResult& result, const OutputOptions& options) {
    // A closed count gate gives {} (quirk 5); an open one with no non-empty instance gives [].
    if (!result.gate_open) return Json::object();
    Json out = Json::array();
    for (const auto& instance : result.instances) {
        Json object = Json::object();
        for (const auto& field : instance)
            object[field.name] = format_field(field, options);
        out.push_back(std::move(object));
    }
    return out;
}

Json format_relation(const RelationResult& result, const OutputOptions& options) {
    Json out = Json::array();
    for (const auto& pair : result.pairs) {
        if (!options.include_confidence && !options.include_spans) {
            // The reference returns a (head, tail) tuple, which JSON writes as an array.
            out.push_back(Json::array({pair.head.text, pair.tail.text}));
            continue;
        }
        Json object = Json::object();
        object["head"] = render_span(pair.head, options);
        object["tail"] = render_span(pair.tail, options);
        out.push_back(std::move(object));
    }
    return out;
}

Json render_label(const LabelScore& label, const OutputOptions& options) {
    if (!options.include_confidence) return Json(label.label);
    Json item = Json::object();
    item["label"] = label.label;
    item["confidence"] = confidence_value(label.confidence);
    return item;
}

Json format_classification(const ClassificationResult& result, const OutputOptions& options) {
    if (!result.multi_label) return render_label(result.labels.at(0), options);
    Json out = Json::array();
    for (const auto& label : result.labels)
        out.push_back(render_label(label, options));
    return out;
}

}  // namespace

Json render_span(const SpanMatch& span, const OutputOptions& options) {
    if (!options.include_confidence && !options.include_spans) return Json(span.text);
    Json item = Json::object();
    item["text"] = span.text;
    if (options.include_confidence) item["confidence"] = confidence_value(span.confidence);
    if (options.include_spans) {
        item["start"] = span.start_cp;
        item["end"] = span.end_cp;
    }
    return item;
}

Json render_span_list(const std::vector<SpanMatch>& spans, const OutputOptions& options) {
    Json list = Json::array();
    // Without offsets two spans with the same lower-cased text are one value (quirk 9), even at
    // different positions; with offsets the position is part of the identity.
    std::set<std::tuple<std::string, size_t, size_t>> seen;
    for (const auto& span : spans) {
        if (span.text.empty()) continue;
        auto key =
            options.include_spans
                ? std::make_tuple(tokenizer::python_lower(span.text), span.start_cp, span.end_cp)
                : std::make_tuple(tokenizer::python_lower(span.text), size_t{0}, size_t{0});
        if (!seen.insert(std::move(key)).second) continue;
        list.push_back(render_span(span, options));
    }
    return list;
}

namespace {

bool has_field(const StructureInstance& instance, const std::string& name) {
    for (const auto& f : instance) {
        if (f.name == name) return true;
    }
    return false;
}

// The reference also files a non-relation result under "relation_extraction" when it looks like
// one: a non-empty list whose first element is a dict with "head" and "tail" keys. That happens to
// an entity block with types named "head" and "tail" and to a structure with such fields; the
// value is then kept as decoded, without the final de-duplication.
bool looks_like_relation(const BlockResult& block) {
    if (const auto* ents = std::get_if<EntitiesResult>(&block.value)) {
        if (!ents->gate_open) return false;
        bool head = false, tail = false;
        for (const auto& t : ents->types) {
            head = head || t.name == "head";
            tail = tail || t.name == "tail";
        }
        return head && tail;
    }
    if (const auto* st = std::get_if<StructureResult>(&block.value)) {
        return st->gate_open && !st->instances.empty() && has_field(st->instances[0], "head") &&
               has_field(st->instances[0], "tail");
    }
    return false;
}

// A result in the form decoding leaves it, before format_results de-duplicates: span and choice
// lists as selected, and an entity `str` type without a span as "" (no flags) or null.
Json raw_value(const BlockResult& block, const OutputOptions& options) {
    const bool plain = !options.include_confidence && !options.include_spans;
    Json out = Json::array();
    if (const auto* ents = std::get_if<EntitiesResult>(&block.value)) {
        Json types = Json::object();
        for (const auto& type : ents->types) {
            if (type.dtype == ValueType::kList) {
                Json list = Json::array();
                for (const auto& s : type.spans)
                    list.push_back(render_span(s, options));
                types[type.name] = std::move(list);
            } else if (type.spans.empty()) {
                types[type.name] = plain ? Json("") : Json(nullptr);
            } else {
                types[type.name] = render_span(type.spans[0], options);
            }
        }
        out.push_back(std::move(types));
        return out;
    }
    for (const auto& instance : std::get<StructureResult>(block.value).instances) {
        Json object = Json::object();
        for (const auto& field : instance) {
            const bool list = field.dtype == ValueType::kList;
            Json value = list ? Json::array() : Json(nullptr);
            if (field.is_choice) {
                for (const auto& c : field.choices) {
                    if (list)
                        value.push_back(render_choice(c, options));
                    else
                        value = render_choice(c, options);
                }
            } else {
                for (const auto& s : field.spans) {
                    if (list)
                        value.push_back(render_span(s, options));
                    else
                        value = render_span(s, options);
                }
            }
            object[field.name] = std::move(value);
        }
        out.push_back(std::move(object));
    }
    return out;
}

}  // namespace

Json format_results(const std::vector<BlockResult>& blocks, const Schema& schema,
                    const OutputOptions& options) {
    // First the reference's intermediate dict: one entry per task name in first-seen order,
    // holding the last block of that name (a later block replaces an earlier one in place).
    std::vector<const BlockResult*> entries;
    for (const auto& block : blocks) {
        bool replaced = false;
        for (auto& entry : entries) {
            if (entry->name == block.name) {
                entry = &block;
                replaced = true;
                break;
            }
        }
        if (!replaced) entries.push_back(&block);
    }

    Json out = Json::object();
    Json relations = Json::object();
    for (const BlockResult* block : entries) {
        if (const auto* rel = std::get_if<RelationResult>(&block->value)) {
            relations[block->name] = format_relation(*rel, options);
        } else if (const auto* ents = std::get_if<EntitiesResult>(&block->value)) {
            if (looks_like_relation(*block)) {
                relations[block->name] = raw_value(*block, options);
            } else {
                out[block->name] = format_entities(*ents, options);
            }
        } else if (const auto* st = std::get_if<StructureResult>(&block->value)) {
            if (looks_like_relation(*block)) {
                relations[block->name] = raw_value(*block, options);
            } else {
                out[block->name] = format_structure(*st, options);
            }
        } else {
            out[block->name] =
                format_classification(std::get<ClassificationResult>(block->value), options);
        }
    }
    for (const auto& relation : schema.relations) {
        if (!relations.contains(relation.name)) relations[relation.name] = Json::array();
    }
    // Assigned last; replaces a task literally named "relation_extraction" in place.
    if (!relations.empty()) out["relation_extraction"] = std::move(relations);
    return out;
}

}  // namespace spanguard::schemas
