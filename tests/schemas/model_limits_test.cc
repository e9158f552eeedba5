// ModelOptions::limits reach every Model call with a message naming the text or schema.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "schemas/model.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(ModelLimits);

namespace spanguard::schemas {
namespace {

Model load_with(const schemas::RequestLimits& limits) {
    ModelOptions options;
    options.limits = limits;
    return Model::load(spanguard::testing::shared_dir() + "/reference/parity/tiny_count_lstm_v2",
                       options);
}

schemas::Schema entities(const char* json) {
    return schemas::schema_from_dict(schemas::Json::parse(json));
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const schemas::RequestError& e) {
        return e.what();
    }
    return "(no error)";
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

TEST(ModelLimits, TextBytes) {
    schemas::RequestLimits limits;
    limits.max_text_bytes = 20;
    const Model model = load_with(limits);
    const auto schema = entities(R"({"entities": ["person"]})");
    EXPECT_NO_THROW(model.extract("Ada met Bob.", schema));
    const std::string long_text = "Ada met Bob in Paris on Monday.";
    EXPECT_TRUE(starts_with(message_of([&] { model.extract(long_text, schema); }),
                            "text: text is 31 bytes, over the limit of 20"));
    EXPECT_TRUE(starts_with(message_of([&] {
                                model.extract_batch({"ok.", long_text}, schema);
                            }),
                            "texts[1]: text"));
    EXPECT_TRUE(starts_with(message_of([&] { model.extract_long(long_text, schema); }),
                            "text: text is 31 bytes"));
    EXPECT_TRUE(
        starts_with(message_of([&] { model.classification_probabilities({long_text}, schema); }),
                    "texts[0]: text is 31 bytes"));
}

TEST(ModelLimits, SinglePassTokensButNotWindowedCalls) {
    schemas::RequestLimits limits;
    limits.max_sequence_tokens = 40;
    const Model model = load_with(limits);
    const auto schema = entities(R"({"entities": ["person"]})");
    std::string text;
    for (int i = 0; i < 60; ++i)
        text += "word ";
    const std::string m = message_of([&] { model.extract(text, schema); });
    EXPECT_TRUE(starts_with(m, "text: prompt and text are ")) << m;
    EXPECT_NE(m.find("extract_long"), std::string::npos) << m;
    // max_len cuts the text before the check, and the windowed call is bounded by its windows.
    ExtractOptions cut;
    cut.max_len = 10;
    EXPECT_NO_THROW(model.extract(text, schema, cut));
    LongTextOptions windows;
    windows.chunk_size = 16;
    windows.chunk_overlap = 4;
    EXPECT_NO_THROW(model.extract_long(text, schema, windows));
}

TEST(ModelLimits, SchemaEntries) {
    schemas::RequestLimits limits;
    limits.max_schema_entries = 3;
    const Model model = load_with(limits);
    EXPECT_NO_THROW(model.extract("Ada met Bob.", entities(R"({"entities": ["a", "b", "c"]})")));
    const auto big = entities(R"({"entities": ["a", "b", "c", "d"]})");
    EXPECT_TRUE(starts_with(message_of([&] { model.extract("Ada met Bob.", big); }),
                            "schema: schema has 4 entries"));
    EXPECT_TRUE(starts_with(
        message_of([&] {
            model.extract_batch({"x.", "y."}, {entities(R"({"entities": ["a"]})"), big});
        }),
        "schemas[1]: schema has 4 entries"));
}

}  // namespace
}  // namespace spanguard::schemas
