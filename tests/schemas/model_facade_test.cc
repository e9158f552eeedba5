// spanguard::schemas::Model's contract beyond single-request parity (golden_parity_test.cc):
// batches with a schema per item equal one-by-one calls, one Model shared by 8 threads gives the
// sequential results, and bad requests raise RequestError naming the input.
#include <gtest/gtest.h>

#include <thread>

#include "schemas/model.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(ModelFacade);

namespace spanguard::schemas {
namespace {

const Model& parity_model() {
    static const Model model =
        Model::load(spanguard::testing::shared_dir() + "/reference/parity/tiny_count_lstm_v2");
    return model;
}

std::vector<std::string> texts() {
    return {"Tim Cook is the CEO of Apple, based in Cupertino.",
            "Maria García flew from Madrid to Berlin on 3 March 2024 with Lufthansa",
            "",
            "Great product! I love it, but shipping took three weeks and support never answered.",
            "Order #A-1029 for the iPhone 15 Pro costs $999 and ships via @fastship.",
            "ok",
            "Ünïcödé naïve café — 東京で会いましょう 😀 state-of-the-art U.S.A.",
            "Short one.",
            "In 1900 the committee in Geneva met with Dr. Alice Brown of Acme Corp."};
}

std::vector<Schema> mixed_schemas() {
    std::vector<Schema> out;
    out.push_back(schema_from_entity_types(Json::parse(R"(["person", "company"])")));
    out.push_back(schema_from_dict(Json::parse(R"({
        "entities": {"person": {"threshold": 0.7, "dtype": "str"}, "city": "a city"},
        "relations": ["travels_to"]})")));
    out.push_back(schema_from_classification_tasks(Json::parse(R"({"s": ["a", "b"]})")));
    out.push_back(schema_from_structures(Json::parse(
        R"({"review": ["verdict::[good|bad|mixed]::str", "issues::list",
                       "channel::[email|phone]::list"]})")));
    out.push_back(schema_from_structures(Json::parse(R"({"order": [
        {"name": "id", "dtype": "str", "validators": [{"pattern": "[a-z]-\\d+"}]},
        {"name": "price", "dtype": "list", "threshold": 0.6}]})")));
    out.push_back(schema_from_classification_tasks(Json::parse(
        R"({"aspects": {"labels": ["x", "y", "z"], "multi_label": true, "cls_threshold": 0.4}})")));
    out.push_back(schema_from_entity_types(Json::parse(R"(["city", "language", "emoji"])")));
    out.push_back(schema_from_relation_types(Json::parse(R"(["works_for", "located_in"])")));
    out.push_back(schema_from_dict(Json::parse(R"({
        "entities": ["person", "organization"],
        "classifications": [{"task": "topic", "labels": ["business", "sports"]}],
        "structures": {"meeting": {"fields": ["who::list", "where::str"]}}})")));
    return out;
}

TEST(ModelFacade, BatchWithASchemaPerItemEqualsOneByOne) {
    const Model& model = parity_model();
    const auto t = texts();
    const auto s = mixed_schemas();
    ExtractOptions options;
    options.include_confidence = true;
    options.include_spans = true;
    std::vector<Json> single;
    for (size_t i = 0; i < t.size(); ++i)
        single.push_back(model.extract(t[i], s[i], options));
    // batch_size 4: three encoder calls with different padding per call.
    for (size_t batch_size : {size_t{4}, size_t{8}, size_t{1}}) {
        options.batch_size = batch_size;
        const auto batched = model.extract_batch(t, s, options);
        ASSERT_EQ(batched.size(), t.size());
        for (size_t i = 0; i < t.size(); ++i) {
            EXPECT_EQ(batched[i], single[i]) << "batch_size " << batch_size << " item " << i;
        }
    }
    // The single-schema overload gives the same as a list of copies.
    options.batch_size = 8;
    const auto one_schema = model.extract_batch(t, s[0], options);
    const auto copies = model.extract_batch(t, std::vector<Schema>(t.size(), s[0]), options);
    EXPECT_EQ(one_schema, copies);
}

TEST(ModelFacade, SharedBetweenEightThreads) {
    const Model& model = parity_model();
    const auto t = texts();
    const auto s = mixed_schemas();
    ExtractOptions options;
    options.include_confidence = true;
    std::vector<Json> expected;
    for (size_t i = 0; i < t.size(); ++i)
        expected.push_back(model.extract(t[i], s[i], options));

    constexpr int kThreads = 8;
    std::vector<std::vector<Json>> got(kThreads);
    std::vector<std::thread> threads;
    for (int k = 0; k < kThreads; ++k) {
        threads.emplace_back([&, k] {
            // Each thread walks the items from another starting point, twice.
            for (size_t round = 0; round < 2 * t.size(); ++round) {
                const size_t i = (round + static_cast<size_t>(k)) % t.size();
                got[k].push_back(model.extract(t[i], s[i], options));
            }
        });
    }
    for (auto& th : threads)
        th.join();
    for (int k = 0; k < kThreads; ++k) {
        for (size_t round = 0; round < got[k].size(); ++round) {
            const size_t i = (round + static_cast<size_t>(k)) % t.size();
            EXPECT_EQ(got[k][round], expected[i]) << "thread " << k << " item " << i;
        }
    }
}

TEST(ModelFacade, LongTextOfOneWindowKeepsSingleTextShapes) {
    // A text shorter than a window runs as one window; its merged entity lists are in positional
    // order (GLINER2.md §4.7), unlike the single-pass list, but hold the same items.
    const Model& model = parity_model();
    const Schema schema = schema_from_entity_types(Json::parse(R"(["person", "company"])"));
    ExtractOptions options;
    options.include_confidence = true;
    options.include_spans = true;
    LongTextOptions long_options;
    long_options.include_confidence = true;
    long_options.include_spans = true;
    const std::string text = "Tim Cook is the CEO of Apple, based in Cupertino.";
    const Json single = model.extract(text, schema, options);
    const Json windowed = model.extract_long(text, schema, long_options);
    for (const auto& type : {"person", "company"}) {
        std::vector<Json> a(single["entities"][type].begin(), single["entities"][type].end());
        std::vector<Json> b(windowed["entities"][type].begin(), windowed["entities"][type].end());
        const auto by_position = [](const Json& x, const Json& y) {
            return x["start"].get<size_t>() < y["start"].get<size_t>();
        };
        std::sort(a.begin(), a.end(), by_position);
        EXPECT_TRUE(std::is_sorted(b.begin(), b.end(), by_position));
        EXPECT_EQ(a, b) << type;
    }
    // Plain output of the long call: strings.
    const Json plain = model.extract_long(text, schema);
    ASSERT_FALSE(plain["entities"]["person"].empty());
    EXPECT_TRUE(plain["entities"]["person"][0].is_string());
}

template <typename F>
std::string request_error_of(F&& f) {
    try {
        f();
    } catch (const RequestError& e) {
        return e.what();
    }
    return "(no RequestError)";
}

TEST(ModelFacade, BadRequestsNameTheInput) {
    const Model& model = parity_model();
    const Schema schema = schema_from_entity_types(Json::parse(R"(["person"])"));
    const std::vector<std::string> bad_utf8 = {"fine", std::string("bad \xff byte")};
    EXPECT_EQ(request_error_of([&] { model.extract_batch(bad_utf8, schema); }),
              "texts[1]: invalid UTF-8 at byte offset 4");
    EXPECT_EQ(request_error_of([&] { model.extract_batch(bad_utf8, std::vector<Schema>{schema}); }),
              "schemas: 1 schemas for 2 texts");
    ExtractOptions options;
    options.threshold = 1.5;
    EXPECT_NE(request_error_of([&] { model.extract("x", schema, options); }).find("threshold"),
              std::string::npos);
    options = {};
    options.max_len = 0;
    EXPECT_EQ(request_error_of([&] { model.extract("x", schema, options); }),
              "max_len: max_len must be at least 1");
    options = {};
    options.batch_size = 0;
    EXPECT_EQ(request_error_of([&] { model.extract_batch({"x"}, schema, options); }),
              "batch_size: batch_size must be at least 1");
    const Schema bad_regex = schema_from_structures(
        Json::parse(R"({"order": [{"name": "id", "validators": [{"pattern": "(unclosed"}]}]})"));
    EXPECT_EQ(request_error_of([&] { model.extract("x", bad_regex); })
                  .rfind("structures.order.id.validators[0].pattern: invalid regex pattern "
                         "'(unclosed'",
                         0),
              0u);
    LongTextOptions long_options;
    long_options.chunk_overlap = long_options.chunk_size;
    EXPECT_EQ(request_error_of([&] { model.extract_long("x", schema, long_options); }),
              "chunk_overlap: chunk_overlap must be smaller than chunk_size");
}

TEST(ModelFacade, LoadErrorsNameTheFile) {
    try {
        Model::load("/nonexistent/checkpoint");
        FAIL() << "no error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/checkpoint"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace spanguard::schemas
