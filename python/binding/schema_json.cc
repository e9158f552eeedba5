#include "python/binding/schema_json.h"

namespace spanguard::python {

namespace {

using schemas::Json;

const char* dtype_name(schemas::ValueType dtype) {
    return dtype == schemas::ValueType::kStr ? "str" : "list";
}

const char* activation_name(schemas::ClassActivation activation) {
    switch (activation) {
        case schemas::ClassActivation::kSigmoid:
            return "sigmoid";
        case schemas::ClassActivation::kSoftmax:
            return "softmax";
        case schemas::ClassActivation::kAuto:
            break;
    }
    return "auto";
}

Json entity_config(const schemas::EntityType& e) {
    if (!e.description && !e.threshold && e.dtype == schemas::ValueType::kList) return nullptr;
    Json config = Json::object();
    if (e.description) config["description"] = *e.description;
    if (e.threshold) config["threshold"] = *e.threshold;
    config["dtype"] = dtype_name(e.dtype);
    return config;
}

Json relation_config(const schemas::RelationType& r) {
    if (!r.description && !r.threshold) return nullptr;
    Json config = Json::object();
    if (r.description) config["description"] = *r.description;
    if (r.threshold) config["threshold"] = *r.threshold;
    return config;
}

Json field_spec(const schemas::StructureField& f) {
    Json spec = {{"name", f.name}, {"dtype", dtype_name(f.dtype)}};
    if (!f.choices.empty()) spec["choices"] = f.choices;
    if (f.description) spec["description"] = *f.description;
    if (f.threshold) spec["threshold"] = *f.threshold;
    if (!f.validators.empty()) {
        Json validators = Json::array();
        for (const auto& v : f.validators) {
            validators.push_back(
                {{"pattern", v.pattern},
                 {"mode", v.mode == schemas::RegexValidator::Mode::kFull ? "full" : "partial"},
                 {"exclude", v.exclude},
                 {"case_insensitive", v.case_insensitive}});
        }
        spec["validators"] = std::move(validators);
    }
    return spec;
}

}  // namespace

Json classification_to_dict(const schemas::ClassificationTask& t) {
    bool described = false;
    for (const auto& label : t.labels)
        described = described || label.description.has_value();
    Json labels = described ? Json::object() : Json::array();
    for (const auto& label : t.labels) {
        if (!described) {
            labels.push_back(label.name);
        } else if (label.description) {
            labels[label.name] = *label.description;
        } else {
            labels[label.name] = nullptr;
        }
    }
    Json config = {{"task", t.task},
                   {"labels", std::move(labels)},
                   {"multi_label", t.multi_label},
                   {"cls_threshold", t.cls_threshold}};
    if (!t.examples.empty()) {
        Json examples = Json::array();
        for (const auto& ex : t.examples)
            examples.push_back({ex.input, ex.output});
        config["examples"] = std::move(examples);
    }
    if (t.prompt) config["prompt"] = *t.prompt;
    config["class_act"] = activation_name(t.activation);
    return config;
}

Json schema_to_dict(const schemas::Schema& schema) {
    Json out = Json::object();
    if (!schema.entities.empty()) {
        Json entities = Json::object();
        for (const auto& e : schema.entities)
            entities[e.name] = entity_config(e);
        out["entities"] = std::move(entities);
    }
    if (!schema.structures.empty()) {
        Json structures = Json::object();
        for (const auto& s : schema.structures) {
            Json fields = Json::array();
            for (const auto& f : s.fields)
                fields.push_back(field_spec(f));
            structures[s.name] = {{"fields", std::move(fields)}};
        }
        out["structures"] = std::move(structures);
    }
    if (!schema.classifications.empty()) {
        Json tasks = Json::array();
        for (const auto& t : schema.classifications)
            tasks.push_back(classification_to_dict(t));
        out["classifications"] = std::move(tasks);
    }
    if (!schema.relations.empty()) {
        Json relations = Json::object();
        for (const auto& r : schema.relations)
            relations[r.name] = relation_config(r);
        out["relations"] = std::move(relations);
    }
    return out;
}

}  // namespace spanguard::python
