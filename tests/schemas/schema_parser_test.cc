// Request shapes of GLINER2.md §4.7b -> Schema, and the path-naming errors for bad requests.
#include "schemas/schema/schema_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

Json parse(const std::string& text) {
    return Json::parse(text);
}

// The full message of the RequestError that `fn` throws ("" when it does not throw).
template <typename Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const RequestError& e) {
        return e.what();
    }
    return "";
}

TEST(EntityTypes, ListKeepsOrder) {
    Schema s = schema_from_entity_types(parse(R"(["person", "company", "location"])"));
    ASSERT_EQ(s.entities.size(), 3u);
    EXPECT_EQ(s.entities[0].name, "person");
    EXPECT_EQ(s.entities[1].name, "company");
    EXPECT_EQ(s.entities[2].name, "location");
    EXPECT_FALSE(s.entities[0].description);
    EXPECT_FALSE(s.entities[0].threshold);
    EXPECT_EQ(s.entities[0].dtype, ValueType::kList);
    EXPECT_TRUE(s.structures.empty() && s.relations.empty() && s.classifications.empty());
}

TEST(EntityTypes, SingleNameString) {
    Schema s = schema_from_entity_types(parse(R"("person")"));
    ASSERT_EQ(s.entities.size(), 1u);
    EXPECT_EQ(s.entities[0].name, "person");
}

TEST(EntityTypes, DescriptionObjectKeepsInsertionOrderNotSorted) {
    Schema s = schema_from_entity_types(
        parse(R"({"person": "a human being", "city": "a city name", "airline": ""})"));
    ASSERT_EQ(s.entities.size(), 3u);
    EXPECT_EQ(s.entities[0].name, "person");
    EXPECT_EQ(s.entities[1].name, "city");
    EXPECT_EQ(s.entities[2].name, "airline");
    EXPECT_EQ(*s.entities[0].description, "a human being");
    // An empty description is still a description (the reference prints "airline: ").
    ASSERT_TRUE(s.entities[2].description);
    EXPECT_EQ(*s.entities[2].description, "");
}

TEST(EntityTypes, ConfigObjects) {
    Schema s = schema_from_entity_types(parse(
        R"({"person": {"description": "full name", "threshold": 0.7, "dtype": "str"},
            "city": {"threshold": 0.3}, "date": null})"));
    ASSERT_EQ(s.entities.size(), 3u);
    EXPECT_EQ(*s.entities[0].description, "full name");
    EXPECT_DOUBLE_EQ(*s.entities[0].threshold, 0.7);
    EXPECT_EQ(s.entities[0].dtype, ValueType::kStr);
    EXPECT_FALSE(s.entities[1].description);
    EXPECT_DOUBLE_EQ(*s.entities[1].threshold, 0.3);
    EXPECT_EQ(s.entities[1].dtype, ValueType::kList);
    EXPECT_FALSE(s.entities[2].description);
}

TEST(EntityTypes, Errors) {
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"([])")); }),
              "entities: entity type list must not be empty");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"({})")); }),
              "entities: entity type object must not be empty");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"(["person", 3])")); }),
              "entities[1]: entity type must be a string, got a number");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"(["person", "  "])")); }),
              "entities[1]: entity type must not be empty");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"(["a", "b", "a"])")); }),
              "entities[2]: duplicate entity type 'a'");
    EXPECT_EQ(
        error_of([] { schema_from_entity_types(parse(R"({"person": {"threshold": 1.5}})")); }),
        "entities.person.threshold: threshold must be within [0, 1], got 1.5");
    EXPECT_EQ(
        error_of([] { schema_from_entity_types(parse(R"({"person": {"threshold": -0.1}})")); }),
        "entities.person.threshold: threshold must be within [0, 1], got -0.1");
    EXPECT_EQ(
        error_of([] { schema_from_entity_types(parse(R"({"person": {"threshold": "0.5"}})")); }),
        "entities.person.threshold: threshold must be a number, got a string");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"({"person": {"treshold": 0.5}})")); }),
              "entities.person.treshold: unknown key (expected one of: description, threshold, "
              "dtype)");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"({"person": {"dtype": "int"}})")); }),
              "entities.person.dtype: dtype must be \"list\" or \"str\", got \"int\"");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"({"order id": 5})")); }),
              "entities[\"order id\"]: entity type must map to a description string, an object "
              "or null, got a number");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse(R"({"": "x"})")); }),
              "entities[\"\"]: entity type must not be empty");
    EXPECT_EQ(error_of([] { schema_from_entity_types(parse("42")); }),
              "entities: entity types must be a list of names, a name or an object, got a number");
}

TEST(EntityTypes, InvalidUtf8NamesTheOffset) {
    Json types = Json::array({std::string("ok"), std::string("bad\xff")});
    EXPECT_EQ(error_of([&] { schema_from_entity_types(types); }),
              "entities[1]: entity type is not valid UTF-8 (byte offset 3)");
}

TEST(ClassificationTasks, ListForm) {
    Schema s = schema_from_classification_tasks(
        parse(R"({"sentiment": ["positive", "negative", "neutral"], "urgency": ["high", "low"]})"));
    ASSERT_EQ(s.classifications.size(), 2u);
    const auto& t = s.classifications[0];
    EXPECT_EQ(t.task, "sentiment");
    ASSERT_EQ(t.labels.size(), 3u);
    EXPECT_EQ(t.labels[2].name, "neutral");
    EXPECT_FALSE(t.labels[0].description);
    EXPECT_FALSE(t.multi_label);
    EXPECT_DOUBLE_EQ(t.cls_threshold, 0.5);
    EXPECT_EQ(t.activation, ClassActivation::kAuto);
    EXPECT_EQ(s.classifications[1].task, "urgency");
}

TEST(ClassificationTasks, OptionsForm) {
    Schema s = schema_from_classification_tasks(parse(R"({
        "aspects": {"labels": ["shipping", "support"], "multi_label": true, "cls_threshold": 0.4,
                    "class_act": "sigmoid"},
        "intent": {"labels": {"complaint": "the user is unhappy", "praise": "the user is happy"}},
        "tone": {"labels": ["formal", "informal"], "prompt": "writing style",
                 "examples": [["Dear Sir, kindly advise.", "formal"], ["yo", "informal"]]}})"));
    ASSERT_EQ(s.classifications.size(), 3u);
    const auto& aspects = s.classifications[0];
    EXPECT_TRUE(aspects.multi_label);
    EXPECT_DOUBLE_EQ(aspects.cls_threshold, 0.4);
    EXPECT_EQ(aspects.activation, ClassActivation::kSigmoid);
    const auto& intent = s.classifications[1];
    ASSERT_EQ(intent.labels.size(), 2u);
    EXPECT_EQ(intent.labels[0].name, "complaint");
    EXPECT_EQ(*intent.labels[0].description, "the user is unhappy");
    const auto& tone = s.classifications[2];
    EXPECT_EQ(*tone.prompt, "writing style");
    ASSERT_EQ(tone.examples.size(), 2u);
    EXPECT_EQ(tone.examples[0].input, "Dear Sir, kindly advise.");
    EXPECT_EQ(tone.examples[0].output, "formal");
}

TEST(ClassificationTasks, ObjectWithoutLabelsIsALabelDescriptionMap) {
    // The reference hands such an object to the builder as the labels themselves.
    Schema s = schema_from_classification_tasks(
        parse(R"({"intent": {"complaint": "unhappy", "praise": "happy"}})"));
    ASSERT_EQ(s.classifications[0].labels.size(), 2u);
    EXPECT_EQ(s.classifications[0].labels[1].name, "praise");
    EXPECT_EQ(*s.classifications[0].labels[1].description, "happy");
}

TEST(ClassificationTasks, EmptyPromptIsNoPrompt) {
    Schema s =
        schema_from_classification_tasks(parse(R"({"t": {"labels": ["a", "b"], "prompt": ""}})"));
    EXPECT_FALSE(s.classifications[0].prompt);
}

TEST(ClassificationTasks, Errors) {
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"({"sentiment": []})")); }),
              "tasks.sentiment: label list must not be empty");
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"({"s": {"labels": []}})")); }),
              "tasks.s.labels: label list must not be empty");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(parse(R"({"s": ["pos", "neg", "pos"]})"));
              }),
              "tasks.s[2]: duplicate label 'pos'");
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"({"s": ["pos", true]})")); }),
              "tasks.s[1]: label must be a string, got a boolean");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(
                      parse(R"({"aspects": {"labels": ["a"], "mutli_label": true}})"));
              }),
              "tasks.aspects.mutli_label: unknown key (expected one of: labels, multi_label, "
              "cls_threshold, examples, prompt, class_act)");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(
                      parse(R"({"aspects": {"labels": ["a"], "multi_label": "yes"}})"));
              }),
              "tasks.aspects.multi_label: multi_label must be true or false, got a string");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(
                      parse(R"({"aspects": {"labels": ["a"], "cls_threshold": 2}})"));
              }),
              "tasks.aspects.cls_threshold: cls_threshold must be within [0, 1], got 2");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(
                      parse(R"({"t": {"labels": ["a"], "class_act": "sigmod"}})"));
              }),
              "tasks.t.class_act: class_act must be \"auto\", \"sigmoid\" or \"softmax\", got "
              "\"sigmod\"");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(
                      parse(R"({"t": {"labels": ["a"], "examples": [["only input"]]}})"));
              }),
              "tasks.t.examples[0]: example must be an [input, output] pair, got an array of 1 "
              "values");
    EXPECT_EQ(error_of([] {
                  schema_from_classification_tasks(parse(R"({"t": {"multi_label": true}})"));
              }),
              "tasks.t: task options need 'labels' (or give a label -> description object)");
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"({"t": "positive"})")); }),
              "tasks.t: task must map to a list of labels or an options object, got a string");
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"({})")); }),
              "tasks: task object must not be empty");
    EXPECT_EQ(error_of([] { schema_from_classification_tasks(parse(R"(["a"])")); }),
              "tasks: tasks must be an object of task name -> labels or options, got an array");
}

TEST(Structures, StringAndObjectFieldSpecs) {
    Schema s = schema_from_structures(parse(R"({
        "order": ["id::str::the order number", "product::str", "links::list",
                  {"name": "price", "dtype": "str", "threshold": 0.4,
                   "validators": [{"pattern": "^\\$\\d+$", "mode": "partial", "exclude": true,
                                   "case_insensitive": false}]}],
        "review": ["verdict::[good|bad|mixed]::str", "channel::[email | phone]::list"]})"));
    ASSERT_EQ(s.structures.size(), 2u);
    const auto& order = s.structures[0];
    EXPECT_EQ(order.name, "order");
    ASSERT_EQ(order.fields.size(), 4u);
    EXPECT_EQ(order.fields[0].name, "id");
    EXPECT_EQ(order.fields[0].dtype, ValueType::kStr);
    EXPECT_EQ(*order.fields[0].description, "the order number");
    EXPECT_EQ(order.fields[2].dtype, ValueType::kList);
    const auto& price = order.fields[3];
    EXPECT_EQ(price.name, "price");
    EXPECT_DOUBLE_EQ(*price.threshold, 0.4);
    ASSERT_EQ(price.validators.size(), 1u);
    EXPECT_EQ(price.validators[0].pattern, "^\\$\\d+$");
    EXPECT_EQ(price.validators[0].mode, RegexValidator::Mode::kPartial);
    EXPECT_TRUE(price.validators[0].exclude);
    EXPECT_FALSE(price.validators[0].case_insensitive);
    EXPECT_FALSE(order.has_choice_fields());
    const auto& review = s.structures[1];
    EXPECT_TRUE(review.has_choice_fields());
    EXPECT_EQ(review.fields[0].choices, (std::vector<std::string>{"good", "bad", "mixed"}));
    EXPECT_EQ(review.fields[1].choices, (std::vector<std::string>{"email", "phone"}));
    EXPECT_EQ(review.fields[1].dtype, ValueType::kList);
}

TEST(Structures, Errors) {
    EXPECT_EQ(error_of([] { schema_from_structures(parse(R"({"order": []})")); }),
              "structures.order: field list must not be empty");
    EXPECT_EQ(error_of([] { schema_from_structures(parse(R"({"order": ["a", "b::str", "a"]})")); }),
              "structures.order[2]: duplicate field 'a'");
    EXPECT_EQ(error_of([] { schema_from_structures(parse(R"({"order": ["::str"]})")); }),
              "structures.order[0]: field name must not be empty");
    EXPECT_EQ(error_of([] { schema_from_structures(parse(R"({"order": [7]})")); }),
              "structures.order[0]: field spec must be a string or an object, got a number");
    EXPECT_EQ(error_of([] {
                  schema_from_structures(parse(R"({"order": [{"name": "a", "choices": []}]})"));
              }),
              "structures.order[0].choices: choices must contain at least one option");
    EXPECT_EQ(error_of([] {
                  schema_from_structures(parse(R"({"order": [{"name": "a", "kind": "x"}]})"));
              }),
              "structures.order[0].kind: unknown key (expected one of: name, dtype, choices, "
              "description, threshold, validators, cardinality, exclusive)");
    EXPECT_EQ(
        error_of([] {
            schema_from_structures(parse(R"({"o": [{"name": "a", "validators": [{"pattern": "x",
                                                                     "mode": "exact"}]}]})"));
        }),
        "structures.o[0].validators[0].mode: mode must be \"full\" or \"partial\", got "
        "\"exact\"");
    EXPECT_EQ(error_of([] { schema_from_structures(parse(R"({})")); }),
              "structures: structure object must not be empty");
}

TEST(RelationTypes, Shapes) {
    Schema s = schema_from_relation_types(parse(R"(["works_for", "located_in"])"));
    ASSERT_EQ(s.relations.size(), 2u);
    EXPECT_EQ(s.relations[1].name, "located_in");
    s = schema_from_relation_types(
        parse(R"({"works_for": "employment", "founded": {"threshold": 0.8}, "x": null})"));
    ASSERT_EQ(s.relations.size(), 3u);
    EXPECT_EQ(*s.relations[0].description, "employment");
    EXPECT_DOUBLE_EQ(*s.relations[1].threshold, 0.8);
    s = schema_from_relation_types(parse(R"("works_for")"));
    EXPECT_EQ(s.relations[0].name, "works_for");
}

TEST(RelationTypes, Errors) {
    EXPECT_EQ(error_of([] { schema_from_relation_types(parse(R"([])")); }),
              "relations: relation list must not be empty");
    EXPECT_EQ(error_of([] { schema_from_relation_types(parse(R"(["a", "a"])")); }),
              "relations[1]: duplicate relation 'a'");
    EXPECT_EQ(
        error_of([] { schema_from_relation_types(parse(R"({"works_for": {"threshold": 7}})")); }),
        "relations.works_for.threshold: threshold must be within [0, 1], got 7");
    EXPECT_EQ(
        error_of([] { schema_from_relation_types(parse(R"({"works_for": {"dtype": "str"}})")); }),
        "relations.works_for.dtype: unknown key (expected one of: description, threshold)");
}

TEST(SchemaFromDict, CombinedForm) {
    Schema s = schema_from_dict(parse(R"({
        "entities": ["person", "company"],
        "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                              "employer::list"]}},
        "classifications": [{"task": "topic", "labels": ["business", "sports"],
                             "multi_label": true, "cls_threshold": 0.3}],
        "relations": ["works_for"]})"));
    ASSERT_EQ(s.entities.size(), 2u);
    ASSERT_EQ(s.structures.size(), 1u);
    EXPECT_EQ(s.structures[0].fields[0].dtype, ValueType::kStr);
    EXPECT_EQ(s.structures[0].fields[1].name, "employer");
    ASSERT_EQ(s.classifications.size(), 1u);
    EXPECT_EQ(s.classifications[0].task, "topic");
    EXPECT_TRUE(s.classifications[0].multi_label);
    EXPECT_DOUBLE_EQ(s.classifications[0].cls_threshold, 0.3);
    ASSERT_EQ(s.relations.size(), 1u);
}

TEST(SchemaFromDict, RecordOptionsAreCheckedAndAccepted) {
    Schema s = schema_from_dict(parse(
        R"({"structures": {"p": {"fields": [{"name": "a", "cardinality": "one_or_more",
                                              "exclusive": true}],
                                  "mode": "natural", "anchor": "a"}}})"));
    EXPECT_EQ(s.structures[0].fields.size(), 1u);
    EXPECT_EQ(error_of([] {
                  schema_from_dict(parse(
                      R"({"structures": {"p": {"fields": ["a"], "mode": "natural",
                                                "anchor": "b"}}})"));
              }),
              "structures.p.anchor: anchor 'b' is not a declared field");
}

TEST(SchemaFromDict, Errors) {
    EXPECT_EQ(error_of([] {
                  schema_from_dict(parse(R"({"classifications": [{"task": "a", "labels": ["x"]},
                      {"task": "b", "labels": ["x", "y", "z", 4]}]})"));
              }),
              "classifications[1].labels[3]: label must be a string, got a number");
    EXPECT_EQ(error_of([] {
                  schema_from_dict(parse(R"({"classifications": [{"task": "a", "labels": ["x"]},
                      {"task": "a", "labels": ["y"]}]})"));
              }),
              "classifications[1].task: duplicate classification task 'a'");
    EXPECT_EQ(
        error_of([] { schema_from_dict(parse(R"({"classifications": [{"labels": ["x"]}]})")); }),
        "classifications[0]: classification needs 'task'");
    EXPECT_EQ(
        error_of([] {
            schema_from_dict(parse(R"({"classifications": [{"task": "", "labels": ["x"]}]})"));
        }),
        "classifications[0].task: task name must not be empty");
    EXPECT_EQ(error_of([] { schema_from_dict(parse(R"({"entity": ["person"]})")); }),
              "entity: unknown key (expected one of: entities, structures, classifications, "
              "relations)");
    EXPECT_EQ(error_of([] { schema_from_dict(parse(R"({})")); }),
              "schema needs at least one of entities, structures, classifications or relations");
    EXPECT_EQ(error_of([] { schema_from_dict(parse(R"({"entities": null})")); }),
              "schema needs at least one of entities, structures, classifications or relations");
    EXPECT_EQ(error_of([] { schema_from_dict(parse(R"({"structures": {"p": {"field": []}}})")); }),
              "structures.p.field: unknown key (expected one of: fields, mode, anchor, "
              "occurrence_policy)");
    EXPECT_EQ(error_of([] { schema_from_dict(parse(R"([1])")); }),
              "schema must be an object, got an array");
}

TEST(RequestError, CarriesPathAndProblemSeparately) {
    try {
        schema_from_entity_types(parse(R"({"person": {"threshold": 3}})"));
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "entities.person.threshold");
        EXPECT_EQ(e.problem(), "threshold must be within [0, 1], got 3");
    }
}

}  // namespace
}  // namespace spanguard::schemas
