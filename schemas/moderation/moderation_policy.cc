// Policy consistency checks and the schema a moderation side is sent as.
#include <algorithm>
#include <set>
#include <string>

#include "schemas/moderation/moderation.h"
#include "schemas/prompt/python_whitespace.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

bool has_label(const schemas::ClassificationTask& task, const std::string& label) {
    return std::any_of(task.labels.begin(), task.labels.end(),
                       [&](const schemas::ClassLabel& l) { return l.name == label; });
}

void check_threshold(double value, const std::string& path) {
    if (!(value >= 0.0 && value <= 1.0)) {
        throw RequestError(path,
                           "cls_threshold must be within [0, 1], got " + std::to_string(value));
    }
}

// Every name of `names` must be a label of `task`. The sets have no index of their own, so the
// position reported is the name's rank in the set's (sorted) order.
void check_label_set(const std::set<std::string>& names, const schemas::ClassificationTask& task,
                     const std::string& path) {
    size_t i = 0;
    for (const auto& name : names) {
        if (!has_label(task, name)) {
            throw RequestError(index_path(path, i),
                               "'" + name + "' is not a label of task '" + task.task + "'");
        }
        ++i;
    }
}

void check_task(const ModerationTask& t, const std::string& path) {
    const schemas::ClassificationTask& task = t.task;
    if (schemas::python_strip(task.task).empty()) {
        throw RequestError(key_path(path, "task"), "task name must not be empty");
    }
    if (task.labels.empty()) throw RequestError(key_path(path, "labels"), "task needs labels");
    std::set<std::string> seen;
    for (size_t i = 0; i < task.labels.size(); ++i) {
        const std::string& name = task.labels[i].name;
        const std::string label_path = index_path(key_path(path, "labels"), i);
        if (schemas::python_strip(name).empty()) {
            throw RequestError(label_path, "label must not be empty");
        }
        if (!seen.insert(name).second) {
            throw RequestError(label_path, "duplicate label '" + name + "'");
        }
    }
    check_threshold(task.cls_threshold, key_path(path, "cls_threshold"));
    check_label_set(t.safe_labels, task, key_path(path, "safe_labels"));
    check_label_set(t.unsafe_labels, task, key_path(path, "unsafe_labels"));
    for (const auto& name : t.unsafe_labels) {
        if (t.safe_labels.count(name) != 0) {
            throw RequestError(path, "label '" + name + "' is both a safe and an unsafe label");
        }
    }
}

void check_side(const ModerationSide& side, const std::string& path) {
    const std::string tasks_path = key_path(path, "tasks");
    std::set<std::string> names;
    for (size_t i = 0; i < side.tasks.size(); ++i) {
        const std::string task_path = index_path(tasks_path, i);
        check_task(side.tasks[i], task_path);
        if (!names.insert(side.tasks[i].task.task).second) {
            throw RequestError(key_path(task_path, "task"),
                               "duplicate task '" + side.tasks[i].task.task + "'");
        }
    }
    if (!side.veto) return;
    const std::string veto_path = key_path(path, "veto");
    // Named references, not a structured binding: clang 14 cannot capture bindings in a lambda.
    const std::string& task_name = side.veto->first;
    const std::string& label = side.veto->second;
    const auto it = std::find_if(side.tasks.begin(), side.tasks.end(),
                                 [&](const ModerationTask& t) { return t.task.task == task_name; });
    if (it == side.tasks.end()) {
        throw RequestError(key_path(veto_path, "task"),
                           "veto task '" + task_name + "' is not a task of this side");
    }
    if (!has_label(it->task, label)) {
        throw RequestError(key_path(veto_path, "label"),
                           "'" + label + "' is not a label of task '" + task_name + "'");
    }
}

}  // namespace

void check_policy(const ModerationPolicy& policy, const std::string& path) {
    check_side(policy.prompt, key_path(path, "prompt"));
    check_side(policy.response, key_path(path, "response"));
}

schemas::Schema side_schema(const ModerationSide& side) {
    schemas::Schema schema;
    schema.classifications.reserve(side.tasks.size());
    for (const auto& t : side.tasks)
        schema.classifications.push_back(t.task);
    return schema;
}

}  // namespace spanguard::schemas
