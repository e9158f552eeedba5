// `_spanguard.Schema`: the parsed request schema (schemas/schema/schema.h) as an opaque value,
// built from the reference API's request shapes by the engine's own parsers (schema_parser.h), so
// Python and the CLI accept and reject exactly the same requests. The add_* methods back the Python
// create_schema() builder (spanguard/schema.py), mirroring the reference builder's options.
#include <pybind11/stl.h>

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "python/binding/bindings.h"
#include "python/binding/schema_json.h"
#include "schemas/schema/field_spec.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::python {

namespace {

using schemas::Json;
using schemas::RequestError;
using schemas::Schema;

// The builder merges calls into one schema; a name given twice would make two prompt markers for
// one output key, so it is refused as from_dict refuses it within one list.
template <typename Items>
void reject_repeat(const Items& existing, const std::string& name, const std::string& path,
                   const char* what) {
    for (const auto& item : existing) {
        if (item.name == name) {
            throw RequestError(path, std::string("duplicate ") + what + " '" + name + "'");
        }
    }
}

void add_entities(Schema& schema, py::handle types, const std::string& dtype,
                  std::optional<double> threshold) {
    const std::string path = "entities";
    Schema parsed = schemas::schema_from_entity_types(json_from_python(types, path), path);
    if (threshold) {
        schemas::read_threshold(Json(*threshold), "entities.threshold", "threshold");
    }
    if (dtype != "list" && dtype != "str") {
        throw RequestError("entities.dtype",
                           "dtype must be \"list\" or \"str\", got \"" + dtype + "\"");
    }
    for (auto& e : parsed.entities) {
        reject_repeat(schema.entities, e.name, schemas::key_path(path, e.name), "entity type");
        // As in the reference builder: the call's defaults fill only what the entry left open.
        if (!e.threshold) e.threshold = threshold;
        if (dtype == "str" && e.dtype == schemas::ValueType::kList) {
            e.dtype = schemas::ValueType::kStr;
        }
        schema.entities.push_back(std::move(e));
    }
}

void add_classification(Schema& schema, py::handle task, py::handle config) {
    const std::string task_name = utf8_from_python(task, "classification", "task name");
    Json tasks = Json::object();
    tasks[task_name] = json_from_python(config, schemas::key_path("classification", task_name));
    Schema parsed = schemas::schema_from_classification_tasks(tasks, "classification");
    for (auto& t : parsed.classifications) {
        for (const auto& existing : schema.classifications) {
            if (existing.task == t.task) {
                throw RequestError(schemas::key_path("classification", t.task),
                                   "duplicate classification task '" + t.task + "'");
            }
        }
        schema.classifications.push_back(std::move(t));
    }
}

void add_relations(Schema& schema, py::handle types) {
    const std::string path = "relations";
    Schema parsed = schemas::schema_from_relation_types(json_from_python(types, path), path);
    for (auto& r : parsed.relations) {
        reject_repeat(schema.relations, r.name, schemas::key_path(path, r.name), "relation");
        schema.relations.push_back(std::move(r));
    }
}

size_t add_structure(Schema& schema, py::handle name) {
    const std::string parsed =
        schemas::read_name(json_from_python(name, "structure"), "structure", "structure name");
    reject_repeat(schema.structures, parsed, schemas::key_path("structures", parsed), "structure");
    schema.structures.push_back({parsed, {}});
    return schema.structures.size() - 1;
}

void add_field(Schema& schema, size_t structure, py::handle spec) {
    if (structure >= schema.structures.size()) {
        throw RequestError("structure", "no structure number " + std::to_string(structure));
    }
    schemas::Structure& s = schema.structures[structure];
    const std::string path =
        schemas::index_path(schemas::key_path("structures", s.name), s.fields.size());
    schemas::StructureField field = schemas::parse_field_spec(json_from_python(spec, path), path);
    for (const auto& f : s.fields) {
        if (f.name == field.name) {
            throw RequestError(path, "duplicate field '" + field.name + "'");
        }
    }
    s.fields.push_back(std::move(field));
}

// What the reference builder's build() checks.
void check_complete(const Schema& schema) {
    if (schema.empty()) {
        throw RequestError("schema",
                           "schema needs at least one of entities, structures, classifications or "
                           "relations");
    }
    for (const auto& s : schema.structures) {
        if (s.fields.empty()) {
            throw RequestError(schemas::key_path("structures", s.name), "structure has no fields");
        }
    }
}

// Parses with one of the schema_parser.h entry points; `path` prefixes error messages.
template <Schema (*Parse)(const Json&, const std::string&)>
Schema parse_with(py::handle value, const std::string& path) {
    return Parse(json_from_python(value, path), path);
}

}  // namespace

void register_schema(py::module_& m) {
    py::class_<Schema>(m, "Schema",
                       "A parsed request schema (what to extract). Immutable once built by "
                       "from_dict or the create_schema() builder; safe to share across threads.")
        .def(py::init<>())
        .def_static("from_dict", &parse_with<schemas::schema_from_dict>, py::arg("schema"),
                    py::arg("path") = "")
        .def_static("from_entity_types", &parse_with<schemas::schema_from_entity_types>,
                    py::arg("entity_types"), py::arg("path") = "entities")
        .def_static("from_classification_tasks",
                    &parse_with<schemas::schema_from_classification_tasks>, py::arg("tasks"),
                    py::arg("path") = "tasks")
        .def_static("from_relation_types", &parse_with<schemas::schema_from_relation_types>,
                    py::arg("relation_types"), py::arg("path") = "relations")
        .def_static("from_structures", &parse_with<schemas::schema_from_structures>,
                    py::arg("structures"), py::arg("path") = "structures")
        .def("add_entities", &add_entities, py::arg("entity_types"), py::arg("dtype") = "list",
             py::arg("threshold") = py::none())
        .def("add_classification", &add_classification, py::arg("task"), py::arg("config"))
        .def("add_relations", &add_relations, py::arg("relation_types"))
        .def("add_structure", &add_structure, py::arg("name"))
        .def("add_field", &add_field, py::arg("structure"), py::arg("spec"))
        .def("check_complete", &check_complete)
        .def("empty", &Schema::empty)
        .def("copy", [](const Schema& s) { return Schema(s); })
        .def("to_dict", [](const Schema& s) { return python_from_json(schema_to_dict(s)); })
        .def("__eq__",
             [](const Schema& a, py::object other) {
                 if (!py::isinstance<Schema>(other)) return false;
                 return schema_to_dict(a) == schema_to_dict(other.cast<const Schema&>());
             })
        .def("__repr__",
             [](const Schema& s) { return "Schema.from_dict(" + schema_to_dict(s).dump() + ")"; });
}

}  // namespace spanguard::python
