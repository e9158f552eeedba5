// to_json: a moderation result as the JSON object moderation.h documents.
#include "schemas/moderation/moderation.h"

namespace spanguard::schemas {
namespace {

Json task_json(const TaskVerdict& t) {
    Json scores = Json::object();
    if (t.label_order.empty()) {
        for (const auto& [label, p] : t.scores)
            scores[label] = p;
    } else {
        // Label order reads better than the map's alphabetical order ("benign" last).
        for (const auto& label : t.label_order) {
            const auto it = t.scores.find(label);
            if (it != t.scores.end()) scores[label] = it->second;
        }
    }
    Json out = Json::object();
    out["labels"] = t.labels;
    out["scores"] = std::move(scores);
    out["flagged"] = t.flagged;
    return out;
}

Json side_json(const SideVerdict& side) {
    Json tasks = Json::object();
    for (const auto& t : side.tasks)
        tasks[t.task] = task_json(t);
    Json out = Json::object();
    out["unsafe"] = side.unsafe;
    out["flagged"] = side.flagged;
    out["tasks"] = std::move(tasks);
    return out;
}

}  // namespace

Json to_json(const ModerationResult& result) {
    Json out = Json::object();
    out["verdict"] = result.unsafe ? "unsafe" : "safe";
    if (result.prompt) out["prompt"] = side_json(*result.prompt);
    if (result.response) out["response"] = side_json(*result.response);
    return out;
}

}  // namespace spanguard::schemas
