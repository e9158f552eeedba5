// moderate / moderate_batch: each side's texts go through the model as one schema (one encoder
// pass per batch and side), then through the decision rules.
#include <algorithm>
#include <string>

#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

struct SideRequest {
    std::vector<std::string> texts;
    std::vector<size_t> owners;      // the input of each text
    std::vector<std::string> paths;  // the path naming each text's source in errors
};

void check_text(std::string_view text, const std::string& path) {
    if (const auto bad = tokenizer::utf8::find_invalid(text)) {
        throw RequestError(path, "invalid UTF-8 at byte offset " + std::to_string(*bad));
    }
}

// Probabilities of every text of one side, judged; verdicts[i] for texts[i]. Errors the model
// raises for texts[j] are re-pathed to the input they came from.
// Every window's text of every request text; owner[k] is the request text of window k.
struct WindowedTexts {
    std::vector<std::string> texts;
    std::vector<size_t> owner;
};

WindowedTexts split_all(const SideRequest& request, const ModerationWindows& windows) {
    WindowedTexts out;
    for (size_t i = 0; i < request.texts.size(); ++i) {
        for (auto& w : schemas::split_text_windows(request.texts[i], windows.chunk_size,
                                                   windows.chunk_overlap, request.paths[i])) {
            out.texts.push_back(std::move(w.text));
            out.owner.push_back(i);
        }
    }
    return out;
}

// Each label's maximum over a text's windows.
std::vector<std::vector<TaskProbabilities>> max_over_windows(
    std::vector<std::vector<TaskProbabilities>> window_probs, const std::vector<size_t>& owner,
    size_t texts) {
    std::vector<std::vector<TaskProbabilities>> out(texts);
    for (size_t k = 0; k < window_probs.size(); ++k) {
        auto& merged = out[owner[k]];
        if (merged.empty()) {
            merged = std::move(window_probs[k]);
            continue;
        }
        for (size_t t = 0; t < merged.size(); ++t) {
            for (size_t l = 0; l < merged[t].probabilities.size(); ++l) {
                merged[t].probabilities[l] =
                    std::max(merged[t].probabilities[l], window_probs[k][t].probabilities[l]);
            }
        }
    }
    return out;
}

std::vector<SideVerdict> run_side(const Model& model, const ModerationSide& side,
                                  const SideRequest& request, size_t batch_size,
                                  const ModerationWindows& windows) {
    if (request.texts.empty()) return {};
    std::vector<std::vector<TaskProbabilities>> probs;
    try {
        if (windows.chunk_size > 0) {
            const WindowedTexts split = split_all(request, windows);
            probs = max_over_windows(
                model.classification_probabilities(split.texts, side_schema(side), batch_size),
                split.owner, request.texts.size());
        } else {
            probs =
                model.classification_probabilities(request.texts, side_schema(side), batch_size);
        }
    } catch (const RequestError& e) {
        const std::string& p = e.path();
        const std::string prefix = "texts[";
        if (p.rfind(prefix, 0) != 0) throw;
        const size_t close = p.find(']');
        const size_t j = std::stoul(p.substr(prefix.size(), close - prefix.size()));
        if (j >= request.paths.size()) throw;
        throw RequestError(request.paths[j] + p.substr(close + 1), e.problem());
    }
    std::vector<SideVerdict> out;
    out.reserve(probs.size());
    for (const auto& text : probs) {
        std::vector<std::vector<double>> values;
        values.reserve(text.size());
        for (const auto& task : text)
            values.emplace_back(task.probabilities.begin(), task.probabilities.end());
        out.push_back(judge_side(side, values));
    }
    return out;
}

// `single`: moderate()'s naming ("prompt", "response") instead of "inputs[i].prompt".
std::vector<ModerationResult> run(const Model& model, const ModerationPolicy& policy,
                                  const std::vector<ModerationInput>& inputs, size_t batch_size,
                                  bool single, const ModerationWindows& windows) {
    if (batch_size == 0) throw RequestError("batch_size", "batch_size must be at least 1");
    check_policy(policy, "policy");
    SideRequest prompts;
    SideRequest responses;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const ModerationInput& in = inputs[i];
        const std::string item = single ? std::string() : index_path("inputs", i);
        const std::string prompt_path = single ? "prompt" : key_path(item, "prompt");
        const std::string response_path = single ? "response" : key_path(item, "response");
        if (!in.prompt && !in.response) {
            throw RequestError(item, "nothing to moderate: give a prompt, a response or both");
        }
        if (in.prompt) check_text(*in.prompt, prompt_path);
        if (in.response) check_text(*in.response, response_path);
        if (in.prompt) {
            if (policy.prompt.tasks.empty()) {
                throw RequestError(prompt_path, "the policy has no prompt-side tasks");
            }
            if (prompts.texts.empty()) check_trained_for(model, policy.prompt, prompt_path);
            prompts.texts.push_back(*in.prompt);
            prompts.owners.push_back(i);
            prompts.paths.push_back(prompt_path);
        }
        if (in.response) {
            if (policy.response.tasks.empty()) {
                throw RequestError(response_path, "the policy has no response-side tasks");
            }
            if (responses.texts.empty()) check_trained_for(model, policy.response, response_path);
            responses.texts.push_back(response_side_text(in.prompt, *in.response));
            responses.owners.push_back(i);
            responses.paths.push_back(response_path);
        }
    }
    std::vector<ModerationResult> results(inputs.size());
    auto prompt_verdicts = run_side(model, policy.prompt, prompts, batch_size, windows);
    for (size_t j = 0; j < prompt_verdicts.size(); ++j)
        results[prompts.owners[j]].prompt = std::move(prompt_verdicts[j]);
    auto response_verdicts = run_side(model, policy.response, responses, batch_size, windows);
    for (size_t j = 0; j < response_verdicts.size(); ++j)
        results[responses.owners[j]].response = std::move(response_verdicts[j]);
    for (auto& r : results) {
        r.unsafe = (r.prompt && r.prompt->unsafe) || (r.response && r.response->unsafe);
    }
    return results;
}

}  // namespace

void check_trained_for(const Model& model, const ModerationSide& side, const std::string& path) {
    const std::optional<TrainedTasks>& trained = model.trained_tasks();
    if (!trained) return;
    for (const ModerationTask& task : side.tasks) {
        if (trained->classification_tasks.count(task.task.task)) continue;
        std::string known;
        for (const std::string& name : trained->classification_tasks)
            known += (known.empty() ? "" : ", ") + name;
        throw RequestError(path, "the model in " + model.directory() +
                                     " was not trained for the moderation task '" + task.task.task +
                                     "' (" + trained->path + " lists " + known +
                                     "), so its verdict would be meaningless; use a model "
                                     "trained for it or a policy without it");
    }
}

std::string response_side_text(std::optional<std::string_view> prompt, std::string_view response) {
    std::string out;
    if (prompt) {
        out += "Prompt: ";
        out += *prompt;
        out += "\n";
    }
    out += "Response: ";
    out += response;
    return out;
}

ModerationResult moderate(const Model& model, const ModerationPolicy& policy,
                          std::optional<std::string_view> prompt,
                          std::optional<std::string_view> response) {
    ModerationInput input;
    if (prompt) input.prompt = std::string(*prompt);
    if (response) input.response = std::string(*response);
    return run(model, policy, {input}, 1, true, {}).front();
}

std::vector<ModerationResult> moderate_batch(const Model& model, const ModerationPolicy& policy,
                                             const std::vector<ModerationInput>& inputs,
                                             size_t batch_size, const ModerationWindows& windows) {
    return run(model, policy, inputs, batch_size, false, windows);
}

}  // namespace spanguard::schemas
