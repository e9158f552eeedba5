#include "schemas/schema/request_limits.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

RequestLimits small_limits() {
    RequestLimits l;
    l.max_text_bytes = 10;
    l.max_sequence_tokens = 100;
    l.max_schema_entries = 5;
    l.max_request_depth = 3;
    return l;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const RequestError& e) {
        return e.what();
    }
    return "";
}

TEST(RequestLimits, TextBytesAtAndOverTheLimit) {
    const RequestLimits l = small_limits();
    EXPECT_NO_THROW(check_text_size("0123456789", l, "text"));
    EXPECT_EQ(message_of([&] { check_text_size("0123456789x", l, "texts[2]"); }),
              "texts[2]: text is 11 bytes, over the limit of 10 (RequestLimits::max_text_bytes)");
}

TEST(RequestLimits, SequenceLengthPointsToTheWindowedCalls) {
    const RequestLimits l = small_limits();
    EXPECT_NO_THROW(check_sequence_length(100, l, "text"));
    const std::string m = message_of([&] { check_sequence_length(1234, l, "text"); });
    EXPECT_NE(m.find("1,234 sub-tokens"), std::string::npos) << m;
    EXPECT_NE(m.find("extract_long"), std::string::npos) << m;
}

TEST(RequestLimits, SchemaEntriesCountEveryPromptEntry) {
    Schema s;
    s.entities = {{"person", {}, {}, ValueType::kList}, {"city", {}, {}, ValueType::kList}};
    ClassificationTask t;
    t.task = "sentiment";
    t.labels = {{"positive", {}}, {"negative", {}}};
    s.classifications.push_back(t);
    EXPECT_EQ(schema_entry_count(s), 5u);
    EXPECT_NO_THROW(check_schema_size(s, small_limits()));
    Structure st;
    st.name = "product";
    StructureField f;
    f.name = "kind";
    f.choices = {"a", "b"};
    st.fields.push_back(f);
    s.structures.push_back(st);
    EXPECT_EQ(schema_entry_count(s), 9u);
    const std::string m = message_of([&] { check_schema_size(s, small_limits(), "--schema"); });
    EXPECT_EQ(m.rfind("--schema: schema has 9 entries", 0), 0u) << m;
}

TEST(RequestLimits, JsonDepthCountsBracketsOutsideStrings) {
    const RequestLimits l = small_limits();
    EXPECT_NO_THROW(check_json_depth(R"({"a": [{"b": 1}]})", l, "--schema"));
    EXPECT_NO_THROW(check_json_depth(R"({"a": "[[[[[[\"[[[["})", l, "--schema"));
    EXPECT_NO_THROW(check_json_depth("[[[]]][[[]]]", l, "--schema"));
    EXPECT_EQ(message_of([&] { check_json_depth("[[[[1]]]]", l, "--schema"); }),
              "--schema: JSON nests deeper than 3 levels at byte offset 3 "
              "(RequestLimits::max_request_depth)");
}

TEST(RequestLimits, DeepNestingIsRejectedWithoutRecursion) {
    // A million levels would overflow the stack of any recursive consumer.
    const std::string deep(1'000'000, '[');
    RequestLimits l;
    EXPECT_THROW(check_json_depth(deep, l, "schema"), RequestError);
}

TEST(RequestLimits, ThousandsSeparators) {
    EXPECT_EQ(with_thousands(0), "0");
    EXPECT_EQ(with_thousands(999), "999");
    EXPECT_EQ(with_thousands(1000), "1,000");
    EXPECT_EQ(with_thousands(16777216), "16,777,216");
}

}  // namespace
}  // namespace spanguard::schemas
