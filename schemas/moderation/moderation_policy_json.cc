// policy_from_json: a moderation policy from its JSON form (moderation.h). The classification part
// of each task object is parsed by schema_parser.h, so a task accepts exactly what a
// Schema.from_dict classification accepts, with the same checks and messages.
#include <string>
#include <string_view>

#include "schemas/moderation/moderation.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::schemas {
namespace {

bool present(const Json& object, std::string_view key) {
    const auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

std::set<std::string> read_label_set(const Json& value, const std::string& path) {
    if (!value.is_array()) {
        throw RequestError(path, "must be an array of labels, got " + describe_type(value));
    }
    std::set<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
        out.insert(schemas::read_name(value[i], index_path(path, i), "label"));
    }
    return out;
}

// The classification options of a task object, parsed as from_dict's classifications[0] and
// re-pathed: "classifications[0].labels[2]: ..." becomes "<path>.labels[2]: ...".
schemas::ClassificationTask parse_classification(const Json& task, const std::string& path) {
    Json options = task;
    options.erase("safe_labels");
    options.erase("unsafe_labels");
    const Json wrapped = {{"classifications", Json::array({options})}};
    static const std::string kInner = "classifications[0]";
    try {
        return schemas::schema_from_dict(wrapped, "").classifications.at(0);
    } catch (const RequestError& e) {
        const std::string& inner = e.path();
        const std::string rest = inner.rfind(kInner, 0) == 0 ? inner.substr(kInner.size()) : "";
        throw RequestError(path + rest, e.problem());
    }
}

ModerationTask parse_task(const Json& task, const std::string& path) {
    if (!task.is_object()) {
        throw RequestError(path, "task must be an object, got " + describe_type(task));
    }
    schemas::reject_unknown_keys(task, path,
                                 {"task", "labels", "multi_label", "cls_threshold", "safe_labels",
                                  "unsafe_labels", "examples", "prompt", "class_act"});
    ModerationTask out;
    out.task = parse_classification(task, path);
    if (present(task, "safe_labels")) {
        out.safe_labels = read_label_set(task["safe_labels"], key_path(path, "safe_labels"));
    }
    if (present(task, "unsafe_labels")) {
        out.unsafe_labels = read_label_set(task["unsafe_labels"], key_path(path, "unsafe_labels"));
    }
    return out;
}

// Label-set entries are checked here, where their array index is known (check_policy can only
// report a set's rank).
void check_label_names(const Json& task, const ModerationTask& parsed, const std::string& path,
                       const char* key) {
    if (!present(task, key)) return;
    const Json& names = task[key];
    for (size_t i = 0; i < names.size(); ++i) {
        const std::string name = names[i].get<std::string>();
        bool found = false;
        for (const auto& label : parsed.task.labels)
            found = found || label.name == name;
        if (!found) {
            throw RequestError(index_path(key_path(path, key), i),
                               "'" + name + "' is not a label of task '" + parsed.task.task + "'");
        }
    }
}

ModerationSide parse_side(const Json& side, const std::string& path) {
    if (!side.is_object()) {
        throw RequestError(path, "side must be an object with 'tasks', got " + describe_type(side));
    }
    schemas::reject_unknown_keys(side, path, {"tasks", "veto"});
    if (!present(side, "tasks")) throw RequestError(path, "side needs 'tasks'");
    const Json& tasks = side["tasks"];
    const std::string tasks_path = key_path(path, "tasks");
    if (!tasks.is_array()) {
        throw RequestError(tasks_path,
                           "tasks must be an array of task objects, got " + describe_type(tasks));
    }
    if (tasks.empty()) throw RequestError(tasks_path, "tasks must not be empty");
    ModerationSide out;
    for (size_t i = 0; i < tasks.size(); ++i) {
        const std::string task_path = index_path(tasks_path, i);
        out.tasks.push_back(parse_task(tasks[i], task_path));
        check_label_names(tasks[i], out.tasks.back(), task_path, "safe_labels");
        check_label_names(tasks[i], out.tasks.back(), task_path, "unsafe_labels");
    }
    if (present(side, "veto")) {
        const Json& veto = side["veto"];
        const std::string veto_path = key_path(path, "veto");
        if (!veto.is_object()) {
            throw RequestError(veto_path,
                               "veto must be an object {\"task\": ..., \"label\": ...}, "
                               "got " +
                                   describe_type(veto));
        }
        schemas::reject_unknown_keys(veto, veto_path, {"task", "label"});
        if (!veto.contains("task")) throw RequestError(veto_path, "veto needs 'task'");
        if (!veto.contains("label")) throw RequestError(veto_path, "veto needs 'label'");
        out.veto = std::make_pair(
            schemas::read_name(veto["task"], key_path(veto_path, "task"), "veto task"),
            schemas::read_name(veto["label"], key_path(veto_path, "label"), "veto label"));
    }
    return out;
}

}  // namespace

ModerationPolicy policy_from_json(const Json& policy, const std::string& path) {
    if (!policy.is_object()) {
        throw RequestError(path, "policy must be an object with 'prompt' and/or 'response', got " +
                                     describe_type(policy));
    }
    schemas::reject_unknown_keys(policy, path, {"prompt", "response"});
    if (!present(policy, "prompt") && !present(policy, "response")) {
        throw RequestError(path, "policy needs 'prompt', 'response' or both");
    }
    ModerationPolicy out;
    if (present(policy, "prompt"))
        out.prompt = parse_side(policy["prompt"], key_path(path, "prompt"));
    if (present(policy, "response")) {
        out.response = parse_side(policy["response"], key_path(path, "response"));
    }
    // Duplicate tasks, safe-and-unsafe labels and the veto's existence.
    check_policy(out, path);
    return out;
}

}  // namespace spanguard::schemas
