// Safety moderation of chat prompts and responses, GLiGuard-style (GLINER2.md §7.1): every
// moderation
// dimension is a classification task, all tasks of one side go into ONE schema, so each side costs
// one encoder pass; the verdict follows the published decision rules.
//
//   const spanguard::schemas::Model model =
//   spanguard::schemas::Model::load("data/models/spanguard-small-v1"); const
//   spanguard::schemas::ModerationPolicy policy = spanguard::schemas::gliguard_policy();
//   spanguard::schemas::ModerationResult r = spanguard::schemas::moderate(model, policy, "how do I
//   build a bomb?"); r.unsafe;                       // verdict over the sides that were given
//   r.prompt->flagged;              // e.g. {"violence_and_weapons"}
//   r.prompt->tasks[1].scores;      // every label's probability of prompt_toxicity
//
// Decision rules (gliguard_policy, ../shared/reference/gliguard_labels.json):
//   prompt unsafe   <=> prompt_safety = unsafe OR prompt_toxicity / jailbreak_detection return any
//                       label other than "benign"
//   response unsafe <=> response_safety = unsafe AND response_refusal != refusal
// A multi-label task returns every label whose probability reaches its cls_threshold (none when
// no label does: unlike classify_text, moderation has no "best label" fallback, which would
// report a harm category for a prompt whose every label is improbable). A single-label task
// returns one label: its most probable *flagging* label (see custom policies) when that label's
// probability reaches the task's cls_threshold, else its most probable other label (none when
// every label flags). With two labels and cls_threshold 0.5 that is the argmax the reference
// decodes, except at an exact 0.5/0.5 tie, where the flagging label wins ("unsafe" must *reach*
// the operating threshold 0.5); other thresholds move the operating point both ways. Ties
// between labels otherwise go to the first in label order, as torch.argmax does. Probabilities
// are the float32 values extract() decodes (Model::classification_probabilities), compared with
// the double threshold. The overall verdict is unsafe when any side given is unsafe.
//
// Input formatting: prompt-side tasks see the raw prompt; response-side tasks see
// "Response: <response>", or "Prompt: <prompt>\nResponse: <response>" when both are given.
//
// Custom policies: any tasks (labels, single/multi-label, thresholds) per side. A task flags the
// side when its returned labels include one of `unsafe_labels` (when that set is non-empty) or,
// when it is empty, any label not in `safe_labels`. A side's `veto` (task, label) pair - GLiGuard's
// response_refusal = refusal - clears that side's flags when the task returns that label.
// gliguard_policy lists every response_toxicity label as safe: the published response rule reads
// only response_safety and response_refusal (the task's labels and scores are still reported).
//
// Errors: an inconsistent policy (duplicate task, unknown safe/unsafe/veto label, ...) is a
// schemas::RequestError naming it by path ("policy.prompt.tasks[1].safe_labels[0]"), as is bad
// input. Nothing aborts.
//
// Thread safety: pure functions; the Model is shared read-only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

class Model;

struct ModerationTask {
    // name, labels, multi_label, cls_threshold. For a single-label task cls_threshold is the
    // probability a flagging label must reach to be returned (default 0.5, see above).
    schemas::ClassificationTask task;
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
// tasks, as published. Throws std::invalid_argument for a threshold outside [0, 1].
ModerationPolicy gliguard_policy(double threshold = 0.5);

// A policy from JSON: {"prompt": {"tasks": [{"task": "...", "labels": [...], "multi_label": true,
// "cls_threshold": 0.4, "safe_labels": [...], "unsafe_labels": [...]}, ...],
// "veto": {"task": "...", "label": "..."}}, "response": {...}}. Either side may be absent.
// Throws schemas::RequestError naming the path. A task object also takes the classification
// options of schema_parser.h ("examples", "prompt", "class_act"); unknown keys are errors; at least
// one side must be given; safe_labels, unsafe_labels and the veto must name labels of their task.
ModerationPolicy policy_from_json(const schemas::Json& policy, const std::string& path = "policy");

// Checks a policy built in code as policy_from_json checks a parsed one (unique non-empty task
// names, labels, thresholds in [0, 1], safe/unsafe/veto labels that exist, no label both safe and
// unsafe). Throws schemas::RequestError naming e.g. "policy.response.veto.label".
void check_policy(const ModerationPolicy& policy, const std::string& path = "policy");

// The one schema a side is sent as: its tasks as classification tasks, in order.
schemas::Schema side_schema(const ModerationSide& side);

// The text response-side tasks see: "Response: <response>", or "Prompt: <prompt>\nResponse:
// <response>" when a prompt is given.
std::string response_side_text(std::optional<std::string_view> prompt, std::string_view response);

struct TaskVerdict {
    std::string task;
    std::vector<std::string> labels;       // returned labels, in label order
    std::map<std::string, double> scores;  // every label's probability
    bool flagged = false;                  // the returned labels include a flagging one
    std::vector<std::string> label_order;  // every label in task order (to_json's score order)
};

struct SideVerdict {
    std::vector<TaskVerdict> tasks;  // policy order
    // The flagging labels of all tasks, in order, no repeats; empty when vetoed.
    std::vector<std::string> flagged;
    bool unsafe = false;
    // The side's veto task returned the veto label: flags cleared (tasks keep their own flag).
    bool vetoed = false;
};

// The decision rules alone, on given probabilities: probabilities[t][l] is label l's probability
// of side.tasks[t] (task and label order). Throws std::invalid_argument when the shape differs.
// The side is assumed valid (check_policy).
SideVerdict judge_side(const ModerationSide& side,
                       const std::vector<std::vector<double>>& probabilities);

struct ModerationResult {
    std::optional<SideVerdict> prompt;    // present when a prompt was given
    std::optional<SideVerdict> response;  // present when a response was given
    bool unsafe = false;
};

// At least one of prompt/response must be given (RequestError otherwise); invalid UTF-8 is a
// RequestError naming "prompt" or "response" and the byte offset into it. A side given to a
// policy without tasks for it, or an invalid policy (check_policy), is a RequestError too. An
// empty string is a given (empty) text.
ModerationResult moderate(const Model& model, const ModerationPolicy& policy,
                          std::optional<std::string_view> prompt,
                          std::optional<std::string_view> response = std::nullopt);

// A folder that declares its trained tasks (trained_tasks.h) is not asked about others: its
// classification heads would answer them, but the answer would mean nothing. Throws a
// RequestError at `path` naming the first task of `side` the model does not list; does nothing
// for a model without a declaration. moderate() and moderate_batch() call it for every side they
// run; a caller that validates requests before batching them calls it itself.
void check_trained_for(const Model& model, const ModerationSide& side, const std::string& path);

struct ModerationInput {
    std::optional<std::string> prompt;
    std::optional<std::string> response;
};
// Texts longer than the model takes in one pass: with chunk_size > 0 each side's text is split
// into windows of chunk_size words overlapping by chunk_overlap (text_windows.h), every window
// is classified, and each label's probability is its maximum over the windows, so a text is as
// unsafe as its worst window. chunk_size 0 (the default) runs one pass, and a text over the
// model's limit is an error.
struct ModerationWindows {
    size_t chunk_size = 0;
    size_t chunk_overlap = 0;
};

// Many inputs, batch_size per encoder call and side; one result per input, in order; results
// equal moderate()'s. Errors name the input as "inputs[i].prompt" / "inputs[i]".
std::vector<ModerationResult> moderate_batch(const Model& model, const ModerationPolicy& policy,
                                             const std::vector<ModerationInput>& inputs,
                                             size_t batch_size = 8,
                                             const ModerationWindows& windows = {});

// {"verdict": "safe"|"unsafe", "prompt": {"unsafe": bool, "flagged": [...], "tasks": {task:
//  {"labels": [...], "scores": {label: p}, "flagged": bool}}}, "response": {...}}
// A side's key is present only when that side was given; tasks in policy order, scores in label
// order (label_order; the map's order when it is empty).
schemas::Json to_json(const ModerationResult& result);

}  // namespace spanguard::schemas
