// spanguard::Schema: a builder over the JSON request shape, validated by the schema parser after
// every call so a bad entry is reported where it was added.
#include "schemas/api/public_schema.h"

#include <memory>
#include <string>
#include <utility>

#include "schemas/api/public_errors.h"
#include "schemas/schema/request_limits.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard {
namespace {

using schemas::Json;

std::shared_ptr<const Schema::Impl> parse(Json request) {
    auto impl = std::make_shared<Schema::Impl>();
    impl->parsed = api::public_errors([&] { return schemas::schema_from_dict(request, "schema"); });
    impl->request = std::move(request);
    return impl;
}

Json& section(Json& request, const char* key, Json empty) {
    if (!request.contains(key)) request[key] = std::move(empty);
    return request[key];
}

void check_new_name(const Json& section, const std::string& name, const std::string& path) {
    if (section.contains(name)) throw RequestError(path, "'" + name + "' is already in the schema");
}

}  // namespace

RequestError::RequestError(std::string where, std::string problem)
    : Error(where.empty() ? problem : where + ": " + problem),
      where_(std::move(where)),
      problem_(std::move(problem)) {}

Schema::Schema() : impl_(std::make_shared<const Impl>()) {}

Schema Schema::from_json(std::string_view json) {
    Json request = api::public_errors([&] {
        schemas::check_json_depth(json, schemas::RequestLimits{}, "schema");
        Json parsed = Json::parse(json, nullptr, false);
        if (parsed.is_discarded()) throw RequestError("schema", "not valid JSON");
        return parsed;
    });
    if (!request.is_object()) throw RequestError("schema", "a schema is a JSON object");
    Schema out;
    out.impl_ = parse(std::move(request));
    return out;
}

Schema& Schema::entities(const std::vector<std::string>& labels) {
    for (const std::string& label : labels)
        entity(label);
    return *this;
}

Schema& Schema::entity(const std::string& label, const std::string& description,
                       std::optional<double> threshold) {
    Json request = impl_->request;
    Json& ents = section(request, "entities", Json::object());
    check_new_name(ents, label, "schema.entities");
    Json config = nullptr;
    if (!description.empty() || threshold) {
        config = Json::object();
        if (!description.empty()) config["description"] = description;
        if (threshold) config["threshold"] = *threshold;
    }
    ents[label] = std::move(config);
    impl_ = parse(std::move(request));
    return *this;
}

Schema& Schema::classification(const std::string& task, const std::vector<std::string>& labels,
                               bool multi_label, double threshold) {
    Json request = impl_->request;
    Json& tasks = section(request, "classifications", Json::array());
    Json entry = Json::object();
    entry["task"] = task;
    entry["labels"] = labels;
    entry["multi_label"] = multi_label;
    entry["cls_threshold"] = threshold;
    tasks.push_back(std::move(entry));
    impl_ = parse(std::move(request));
    return *this;
}

Schema& Schema::relation(const std::string& name, std::optional<double> threshold) {
    Json request = impl_->request;
    Json& relations = section(request, "relations", Json::object());
    check_new_name(relations, name, "schema.relations");
    relations[name] = threshold ? Json{{"threshold", *threshold}} : Json(nullptr);
    impl_ = parse(std::move(request));
    return *this;
}

Schema& Schema::structure(const std::string& name, const std::vector<Field>& fields) {
    Json request = impl_->request;
    Json& structures = section(request, "structures", Json::object());
    check_new_name(structures, name, "schema.structures");
    Json specs = Json::array();
    for (const Field& f : fields) {
        Json spec = Json::object();
        spec["name"] = f.name;
        spec["dtype"] = f.single ? "str" : "list";
        if (!f.choices.empty()) spec["choices"] = f.choices;
        if (!f.description.empty()) spec["description"] = f.description;
        specs.push_back(std::move(spec));
    }
    structures[name] = Json{{"fields", std::move(specs)}};
    impl_ = parse(std::move(request));
    return *this;
}

std::string Schema::to_json() const {
    return impl_->request.dump();
}

}  // namespace spanguard
