// The `name::part::part` field specs of extract_json, part by part as the reference reads them.
#include "schemas/schema/field_spec.h"

#include <gtest/gtest.h>

#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

using Choices = std::vector<std::string>;

TEST(FieldSpecString, NameOnlyIsAListField) {
    StructureField f = parse_field_spec_string("links", "f");
    EXPECT_EQ(f.name, "links");
    EXPECT_EQ(f.dtype, ValueType::kList);
    EXPECT_TRUE(f.choices.empty());
    EXPECT_FALSE(f.description);
}

TEST(FieldSpecString, DtypeAndDescription) {
    StructureField f = parse_field_spec_string("id::str::the order number", "f");
    EXPECT_EQ(f.name, "id");
    EXPECT_EQ(f.dtype, ValueType::kStr);
    EXPECT_EQ(*f.description, "the order number");
    // Parts may come in any order; a description may hold single colons.
    f = parse_field_spec_string("when::time: HH:MM::list", "f");
    EXPECT_EQ(f.dtype, ValueType::kList);
    EXPECT_EQ(*f.description, "time: HH:MM");
}

TEST(FieldSpecString, ChoicesImplyStrUnlessADtypeCameFirst) {
    StructureField f = parse_field_spec_string("verdict::[good|bad|mixed]", "f");
    EXPECT_EQ(f.choices, (Choices{"good", "bad", "mixed"}));
    EXPECT_EQ(f.dtype, ValueType::kStr);
    f = parse_field_spec_string("channel::list::[email|phone]", "f");
    EXPECT_EQ(f.dtype, ValueType::kList);
    // A dtype part after the choices overrides the implied str.
    f = parse_field_spec_string("channel::[email|phone|chat]::list", "f");
    EXPECT_EQ(f.dtype, ValueType::kList);
    f = parse_field_spec_string("verdict::[good|bad|mixed]::str", "f");
    EXPECT_EQ(f.dtype, ValueType::kStr);
}

TEST(FieldSpecString, ChoicesAreStrippedLikePythonStrip) {
    // U+3000 IDEOGRAPHIC SPACE and U+00A0 are Python whitespace; U+200B is not.
    StructureField f = parse_field_spec_string(
        "c::[ a |\t b\xE3\x80\x80|\xC2\xA0"
        "c | \xE2\x80\x8B"
        "d]",
        "f");
    EXPECT_EQ(f.choices, (Choices{"a", "b", "c",
                                  "\xE2\x80\x8B"
                                  "d"}));
}

TEST(FieldSpecString, LastDescriptionWinsAndAnEmptyOneMeansNone) {
    EXPECT_EQ(*parse_field_spec_string("a::first::second", "f").description, "second");
    EXPECT_FALSE(parse_field_spec_string("a::desc::", "f").description);
    // Not a choice list: it must both start with '[' and end with ']'.
    StructureField f = parse_field_spec_string("a::[x|y", "f");
    EXPECT_TRUE(f.choices.empty());
    EXPECT_EQ(*f.description, "[x|y");
}

TEST(FieldSpecString, SplitsOnDoubleColonLeftToRight) {
    // Python "a:::b".split("::") == ["a", ":b"].
    StructureField f = parse_field_spec_string("a:::b", "f");
    EXPECT_EQ(f.name, "a");
    EXPECT_EQ(*f.description, ":b");
}

TEST(FieldSpecString, Errors) {
    auto message = [](std::string_view spec) {
        try {
            parse_field_spec_string(spec, "structures.s[0]");
        } catch (const RequestError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(message("::str"), "structures.s[0]: field name must not be empty");
    EXPECT_EQ(message(" "), "structures.s[0]: field name must not be empty");
    EXPECT_EQ(message("c::[a||b]"), "structures.s[0].choices[1]: choice must not be empty");
    EXPECT_EQ(message("c::[]"), "structures.s[0].choices[0]: choice must not be empty");
    EXPECT_EQ(message("c::[a|b|a]"), "structures.s[0].choices[2]: duplicate choice 'a'");
    EXPECT_EQ(message("c\xC3"), "structures.s[0]: field spec is not valid UTF-8 (byte offset 1)");
}

TEST(FieldSpecObject, ChoicesDoNotChangeTheDtype) {
    StructureField f = parse_field_spec(
        Json::parse(R"({"name": "verdict", "choices": ["good", "bad"], "description": ""})"), "f");
    EXPECT_EQ(f.dtype, ValueType::kList);
    EXPECT_EQ(f.choices, (Choices{"good", "bad"}));
    EXPECT_FALSE(f.description);  // empty field descriptions are dropped, as in the reference
}

TEST(FieldSpecObject, Errors) {
    auto message = [](const char* json) {
        try {
            parse_field_spec(Json::parse(json), "s[1]");
        } catch (const RequestError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(message(R"({"dtype": "str"})"), "s[1]: field needs a 'name'");
    EXPECT_EQ(message(R"({"name": 3})"), "s[1].name: field name must be a string, got a number");
    EXPECT_EQ(message(R"({"name": "a", "dtype": "int"})"),
              "s[1].dtype: dtype must be \"list\" or \"str\", got \"int\"");
    EXPECT_EQ(message(R"({"name": "a", "choices": "x|y"})"),
              "s[1].choices: choices must be an array of strings, got a string");
    EXPECT_EQ(message(R"({"name": "a", "choices": ["x", 1]})"),
              "s[1].choices[1]: choice must be a string, got a number");
    EXPECT_EQ(message(R"({"name": "a", "choices": ["x", "x"]})"),
              "s[1].choices[1]: duplicate choice 'x'");
    EXPECT_EQ(message(R"({"name": "a", "threshold": 1.01})"),
              "s[1].threshold: threshold must be within [0, 1], got 1.01");
    EXPECT_EQ(message(R"({"name": "a", "validators": [{"mode": "full"}]})"),
              "s[1].validators[0]: validator needs a 'pattern'");
    EXPECT_EQ(message(R"({"name": "a", "cardinality": "many"})"),
              "s[1].cardinality: cardinality must be one of optional_one, required_one, "
              "zero_or_more, one_or_more; got \"many\"");
}

}  // namespace
}  // namespace spanguard::schemas
