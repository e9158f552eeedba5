#include "schemas/server/openai_moderation.h"

#include <algorithm>
#include <map>

#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas::server {

const std::vector<std::pair<std::string, std::string>>& openai_category_names() {
    // OpenAI's moderation categories (omni-moderation) whose definition covers the GLiGuard label.
    static const std::vector<std::pair<std::string, std::string>> names = {
        {"violence_and_weapons", "violence"},   {"non_violent_crime", "illicit"},
        {"sexual_content", "sexual"},           {"hate_and_discrimination", "hate"},
        {"self_harm_and_suicide", "self-harm"}, {"child_safety", "sexual/minors"},
    };
    return names;
}

std::vector<std::string> openai_moderation_inputs(const Json& body) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    const auto input = body.find("input");
    if (input == body.end()) throw RequestError("input", "missing (a string or an array)");
    if (input->is_string()) return {input->get<std::string>()};
    if (!input->is_array() || input->empty()) {
        throw RequestError("input", "must be a string or a non-empty array");
    }
    if ((*input)[0].is_string()) {
        std::vector<std::string> texts;
        for (size_t i = 0; i < input->size(); ++i) {
            if (!(*input)[i].is_string()) {
                throw RequestError(index_path("input", i), "must be a string, as input[0] is");
            }
            texts.push_back((*input)[i].get<std::string>());
        }
        return texts;
    }
    std::string joined;
    for (size_t i = 0; i < input->size(); ++i) {
        const Json& part = (*input)[i];
        const std::string path = index_path("input", i);
        if (!part.is_object() || !part.contains("type") || !part["type"].is_string()) {
            throw RequestError(path, "must be a string or a {\"type\": \"text\", \"text\"} part");
        }
        const std::string type = part["type"].get<std::string>();
        if (type != "text") {
            throw RequestError(path + ".type", "only text parts are supported, not '" + type + "'");
        }
        if (!part.contains("text") || !part["text"].is_string()) {
            throw RequestError(path + ".text", "must be a string");
        }
        if (!joined.empty()) joined += "\n";
        joined += part["text"].get<std::string>();
    }
    return {joined};
}

Json openai_moderation_response(const std::vector<ModerationResult>& results,
                                const ModerationPolicy& policy, const std::string& model,
                                const std::string& id) {
    std::map<std::string, std::string> rename(openai_category_names().begin(),
                                              openai_category_names().end());
    Json out = Json::object();
    out["id"] = id;
    out["model"] = model;
    out["results"] = Json::array();
    for (const ModerationResult& r : results) {
        Json categories = Json::object();
        Json scores = Json::object();
        bool flagged = false;
        if (r.prompt) {
            flagged = r.prompt->unsafe;
            for (size_t t = 0; t < r.prompt->tasks.size() && t < policy.prompt.tasks.size(); ++t) {
                const TaskVerdict& verdict = r.prompt->tasks[t];
                const ModerationTask& task = policy.prompt.tasks[t];
                for (const auto& label : verdict.label_order) {
                    const bool flagging = task.unsafe_labels.empty()
                                              ? task.safe_labels.count(label) == 0
                                              : task.unsafe_labels.count(label) != 0;
                    if (!flagging) continue;
                    const auto renamed = rename.find(label);
                    const std::string name = renamed == rename.end() ? label : renamed->second;
                    const double p = verdict.scores.at(label);
                    const bool on = std::find(r.prompt->flagged.begin(), r.prompt->flagged.end(),
                                              label) != r.prompt->flagged.end();
                    if (!scores.contains(name) || scores[name].get<double>() < p) scores[name] = p;
                    categories[name] =
                        (categories.contains(name) && categories[name].get<bool>()) || on;
                }
            }
        }
        Json item = Json::object();
        item["flagged"] = flagged;
        item["categories"] = std::move(categories);
        item["category_scores"] = std::move(scores);
        out["results"].push_back(std::move(item));
    }
    return out;
}

}  // namespace spanguard::schemas::server
