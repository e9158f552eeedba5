// Safety moderation (schemas/moderation/moderation.h) for Python. A policy is given as its JSON
// form (a dict, moderation.h's policy_from_json) or None for GLiGuard's; results are moderation.h's
// to_json.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "python/binding/bindings.h"
#include "python/binding/schema_json.h"
#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::python {

namespace {

using schemas::Json;

schemas::ModerationPolicy policy_from_python(py::handle policy) {
    if (policy.is_none()) return schemas::gliguard_policy();
    return schemas::policy_from_json(json_from_python(policy, "policy"), "policy");
}

std::optional<std::string> optional_text(py::handle text, const std::string& path) {
    if (text.is_none()) return std::nullopt;
    return utf8_from_python(text, path);
}

// The policy_from_json form of a policy, so Python can inspect and edit GLiGuard's.
Json policy_to_json(const schemas::ModerationPolicy& policy) {
    Json out = Json::object();
    const auto side_json = [](const schemas::ModerationSide& side) {
        Json tasks = Json::array();
        for (const schemas::ModerationTask& t : side.tasks) {
            Json task = classification_to_dict(t.task);
            task["safe_labels"] =
                Json(std::vector<std::string>(t.safe_labels.begin(), t.safe_labels.end()));
            task["unsafe_labels"] =
                Json(std::vector<std::string>(t.unsafe_labels.begin(), t.unsafe_labels.end()));
            tasks.push_back(std::move(task));
        }
        Json out_side = {{"tasks", std::move(tasks)}};
        if (side.veto)
            out_side["veto"] = {{"task", side.veto->first}, {"label", side.veto->second}};
        return out_side;
    };
    if (!policy.prompt.tasks.empty()) out["prompt"] = side_json(policy.prompt);
    if (!policy.response.tasks.empty()) out["response"] = side_json(policy.response);
    return out;
}

py::object moderate(const schemas::Model& model, py::handle prompt, py::handle response,
                    py::handle policy) {
    const std::optional<std::string> p = optional_text(prompt, "prompt");
    const std::optional<std::string> r = optional_text(response, "response");
    const schemas::ModerationPolicy parsed = policy_from_python(policy);
    Json result;
    {
        py::gil_scoped_release release;
        const auto view = [](const std::optional<std::string>& s) {
            return s ? std::optional<std::string_view>(*s) : std::nullopt;
        };
        result = to_json(spanguard::schemas::moderate(model, parsed, view(p), view(r)));
    }
    return python_from_json(result);
}

// inputs: a list of {"prompt": ..., "response": ...} dicts (either key may be absent or None).
py::list moderate_batch(const schemas::Model& model, py::handle inputs, py::handle policy,
                        size_t batch_size) {
    if (!PyList_Check(inputs.ptr()) && !PyTuple_Check(inputs.ptr())) {
        throw schemas::RequestError("inputs", "must be a list of {prompt, response} dicts");
    }
    std::vector<schemas::ModerationInput> parsed;
    size_t i = 0;
    for (const auto& item : py::reinterpret_borrow<py::sequence>(inputs)) {
        const std::string path = schemas::index_path("inputs", i++);
        if (!PyDict_Check(item.ptr())) {
            throw schemas::RequestError(path, "must be a dict with 'prompt' and/or 'response'");
        }
        const py::dict d = py::reinterpret_borrow<py::dict>(item);
        for (const auto& [key, value] : d) {
            const std::string name = py::str(key);
            if (name != "prompt" && name != "response") {
                throw schemas::RequestError(schemas::key_path(path, name),
                                            "unknown key (expected prompt, response)");
            }
        }
        schemas::ModerationInput input;
        if (d.contains("prompt")) input.prompt = optional_text(d["prompt"], path + ".prompt");
        if (d.contains("response")) {
            input.response = optional_text(d["response"], path + ".response");
        }
        parsed.push_back(std::move(input));
    }
    const schemas::ModerationPolicy parsed_policy = policy_from_python(policy);
    std::vector<Json> results;
    {
        py::gil_scoped_release release;
        for (const schemas::ModerationResult& r :
             spanguard::schemas::moderate_batch(model, parsed_policy, parsed, batch_size)) {
            results.push_back(to_json(r));
        }
    }
    py::list out(results.size());
    for (size_t k = 0; k < results.size(); ++k)
        out[k] = python_from_json(results[k]);
    return out;
}

py::object gliguard_policy_dict(double threshold) {
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        throw schemas::RequestError(
            "threshold", "threshold must be within [0, 1], got " + std::to_string(threshold));
    }
    return python_from_json(policy_to_json(schemas::gliguard_policy(threshold)));
}

}  // namespace

void register_moderation(py::module_& m) {
    m.def("moderate", &moderate, py::arg("model"), py::arg("prompt") = py::none(),
          py::arg("response") = py::none(), py::arg("policy") = py::none());
    m.def("moderate_batch", &moderate_batch, py::arg("model"), py::arg("inputs"),
          py::arg("policy") = py::none(), py::arg("batch_size") = 8);
    m.def("gliguard_policy", &gliguard_policy_dict, py::arg("threshold") = 0.5);
}

}  // namespace spanguard::python
