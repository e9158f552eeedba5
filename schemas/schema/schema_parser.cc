#include "schemas/schema/schema_parser.h"

#include <unordered_set>
#include <utility>
#include <vector>

#include "schemas/schema/field_spec.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

// Remembers the names seen in one list and rejects a repeat.
class UniqueNames {
  public:
    explicit UniqueNames(std::string_view what) : what_(what) {}
    void add(const std::string& name, const std::string& path) {
        if (!seen_.insert(name).second) {
            throw RequestError(path, "duplicate " + what_ + " '" + name + "'");
        }
    }

  private:
    std::string what_;
    std::unordered_set<std::string> seen_;
};

// Object keys are names too: they must be valid UTF-8 and not blank.
std::string read_key_name(const std::string& key, const std::string& path, std::string_view what) {
    return read_name(Json(key), path, what);
}

std::optional<std::string> read_optional_description(const Json& object, const std::string& path) {
    if (!object.contains("description") || object["description"].is_null()) return std::nullopt;
    return read_string(object["description"], key_path(path, "description"), "description");
}

std::optional<double> read_optional_threshold(const Json& object, const std::string& path) {
    if (!object.contains("threshold") || object["threshold"].is_null()) return std::nullopt;
    return read_threshold(object["threshold"], key_path(path, "threshold"), "threshold");
}

void require_non_empty(const Json& value, const std::string& path, std::string_view what) {
    if (value.empty()) throw RequestError(path, std::string(what) + " must not be empty");
}

// ---- entities -----------------------------------------------------------------------------------

std::vector<EntityType> parse_entities(const Json& types, const std::string& path) {
    std::vector<EntityType> out;
    if (types.is_string()) {
        out.push_back(
            {read_name(types, path, "entity type"), std::nullopt, std::nullopt, ValueType::kList});
        return out;
    }
    UniqueNames names("entity type");
    if (types.is_array()) {
        require_non_empty(types, path, "entity type list");
        for (size_t i = 0; i < types.size(); ++i) {
            const std::string item_path = index_path(path, i);
            EntityType e;
            e.name = read_name(types[i], item_path, "entity type");
            names.add(e.name, item_path);
            out.push_back(std::move(e));
        }
        return out;
    }
    if (!types.is_object()) {
        throw RequestError(path, "entity types must be a list of names, a name or an object, got " +
                                     describe_type(types));
    }
    require_non_empty(types, path, "entity type object");
    for (const auto& item : types.items()) {
        const std::string item_path = key_path(path, item.key());
        EntityType e;
        e.name = read_key_name(item.key(), item_path, "entity type");
        const Json& config = item.value();
        if (config.is_string()) {
            e.description = read_string(config, item_path, "description");
        } else if (config.is_object()) {
            reject_unknown_keys(config, item_path, {"description", "threshold", "dtype"});
            e.description = read_optional_description(config, item_path);
            e.threshold = read_optional_threshold(config, item_path);
            if (config.contains("dtype") && !config["dtype"].is_null()) {
                const std::string dtype_path = key_path(item_path, "dtype");
                const std::string dtype = read_string(config["dtype"], dtype_path, "dtype");
                if (dtype == "str") {
                    e.dtype = ValueType::kStr;
                } else if (dtype != "list") {
                    throw RequestError(dtype_path,
                                       "dtype must be \"list\" or \"str\", got \"" + dtype + "\"");
                }
            }
        } else if (!config.is_null()) {
            throw RequestError(item_path,
                               "entity type must map to a description string, an object or null, "
                               "got " +
                                   describe_type(config));
        }
        names.add(e.name, item_path);
        out.push_back(std::move(e));
    }
    return out;
}

// ---- relations ----------------------------------------------------------------------------------

std::vector<RelationType> parse_relations(const Json& types, const std::string& path) {
    std::vector<RelationType> out;
    if (types.is_string()) {
        out.push_back({read_name(types, path, "relation name"), std::nullopt, std::nullopt});
        return out;
    }
    UniqueNames names("relation");
    if (types.is_array()) {
        require_non_empty(types, path, "relation list");
        for (size_t i = 0; i < types.size(); ++i) {
            const std::string item_path = index_path(path, i);
            RelationType r;
            r.name = read_name(types[i], item_path, "relation name");
            names.add(r.name, item_path);
            out.push_back(std::move(r));
        }
        return out;
    }
    if (!types.is_object()) {
        throw RequestError(path, "relations must be a list of names, a name or an object, got " +
                                     describe_type(types));
    }
    require_non_empty(types, path, "relation object");
    for (const auto& item : types.items()) {
        const std::string item_path = key_path(path, item.key());
        RelationType r;
        r.name = read_key_name(item.key(), item_path, "relation name");
        const Json& config = item.value();
        if (config.is_string()) {
            r.description = read_string(config, item_path, "description");
        } else if (config.is_object()) {
            reject_unknown_keys(config, item_path, {"description", "threshold"});
            r.description = read_optional_description(config, item_path);
            r.threshold = read_optional_threshold(config, item_path);
        } else if (!config.is_null()) {
            throw RequestError(
                item_path, "relation must map to a description string, an object or null, got " +
                               describe_type(config));
        }
        names.add(r.name, item_path);
        out.push_back(std::move(r));
    }
    return out;
}

// ---- classifications ----------------------------------------------------------------------------

std::vector<ClassLabel> parse_labels(const Json& labels, const std::string& path) {
    std::vector<ClassLabel> out;
    UniqueNames names("label");
    if (labels.is_array()) {
        require_non_empty(labels, path, "label list");
        for (size_t i = 0; i < labels.size(); ++i) {
            const std::string item_path = index_path(path, i);
            ClassLabel l;
            l.name = read_name(labels[i], item_path, "label");
            names.add(l.name, item_path);
            out.push_back(std::move(l));
        }
        return out;
    }
    if (!labels.is_object()) {
        throw RequestError(path, "labels must be a list or a label -> description object, got " +
                                     describe_type(labels));
    }
    require_non_empty(labels, path, "label object");
    for (const auto& item : labels.items()) {
        const std::string item_path = key_path(path, item.key());
        ClassLabel l;
        l.name = read_key_name(item.key(), item_path, "label");
        l.description = read_string(item.value(), item_path, "label description");
        names.add(l.name, item_path);
        out.push_back(std::move(l));
    }
    return out;
}

std::vector<FewShotExample> parse_examples(const Json& examples, const std::string& path) {
    if (!examples.is_array()) {
        throw RequestError(path, "examples must be an array of [input, output] pairs, got " +
                                     describe_type(examples));
    }
    std::vector<FewShotExample> out;
    for (size_t i = 0; i < examples.size(); ++i) {
        const std::string item_path = index_path(path, i);
        const Json& pair = examples[i];
        if (!pair.is_array() || pair.size() != 2) {
            throw RequestError(
                item_path,
                "example must be an [input, output] pair, got " +
                    (pair.is_array() ? "an array of " + std::to_string(pair.size()) + " values"
                                     : describe_type(pair)));
        }
        out.push_back({read_string(pair[0], index_path(item_path, 0), "example input"),
                       read_string(pair[1], index_path(item_path, 1), "example output")});
    }
    return out;
}

ClassActivation read_activation(const Json& value, const std::string& path) {
    const std::string act = read_string(value, path, "class_act");
    if (act == "auto") return ClassActivation::kAuto;
    if (act == "sigmoid") return ClassActivation::kSigmoid;
    if (act == "softmax") return ClassActivation::kSoftmax;
    throw RequestError(
        path, "class_act must be \"auto\", \"sigmoid\" or \"softmax\", got \"" + act + "\"");
}

// The options object of one task: {"labels": ..., "multi_label": ..., ...}. `task_key` is true
// in from_dict's list form, where the task name sits in the same object.
void parse_task_options(const Json& config, const std::string& path, bool task_key,
                        ClassificationTask& task) {
    if (task_key) {
        reject_unknown_keys(
            config, path,
            {"task", "labels", "multi_label", "cls_threshold", "examples", "prompt", "class_act"});
    } else {
        reject_unknown_keys(
            config, path,
            {"labels", "multi_label", "cls_threshold", "examples", "prompt", "class_act"});
    }
    if (!config.contains("labels")) throw RequestError(path, "task needs 'labels'");
    task.labels = parse_labels(config["labels"], key_path(path, "labels"));
    if (config.contains("multi_label") && !config["multi_label"].is_null()) {
        task.multi_label =
            read_bool(config["multi_label"], key_path(path, "multi_label"), "multi_label");
    }
    if (config.contains("cls_threshold") && !config["cls_threshold"].is_null()) {
        task.cls_threshold = read_threshold(config["cls_threshold"],
                                            key_path(path, "cls_threshold"), "cls_threshold");
    }
    if (config.contains("examples") && !config["examples"].is_null()) {
        task.examples = parse_examples(config["examples"], key_path(path, "examples"));
    }
    if (config.contains("prompt") && !config["prompt"].is_null()) {
        std::string prompt = read_string(config["prompt"], key_path(path, "prompt"), "prompt");
        // The reference adds the prompt only when it is truthy.
        if (!prompt.empty()) task.prompt = std::move(prompt);
    }
    if (config.contains("class_act") && !config["class_act"].is_null()) {
        task.activation = read_activation(config["class_act"], key_path(path, "class_act"));
    }
}

bool all_values_are_strings(const Json& object) {
    for (const auto& item : object.items()) {
        if (!item.value().is_string()) return false;
    }
    return true;
}

// classify_text's value for one task.
ClassificationTask parse_task_config(std::string name, const Json& config,
                                     const std::string& path) {
    ClassificationTask task;
    task.task = std::move(name);
    if (config.is_array()) {
        task.labels = parse_labels(config, path);
    } else if (config.is_object() && config.contains("labels")) {
        parse_task_options(config, path, false, task);
    } else if (config.is_object() && all_values_are_strings(config)) {
        // The reference hands an object without "labels" to the builder as the labels
        // themselves: a label -> description map.
        task.labels = parse_labels(config, path);
    } else if (config.is_object()) {
        throw RequestError(path,
                           "task options need 'labels' (or give a label -> description object)");
    } else {
        throw RequestError(path, "task must map to a list of labels or an options object, got " +
                                     describe_type(config));
    }
    return task;
}

// ---- structures ---------------------------------------------------------------------------------

std::vector<StructureField> parse_fields(const Json& fields, const std::string& path) {
    if (!fields.is_array()) {
        throw RequestError(path,
                           "fields must be an array of field specs, got " + describe_type(fields));
    }
    require_non_empty(fields, path, "field list");
    std::vector<StructureField> out;
    UniqueNames names("field");
    for (size_t i = 0; i < fields.size(); ++i) {
        const std::string item_path = index_path(path, i);
        StructureField f = parse_field_spec(fields[i], item_path);
        names.add(f.name, item_path);
        out.push_back(std::move(f));
    }
    return out;
}

// from_dict's record-formation options (boundary architecture). They do not change span-model
// inputs or outputs, so they are checked as the reference checks them and then dropped.
void check_record_options(const Json& config, const std::string& path,
                          const std::vector<StructureField>& fields) {
    std::string mode;
    if (config.contains("mode") && !config["mode"].is_null()) {
        const std::string mode_path = key_path(path, "mode");
        mode = read_string(config["mode"], mode_path, "mode");
        if (mode != "natural" && mode != "latent" && mode != "anchorless") {
            throw RequestError(mode_path,
                               "mode must be \"natural\", \"latent\" or "
                               "\"anchorless\", got \"" +
                                   mode + "\"");
        }
    }
    if (config.contains("anchor") && !config["anchor"].is_null()) {
        const std::string anchor_path = key_path(path, "anchor");
        const std::string anchor = read_string(config["anchor"], anchor_path, "anchor");
        if (!anchor.empty() && mode != "natural" && !mode.empty()) {
            throw RequestError(anchor_path, "anchor is only allowed with mode \"natural\"");
        }
        bool declared = anchor.empty();
        for (const auto& f : fields)
            declared = declared || f.name == anchor;
        if (mode == "natural" && !declared) {
            throw RequestError(anchor_path, "anchor '" + anchor + "' is not a declared field");
        }
    }
    if (config.contains("occurrence_policy") && !config["occurrence_policy"].is_null()) {
        const std::string policy_path = key_path(path, "occurrence_policy");
        const std::string policy =
            read_string(config["occurrence_policy"], policy_path, "occurrence_policy");
        if (policy != "all" && policy != "first" && policy != "error_on_ambiguous" &&
            policy != "latent_all") {
            throw RequestError(policy_path,
                               "occurrence_policy must be one of all, first, error_on_ambiguous, "
                               "latent_all; got \"" +
                                   policy + "\"");
        }
    }
}

// One structure: extract_json's list of field specs, or from_dict's {"fields": [...]} object.
Structure parse_structure(const std::string& key, const Json& value, const std::string& path) {
    Structure s;
    s.name = read_key_name(key, path, "structure name");
    if (value.is_array()) {
        s.fields = parse_fields(value, path);
    } else if (value.is_object()) {
        reject_unknown_keys(value, path, {"fields", "mode", "anchor", "occurrence_policy"});
        if (!value.contains("fields")) throw RequestError(path, "structure needs 'fields'");
        s.fields = parse_fields(value["fields"], key_path(path, "fields"));
        check_record_options(value, path, s.fields);
    } else {
        throw RequestError(path,
                           "structure must be a list of field specs or an object with "
                           "'fields', got " +
                               describe_type(value));
    }
    return s;
}

std::vector<Structure> parse_structures(const Json& structures, const std::string& path) {
    if (!structures.is_object()) {
        throw RequestError(path, "structures must be an object of name -> fields, got " +
                                     describe_type(structures));
    }
    require_non_empty(structures, path, "structure object");
    std::vector<Structure> out;
    for (const auto& item : structures.items()) {
        out.push_back(parse_structure(item.key(), item.value(), key_path(path, item.key())));
    }
    return out;
}

std::vector<ClassificationTask> parse_classification_list(const Json& list,
                                                          const std::string& path) {
    if (!list.is_array()) {
        throw RequestError(
            path, "classifications must be an array of task objects, got " + describe_type(list));
    }
    require_non_empty(list, path, "classification list");
    std::vector<ClassificationTask> out;
    UniqueNames names("classification task");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string item_path = index_path(path, i);
        const Json& config = list[i];
        if (!config.is_object()) {
            throw RequestError(item_path,
                               "classification must be an object, got " + describe_type(config));
        }
        if (!config.contains("task")) throw RequestError(item_path, "classification needs 'task'");
        ClassificationTask task;
        const std::string task_path = key_path(item_path, "task");
        task.task = read_name(config["task"], task_path, "task name");
        parse_task_options(config, item_path, true, task);
        names.add(task.task, task_path);
        out.push_back(std::move(task));
    }
    return out;
}

bool present(const Json& object, std::string_view key) {
    auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

}  // namespace

Schema schema_from_entity_types(const Json& entity_types, const std::string& path) {
    Schema schema;
    schema.entities = parse_entities(entity_types, path);
    return schema;
}

Schema schema_from_classification_tasks(const Json& tasks, const std::string& path) {
    if (!tasks.is_object()) {
        throw RequestError(path, "tasks must be an object of task name -> labels or options, got " +
                                     describe_type(tasks));
    }
    require_non_empty(tasks, path, "task object");
    Schema schema;
    for (const auto& item : tasks.items()) {
        const std::string item_path = key_path(path, item.key());
        std::string name = read_key_name(item.key(), item_path, "task name");
        schema.classifications.push_back(
            parse_task_config(std::move(name), item.value(), item_path));
    }
    return schema;
}

Schema schema_from_structures(const Json& structures, const std::string& path) {
    Schema schema;
    schema.structures = parse_structures(structures, path);
    return schema;
}

Schema schema_from_relation_types(const Json& relation_types, const std::string& path) {
    Schema schema;
    schema.relations = parse_relations(relation_types, path);
    return schema;
}

Schema schema_from_dict(const Json& data, const std::string& path) {
    if (!data.is_object()) {
        throw RequestError(path, "schema must be an object, got " + describe_type(data));
    }
    reject_unknown_keys(data, path, {"entities", "structures", "classifications", "relations"});
    Schema schema;
    if (present(data, "entities")) {
        schema.entities = parse_entities(data["entities"], key_path(path, "entities"));
    }
    if (present(data, "structures")) {
        schema.structures = parse_structures(data["structures"], key_path(path, "structures"));
    }
    if (present(data, "classifications")) {
        schema.classifications =
            parse_classification_list(data["classifications"], key_path(path, "classifications"));
    }
    if (present(data, "relations")) {
        schema.relations = parse_relations(data["relations"], key_path(path, "relations"));
    }
    if (schema.empty()) {
        throw RequestError(path,
                           "schema needs at least one of entities, structures, "
                           "classifications or relations");
    }
    return schema;
}

}  // namespace spanguard::schemas
