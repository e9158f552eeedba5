// Schema -> GLiNER2 token strings: the worked examples of GLINER2.md §2.4.
#include "schemas/prompt/prompt_builder.h"

#include <gtest/gtest.h>

#include <sstream>

#include "schemas/schema/schema_parser.h"

namespace spanguard::schemas {
namespace {

// Tokens joined by single spaces, for readable expectations (no token below contains a space
// except the prompt strings, which are checked separately where that matters).
std::string joined(const std::vector<std::string>& tokens) {
    std::ostringstream out;
    for (size_t i = 0; i < tokens.size(); ++i)
        out << (i ? " " : "") << tokens[i];
    return out.str();
}

std::string linearized(const Schema& schema, const std::vector<std::string>& words) {
    std::vector<std::string> text = build_choice_prefix(schema);
    text.insert(text.end(), words.begin(), words.end());
    return joined(linearize(build_task_blocks(schema), text));
}

const std::vector<std::string> kTimCook = {"tim", "cook", "is", "ceo", "of", "apple", "."};

TEST(PromptBuilder, EntitiesWorkedExample) {
    Schema s = schema_from_entity_types(Json::parse(R"(["person", "company"])"));
    EXPECT_EQ(linearized(s, kTimCook),
              "( [P] entities ( [E] person [E] company ) ) [SEP_TEXT] tim cook is ceo of apple .");
    auto blocks = build_task_blocks(s);
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].kind, TaskKind::kEntities);
    EXPECT_EQ(blocks[0].name, "entities");
    EXPECT_EQ(blocks[0].children, (std::vector<std::string>{"person", "company"}));
}

TEST(PromptBuilder, EntityDescriptionsJoinThePromptString) {
    Schema s =
        schema_from_entity_types(Json::parse(R"({"person": "a human", "company": "a business"})"));
    auto blocks = build_task_blocks(s);
    ASSERT_EQ(blocks[0].tokens.size(), 10u);
    EXPECT_EQ(blocks[0].tokens[2],
              "entities [DESCRIPTION] person: a human [DESCRIPTION] company: a business");
    // Only described children contribute; an empty description still does.
    s = schema_from_entity_types(
        Json::parse(R"({"person": null, "company": "", "city": {"description": "a town"}})"));
    EXPECT_EQ(build_task_blocks(s)[0].tokens[2],
              "entities [DESCRIPTION] company:  [DESCRIPTION] city: a town");
}

TEST(PromptBuilder, ClassificationWorkedExample) {
    Schema s = schema_from_classification_tasks(
        Json::parse(R"({"sentiment": ["positive", "negative", "neutral"]})"));
    EXPECT_EQ(linearized(s, {"great", "."}),
              "( [P] sentiment ( [L] positive [L] negative [L] neutral ) ) [SEP_TEXT] great .");
}

TEST(PromptBuilder, ClassificationPromptDescriptionsAndExamples) {
    Schema s = schema_from_classification_tasks(Json::parse(R"({
        "tone": {"labels": {"formal": "polite", "informal": "casual"}, "prompt": "writing style",
                 "examples": [["Dear Sir, kindly advise.", "formal"], ["meh", "neither"],
                              ["yo what's up", "informal"]]}})"));
    auto blocks = build_task_blocks(s);
    // Descriptions first, then the examples whose output is a label ("neither" is skipped).
    EXPECT_EQ(blocks[0].tokens[2],
              "tone: writing style [DESCRIPTION] formal: polite [DESCRIPTION] informal: casual "
              "[EXAMPLE] Dear Sir, kindly advise. [OUTPUT] formal [EXAMPLE] yo what's up "
              "[OUTPUT] informal");
    EXPECT_EQ(blocks[0].name, "tone");
}

TEST(PromptBuilder, RelationsIgnoreDescriptions) {
    Schema s = schema_from_relation_types(Json::parse(R"({"works_for": "employment"})"));
    EXPECT_EQ(linearized(s, {"x", "."}), "( [P] works_for ( [R] head [R] tail ) ) [SEP_TEXT] x .");
}

TEST(PromptBuilder, CombinedBlockOrderIsStructuresEntitiesRelationsClassifications) {
    // Declared in a different order on purpose: the block order is fixed.
    Schema s = schema_from_dict(Json::parse(R"({
        "classifications": [{"task": "sentiment", "labels": ["positive", "negative"]}],
        "relations": ["works_for"],
        "entities": ["person"],
        "structures": {"product": {"fields": ["name", "price::str::the cost"]}}})"));
    EXPECT_EQ(linearized(s, {"ok", "."}),
              "( [P] product [DESCRIPTION] price: the cost ( [C] name [C] price ) ) [SEP_STRUCT] "
              "( [P] entities ( [E] person ) ) [SEP_STRUCT] "
              "( [P] works_for ( [R] head [R] tail ) ) [SEP_STRUCT] "
              "( [P] sentiment ( [L] positive [L] negative ) ) [SEP_TEXT] ok .");
    auto blocks = build_task_blocks(s);
    ASSERT_EQ(blocks.size(), 4u);
    EXPECT_EQ(blocks[0].kind, TaskKind::kStructure);
    EXPECT_EQ(blocks[1].kind, TaskKind::kEntities);
    EXPECT_EQ(blocks[2].kind, TaskKind::kRelation);
    EXPECT_EQ(blocks[3].kind, TaskKind::kClassification);
}

TEST(PromptBuilder, SeveralTasksOfOneKindKeepSchemaOrder) {
    Schema s = schema_from_relation_types(Json::parse(R"(["works_for", "located_in"])"));
    auto blocks = build_task_blocks(s);
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].name, "works_for");
    EXPECT_EQ(blocks[1].name, "located_in");
    EXPECT_EQ(blocks[1].index, 1u);
}

TEST(PromptBuilder, ChoicePrefix) {
    Schema s = schema_from_structures(Json::parse(R"({
        "review": ["verdict::[good|bad|mixed]::str", "issues::list",
                   "channel::[Email|phone|chat]::list"],
        "plain": ["a"],
        "trip": ["class::[Economy|Business]"]})"));
    EXPECT_EQ(joined(build_choice_prefix(s)),
              "( review: verdict ( good | bad | mixed ) , channel ( Email | phone | chat ) ) "
              "( trip: class ( Economy | Business ) )");
    // The choice fields are also ordinary [C] children of their block.
    EXPECT_EQ(joined(build_task_blocks(s)[0].tokens),
              "( [P] review ( [C] verdict [C] issues [C] channel ) )");
    EXPECT_TRUE(
        build_choice_prefix(schema_from_structures(Json::parse(R"({"p": ["a"]})"))).empty());
}

}  // namespace
}  // namespace spanguard::schemas
