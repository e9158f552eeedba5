#include "schemas/decoding/typed_results.h"

#include <string>
#include <variant>

namespace spanguard::schemas {
namespace {

// Confidences are the decoder's float32 values widened to double, as the JSON output writes them.
spanguard::Span typed_span(const SpanMatch& s) {
    return {s.text, static_cast<double>(s.confidence), s.start_cp, s.end_cp};
}

void add_entities(const EntitiesResult& result, spanguard::Extraction& out) {
    if (!result.gate_open) return;
    for (const EntityValue& type : result.types) {
        for (const SpanMatch& s : type.spans) {
            out.entities.push_back(
                {type.name, s.text, static_cast<double>(s.confidence), s.start_cp, s.end_cp});
            if (type.dtype == ValueType::kStr) break;  // one value: the best
        }
    }
}

void add_structure(const std::string& name, const StructureResult& result,
                   spanguard::Extraction& out) {
    if (!result.gate_open) return;
    for (const StructureInstance& instance : result.instances) {
        spanguard::StructureInstance typed{name, {}};
        for (const FieldValue& field : instance) {
            spanguard::FieldValue value{field.name, {}, {}};
            const size_t limit = field.dtype == ValueType::kStr ? 1 : SIZE_MAX;
            for (size_t i = 0; i < field.spans.size() && i < limit; ++i)
                value.spans.push_back(typed_span(field.spans[i]));
            for (size_t i = 0; i < field.choices.size() && i < limit; ++i) {
                value.choices.push_back(
                    {field.choices[i].text, static_cast<double>(field.choices[i].confidence)});
            }
            typed.fields.push_back(std::move(value));
        }
        out.structures.push_back(std::move(typed));
    }
}

// ---- merged output objects ----

// Offsets are integers of either signedness (the merge computes them), never negative.
bool is_offset(const Json& v) {
    return v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0);
}

bool is_span_item(const Json& v) {
    return v.is_object() && v.contains("text") && v.contains("start") && v.contains("end") &&
           v.at("text").is_string() && is_offset(v.at("start")) && is_offset(v.at("end"));
}

double confidence_of(const Json& v) {
    const auto c = v.find("confidence");
    return c != v.end() && c->is_number() ? c->get<double>() : 0.0;
}

spanguard::Span span_from(const Json& v) {
    return {v.at("text").get<std::string>(), confidence_of(v),
            static_cast<size_t>(v.at("start").get<long long>()),
            static_cast<size_t>(v.at("end").get<long long>())};
}

// A value that is one item or a list of them, as a list.
template <typename Visit>
void each_item(const Json& value, Visit&& visit) {
    if (value.is_array()) {
        for (const Json& item : value)
            visit(item);
    } else if (!value.is_null()) {
        visit(value);
    }
}

std::optional<spanguard::LabelScore> label_from(const Json& v, const char* key) {
    if (v.is_string()) return spanguard::LabelScore{v.get<std::string>(), 0.0};
    if (v.is_object() && v.contains(key) && v.at(key).is_string()) {
        return spanguard::LabelScore{v.at(key).get<std::string>(), confidence_of(v)};
    }
    return std::nullopt;
}

}  // namespace

spanguard::Extraction typed_from_blocks(const std::vector<BlockResult>& blocks,
                                        const Schema& schema) {
    spanguard::Extraction out;
    (void)schema;  // block names and kinds carry everything single-pass results need
    for (const BlockResult& block : blocks) {
        if (const auto* e = std::get_if<EntitiesResult>(&block.value)) {
            add_entities(*e, out);
        } else if (const auto* s = std::get_if<StructureResult>(&block.value)) {
            add_structure(block.name, *s, out);
        } else if (const auto* r = std::get_if<RelationResult>(&block.value)) {
            for (const RelationPair& pair : r->pairs)
                out.relations.push_back({block.name, typed_span(pair.head), typed_span(pair.tail)});
        } else {
            const auto& c = std::get<ClassificationResult>(block.value);
            spanguard::Classification typed{block.name, {}};
            for (const LabelScore& l : c.labels)
                typed.labels.push_back({l.label, static_cast<double>(l.confidence)});
            out.classifications.push_back(std::move(typed));
        }
    }
    return out;
}

spanguard::Extraction typed_from_output(const Json& output, const Schema& schema) {
    spanguard::Extraction out;
    if (!output.is_object()) return out;
    if (const auto ents = output.find("entities"); ents != output.end() && ents->is_object()) {
        for (const EntityType& type : schema.entities) {
            const auto value = ents->find(type.name);
            if (value == ents->end()) continue;
            each_item(*value, [&](const Json& item) {
                if (!is_span_item(item)) return;
                const spanguard::Span s = span_from(item);
                out.entities.push_back({type.name, s.text, s.confidence, s.start, s.end});
            });
        }
    }
    for (const ClassificationTask& task : schema.classifications) {
        const auto value = output.find(task.task);
        if (value == output.end()) continue;
        spanguard::Classification typed{task.task, {}};
        each_item(*value, [&](const Json& item) {
            if (auto label = label_from(item, "label")) typed.labels.push_back(std::move(*label));
        });
        out.classifications.push_back(std::move(typed));
    }
    if (const auto rels = output.find("relation_extraction");
        rels != output.end() && rels->is_object()) {
        for (const RelationType& relation : schema.relations) {
            const auto value = rels->find(relation.name);
            if (value == rels->end() || !value->is_array()) continue;
            for (const Json& pair : *value) {
                if (!pair.is_object() || !pair.contains("head") || !pair.contains("tail")) continue;
                if (!is_span_item(pair.at("head")) || !is_span_item(pair.at("tail"))) continue;
                out.relations.push_back(
                    {relation.name, span_from(pair.at("head")), span_from(pair.at("tail"))});
            }
        }
    }
    for (const Structure& structure : schema.structures) {
        const auto value = output.find(structure.name);
        if (value == output.end() || !value->is_array()) continue;
        for (const Json& instance : *value) {
            if (!instance.is_object()) continue;
            spanguard::StructureInstance typed{structure.name, {}};
            for (const StructureField& field : structure.fields) {
                spanguard::FieldValue v{field.name, {}, {}};
                if (const auto f = instance.find(field.name); f != instance.end()) {
                    each_item(*f, [&](const Json& item) {
                        if (field.is_choice()) {
                            if (auto c = label_from(item, "text")) v.choices.push_back(*c);
                        } else if (is_span_item(item)) {
                            v.spans.push_back(span_from(item));
                        }
                    });
                }
                typed.fields.push_back(std::move(v));
            }
            out.structures.push_back(std::move(typed));
        }
    }
    return out;
}

}  // namespace spanguard::schemas
