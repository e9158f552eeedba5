// <spanguard/spanguard.h> on the shipped model: typed results carry exactly what the JSON output
// of the same request carries (single pass and windowed), errors arrive as the public types with
// the input named, redaction and moderation agree with the task layer, and a model serves many
// threads.
#include <gtest/gtest.h>
#include <spanguard/spanguard.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard {
namespace {

using schemas::Json;

const std::string kModelDir = std::string(SPANGUARD_SOURCE_DIR) + "/data/models/spanguard-small-v1";

const std::vector<std::string> kTexts = {
    "Maria Lopez emailed maria.lopez@example.com from Madrid on 3 March 2021.",
    "Call John Smith at +1 415 555 0100 about the Acme Corp invoice.",
    "I loved the food but the service at Luigi's in Boston was slow.",
    "",
    "Tim Cook is the CEO of Apple, based in Cupertino, California.",
};

const char* kSchemaJson = R"({
    "entities": {"person": null, "email": "an e-mail address", "location": null,
                 "organization": null},
    "classifications": [{"task": "sentiment", "labels": ["positive", "negative", "neutral"]},
                        {"task": "topics", "labels": ["food", "travel", "business"],
                         "multi_label": true, "cls_threshold": 0.3}],
    "relations": ["works_for", "located_in"],
    "structures": {"contact": {"fields": ["name::str", "email", "kind::[work|private]::str"]}}
})";

class PublicApiTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        model_ = new Model(Model::load(kModelDir));
        internal_ = new schemas::Model(schemas::Model::load(kModelDir));
    }
    static void TearDownTestSuite() {
        delete model_;
        delete internal_;
    }
    static Model* model_;
    static schemas::Model* internal_;
};
Model* PublicApiTest::model_ = nullptr;
schemas::Model* PublicApiTest::internal_ = nullptr;

// The JSON output of the same request rendered from typed results, in the output's shapes
// (confidence and offsets on), so typed and JSON results can be compared field for field.
Json span_json(const std::string& text, double confidence, size_t start, size_t end) {
    Json j = Json::object();
    j["text"] = text;
    j["confidence"] = confidence;
    j["start"] = start;
    j["end"] = end;
    return j;
}

void expect_same(const Extraction& typed, const Json& out, const std::string& where) {
    SCOPED_TRACE(where);
    // Entities: every typed entity is in its type's list, and the counts agree.
    size_t json_entities = 0;
    if (out.contains("entities")) {
        for (const auto& [type, value] : out.at("entities").items()) {
            if (value.is_array()) json_entities += value.size();
            if (value.is_object()) json_entities += 1;
        }
    }
    EXPECT_EQ(typed.entities.size(), json_entities);
    for (const Entity& e : typed.entities) {
        const Json& list = out.at("entities").at(e.label);
        const Json item = span_json(e.text, e.confidence, e.start, e.end);
        const bool found = list.is_array() ? std::find(list.begin(), list.end(), item) != list.end()
                                           : list == item;
        EXPECT_TRUE(found) << e.label << ": " << item.dump() << " not in " << list.dump();
    }
    for (const Classification& c : typed.classifications) {
        const Json& value = out.at(c.task);
        Json labels = Json::array();
        for (const LabelScore& l : c.labels)
            labels.push_back(Json{{"label", l.label}, {"confidence", l.confidence}});
        EXPECT_EQ(value.is_array() ? value : Json::array({value}), labels) << c.task;
    }
    size_t json_relations = 0;
    for (const auto& [name, pairs] : out.at("relation_extraction").items())
        json_relations += pairs.size();
    EXPECT_EQ(typed.relations.size(), json_relations);
    for (const Relation& r : typed.relations) {
        const Json pair =
            Json{{"head", span_json(r.head.text, r.head.confidence, r.head.start, r.head.end)},
                 {"tail", span_json(r.tail.text, r.tail.confidence, r.tail.start, r.tail.end)}};
        const Json& list = out.at("relation_extraction").at(r.relation);
        EXPECT_NE(std::find(list.begin(), list.end(), pair), list.end()) << pair.dump();
    }
    const Json& contacts = out.at("contact");
    ASSERT_EQ(typed.structures.size(), contacts.is_array() ? contacts.size() : 0);
    for (size_t i = 0; i < typed.structures.size(); ++i) {
        const StructureInstance& s = typed.structures[i];
        EXPECT_EQ(s.structure, "contact");
        ASSERT_EQ(s.fields.size(), 3u);
        const Json& instance = contacts.at(i);
        const Json& name = instance.at("name");
        if (s.fields[0].spans.empty()) {
            EXPECT_TRUE(name.is_null());
        } else {
            const Span& n = s.fields[0].spans[0];
            EXPECT_EQ(name, span_json(n.text, n.confidence, n.start, n.end));
        }
        EXPECT_EQ(s.fields[1].spans.size(), instance.at("email").size());
        const Json& kind = instance.at("kind");
        if (s.fields[2].choices.empty()) {
            EXPECT_TRUE(kind.is_null());
        } else {
            EXPECT_EQ(kind.at("text"), s.fields[2].choices[0].label);
        }
    }
}

TEST_F(PublicApiTest, TypedResultsCarryWhatTheJsonOutputCarries) {
    const Schema schema = Schema::from_json(kSchemaJson);
    const schemas::Schema parsed = schemas::schema_from_dict(Json::parse(kSchemaJson));
    ExtractOptions options;
    options.threshold = 0.3;
    const std::vector<Extraction> typed = model_->extract(kTexts, schema, options);
    schemas::ExtractOptions internal;
    internal.threshold = 0.3;
    internal.include_confidence = true;
    internal.include_spans = true;
    const std::vector<Json> json = internal_->extract_batch(kTexts, parsed, internal);
    ASSERT_EQ(typed.size(), kTexts.size());
    size_t found = 0;
    for (size_t i = 0; i < kTexts.size(); ++i) {
        expect_same(typed[i], json[i], "texts[" + std::to_string(i) + "]");
        found += typed[i].entities.size();
    }
    EXPECT_GT(found, 3u);  // the comparison saw real entities
    // One text gives what the batch gave for it.
    const Extraction one = model_->extract(kTexts[0], schema, options);
    ASSERT_EQ(one.entities.size(), typed[0].entities.size());
    for (size_t i = 0; i < one.entities.size(); ++i) {
        EXPECT_EQ(one.entities[i].text, typed[0].entities[i].text);
        EXPECT_EQ(one.entities[i].start, typed[0].entities[i].start);
    }
}

TEST_F(PublicApiTest, WindowedResultsCarryWhatTheMergedJsonCarries) {
    std::string document;
    for (int i = 0; i < 12; ++i)
        document += kTexts[static_cast<size_t>(i) % kTexts.size()] + " ";
    const Schema schema = Schema::from_json(kSchemaJson);
    const schemas::Schema parsed = schemas::schema_from_dict(Json::parse(kSchemaJson));
    ExtractOptions options;
    options.windowed = true;
    options.chunk_size = 24;
    options.chunk_overlap = 6;
    const Extraction typed = model_->extract(document, schema, options);
    schemas::LongTextOptions internal;
    internal.chunk_size = 24;
    internal.chunk_overlap = 6;
    internal.include_confidence = true;
    internal.include_spans = true;
    expect_same(typed, internal_->extract_long(document, parsed, internal), "document");
    EXPECT_GT(typed.entities.size(), 5u);
    for (const Entity& e : typed.entities)
        EXPECT_LE(e.end, document.size());
}

TEST_F(PublicApiTest, BuilderMakesTheSchemaFromJsonMakes) {
    const Schema built = Schema()
                             .entity("person")
                             .entity("email", "an e-mail address")
                             .entities({"location", "organization"})
                             .classification("sentiment", {"positive", "negative", "neutral"})
                             .classification("topics", {"food", "travel", "business"}, true, 0.3)
                             .relation("works_for")
                             .relation("located_in")
                             .structure("contact", {{"name", true, {}, ""},
                                                    {"email", false, {}, ""},
                                                    {"kind", true, {"work", "private"}, ""}});
    const Schema parsed = Schema::from_json(kSchemaJson);
    ExtractOptions options;
    options.threshold = 0.3;
    const std::vector<Extraction> a = model_->extract(kTexts, built, options);
    const std::vector<Extraction> b = model_->extract(kTexts, parsed, options);
    for (size_t i = 0; i < kTexts.size(); ++i) {
        ASSERT_EQ(a[i].entities.size(), b[i].entities.size());
        for (size_t k = 0; k < a[i].entities.size(); ++k) {
            EXPECT_EQ(a[i].entities[k].label, b[i].entities[k].label);
            EXPECT_EQ(a[i].entities[k].text, b[i].entities[k].text);
            EXPECT_EQ(a[i].entities[k].confidence, b[i].entities[k].confidence);
        }
        ASSERT_EQ(a[i].classifications.size(), 2u);
        EXPECT_EQ(a[i].classifications[0].labels[0].label, b[i].classifications[0].labels[0].label);
        EXPECT_EQ(a[i].structures.size(), b[i].structures.size());
    }
    EXPECT_EQ(Schema::from_json(built.to_json()).to_json(), built.to_json());
}

TEST_F(PublicApiTest, ErrorsArePublicTypesNamingTheInput) {
    const Schema schema = Schema().entities({"person"});
    try {
        model_->extract(std::string("ok \xff"), schema);
        FAIL() << "invalid UTF-8 was accepted";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.where(), "text");
        EXPECT_NE(std::string(e.what()).find("byte offset 3"), std::string::npos) << e.what();
    }
    try {
        model_->extract(std::vector<std::string>{"fine", "bad \xc3"}, schema);
        FAIL() << "invalid UTF-8 was accepted";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.where(), "texts[1]");
    }
    try {
        Schema().classification("sentiment", {});
        FAIL() << "a task without labels was accepted";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.where().rfind("schema.classifications[0]", 0), 0u) << e.what();
    }
    EXPECT_THROW(Schema().entity("person").entity("person"), RequestError);
    EXPECT_THROW(Schema::from_json("{\"entities\": [\"a\""), RequestError);
    EXPECT_THROW(Schema::from_json("{\"entites\": [\"a\"]}"), RequestError);
    ExtractOptions bad;
    bad.threshold = 1.5;
    EXPECT_THROW(model_->extract("text", schema, bad), RequestError);
    try {
        Model::load("/nonexistent/model");
        FAIL() << "a missing folder loaded";
    } catch (const LoadError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/model"), std::string::npos) << e.what();
    }
    RedactOptions nothing;
    EXPECT_THROW(model_->redact("Mail jo@x.org", nothing), RequestError);
}

TEST_F(PublicApiTest, RedactionMatchesTheTaskLayer) {
    RedactOptions options;
    options.preset = "common";
    options.operators["EMAIL_ADDRESS"].kind = Operator::Kind::kMask;
    options.operators["EMAIL_ADDRESS"].chars_to_mask = 4;
    options.include_original = true;
    const std::vector<Redaction> typed = model_->redact(kTexts, options);

    schemas::RedactRequest request;
    request.labels = schemas::pii_preset("common");
    request.entity_types = schemas::pii_preset_entity_types("common");
    request.operators["EMAIL_ADDRESS"] = schemas::Operator::mask("*", 4);
    request.include_original = true;
    const std::vector<schemas::RedactionResult> internal =
        schemas::redact_batch(*internal_, kTexts, request);
    ASSERT_EQ(typed.size(), internal.size());
    for (size_t i = 0; i < typed.size(); ++i) {
        EXPECT_EQ(typed[i].text, internal[i].text);
        ASSERT_EQ(typed[i].items.size(), internal[i].items.size());
        for (size_t k = 0; k < typed[i].items.size(); ++k) {
            EXPECT_EQ(typed[i].items[k].entity_type, internal[i].items[k].entity_type);
            EXPECT_EQ(typed[i].items[k].start, internal[i].items[k].start);
            EXPECT_EQ(typed[i].items[k].operator_name, internal[i].items[k].op);
            EXPECT_EQ(typed[i].items[k].original, internal[i].items[k].original);
        }
    }
    EXPECT_EQ(typed[0].text.find("maria.lopez@example.com"), std::string::npos) << typed[0].text;

    RedactOptions encrypt;
    encrypt.entity_types = {"EMAIL_ADDRESS"};
    encrypt.use_model = false;
    encrypt.default_operator.kind = Operator::Kind::kEncrypt;
    encrypt.default_operator.key = std::string(16, 'k');
    const Redaction r = model_->redact("Write to jo@x.org today.", encrypt);
    ASSERT_EQ(r.items.size(), 1u);
    EXPECT_EQ(deanonymize(r.text, r.items, encrypt.default_operator.key),
              "Write to jo@x.org today.");
    EXPECT_THROW(deanonymize(r.text, r.items, std::string(16, 'x')), RequestError);
}

TEST_F(PublicApiTest, ModerationMatchesTheTaskLayer) {
    // The shipped model is trained for the prompt side only (trained_tasks.json).
    const std::vector<ModerationInput> inputs = {
        {"How do I build a bomb?", std::nullopt},
        {"Write me a poem about the sea", std::nullopt},
        {"How do I pick a lock?", std::nullopt},
    };
    const std::vector<Moderation> typed = model_->moderate(inputs);
    std::vector<schemas::ModerationInput> internal_inputs;
    for (const auto& i : inputs)
        internal_inputs.push_back({i.prompt, i.response});
    const auto internal =
        schemas::moderate_batch(*internal_, schemas::gliguard_policy(), internal_inputs);
    ASSERT_EQ(typed.size(), 3u);
    for (size_t i = 0; i < typed.size(); ++i) {
        EXPECT_EQ(typed[i].unsafe, internal[i].unsafe);
        ASSERT_EQ(typed[i].prompt.has_value(), internal[i].prompt.has_value());
        ASSERT_EQ(typed[i].response.has_value(), internal[i].response.has_value());
        if (typed[i].prompt) {
            EXPECT_EQ(typed[i].prompt->flagged, internal[i].prompt->flagged);
            ASSERT_EQ(typed[i].prompt->tasks.size(), internal[i].prompt->tasks.size());
            for (size_t t = 0; t < typed[i].prompt->tasks.size(); ++t) {
                const TaskVerdict& a = typed[i].prompt->tasks[t];
                const schemas::TaskVerdict& b = internal[i].prompt->tasks[t];
                EXPECT_EQ(a.labels, b.labels);
                ASSERT_EQ(a.scores.size(), b.scores.size());
                for (const LabelScore& s : a.scores)
                    EXPECT_EQ(s.confidence, b.scores.at(s.label));
            }
        }
    }
    EXPECT_FALSE(typed[0].response.has_value());
    // A response would go to response-side tasks the model was not trained for: refused, with the
    // input named, as the task layer refuses it.
    try {
        model_->moderate(std::vector<ModerationInput>{
            {"hi", std::nullopt}, {std::nullopt, "Sure, here is how to pick a lock."}});
        FAIL() << "a response reached untrained response-side tasks";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.where(), "inputs[1].response") << e.what();
    }
    EXPECT_THROW(model_->moderate(ModerationInput{}), RequestError);
    try {
        model_->moderate({std::string("bad \xff"), std::nullopt});
        FAIL();
    } catch (const RequestError& e) {
        EXPECT_EQ(e.where(), "prompt") << e.what();
    }
}

TEST_F(PublicApiTest, OneModelServesManyThreads) {
    const Schema schema = Schema::from_json(kSchemaJson);
    const std::vector<Extraction> serial = model_->extract(kTexts, schema);
    std::vector<std::vector<Extraction>> results(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] { results[t] = model_->extract(kTexts, schema); });
    for (auto& th : threads)
        th.join();
    for (const auto& r : results) {
        ASSERT_EQ(r.size(), serial.size());
        for (size_t i = 0; i < r.size(); ++i) {
            ASSERT_EQ(r[i].entities.size(), serial[i].entities.size());
            for (size_t k = 0; k < r[i].entities.size(); ++k)
                EXPECT_EQ(r[i].entities[k].confidence, serial[i].entities[k].confidence);
        }
    }
}

TEST(PublicApiDefaults, DefaultDirectoryFollowsTheEnvironmentThenTheSourceTree) {
    const char* saved = std::getenv("SPANGUARD_MODEL");
    const std::string restore = saved ? saved : "";
    setenv("SPANGUARD_MODEL", "/some/model", 1);
    EXPECT_EQ(Model::default_directory(), "/some/model");
    unsetenv("SPANGUARD_MODEL");
    EXPECT_EQ(Model::default_directory(), kModelDir);
    if (saved) setenv("SPANGUARD_MODEL", restore.c_str(), 1);
    EXPECT_EQ(Model::load_default().directory(), Model::default_directory());
}

}  // namespace
}  // namespace spanguard
