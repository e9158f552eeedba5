// Moderation against the project's independent PyTorch reference: every GLiGuard label's
// probability, from moderate() and from Model::classification_probabilities, equals what
// tests/python/make_moderation_goldens.py computed with python/spanguard_reference (max difference
// below 1e-5), and the verdict is the decision rules applied to the reference's probabilities.
//
// By default the golden is tests/schemas/moderation_reference.golden.json on the parity checkpoint
// tiny_count_lstm_v2; tests/python/test_moderation_reference.py reruns this test on a freshly
// generated random checkpoint through SPANGUARD_MODERATION_CHECKPOINT /
// SPANGUARD_MODERATION_GOLDEN.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas_test_support.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(ModerationReference);

namespace spanguard::schemas {
namespace {

constexpr double kTolerance = 1e-5;

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

struct Reference {
    Json golden;
    Model model;
};

const Reference& reference() {
    static const Reference r = [] {
        const std::string golden_path = env_or(
            "SPANGUARD_MODERATION_GOLDEN",
            std::string(SPANGUARD_SOURCE_DIR) + "/tests/schemas/moderation_reference.golden.json");
        std::ifstream in(golden_path);
        if (!in) throw std::runtime_error("cannot read " + golden_path);
        Json golden = Json::parse(in);
        return Reference{std::move(golden),
                         Model::load(env_or("SPANGUARD_MODERATION_CHECKPOINT",
                                            schemas::testing::parity_dir("tiny_count_lstm_v2")))};
    }();
    return r;
}

std::optional<std::string> optional_text(const Json& value) {
    if (value.is_null()) return std::nullopt;
    return value.get<std::string>();
}

// Per task of `side` (policy order), the golden's probabilities.
std::vector<std::vector<double>> golden_probs(const ModerationSide& side, const Json& probs) {
    std::vector<std::vector<double>> out;
    for (const auto& t : side.tasks)
        out.push_back(probs.at(t.task.task).get<std::vector<double>>());
    return out;
}

double compare_side(const SideVerdict& got, const ModerationSide& side, const Json& probs) {
    double worst = 0.0;
    EXPECT_EQ(got.tasks.size(), side.tasks.size());
    for (size_t t = 0; t < side.tasks.size() && t < got.tasks.size(); ++t) {
        const auto& task = side.tasks[t].task;
        const auto expected = probs.at(task.task).get<std::vector<double>>();
        EXPECT_EQ(expected.size(), task.labels.size()) << task.task;
        for (size_t l = 0; l < expected.size() && l < task.labels.size(); ++l) {
            const double diff =
                std::fabs(got.tasks[t].scores.at(task.labels[l].name) - expected[l]);
            worst = std::max(worst, diff);
            EXPECT_LT(diff, kTolerance) << task.task << " " << task.labels[l].name;
        }
    }
    // The verdict is the rules applied to the reference's probabilities.
    const SideVerdict expected = judge_side(side, golden_probs(side, probs));
    EXPECT_EQ(got.flagged, expected.flagged);
    EXPECT_EQ(got.unsafe, expected.unsafe);
    EXPECT_EQ(got.vetoed, expected.vetoed);
    for (size_t t = 0; t < got.tasks.size() && t < expected.tasks.size(); ++t)
        EXPECT_EQ(got.tasks[t].labels, expected.tasks[t].labels) << side.tasks[t].task.task;
    return worst;
}

// The golden's task lists (read from the published gliguard_labels.json) are the preset's.
TEST(ModerationReference, GoldenTasksAreThePresetTasks) {
    const Json& golden = reference().golden;
    const ModerationPolicy policy = gliguard_policy();
    for (const auto& [key, side] : {std::make_pair("prompt_tasks", &policy.prompt),
                                    std::make_pair("response_tasks", &policy.response)}) {
        const Json& tasks = golden.at(key);
        ASSERT_EQ(tasks.size(), side->tasks.size());
        for (size_t t = 0; t < tasks.size(); ++t) {
            const auto& task = side->tasks[t].task;
            EXPECT_EQ(tasks[t].at("task"), task.task);
            EXPECT_EQ(tasks[t].at("multi_label"), task.multi_label);
            ASSERT_EQ(tasks[t].at("labels").size(), task.labels.size());
            for (size_t l = 0; l < task.labels.size(); ++l)
                EXPECT_EQ(tasks[t].at("labels")[l], task.labels[l].name);
        }
    }
}

TEST(ModerationReference, ModerateMatchesTheTorchReference) {
    const Reference& ref = reference();
    const ModerationPolicy policy = gliguard_policy();
    std::vector<ModerationInput> inputs;
    for (const auto& c : ref.golden.at("cases"))
        inputs.push_back({optional_text(c.at("prompt")), optional_text(c.at("response"))});
    const auto results = moderate_batch(ref.model, policy, inputs, 3);
    ASSERT_EQ(results.size(), inputs.size());
    double worst = 0.0;
    size_t sides = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
        SCOPED_TRACE("case " + std::to_string(i));
        const Json& c = ref.golden.at("cases")[i];
        ASSERT_EQ(results[i].prompt.has_value(), c.contains("prompt_side"));
        ASSERT_EQ(results[i].response.has_value(), c.contains("response_side"));
        if (results[i].prompt) {
            worst = std::max(worst,
                             compare_side(*results[i].prompt, policy.prompt, c.at("prompt_side")));
            ++sides;
        }
        if (results[i].response) {
            // The engine formats the response-side text as the generator did.
            EXPECT_EQ(response_side_text(inputs[i].prompt, *inputs[i].response),
                      c.at("response_text").get<std::string>());
            worst = std::max(
                worst, compare_side(*results[i].response, policy.response, c.at("response_side")));
            ++sides;
        }
        EXPECT_EQ(results[i].unsafe, (results[i].prompt && results[i].prompt->unsafe) ||
                                         (results[i].response && results[i].response->unsafe));
    }
    std::printf("[moderation reference] %zu cases, %zu sides, max |p - p_torch| = %.3g\n",
                inputs.size(), sides, worst);
}

TEST(ModerationReference, ClassificationProbabilitiesMatchTheTorchReference) {
    const Reference& ref = reference();
    const ModerationPolicy policy = gliguard_policy();
    std::vector<std::string> prompts;
    std::vector<const Json*> expected;
    for (const auto& c : ref.golden.at("cases")) {
        if (!c.contains("prompt_side")) continue;
        prompts.push_back(c.at("prompt").get<std::string>());
        expected.push_back(&c.at("prompt_side"));
    }
    const auto probs =
        ref.model.classification_probabilities(prompts, side_schema(policy.prompt), 4);
    ASSERT_EQ(probs.size(), prompts.size());
    for (size_t i = 0; i < prompts.size(); ++i) {
        for (const auto& task : probs[i]) {
            const auto want = expected[i]->at(task.task).get<std::vector<double>>();
            ASSERT_EQ(want.size(), task.probabilities.size());
            for (size_t l = 0; l < want.size(); ++l)
                EXPECT_NEAR(task.probabilities[l], want[l], kTolerance) << task.task << " " << l;
        }
    }
}

}  // namespace
}  // namespace spanguard::schemas
