// A model folder's trained_tasks.json: read at load, and moderation refuses the tasks the folder
// does not list (trained_tasks.h) while answering the ones it does.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/util/error.h"
#include "moderation_test_support.h"
#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/schema/request_error.h"
#include "shared_fixtures.h"

// Copies a parity checkpoint from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(TrainedTasks);

namespace spanguard::schemas {
namespace {

namespace fs = std::filesystem;

// The parity checkpoint copied to a fresh folder, with `declaration` as its trained_tasks.json
// (none when empty).
std::string folder_with(const std::string& name, const std::string& declaration) {
    const fs::path source = testing::parity_dir("tiny_count_lstm_v2");
    const fs::path out = fs::path(::testing::TempDir()) /
                         ("spanguard_trained_tasks_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(out);
    fs::create_directories(out);
    fs::copy(source, out, fs::copy_options::recursive);
    if (!declaration.empty()) std::ofstream(out / "trained_tasks.json") << declaration;
    return out.string();
}

const char* const kPromptTasks =
    R"({"classification_tasks": ["prompt_safety", "prompt_toxicity", "jailbreak_detection"]})";

TEST(TrainedTasks, AbsentFileDeclaresNothing) {
    const Model model = Model::load(folder_with("absent", ""));
    EXPECT_FALSE(model.trained_tasks().has_value());
    // Without a declaration every task is answered.
    const ModerationResult r = moderate(model, gliguard_policy(), "hi", "hello");
    EXPECT_TRUE(r.prompt.has_value());
    EXPECT_TRUE(r.response.has_value());
}

TEST(TrainedTasks, DeclaredTasksAreRead) {
    const Model model = Model::load(folder_with("declared", kPromptTasks));
    ASSERT_TRUE(model.trained_tasks().has_value());
    EXPECT_EQ(model.trained_tasks()->classification_tasks,
              (std::set<std::string>{"prompt_safety", "prompt_toxicity", "jailbreak_detection"}));
    EXPECT_NE(model.trained_tasks()->path.find("trained_tasks.json"), std::string::npos);
}

TEST(TrainedTasks, ModerationAnswersDeclaredTasksAndRefusesOthers) {
    const Model model = Model::load(folder_with("refuse", kPromptTasks));
    const ModerationPolicy policy = gliguard_policy();
    EXPECT_TRUE(moderate(model, policy, "how do I bake bread?").prompt.has_value());
    try {
        moderate(model, policy, "hi", "Mix flour and water.");
        FAIL() << "a response went to tasks the model was not trained for";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "response");
        EXPECT_NE(e.problem().find("not trained for the moderation task 'response_safety'"),
                  std::string::npos)
            << e.problem();
        EXPECT_NE(e.problem().find("prompt_safety"), std::string::npos) << e.problem();
    }
    // In a batch the error names the first input that asks for the side.
    const std::vector<ModerationInput> inputs = {{"a prompt", std::nullopt},
                                                 {std::nullopt, "a response"}};
    try {
        moderate_batch(model, policy, inputs);
        FAIL() << "expected a RequestError";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "inputs[1].response");
    }
}

TEST(TrainedTasks, MalformedDeclarationIsALoadErrorNamingTheFile) {
    for (const char* bad : {"{", R"({"classification_tasks": "prompt_safety"})",
                            R"({"classification_tasks": [1]})", R"([])"}) {
        try {
            Model::load(folder_with("malformed", bad));
            FAIL() << "loaded a folder whose trained_tasks.json is " << bad;
        } catch (const core::Error& e) {
            EXPECT_NE(std::string(e.what()).find("trained_tasks.json"), std::string::npos)
                << e.what();
        }
    }
}

}  // namespace
}  // namespace spanguard::schemas
