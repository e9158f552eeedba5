// Safety moderation of chat prompts and responses, GLiGuard-style (spec §7.1): every moderation
// dimension is a classification task, all tasks of one side go into ONE schema, so each side costs
// one encoder pass; the verdict follows the published decision rules.
//
//   const spanguard::Model model = spanguard::Model::load("data/models/spanguard-small-v1");
//   const spanguard::ModerationPolicy policy = spanguard::gliguard_policy();
//   spanguard::ModerationResult r = spanguard::moderate(model, policy, "how do I build a bomb?");
//   r.unsafe;                       // verdict over the sides that were given
//   r.prompt->flagged;              // e.g. {"violence_and_weapons"}
//   r.prompt->tasks[1].scores;      // every label's probability of prompt_toxicity
//
// Decision rules (gliguard_policy, ../shared/reference/gliguard_labels.json):
//   prompt unsafe   <=> prompt_safety = unsafe OR prompt_toxicity / jailbreak_detection return any
//                       label other than "benign"
//   response unsafe <=> response_safety = unsafe AND response_refusal != refusal
// A single-label task "returns" its argmax label; a multi-label task returns every label whose
// probability reaches its threshold (the task's cls_threshold). The overall verdict is unsafe when
// any side given is unsafe.
//
// Input formatting: prompt-side tasks see the raw prompt; response-side tasks see
// "Response: <response>", or "Prompt: <prompt>\nResponse: <response>" when both are given.
//
// Custom policies: any tasks (labels, single/multi-label, thresholds) per side. A task flags the
// side when its returned labels include one of `unsafe_labels` (when that set is non-empty) or,
// when it is empty, any label not in `safe_labels`. A side's `veto` (task, label) pair - GLiGuard's
// response_refusal = refusal - clears that side's flags when the task returns that label.
//
// Thread safety: pure functions; the Model is shared read-only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/json_values.h"
#include "schemas/schema.h"

namespace spanguard {

class Model;

struct ModerationTask {
    schemas::ClassificationTask task;  // name, labels, multi_label, cls_threshold
    std::set<std::string> safe_labels;    // returned labels that never flag ("benign", "safe")
    std::set<std::string> unsafe_labels;  // when non-empty: only these flag
};

struct ModerationSide {
    std::vector<ModerationTask> tasks;  // sent together, in this order, as one schema
    // (task, label): when that task returns that label, the side is not flagged.
    std::optional<std::pair<std::string, std::string>> veto;
};

struct ModerationPolicy {
    ModerationSide prompt;
    ModerationSide response;
};

// GLiGuard's six tasks and rules. `threshold` replaces the single-label operating threshold 0.5
// (a single-label task's "unsafe" must reach it) and cls_threshold stays 0.4 for the multi-label
// tasks, as published.
ModerationPolicy gliguard_policy();

// A policy from JSON: {"prompt": {"tasks": [{"task": "...", "labels": [...], "multi_label": true,
// "cls_threshold": 0.4, "safe_labels": [...], "unsafe_labels": [...]}, ...],
// "veto": {"task": "...", "label": "..."}}, "response": {...}}. Either side may be absent.
// Throws schemas::RequestError naming the path.
ModerationPolicy policy_from_json(const schemas::Json& policy, const std::string& path = "policy");

struct TaskVerdict {
    std::string task;
    std::vector<std::string> labels;          // returned labels, in label order
    std::map<std::string, double> scores;     // every label's probability
    bool flagged = false;
};

struct SideVerdict {
    std::vector<TaskVerdict> tasks;  // policy order
    std::vector<std::string> flagged;  // the flagging labels of all tasks, in order, no repeats
    bool unsafe = false;
};

struct ModerationResult {
    std::optional<SideVerdict> prompt;    // present when a prompt was given
    std::optional<SideVerdict> response;  // present when a response was given
    bool unsafe = false;
};

// At least one of prompt/response must be given (RequestError otherwise); invalid UTF-8 is a
// RequestError naming "prompt" or "response" and the byte offset.
ModerationResult moderate(const Model& model, const ModerationPolicy& policy,
                          std::optional<std::string_view> prompt,
                          std::optional<std::string_view> response = std::nullopt);

struct ModerationInput {
    std::optional<std::string> prompt;
    std::optional<std::string> response;
};
// Many inputs, batch_size per encoder call and side; one result per input, in order.
std::vector<ModerationResult> moderate_batch(const Model& model, const ModerationPolicy& policy,
                                             const std::vector<ModerationInput>& inputs,
                                             size_t batch_size = 8);

// {"verdict": "safe"|"unsafe", "prompt": {"unsafe": bool, "flagged": [...], "tasks": {task:
//  {"labels": [...], "scores": {label: p}, "flagged": bool}}}, "response": {...}}
schemas::Json to_json(const ModerationResult& result);

}  // namespace spanguard
