// Moderation policies: the GLiGuard preset against the published task list, policy_from_json and
// check_policy errors (each names the offending value's path), and the schema a side is sent as,
// down to the encoder input ids of the combined prompt-side request (GLINER2.md §2.4).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "schemas/moderation/moderation.h"
#include "schemas/prompt/model_input.h"
#include "schemas/prompt/prompt_builder.h"
#include "schemas/schema/request_error.h"
#include "schemas_test_support.h"
#include "shared_fixtures.h"

namespace spanguard::schemas {
namespace {

Json gliguard_spec() {
    std::ifstream in(spanguard::testing::shared_dir() + "/reference/gliguard_labels.json");
    EXPECT_TRUE(in.good());
    return Json::parse(in);
}

std::vector<std::string> label_names(const schemas::ClassificationTask& task) {
    std::vector<std::string> out;
    for (const auto& l : task.labels)
        out.push_back(l.name);
    return out;
}

// The message of the RequestError `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const RequestError& e) {
        return e.what();
    }
    return "";
}

TEST(ModerationPolicy, GliguardPresetIsThePublishedTaskList) {
    SPANGUARD_SKIP_WITHOUT_SHARED();
    const Json spec = gliguard_spec();
    const ModerationPolicy policy = gliguard_policy();
    std::vector<const ModerationTask*> all;
    for (const auto& t : policy.prompt.tasks)
        all.push_back(&t);
    for (const auto& t : policy.response.tasks)
        all.push_back(&t);
    ASSERT_EQ(all.size(), spec["tasks"].size());
    size_t i = 0;
    for (const auto& [name, cfg] : spec["tasks"].items()) {
        SCOPED_TRACE(name);
        const ModerationTask& t = *all[i++];
        EXPECT_EQ(t.task.task, name);
        const Json labels =
            cfg["labels"].is_string() ? spec[cfg["labels"].get<std::string>()] : cfg["labels"];
        EXPECT_EQ(label_names(t.task), labels.get<std::vector<std::string>>());
        EXPECT_EQ(t.task.multi_label, cfg["multi_label"].get<bool>());
        // Multi-label tasks keep the published 0.4; single-label ones take the operating 0.5.
        EXPECT_EQ(t.task.cls_threshold, cfg.value("cls_threshold", 0.5));
        EXPECT_EQ(t.task.activation, schemas::ClassActivation::kAuto);
    }
    EXPECT_EQ(policy.prompt.tasks[0].unsafe_labels, std::set<std::string>{"unsafe"});
    EXPECT_EQ(policy.prompt.tasks[1].safe_labels, std::set<std::string>{"benign"});
    EXPECT_EQ(policy.prompt.tasks[2].safe_labels, std::set<std::string>{"benign"});
    EXPECT_FALSE(policy.prompt.veto);
    ASSERT_TRUE(policy.response.veto);
    EXPECT_EQ(*policy.response.veto,
              std::make_pair(std::string("response_refusal"), std::string("refusal")));
    EXPECT_NO_THROW(check_policy(policy));
}

TEST(ModerationPolicy, GliguardThresholdMovesOnlyTheSingleLabelTasks) {
    const ModerationPolicy policy = gliguard_policy(0.7);
    for (const auto* side : {&policy.prompt, &policy.response}) {
        for (const auto& t : side->tasks) {
            EXPECT_EQ(t.task.cls_threshold, t.task.multi_label ? 0.4 : 0.7) << t.task.task;
        }
    }
    EXPECT_THROW(gliguard_policy(1.5), std::invalid_argument);
    EXPECT_THROW(gliguard_policy(-0.1), std::invalid_argument);
}

TEST(ModerationPolicy, FromJsonReadsEveryOption) {
    const ModerationPolicy p = policy_from_json(Json::parse(R"({
        "prompt": {"tasks": [
            {"task": "harm", "labels": ["none", "hate", "threat"], "multi_label": true,
             "cls_threshold": 0.3, "safe_labels": ["none"]},
            {"task": "topic", "labels": {"medical": "health questions", "other": ""},
             "unsafe_labels": ["medical"], "class_act": "sigmoid", "prompt": "which topic"}]},
        "response": {"tasks": [{"task": "ok", "labels": ["yes", "no"]}],
                     "veto": {"task": "ok", "label": "yes"}}})"));
    ASSERT_EQ(p.prompt.tasks.size(), 2u);
    const ModerationTask& harm = p.prompt.tasks[0];
    EXPECT_EQ(harm.task.task, "harm");
    EXPECT_EQ(label_names(harm.task), (std::vector<std::string>{"none", "hate", "threat"}));
    EXPECT_TRUE(harm.task.multi_label);
    EXPECT_EQ(harm.task.cls_threshold, 0.3);
    EXPECT_EQ(harm.safe_labels, std::set<std::string>{"none"});
    EXPECT_TRUE(harm.unsafe_labels.empty());
    const ModerationTask& topic = p.prompt.tasks[1];
    EXPECT_FALSE(topic.task.multi_label);
    EXPECT_EQ(topic.task.cls_threshold, 0.5);
    EXPECT_EQ(topic.unsafe_labels, std::set<std::string>{"medical"});
    EXPECT_EQ(topic.task.activation, schemas::ClassActivation::kSigmoid);
    EXPECT_EQ(topic.task.labels[0].description, std::optional<std::string>("health questions"));
    EXPECT_EQ(topic.task.prompt, std::optional<std::string>("which topic"));
    EXPECT_FALSE(p.prompt.veto);
    ASSERT_EQ(p.response.tasks.size(), 1u);
    EXPECT_EQ(p.response.veto, std::make_pair(std::string("ok"), std::string("yes")));

    // Either side may be absent (or null).
    const ModerationPolicy only_response = policy_from_json(Json::parse(
        R"({"prompt": null, "response": {"tasks": [{"task": "a", "labels": ["x"]}]}})"));
    EXPECT_TRUE(only_response.prompt.tasks.empty());
    EXPECT_EQ(only_response.response.tasks.size(), 1u);
}

TEST(ModerationPolicy, FromJsonErrorsNameThePath) {
    const auto err = [](const char* text, const std::string& path = "policy") {
        return error_of([&] { policy_from_json(Json::parse(text), path); });
    };
    EXPECT_EQ(err(R"([1])"),
              "policy: policy must be an object with 'prompt' and/or 'response', got an array");
    EXPECT_EQ(err(R"({})"), "policy: policy needs 'prompt', 'response' or both");
    EXPECT_EQ(err(R"({"promt": {}})", "--policy"),
              "--policy.promt: unknown key (expected one of: prompt, response)");
    EXPECT_EQ(err(R"({"prompt": {"veto": null}})"), "policy.prompt: side needs 'tasks'");
    EXPECT_EQ(err(R"({"prompt": {"tasks": {}}})"),
              "policy.prompt.tasks: tasks must be an array of task objects, got an object");
    EXPECT_EQ(err(R"({"prompt": {"tasks": []}})"), "policy.prompt.tasks: tasks must not be empty");
    EXPECT_EQ(err(R"({"response": {"tasks": ["a"]}})"),
              "policy.response.tasks[0]: task must be an object, got a string");
    // The schema parser's own checks, re-pathed.
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x"]},
                                           {"task": "b", "labels": ["x", "y", 3]}]}})"),
              "policy.prompt.tasks[1].labels[2]: label must be a string, got a number");
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"labels": ["x"]}]}})"),
              "policy.prompt.tasks[0]: classification needs 'task'");
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x"], "cls_threshold": 2}]}})"),
              "policy.prompt.tasks[0].cls_threshold: cls_threshold must be within [0, 1], got 2");
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x"], "safe_label": ["x"]}]}})")
                  .rfind("policy.prompt.tasks[0].safe_label: unknown key (expected one of: task, "
                         "labels, multi_label, cls_threshold, safe_labels, unsafe_labels",
                         0),
              0u);
    // Label sets and the veto must name labels of their task.
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x", "y"],
                                            "safe_labels": ["x", "z"]}]}})"),
              "policy.prompt.tasks[0].safe_labels[1]: 'z' is not a label of task 'a'");
    EXPECT_EQ(
        err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x"], "unsafe_labels": "x"}]}})"),
        "policy.prompt.tasks[0].unsafe_labels: must be an array of labels, got a string");
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x", "y"],
                                            "safe_labels": ["x"], "unsafe_labels": ["x"]}]}})"),
              "policy.prompt.tasks[0]: label 'x' is both a safe and an unsafe label");
    EXPECT_EQ(err(R"({"prompt": {"tasks": [{"task": "a", "labels": ["x"]},
                                           {"task": "a", "labels": ["y"]}]}})"),
              "policy.prompt.tasks[1].task: duplicate task 'a'");
    EXPECT_EQ(err(R"({"response": {"tasks": [{"task": "a", "labels": ["x"]}],
                                   "veto": {"task": "b", "label": "x"}}})"),
              "policy.response.veto.task: veto task 'b' is not a task of this side");
    EXPECT_EQ(err(R"({"response": {"tasks": [{"task": "a", "labels": ["x"]}],
                                   "veto": {"task": "a", "label": "y"}}})"),
              "policy.response.veto.label: 'y' is not a label of task 'a'");
    EXPECT_EQ(err(R"({"response": {"tasks": [{"task": "a", "labels": ["x"]}],
                                   "veto": {"task": "a"}}})"),
              "policy.response.veto: veto needs 'label'");
    EXPECT_EQ(err(R"({"response": {"tasks": [{"task": "a", "labels": ["x"]}], "veto": ["a"]}})"),
              "policy.response.veto: veto must be an object {\"task\": ..., \"label\": ...}, got "
              "an array");
}

TEST(ModerationPolicy, CheckPolicyCatchesPoliciesBuiltInCode) {
    ModerationPolicy p = gliguard_policy();
    p.response.veto->second = "refused";
    EXPECT_EQ(error_of([&] { check_policy(p); }),
              "policy.response.veto.label: 'refused' is not a label of task 'response_refusal'");
    p = gliguard_policy();
    p.prompt.tasks[1].safe_labels.insert("bening");
    EXPECT_EQ(error_of([&] { check_policy(p); }),
              "policy.prompt.tasks[1].safe_labels[1]: 'bening' is not a label of task "
              "'prompt_toxicity'");
    p = gliguard_policy();
    p.prompt.tasks[2].task.task = "prompt_safety";
    EXPECT_EQ(error_of([&] { check_policy(p); }),
              "policy.prompt.tasks[2].task: duplicate task 'prompt_safety'");
    p = gliguard_policy();
    p.response.tasks[0].task.labels.push_back({"safe", std::nullopt});
    EXPECT_EQ(error_of([&] { check_policy(p); }),
              "policy.response.tasks[0].labels[2]: duplicate label 'safe'");
    p = gliguard_policy();
    p.prompt.tasks[0].task.cls_threshold = -1;
    EXPECT_EQ(error_of([&] {
                  check_policy(p, "cfg");
              }).rfind("cfg.prompt.tasks[0].cls_threshold: cls_threshold must be within [0, 1]", 0),
              0u);
    p = gliguard_policy();
    p.prompt.tasks[0].task.labels.clear();
    EXPECT_EQ(error_of([&] { check_policy(p); }),
              "policy.prompt.tasks[0].labels: task needs labels");
}

TEST(ModerationPolicy, ResponseSideTextFollowsThePublishedConvention) {
    EXPECT_EQ(response_side_text(std::nullopt, "Sure."), "Response: Sure.");
    EXPECT_EQ(response_side_text("hi there", "Sure."), "Prompt: hi there\nResponse: Sure.");
    EXPECT_EQ(response_side_text("", ""), "Prompt: \nResponse: ");
}

// Spec §2.4 "GLiGuard combined prompt moderation": the prompt side is ONE request whose prompt is
// three [L] blocks separated by [SEP_STRUCT], then [SEP_TEXT] and the lower-cased prompt words.
TEST(ModerationPolicy, PromptSideIsThreeLabelBlocksInOneInput) {
    const ModerationPolicy policy = gliguard_policy();
    const schemas::Schema schema = side_schema(policy.prompt);
    ASSERT_EQ(schema.classifications.size(), 3u);
    EXPECT_TRUE(schema.entities.empty() && schema.structures.empty() && schema.relations.empty());

    const auto blocks = schemas::build_task_blocks(schema);
    std::vector<std::string> expected = {"(",
                                         "[P]",
                                         "prompt_safety",
                                         "(",
                                         "[L]",
                                         "safe",
                                         "[L]",
                                         "unsafe",
                                         ")",
                                         ")",
                                         "[SEP_STRUCT]",
                                         "(",
                                         "[P]",
                                         "prompt_toxicity",
                                         "("};
    for (const auto& label : policy.prompt.tasks[1].task.labels) {
        expected.push_back("[L]");
        expected.push_back(label.name);
    }
    for (const char* t : {")", ")", "[SEP_STRUCT]", "(", "[P]", "jailbreak_detection", "("})
        expected.push_back(t);
    for (const auto& label : policy.prompt.tasks[2].task.labels) {
        expected.push_back("[L]");
        expected.push_back(label.name);
    }
    for (const char* t : {")", ")", "[SEP_TEXT]", "how", "do", "i", "build", "a", "bomb", "?"})
        expected.push_back(t);
    EXPECT_EQ(schemas::linearize(blocks, {"how", "do", "i", "build", "a", "bomb", "?"}), expected);

    // The encoder input: one sequence, the blocks' marker positions on [P] / [L] ids, exactly two
    // [SEP_STRUCT] (one between consecutive blocks) and one [SEP_TEXT] after the last block.
    const tokenizer::Tokenizer& tok = schemas::testing::parity_tokenizer();
    const schemas::ModelInputBuilder builder(tok);
    const schemas::ModelInput in = builder.build(schema, "How do I build a bomb?");
    const int32_t p_id = *tok.token_to_id("[P]");
    const int32_t l_id = *tok.token_to_id("[L]");
    const int32_t sep_struct = *tok.token_to_id("[SEP_STRUCT]");
    const int32_t sep_text = *tok.token_to_id("[SEP_TEXT]");
    ASSERT_EQ(in.blocks.size(), 3u);
    const std::vector<size_t> children = {2, 15, 12};
    std::vector<size_t> struct_at;
    size_t text_at = 0;
    for (size_t i = 0; i < in.input_ids.size(); ++i) {
        if (in.input_ids[i] == sep_struct) struct_at.push_back(i);
        if (in.input_ids[i] == sep_text) text_at = i;
    }
    ASSERT_EQ(struct_at.size(), 2u);
    EXPECT_EQ(std::count(in.input_ids.begin(), in.input_ids.end(), sep_text), 1);
    for (size_t b = 0; b < 3; ++b) {
        SCOPED_TRACE(b);
        const auto& block = in.blocks[b];
        EXPECT_EQ(block.kind, schemas::TaskKind::kClassification);
        EXPECT_EQ(block.name, policy.prompt.tasks[b].task.task);
        ASSERT_EQ(block.marker_positions.size(), children[b] + 1);
        EXPECT_EQ(in.input_ids[block.marker_positions[0]], p_id);
        for (size_t c = 1; c < block.marker_positions.size(); ++c)
            EXPECT_EQ(in.input_ids[block.marker_positions[c]], l_id);
        // Each block lies between its separators.
        const size_t begin = b == 0 ? 0 : struct_at[b - 1];
        const size_t end = b == 2 ? text_at : struct_at[b];
        EXPECT_GT(block.marker_positions.front(), begin);
        EXPECT_LT(block.marker_positions.back(), end);
    }
    EXPECT_EQ(std::count(in.input_ids.begin(), in.input_ids.end(), l_id), 2 + 15 + 12);
    EXPECT_EQ(std::count(in.input_ids.begin(), in.input_ids.end(), p_id), 3);
    // The text follows [SEP_TEXT]: "how do i build a bomb?" is 7 words (the "?" is its own).
    EXPECT_EQ(in.words.size(), 7u);
    EXPECT_GT(in.text_positions.front(), text_at);
}

}  // namespace
}  // namespace spanguard::schemas
