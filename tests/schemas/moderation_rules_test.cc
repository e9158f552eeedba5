// The moderation decision rules on synthetic probabilities (no model): which labels a task returns
// (multi-label thresholds, single-label operating threshold, ties), which flag (safe_labels /
// unsafe_labels), the veto, and GLiGuard's published prompt and response rules.
#include <gtest/gtest.h>

#include <cmath>

#include "schemas/moderation/moderation.h"

namespace spanguard::schemas {
namespace {

using Probs = std::vector<std::vector<double>>;
using Labels = std::vector<std::string>;

ModerationTask task(const std::string& name, const Labels& labels, bool multi_label,
                    double threshold, std::set<std::string> safe = {},
                    std::set<std::string> unsafe = {}) {
    ModerationTask t;
    t.task.task = name;
    for (const auto& l : labels)
        t.task.labels.push_back({l, std::nullopt});
    t.task.multi_label = multi_label;
    t.task.cls_threshold = threshold;
    t.safe_labels = std::move(safe);
    t.unsafe_labels = std::move(unsafe);
    return t;
}

ModerationSide side_of(std::vector<ModerationTask> tasks) {
    ModerationSide s;
    s.tasks = std::move(tasks);
    return s;
}

TEST(ModerationRules, MultiLabelReturnsEveryLabelReachingItsThreshold) {
    const ModerationSide s =
        side_of({task("harm", {"hate", "threat", "none"}, true, 0.4, {"none"})});
    // Inclusive: exactly 0.4 passes, the next double below does not.
    SideVerdict v = judge_side(s, Probs{{0.4, std::nextafter(0.4, 0.0), 0.9}});
    ASSERT_EQ(v.tasks.size(), 1u);
    EXPECT_EQ(v.tasks[0].labels, (Labels{"hate", "none"}));
    EXPECT_TRUE(v.tasks[0].flagged);
    EXPECT_EQ(v.flagged, Labels{"hate"});
    EXPECT_TRUE(v.unsafe);
    // Every probability is reported, whatever was returned.
    EXPECT_EQ(v.tasks[0].scores.size(), 3u);
    EXPECT_EQ(v.tasks[0].scores.at("threat"), std::nextafter(0.4, 0.0));
    EXPECT_EQ(v.tasks[0].label_order, (Labels{"hate", "threat", "none"}));

    // Only safe labels returned: not flagged.
    v = judge_side(s, Probs{{0.1, 0.2, 0.95}});
    EXPECT_EQ(v.tasks[0].labels, Labels{"none"});
    EXPECT_FALSE(v.tasks[0].flagged);
    EXPECT_FALSE(v.unsafe);
    EXPECT_TRUE(v.flagged.empty());

    // Nothing reaches the threshold: nothing is returned (no best-label fallback).
    v = judge_side(s, Probs{{0.39, 0.2, 0.1}});
    EXPECT_TRUE(v.tasks[0].labels.empty());
    EXPECT_FALSE(v.unsafe);
}

TEST(ModerationRules, SingleLabelFlaggingLabelMustReachTheThreshold) {
    const auto verdict = [](double threshold, double p_unsafe) {
        const ModerationSide s =
            side_of({task("safety", {"safe", "unsafe"}, false, threshold, {}, {"unsafe"})});
        return judge_side(s, Probs{{1.0 - p_unsafe, p_unsafe}});
    };
    // At 0.5 this is the argmax...
    EXPECT_EQ(verdict(0.5, 0.7).tasks[0].labels, Labels{"unsafe"});
    EXPECT_EQ(verdict(0.5, 0.3).tasks[0].labels, Labels{"safe"});
    // ...except at an exact tie, where "unsafe" reaches the operating threshold.
    EXPECT_EQ(verdict(0.5, 0.5).tasks[0].labels, Labels{"unsafe"});
    EXPECT_TRUE(verdict(0.5, 0.5).unsafe);
    // The threshold moves the operating point both ways.
    EXPECT_TRUE(verdict(0.3, 0.35).unsafe);
    EXPECT_EQ(verdict(0.3, 0.35).tasks[0].labels, Labels{"unsafe"});
    EXPECT_FALSE(verdict(0.7, 0.65).unsafe);
    EXPECT_EQ(verdict(0.7, 0.65).tasks[0].labels, Labels{"safe"});
    EXPECT_TRUE(verdict(0.7, 0.7).unsafe);
}

TEST(ModerationRules, SingleLabelWithSeveralLabels) {
    // Two flagging labels: the more probable one, if it reaches the threshold.
    ModerationSide s = side_of({task("topic", {"none", "hate", "threat"}, false, 0.3, {"none"})});
    SideVerdict v = judge_side(s, Probs{{0.36, 0.31, 0.33}});
    EXPECT_EQ(v.tasks[0].labels, Labels{"threat"});
    EXPECT_EQ(v.flagged, Labels{"threat"});
    // No flagging label reaches it: the best other label, although a flagging one is the argmax.
    s.tasks[0].task.cls_threshold = 0.5;
    v = judge_side(s, Probs{{0.2, 0.45, 0.35}});
    EXPECT_EQ(v.tasks[0].labels, Labels{"none"});
    EXPECT_FALSE(v.unsafe);
    // Every label flags and none reaches the threshold: nothing returned.
    s = side_of({task("kind", {"hate", "threat"}, false, 0.6)});
    v = judge_side(s, Probs{{0.55, 0.45}});
    EXPECT_TRUE(v.tasks[0].labels.empty());
    EXPECT_FALSE(v.unsafe);
    // No label flags: the plain argmax, first on ties, whatever the threshold.
    s = side_of(
        {task("refusal", {"refusal", "compliance"}, false, 0.9, {"refusal", "compliance"})});
    EXPECT_EQ(judge_side(s, Probs{{0.5, 0.5}}).tasks[0].labels, Labels{"refusal"});
    EXPECT_EQ(judge_side(s, Probs{{0.4, 0.6}}).tasks[0].labels, Labels{"compliance"});
    EXPECT_FALSE(judge_side(s, Probs{{0.4, 0.6}}).unsafe);
}

TEST(ModerationRules, UnsafeLabelsTakePrecedenceOverSafeLabels) {
    // With unsafe_labels given, only they flag: "spam" is returned but harmless.
    const ModerationSide s =
        side_of({task("kind", {"spam", "hate", "none"}, true, 0.5, {}, {"hate"})});
    SideVerdict v = judge_side(s, Probs{{0.9, 0.1, 0.2}});
    EXPECT_EQ(v.tasks[0].labels, Labels{"spam"});
    EXPECT_FALSE(v.unsafe);
    v = judge_side(s, Probs{{0.9, 0.8, 0.2}});
    EXPECT_EQ(v.flagged, Labels{"hate"});
    EXPECT_TRUE(v.unsafe);
}

TEST(ModerationRules, FlaggedListsLabelsInTaskOrderWithoutRepeats) {
    const ModerationSide s = side_of(
        {task("a", {"other", "x", "ok"}, true, 0.5, {"ok"}), task("b", {"y", "other"}, true, 0.5)});
    const SideVerdict v = judge_side(s, Probs{{0.9, 0.8, 0.9}, {0.7, 0.6}});
    EXPECT_EQ(v.flagged, (Labels{"other", "x", "y"}));
    EXPECT_TRUE(v.tasks[0].flagged);
    EXPECT_TRUE(v.tasks[1].flagged);
}

TEST(ModerationRules, VetoClearsTheSideButTasksKeepTheirFlags) {
    ModerationSide s = side_of(
        {task("safety", {"safe", "unsafe"}, false, 0.5, {"safe"}),
         task("refusal", {"refusal", "compliance"}, false, 0.5, {"refusal", "compliance"})});
    s.veto = std::make_pair(std::string("refusal"), std::string("refusal"));
    SideVerdict v = judge_side(s, Probs{{0.1, 0.9}, {0.8, 0.2}});
    EXPECT_TRUE(v.vetoed);
    EXPECT_FALSE(v.unsafe);
    EXPECT_TRUE(v.flagged.empty());
    EXPECT_TRUE(v.tasks[0].flagged);
    // The veto label not returned: no veto.
    v = judge_side(s, Probs{{0.1, 0.9}, {0.2, 0.8}});
    EXPECT_FALSE(v.vetoed);
    EXPECT_TRUE(v.unsafe);
    EXPECT_EQ(v.flagged, Labels{"unsafe"});
}

TEST(ModerationRules, ShapeMismatchIsAnError) {
    const ModerationSide s = side_of({task("a", {"x", "y"}, true, 0.5)});
    EXPECT_THROW(judge_side(s, Probs{}), std::invalid_argument);
    EXPECT_THROW(judge_side(s, Probs{{0.1}}), std::invalid_argument);
    EXPECT_THROW(judge_side(s, Probs{{0.1, 0.2}, {0.3}}), std::invalid_argument);
}

// GLiGuard's published rules, label by label.
class GliguardRules : public ::testing::Test {
  protected:
    const ModerationPolicy policy = gliguard_policy();

    // probabilities with `high` labels at 0.9 and every other at 0.05 (single-label tasks: the
    // named label at 0.9, the other at 0.1).
    Probs probs(const ModerationSide& side, const std::set<std::string>& high) const {
        Probs out;
        for (const auto& t : side.tasks) {
            std::vector<double> p;
            for (const auto& l : t.task.labels) {
                const bool on = high.count(t.task.task + ":" + l.name) != 0;
                p.push_back(on ? 0.9 : (t.task.multi_label ? 0.05 : 0.1));
            }
            out.push_back(p);
        }
        return out;
    }
    SideVerdict prompt(const std::set<std::string>& high) const {
        return judge_side(policy.prompt, probs(policy.prompt, high));
    }
    SideVerdict response(const std::set<std::string>& high) const {
        return judge_side(policy.response, probs(policy.response, high));
    }
};

TEST_F(GliguardRules, PromptIsUnsafeOnAnySignal) {
    const std::string benign = "prompt_toxicity:benign";
    const std::string jb_benign = "jailbreak_detection:benign";
    EXPECT_FALSE(prompt({"prompt_safety:safe", benign, jb_benign}).unsafe);
    // prompt_safety alone.
    SideVerdict v = prompt({"prompt_safety:unsafe", benign, jb_benign});
    EXPECT_TRUE(v.unsafe);
    EXPECT_EQ(v.flagged, Labels{"unsafe"});
    // One harm category alone, even beside "benign".
    v = prompt({"prompt_safety:safe", benign, "prompt_toxicity:self_harm_and_suicide", jb_benign});
    EXPECT_TRUE(v.unsafe);
    EXPECT_EQ(v.flagged, Labels{"self_harm_and_suicide"});
    EXPECT_EQ(v.tasks[1].labels, (Labels{"self_harm_and_suicide", "benign"}));
    // One jailbreak strategy alone.
    v = prompt({"prompt_safety:safe", benign, "jailbreak_detection:roleplay_bypass"});
    EXPECT_TRUE(v.unsafe);
    EXPECT_EQ(v.flagged, Labels{"roleplay_bypass"});
    // All three.
    v = prompt(
        {"prompt_safety:unsafe", "prompt_toxicity:other", "jailbreak_detection:prompt_injection"});
    EXPECT_EQ(v.flagged, (Labels{"unsafe", "other", "prompt_injection"}));
    // Nothing returned by the multi-label tasks is not a signal.
    EXPECT_FALSE(prompt({"prompt_safety:safe"}).unsafe);
}

TEST_F(GliguardRules, ResponseIsUnsafeOnlyWhenUnsafeAndNotARefusal) {
    SideVerdict v = response({"response_safety:unsafe", "response_refusal:compliance"});
    EXPECT_TRUE(v.unsafe);
    EXPECT_EQ(v.flagged, Labels{"unsafe"});
    v = response({"response_safety:unsafe", "response_refusal:refusal"});
    EXPECT_FALSE(v.unsafe);
    EXPECT_TRUE(v.vetoed);
    EXPECT_FALSE(response({"response_safety:safe", "response_refusal:compliance"}).unsafe);
    // response_toxicity is reported but the published rule does not read it.
    v = response({"response_safety:safe", "response_toxicity:violence_and_weapons",
                  "response_refusal:compliance"});
    EXPECT_FALSE(v.unsafe);
    EXPECT_EQ(v.tasks[1].labels, Labels{"violence_and_weapons"});
    EXPECT_FALSE(v.tasks[1].flagged);
}

}  // namespace
}  // namespace spanguard::schemas
