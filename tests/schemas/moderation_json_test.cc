// to_json: the moderation result's JSON shape (moderation.h), key order included.
#include <gtest/gtest.h>

#include "schemas/moderation/moderation.h"

namespace spanguard::schemas {
namespace {

TaskVerdict task_verdict(const std::string& name, std::vector<std::string> labels,
                         std::vector<std::pair<std::string, double>> scores, bool flagged) {
    TaskVerdict t;
    t.task = name;
    t.labels = std::move(labels);
    for (const auto& [label, p] : scores) {
        t.scores[label] = p;
        t.label_order.push_back(label);
    }
    t.flagged = flagged;
    return t;
}

TEST(ModerationJson, PromptOnlyUnsafe) {
    ModerationResult r;
    SideVerdict prompt;
    prompt.tasks.push_back(
        task_verdict("prompt_safety", {"unsafe"}, {{"safe", 0.25}, {"unsafe", 0.75}}, true));
    prompt.tasks.push_back(task_verdict("prompt_toxicity", {"violence_and_weapons", "benign"},
                                        {{"violence_and_weapons", 0.5}, {"benign", 0.625}}, true));
    prompt.flagged = {"unsafe", "violence_and_weapons"};
    prompt.unsafe = true;
    r.prompt = prompt;
    r.unsafe = true;
    const Json j = to_json(r);
    EXPECT_EQ(j.dump(), Json::parse(R"({
        "verdict": "unsafe",
        "prompt": {"unsafe": true, "flagged": ["unsafe", "violence_and_weapons"], "tasks": {
            "prompt_safety": {"labels": ["unsafe"], "scores": {"safe": 0.25, "unsafe": 0.75},
                              "flagged": true},
            "prompt_toxicity": {"labels": ["violence_and_weapons", "benign"],
                                "scores": {"violence_and_weapons": 0.5, "benign": 0.625},
                                "flagged": true}}}})")
                            .dump());
    EXPECT_FALSE(j.contains("response"));
}

TEST(ModerationJson, ResponseOnlySafeWithEmptyLabelsAndMapOrderFallback) {
    ModerationResult r;
    SideVerdict response;
    TaskVerdict t;
    t.task = "response_toxicity";
    t.scores = {{"other", 0.125}, {"benign", 0.25}};  // no label_order: the map's order
    response.tasks.push_back(t);
    r.response = response;
    const Json j = to_json(r);
    EXPECT_EQ(j.dump(), R"({"verdict":"safe","response":{"unsafe":false,"flagged":[],"tasks":)"
                        R"({"response_toxicity":{"labels":[],"scores":{"benign":0.25,"other":)"
                        R"(0.125},"flagged":false}}}})");
    EXPECT_FALSE(j.contains("prompt"));
}

}  // namespace
}  // namespace spanguard::schemas
