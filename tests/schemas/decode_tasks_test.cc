// Per-task decoding rules (GLINER2.md §4.2-§4.5, quirks §4.8) on hand-made score tensors. Each
// expected
// value is derived from the spec's rule; the derivation is in the comment beside it.
#include "schemas/decoding/decode_tasks.h"

#include <gtest/gtest.h>

#include <cmath>

#include "decode_test_support.h"

namespace spanguard::schemas {
namespace {

using testing::make_input;
using testing::ScoreGrid;

// Words: 0 Tim [0,3)  1 Cook [4,8)  2 is [9,11)  3 CEO [12,15)  4 of [16,18)  5 Apple [19,24)
//        6 . [24,25)
const char* const kText = "Tim Cook is CEO of Apple.";

std::vector<std::string> texts(const std::vector<SpanMatch>& spans) {
    std::vector<std::string> out;
    for (const auto& s : spans)
        out.push_back(s.text);
    return out;
}

TEST(DecodeCount, ArgmaxTakesTheLowestIndexOnTies) {
    EXPECT_EQ(predicted_count({0.1f, 2.f, 2.f, -1.f}), 1u);
    EXPECT_EQ(predicted_count({3.f, 2.f}), 0u);
    EXPECT_THROW(predicted_count({}), std::invalid_argument);
}

TEST(DecodeEntities, ClosedCountGateGivesNoTypes) {
    const ModelInput in = make_input(kText);
    const std::vector<EntityType> types = {{"person", {}, {}, ValueType::kList}};
    // Count 0: nothing is decoded even with confident spans (quirk 3).
    const auto probs = ScoreGrid(in, 1, 1, 0.99f).build();
    const auto r = decode_entities(types, 0, probs, in, 0.5);
    EXPECT_FALSE(r.gate_open);
    EXPECT_TRUE(r.types.empty());
}

TEST(DecodeEntities, PerTypeThresholdsAndOverlapOnlyWithinAType) {
    const ModelInput in = make_input(kText);
    std::vector<EntityType> types(3);
    types[0].name = "person";
    types[1].name = "company";
    types[1].threshold = 0.85;
    types[2].name = "role";
    // person: "Tim Cook" 0.8, "Tim" 0.9 overlap -> "Tim" kept (more confident), "Cook" 0.6 does
    //         not overlap "Tim" -> kept; order by confidence: Tim, Cook.
    // company: threshold 0.85 -> "Apple" 0.84 rejected, "Apple." 0.86 accepted.
    // role: "CEO" overlaps nothing of its own type (it may overlap other types' spans).
    // Instance 1 of every field is confident everywhere but must be ignored: entities read
    // instance 0 only.
    ScoreGrid grid(in, 2, 3);
    grid.word(0, 0, 0, 1, 0.8f).word(0, 0, 0, 0, 0.9f).word(0, 0, 1, 0, 0.6f);
    grid.word(0, 1, 5, 0, 0.84f).word(0, 1, 5, 1, 0.86f);
    grid.word(0, 2, 3, 0, 0.7f).word(0, 2, 0, 3, 0.65f);
    for (size_t f = 0; f < 3; ++f) {
        for (size_t w = 0; w < 7; ++w)
            grid.word(1, f, w, 0, 0.99f);
    }
    const auto r = decode_entities(types, 3, grid.build(), in, 0.5);
    ASSERT_TRUE(r.gate_open);
    ASSERT_EQ(r.types.size(), 3u);
    EXPECT_EQ(texts(r.types[0].spans), (std::vector<std::string>{"Tim", "Cook"}));
    EXPECT_EQ(texts(r.types[1].spans), (std::vector<std::string>{"Apple."}));
    // role: "CEO" 0.7 first, then "Tim Cook is CEO" 0.65 overlaps it -> dropped.
    EXPECT_EQ(texts(r.types[2].spans), (std::vector<std::string>{"CEO"}));
}

TEST(DecodeEntities, StrTypeKeepsTheMostConfidentSpan) {
    const ModelInput in = make_input(kText);
    std::vector<EntityType> types(2);
    types[0].name = "person";
    types[0].dtype = ValueType::kStr;
    types[1].name = "nobody";
    types[1].dtype = ValueType::kStr;
    // Positional first is "Tim" (0.6) but `str` entities take the top of the confidence order:
    // "Cook" (0.7). The second type has no candidate: empty.
    const auto probs = ScoreGrid(in, 1, 2).word(0, 0, 0, 0, 0.6f).word(0, 0, 1, 0, 0.7f).build();
    const auto r = decode_entities(types, 1, probs, in, 0.5);
    EXPECT_EQ(texts(r.types[0].spans), (std::vector<std::string>{"Cook"}));
    EXPECT_TRUE(r.types[1].spans.empty());
}

TEST(DecodeStructure, StrFieldTakesTheFirstPositionalCandidate) {
    const ModelInput in = make_input(kText);
    Structure s;
    s.name = "profile";
    s.fields.resize(3);
    s.fields[0].name = "name";
    s.fields[0].dtype = ValueType::kStr;
    s.fields[1].name = "employer";  // list
    s.fields[2].name = "age";
    s.fields[2].dtype = ValueType::kStr;
    const std::vector<std::vector<CompiledValidator>> no_validators(3);
    ScoreGrid grid(in, 3, 3);
    // Instance 0: name: "Tim" 0.55 comes before "Apple" 0.95 in position -> "Tim" (quirk 4).
    //             employer: "Apple" 0.9, "of Apple" 0.8 (overlaps) -> ["Apple"]; age: none.
    grid.word(0, 0, 0, 0, 0.55f).word(0, 0, 5, 0, 0.95f);
    grid.word(0, 1, 5, 0, 0.9f).word(0, 1, 4, 1, 0.8f);
    // Instance 1: every field empty -> the instance is dropped.
    // Instance 2: only age: "Cook is" (words 1..2) -> kept with name None and employer [].
    grid.word(2, 2, 1, 1, 0.6f);
    const auto r = decode_structure(s, no_validators, 3, grid.build(), in, 0.5);
    ASSERT_TRUE(r.gate_open);
    ASSERT_EQ(r.instances.size(), 2u);
    EXPECT_EQ(texts(r.instances[0][0].spans), (std::vector<std::string>{"Tim"}));
    EXPECT_EQ(texts(r.instances[0][1].spans), (std::vector<std::string>{"Apple"}));
    EXPECT_TRUE(r.instances[0][2].spans.empty());
    EXPECT_TRUE(r.instances[1][0].empty());
    EXPECT_TRUE(r.instances[1][1].empty());
    EXPECT_EQ(texts(r.instances[1][2].spans), (std::vector<std::string>{"Cook is"}));

    // Count 0: gate closed.
    const auto closed = decode_structure(s, no_validators, 0, grid.build(), in, 0.5);
    EXPECT_FALSE(closed.gate_open);
    // Count above the instances the tensor holds: a caller bug, reported.
    EXPECT_THROW(decode_structure(s, no_validators, 4, grid.build(), in, 0.5),
                 std::invalid_argument);
}

TEST(DecodeStructure, FieldThresholdOverridesTheGlobalOne) {
    const ModelInput in = make_input(kText);
    Structure s;
    s.name = "x";
    s.fields.resize(1);
    s.fields[0].name = "f";
    s.fields[0].threshold = 0.3;
    const std::vector<std::vector<CompiledValidator>> none(1);
    // 0.35 passes the field's 0.3 although the request threshold is 0.9.
    const auto probs = ScoreGrid(in, 1, 1).word(0, 0, 2, 0, 0.35f).build();
    const auto r = decode_structure(s, none, 1, probs, in, 0.9);
    ASSERT_EQ(r.instances.size(), 1u);
    EXPECT_EQ(texts(r.instances[0][0].spans), (std::vector<std::string>{"is"}));
}

TEST(DecodeStructure, ValidatorsFilterBeforeSelection) {
    const ModelInput in = make_input("Call 555-1234 or ask Bob at 555-9876 today.");
    // Words: 0 Call 1 555-1234 2 or 3 ask 4 Bob 5 at 6 555-9876 7 today 8 .
    ASSERT_EQ(in.words.size(), 9u);
    Structure s;
    s.name = "contact";
    s.fields.resize(4);
    s.fields[0].name = "phone";  // str, full match of digits-dash-digits
    s.fields[0].dtype = ValueType::kStr;
    s.fields[0].validators.push_back({R"(\d{3}-\d{4})", RegexValidator::Mode::kFull, false, true});
    s.fields[1].name = "who";  // list, partial match "BOB" case-insensitively
    s.fields[1].validators.push_back({"BOB", RegexValidator::Mode::kPartial, false, true});
    s.fields[2].name = "strict";  // list, case-sensitive partial "BOB" -> nothing
    s.fields[2].validators.push_back({"BOB", RegexValidator::Mode::kPartial, false, false});
    s.fields[3].name = "not_digits";  // list, exclude anything containing a digit
    s.fields[3].validators.push_back({R"(\d)", RegexValidator::Mode::kPartial, true, true});
    const SchemaValidators compiled = SchemaValidators::compile(Schema{{s}, {}, {}, {}});

    ScoreGrid grid(in, 1, 4);
    // phone: "Call 555-1234" (0..1) comes first positionally but fails fullmatch; the first
    // passing candidate is "555-1234".
    grid.word(0, 0, 0, 1, 0.9f).word(0, 0, 1, 0, 0.6f).word(0, 0, 6, 0, 0.99f);
    // who: "ask Bob" (3..4) and "Bob" (4) contain "bob"; "at" does not.
    grid.word(0, 1, 3, 1, 0.7f).word(0, 1, 4, 0, 0.8f).word(0, 1, 5, 0, 0.95f);
    grid.word(0, 2, 4, 0, 0.8f);
    // not_digits: "555-9876" excluded; "today" kept.
    grid.word(0, 3, 6, 0, 0.9f).word(0, 3, 7, 0, 0.6f);
    const auto r = decode_structure(s, compiled.fields[0], 1, grid.build(), in, 0.5);
    ASSERT_EQ(r.instances.size(), 1u);
    EXPECT_EQ(texts(r.instances[0][0].spans), (std::vector<std::string>{"555-1234"}));
    // "Bob" (0.8) is taken first; "ask Bob" overlaps it.
    EXPECT_EQ(texts(r.instances[0][1].spans), (std::vector<std::string>{"Bob"}));
    EXPECT_TRUE(r.instances[0][2].spans.empty());
    EXPECT_EQ(texts(r.instances[0][3].spans), (std::vector<std::string>{"today"}));
}

TEST(DecodeStructure, ChoiceFieldsUseTheFirstMatchingPrefixToken) {
    // Prefix of structure "review" with choice fields verdict [good|bad|mixed] and channel
    // [email|Good]: "(", "review:", "verdict", "(", "good", "|", "bad", "|", "mixed", ")", ",",
    // "channel", "(", "email", "|", "Good", ")", ")".
    const std::vector<std::string> prefix = {"(",   "review:", "verdict", "(",    "good", "|",
                                             "bad", "|",       "mixed",   ")",    ",",    "channel",
                                             "(",   "email",   "|",       "Good", ")",    ")"};
    const ModelInput in = make_input("Fine.", prefix);
    Structure s;
    s.name = "review";
    s.fields.resize(2);
    s.fields[0].name = "verdict";
    s.fields[0].dtype = ValueType::kStr;
    s.fields[0].choices = {"good", "bad", "mixed"};
    s.fields[1].name = "channel";
    s.fields[1].choices = {"email", "Good"};  // list
    const std::vector<std::vector<CompiledValidator>> none(2);

    ScoreGrid grid(in, 1, 2);
    // verdict (str): good@4 0.6, bad@6 0.8, mixed@8 0.8 -> best is "bad" (first of the tied
    // maxima, strict > keeps the earlier one).
    grid.position(0, 0, 4, 0, 0.6f).position(0, 0, 6, 0, 0.8f).position(0, 0, 8, 0, 0.8f);
    // channel (list): "email"@13 0.7 passes; "Good" resolves to the FIRST prefix token equal to
    // it case-insensitively, position 4 ("good" of verdict), not 15: score 0.9 there, while
    // position 15 holds 0.1. Width 1 entries are never read for choices.
    grid.position(0, 1, 13, 0, 0.7f).position(0, 1, 4, 0, 0.9f).position(0, 1, 15, 0, 0.1f);
    grid.position(0, 1, 6, 1, 0.99f);
    const auto r = decode_structure(s, none, 1, grid.build(), in, 0.5);
    ASSERT_EQ(r.instances.size(), 1u);
    ASSERT_EQ(r.instances[0][0].choices.size(), 1u);
    EXPECT_EQ(r.instances[0][0].choices[0].text, "bad");
    EXPECT_EQ(r.instances[0][0].choices[0].confidence, 0.8f);
    ASSERT_EQ(r.instances[0][1].choices.size(), 2u);
    EXPECT_EQ(r.instances[0][1].choices[0].text, "email");
    EXPECT_EQ(r.instances[0][1].choices[1].text, "Good");
    EXPECT_EQ(r.instances[0][1].choices[1].confidence, 0.9f);
    EXPECT_EQ(find_choice_position("GOOD", prefix), 4);
    EXPECT_EQ(find_choice_position("phone", prefix), -1);
}

TEST(DecodeStructure, ChoiceThresholdIsCompareInDouble) {
    // Unlike span probabilities, choice scores are read with .item() (a double) and compared with
    // the double threshold: 0.7f = 0.69999998... fails a threshold of 0.7.
    const std::vector<std::string> prefix = {"(", "s:", "f", "(", "a", "|", "b", ")", ")"};
    const ModelInput in = make_input("x.", prefix);
    Structure s;
    s.name = "s";
    s.fields.resize(1);
    s.fields[0].name = "f";
    s.fields[0].choices = {"a", "b"};
    const std::vector<std::vector<CompiledValidator>> none(1);
    const auto probs =
        ScoreGrid(in, 1, 1).position(0, 0, 4, 0, 0.7f).position(0, 0, 6, 0, 0.71f).build();
    const auto r = decode_structure(s, none, 1, probs, in, 0.7);
    ASSERT_EQ(r.instances.size(), 1u);
    ASSERT_EQ(r.instances[0][0].choices.size(), 1u);
    EXPECT_EQ(r.instances[0][0].choices[0].text, "b");
    // str: the best choice "b" 0.71 is below 0.75 -> None; the instance is then empty, dropped.
    s.fields[0].dtype = ValueType::kStr;
    EXPECT_TRUE(decode_structure(s, none, 1, probs, in, 0.75).instances.empty());
}

TEST(DecodeRelations, HeadAndTailAreFirstPositionalPerInstance) {
    const ModelInput in = make_input(kText);
    RelationType rel;
    rel.name = "works_for";
    ScoreGrid grid(in, 3, 2);
    // Instance 0: head candidates "Tim Cook" (0..1, 0.6) and "Apple" (0.99): first positional is
    // "Tim Cook"; tail "Apple" (0.7) -> (Tim Cook, Apple).
    grid.word(0, 0, 0, 1, 0.6f).word(0, 0, 5, 0, 0.99f).word(0, 1, 5, 0, 0.7f);
    // Instance 1: head only -> no pair.
    grid.word(1, 0, 1, 0, 0.9f);
    // Instance 2: the same pair again -> kept (no de-duplication).
    grid.word(2, 0, 0, 1, 0.6f).word(2, 1, 5, 0, 0.7f);
    const auto r = decode_relation(rel, 3, grid.build(), in, 0.5);
    ASSERT_EQ(r.pairs.size(), 2u);
    EXPECT_EQ(r.pairs[0].head.text, "Tim Cook");
    EXPECT_EQ(r.pairs[0].tail.text, "Apple");
    EXPECT_EQ(r.pairs[1].head.text, "Tim Cook");
    // The relation's own threshold replaces the request's: with 0.65 the tail 0.7 passes and
    // the head must be "Apple" (0.99), since "Tim Cook" (0.6) fails.
    rel.threshold = 0.65;
    const auto r2 = decode_relation(rel, 1, grid.build(), in, 0.5);
    ASSERT_EQ(r2.pairs.size(), 1u);
    EXPECT_EQ(r2.pairs[0].head.text, "Apple");
    EXPECT_TRUE(decode_relation(rel, 0, grid.build(), in, 0.5).pairs.empty());
}

ClassificationTask task(bool multi, size_t labels) {
    ClassificationTask t;
    t.task = "t";
    t.multi_label = multi;
    for (size_t i = 0; i < labels; ++i) {
        // Appended rather than "l" + to_string(i): GCC 12 warns falsely (-Wrestrict) on the latter.
        std::string name = "l";
        name += std::to_string(i);
        t.labels.push_back({name, {}});
    }
    return t;
}

TEST(DecodeClassification, SingleLabelSoftmaxArgmax) {
    // softmax(0, ln 2, ln 3... ) : logits (0, log 2, log 3) -> probabilities (1/6, 2/6, 3/6).
    const auto r = decode_classification(task(false, 3), {0.f, std::log(2.f), std::log(3.f)});
    ASSERT_EQ(r.labels.size(), 1u);
    EXPECT_EQ(r.labels[0].label, "l2");
    EXPECT_NEAR(r.labels[0].confidence, 0.5f, 1e-6);
    // Ties: the first maximum.
    const auto tie = decode_classification(task(false, 3), {1.f, 2.f, 2.f});
    EXPECT_EQ(tie.labels[0].label, "l1");
    EXPECT_THROW(decode_classification(task(false, 3), {1.f, 2.f}), std::invalid_argument);
}

TEST(DecodeClassification, MultiLabelSigmoidThresholdNeverEmpty) {
    ClassificationTask t = task(true, 4);
    t.cls_threshold = 0.6;
    // sigmoid of (0, ln 3, -1, 2) = (0.5, 0.75, 0.269, 0.881): l1 and l3 pass 0.6, in label
    // order.
    const auto r = decode_classification(t, {0.f, std::log(3.f), -1.f, 2.f});
    ASSERT_EQ(r.labels.size(), 2u);
    EXPECT_EQ(r.labels[0].label, "l1");
    EXPECT_EQ(r.labels[1].label, "l3");
    // Nothing above the threshold -> the single argmax (quirk 6).
    t.cls_threshold = 0.99;
    const auto r2 = decode_classification(t, {0.f, std::log(3.f), -1.f, 2.f});
    ASSERT_EQ(r2.labels.size(), 1u);
    EXPECT_EQ(r2.labels[0].label, "l3");
}

TEST(DecodeClassification, MultiLabelThresholdIsCompareInDouble) {
    // A logit whose float32 sigmoid is exactly 0.7f (0.69999998...): fails cls_threshold 0.7 as
    // a double comparison; it would pass in float32.
    ClassificationTask t = task(true, 2);
    t.cls_threshold = 0.7;
    float logit = std::log(0.7f / 0.3f);
    // Nudge the logit until sigmoid_f32 lands exactly on 0.7f.
    for (int i = 0; i < 100 && sigmoid_f32(logit) != 0.7f; ++i) {
        logit = std::nextafter(logit, sigmoid_f32(logit) < 0.7f ? 10.f : -10.f);
    }
    ASSERT_EQ(sigmoid_f32(logit), 0.7f);
    // sigmoid(5) = 0.993 passes. In float32 both would pass; in double only l1 does.
    const auto r = decode_classification(t, {logit, 5.f});
    ASSERT_EQ(r.labels.size(), 1u);
    EXPECT_EQ(r.labels[0].label, "l1");
}

TEST(DecodeClassification, ActivationOverride) {
    // class_act softmax on a multi-label task: probabilities sum to 1 and the threshold still
    // applies: softmax(0, ln 3) = (0.25, 0.75) -> with 0.5 only l1.
    ClassificationTask t = task(true, 2);
    t.activation = ClassActivation::kSoftmax;
    const auto r = decode_classification(t, {0.f, std::log(3.f)});
    ASSERT_EQ(r.labels.size(), 1u);
    EXPECT_EQ(r.labels[0].label, "l1");
    EXPECT_NEAR(r.labels[0].confidence, 0.75f, 1e-6);
    // class_act sigmoid on a single-label task: argmax of sigmoids, confidence sigmoid(2).
    ClassificationTask s = task(false, 2);
    s.activation = ClassActivation::kSigmoid;
    const auto r2 = decode_classification(s, {2.f, 1.f});
    EXPECT_EQ(r2.labels[0].label, "l0");
    EXPECT_NEAR(r2.labels[0].confidence, 1.f / (1.f + std::exp(-2.f)), 1e-7);
}

}  // namespace
}  // namespace spanguard::schemas
