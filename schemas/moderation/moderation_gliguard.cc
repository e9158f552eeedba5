// GLiGuard's published tasks, labels and decision rules (GLINER2.md §7.1;
// ../shared/reference/gliguard_labels.json, which tests/schemas/moderation_policy_test.cc compares
// these lists with).
#include <stdexcept>
#include <string>

#include "schemas/moderation/moderation.h"

namespace spanguard::schemas {
namespace {

// 14 harm categories + benign.
const std::vector<std::string>& toxicity_labels() {
    static const std::vector<std::string> labels = {"violence_and_weapons",
                                                    "non_violent_crime",
                                                    "sexual_content",
                                                    "hate_and_discrimination",
                                                    "self_harm_and_suicide",
                                                    "pii_exposure",
                                                    "misinformation",
                                                    "copyright_violation",
                                                    "child_safety",
                                                    "political_manipulation",
                                                    "unethical_conduct",
                                                    "regulated_advice",
                                                    "privacy_violation",
                                                    "other",
                                                    "benign"};
    return labels;
}

// 11 jailbreak strategies + benign.
const std::vector<std::string>& jailbreak_labels() {
    static const std::vector<std::string> labels = {
        "prompt_injection",     "jailbreak_attempt",          "policy_evasion",
        "instruction_override", "system_prompt_exfiltration", "data_exfiltration",
        "roleplay_bypass",      "hypothetical_bypass",        "obfuscated_attack",
        "multi_step_attack",    "social_engineering",         "benign"};
    return labels;
}

ModerationTask make_task(const std::string& name, const std::vector<std::string>& labels,
                         bool multi_label, double cls_threshold) {
    ModerationTask t;
    t.task.task = name;
    for (const auto& label : labels)
        t.task.labels.push_back({label, std::nullopt});
    t.task.multi_label = multi_label;
    t.task.cls_threshold = cls_threshold;
    return t;
}

// The published multi-label threshold of the toxicity and jailbreak tasks.
constexpr double kMultiLabelThreshold = 0.4;

}  // namespace

ModerationPolicy gliguard_policy(double threshold) {
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        throw std::invalid_argument("gliguard_policy: threshold must be within [0, 1], got " +
                                    std::to_string(threshold));
    }
    ModerationPolicy policy;

    // prompt unsafe <=> prompt_safety = unsafe OR any non-benign toxicity / jailbreak label.
    ModerationTask safety = make_task("prompt_safety", {"safe", "unsafe"}, false, threshold);
    safety.unsafe_labels = {"unsafe"};
    ModerationTask toxicity =
        make_task("prompt_toxicity", toxicity_labels(), true, kMultiLabelThreshold);
    toxicity.safe_labels = {"benign"};
    ModerationTask jailbreak =
        make_task("jailbreak_detection", jailbreak_labels(), true, kMultiLabelThreshold);
    jailbreak.safe_labels = {"benign"};
    policy.prompt.tasks = {safety, toxicity, jailbreak};

    // response unsafe <=> response_safety = unsafe AND response_refusal != refusal. The toxicity
    // task is informational: the published rule does not read it, so none of its labels flags.
    ModerationTask response_safety =
        make_task("response_safety", {"safe", "unsafe"}, false, threshold);
    response_safety.unsafe_labels = {"unsafe"};
    ModerationTask response_toxicity =
        make_task("response_toxicity", toxicity_labels(), true, kMultiLabelThreshold);
    response_toxicity.safe_labels =
        std::set<std::string>(toxicity_labels().begin(), toxicity_labels().end());
    // Never flags either (both labels safe); it only vetoes. Its single-label decision is then
    // the plain argmax whatever the threshold.
    ModerationTask refusal =
        make_task("response_refusal", {"refusal", "compliance"}, false, threshold);
    refusal.safe_labels = {"refusal", "compliance"};
    policy.response.tasks = {response_safety, response_toxicity, refusal};
    policy.response.veto = std::make_pair(std::string("response_refusal"), std::string("refusal"));
    return policy;
}

}  // namespace spanguard::schemas
