// JSON shapes and de-duplication of the reference's format_results (GLINER2.md §4.6), from decoded
// results built by hand.
#include "schemas/decoding/output_format.h"

#include <gtest/gtest.h>

namespace spanguard::schemas {
namespace {

const OutputOptions kPlain{false, false};
const OutputOptions kConf{true, false};
const OutputOptions kSpans{false, true};
const OutputOptions kBoth{true, true};

SpanMatch span(const char* text, float conf, size_t start, size_t end) {
    return {text, conf, start, end};
}

Json parse(const char* text) {
    return Json::parse(text);
}

TEST(OutputFormat, SpanItemShapesPerFlags) {
    const SpanMatch s = span("Tim Cook", 0.8799760341644287f, 0, 8);
    EXPECT_EQ(render_span(s, kPlain), Json("Tim Cook"));
    // Key order text, confidence, start, end; the float32 confidence prints as the shortest
    // double that round-trips, as Python's repr of float(tensor.item()) does.
    EXPECT_EQ(render_span(s, kConf).dump(),
              R"({"text":"Tim Cook","confidence":0.8799760341644287})");
    EXPECT_EQ(render_span(s, kSpans).dump(), R"({"text":"Tim Cook","start":0,"end":8})");
    EXPECT_EQ(render_span(s, kBoth).dump(),
              R"({"text":"Tim Cook","confidence":0.8799760341644287,"start":0,"end":8})");
    EXPECT_EQ(render_span(span("x", 1.0f, 0, 1), kConf).dump(), R"({"text":"x","confidence":1.0})");
}

TEST(OutputFormat, ListsDeduplicateByLowerTextUnlessSpansAreIncluded) {
    // "Apple" at two positions and "APPLE": without offsets they are one value (quirk 9), the
    // first (most confident) one kept; with offsets only an identical (text, start, end) is a
    // duplicate, and positions differ here.
    const std::vector<SpanMatch> spans = {span("Apple", 0.9f, 0, 5), span("APPLE", 0.8f, 10, 15),
                                          span("apple", 0.7f, 20, 25)};
    EXPECT_EQ(render_span_list(spans, kPlain), parse(R"(["Apple"])"));
    EXPECT_EQ(render_span_list(spans, kConf).size(), 1u);
    EXPECT_EQ(render_span_list(spans, kSpans).size(), 3u);
    // Lower-casing is Python's full str.lower(): "İ" lowers to "i̇" (2 code points), so "İS" and
    // "i̇s" are duplicates.
    const std::vector<SpanMatch> turkish = {span("İS", 0.9f, 0, 2), span("i̇s", 0.8f, 5, 8)};
    EXPECT_EQ(render_span_list(turkish, kPlain), parse(R"(["İS"])"));
}

BlockResult entities_block(bool gate_open, std::vector<EntityValue> types) {
    return {"entities", EntitiesResult{gate_open, std::move(types)}};
}

TEST(OutputFormat, Entities) {
    Schema schema;
    std::vector<EntityValue> types = {
        {"person", ValueType::kList, {span("Tim", 0.9f, 0, 3), span("tim", 0.6f, 9, 12)}},
        {"company", ValueType::kList, {}},
        {"ceo", ValueType::kStr, {span("Tim", 0.9f, 0, 3)}},
        {"city", ValueType::kStr, {}},
    };
    EXPECT_EQ(format_results({entities_block(true, types)}, schema, kPlain),
              parse(R"({"entities": {"person": ["Tim"], "company": [], "ceo": "Tim",
                                     "city": null}})"));
    EXPECT_EQ(format_results({entities_block(true, types)}, schema, kSpans),
              parse(R"({"entities": {"person": [{"text": "Tim", "start": 0, "end": 3},
                                                {"text": "tim", "start": 9, "end": 12}],
                                     "company": [],
                                     "ceo": {"text": "Tim", "start": 0, "end": 3},
                                     "city": null}})"));
    // A closed count gate: {} with no type keys (quirk 5).
    EXPECT_EQ(format_results({entities_block(false, {})}, schema, kBoth).dump(),
              R"({"entities":{}})");
}

TEST(OutputFormat, Structures) {
    Schema schema;
    FieldValue name{"name", ValueType::kStr, false, {span("Tim", 0.7f, 0, 3)}, {}};
    FieldValue role{"role", ValueType::kStr, false, {}, {}};
    FieldValue employers{"employer",
                         ValueType::kList,
                         false,
                         {span("Apple", 0.9f, 19, 24), span("apple", 0.8f, 30, 35)},
                         {}};
    FieldValue verdict{"verdict", ValueType::kStr, true, {}, {{"bad", 0.75f}}};
    FieldValue channels{"channel", ValueType::kList, true, {}, {{"Email", 0.7f}, {"email", 0.6f}}};
    StructureResult open{true, {{name, role, employers, verdict, channels}}};
    EXPECT_EQ(format_results({{"profile", open}}, schema, kPlain),
              parse(R"({"profile": [{"name": "Tim", "role": null, "employer": ["Apple"],
                                     "verdict": "bad", "channel": ["Email"]}]})"));
    // Choices never carry offsets, even with include_spans, and de-duplicate by lower text.
    EXPECT_EQ(format_results({{"profile", open}}, schema, kBoth)["profile"][0]["channel"].dump(),
              R"([{"text":"Email","confidence":0.699999988079071}])");
    EXPECT_EQ(format_results({{"profile", open}}, schema, kSpans)["profile"][0]["verdict"],
              Json("bad"));
    // Count 0 -> {}; count > 0 with every instance empty -> [].
    EXPECT_EQ(format_results({{"profile", StructureResult{false, {}}}}, schema, kPlain).dump(),
              R"({"profile":{}})");
    EXPECT_EQ(format_results({{"profile", StructureResult{true, {}}}}, schema, kPlain).dump(),
              R"({"profile":[]})");
}

TEST(OutputFormat, RelationsComeLastWithEveryRequestedName) {
    Schema schema;
    schema.relations = {{"works_for", {}, {}}, {"born_in", {}, {}}};
    const RelationResult works{{{span("Tim", 0.6f, 0, 3), span("Apple", 0.7f, 19, 24)},
                                {span("Tim", 0.6f, 0, 3), span("Apple", 0.7f, 19, 24)}}};
    ClassificationResult topic{false, {{"business", 0.5f}}};
    const std::vector<BlockResult> blocks = {
        {"works_for", works}, {"born_in", RelationResult{}}, {"topic", topic}};
    // Plain: (head, tail) tuples as arrays, no de-duplication; relation_extraction after topic.
    EXPECT_EQ(format_results(blocks, schema, kPlain).dump(),
              R"({"topic":"business","relation_extraction":{"works_for":[["Tim","Apple"],)"
              R"(["Tim","Apple"]],"born_in":[]}})");
    const Json both = format_results(blocks, schema, kConf);
    EXPECT_EQ(both["relation_extraction"]["works_for"][0].dump(),
              R"({"head":{"text":"Tim","confidence":0.6000000238418579},)"
              R"("tail":{"text":"Apple","confidence":0.699999988079071}})");
    // A requested relation with no block result at all is still listed.
    EXPECT_EQ(format_results({{"topic", topic}}, schema, kPlain).dump(),
              R"({"topic":"business","relation_extraction":{"works_for":[],"born_in":[]}})");
    // No relation requested: no key.
    EXPECT_EQ(format_results({{"topic", topic}}, Schema{}, kPlain).dump(),
              R"({"topic":"business"})");
}

TEST(OutputFormat, Classification) {
    Schema schema;
    ClassificationResult single{false, {{"neutral", 0.3459826707839966f}}};
    ClassificationResult multi{true, {{"shipping", 0.6f}, {"price", 0.7f}}};
    EXPECT_EQ(format_results({{"s", single}, {"a", multi}}, schema, kPlain),
              parse(R"({"s": "neutral", "a": ["shipping", "price"]})"));
    EXPECT_EQ(format_results({{"s", single}}, schema, kConf).dump(),
              R"({"s":{"label":"neutral","confidence":0.3459826707839966}})");
}

TEST(OutputFormat, SameNameLaterBlockReplacesInPlace) {
    // Structure "topic" then entities then classification "topic": the dict key keeps its first
    // position and takes the classification's value.
    Schema schema;
    const std::vector<BlockResult> blocks = {
        {"topic", StructureResult{false, {}}},
        entities_block(false, {}),
        {"topic", ClassificationResult{false, {{"sports", 0.4f}}}},
    };
    EXPECT_EQ(format_results(blocks, schema, kPlain).dump(), R"({"topic":"sports","entities":{}})");
    // A structure literally named "relation_extraction" is replaced in place by the relations.
    schema.relations = {{"r", {}, {}}};
    const std::vector<BlockResult> blocks2 = {{"relation_extraction", StructureResult{false, {}}},
                                              entities_block(false, {}),
                                              {"r", RelationResult{}}};
    EXPECT_EQ(format_results(blocks2, schema, kPlain).dump(),
              R"({"relation_extraction":{"r":[]},"entities":{}})");
}

TEST(OutputFormat, HeadAndTailFieldsAreFiledAsARelation) {
    // The reference treats any list whose first element is a dict with "head" and "tail" keys as
    // relation output: a structure with such fields lands under relation_extraction, undeduped.
    Schema schema;
    FieldValue head{
        "head", ValueType::kList, false, {span("A", 0.9f, 0, 1), span("a", 0.8f, 4, 5)}, {}};
    FieldValue tail{"tail", ValueType::kStr, false, {}, {}};
    const std::vector<BlockResult> blocks = {{"pair", StructureResult{true, {{head, tail}}}}};
    EXPECT_EQ(format_results(blocks, schema, kPlain).dump(),
              R"({"relation_extraction":{"pair":[{"head":["A","a"],"tail":null}]}})");
    // Entity types named head and tail likewise; an empty `str` type is "" there (no flags).
    std::vector<EntityValue> types = {{"head", ValueType::kList, {span("A", 0.9f, 0, 1)}},
                                      {"tail", ValueType::kStr, {}}};
    EXPECT_EQ(format_results({entities_block(true, types)}, schema, kPlain).dump(),
              R"({"relation_extraction":{"entities":[{"head":["A"],"tail":""}]}})");
}

}  // namespace
}  // namespace spanguard::schemas
