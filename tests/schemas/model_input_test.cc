// Schema + text -> input ids and positions (GLINER2.md §2.5). Expected ids come from SentencePiece
// 0.1.97 on the reference spm.model (each GLiNER2 token encoded on its own) and from the spec's
// fixture; marker ids from the checkpoint's added_tokens.json.
#include "schemas/prompt/model_input.h"

#include <gtest/gtest.h>

#include "schemas/prompt/input_batch.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "schemas_test_support.h"
#include "tokenizer/error.h"

namespace spanguard::schemas {
namespace {

using Ids = std::vector<int32_t>;
using Positions = std::vector<size_t>;

const ModelInputBuilder& builder() {
    static const ModelInputBuilder b(testing::parity_tokenizer());
    return b;
}

Schema entities(const char* json) {
    return schema_from_entity_types(Json::parse(json));
}

TEST(ModelInput, SpecFixtureMarkerIds) {
    // "[P] person [E] name" -> 128003 604 128005 601 (MacPaw/Gliner2Swift fixture, GLINER2.md
    // §2.1).
    const auto& tok = testing::parity_tokenizer();
    Ids ids;
    for (const char* token : {"[P]", "person", "[E]", "name"}) {
        for (int32_t id : tok.encode(token).ids)
            ids.push_back(id);
    }
    EXPECT_EQ(ids, (Ids{128003, 604, 128005, 601}));
}

TEST(ModelInput, EntitiesWorkedExampleToTheId) {
    ModelInput in =
        builder().build(entities(R"(["person", "company"])"), "Tim Cook is CEO of Apple.");
    // ( [P] entities ( [E] person [E] company ) ) [SEP_TEXT] tim cook is ceo of apple .
    EXPECT_EQ(in.input_ids, (Ids{287, 128003, 6967, 287, 128005, 604, 128005, 483, 1263, 1263,
                                 128002, 41718, 3712, 269, 101312, 265, 6038, 323}));
    ASSERT_EQ(in.blocks.size(), 1u);
    EXPECT_EQ(in.blocks[0].kind, TaskKind::kEntities);
    EXPECT_EQ(in.blocks[0].marker_positions, (Positions{1, 4, 6}));
    EXPECT_EQ(in.prefix_size(), 0u);
    EXPECT_EQ(in.text_positions, (Positions{11, 12, 13, 14, 15, 16, 17}));
    EXPECT_EQ(in.text, "Tim Cook is CEO of Apple.");
    ASSERT_EQ(in.words.size(), 7u);
    EXPECT_EQ(in.words[5].lowered, "apple");
}

TEST(ModelInput, MarkerPositionsPerBlock) {
    Schema s = schema_from_dict(Json::parse(R"({
        "structures": {"person": {"fields": ["name"]}},
        "relations": ["works_for"],
        "classifications": [{"task": "sentiment", "labels": ["positive", "negative"]}]})"));
    ModelInput in = builder().build(s, "ok");
    // ( [P] person ( [C] name ) ) [SEP_STRUCT] ( [P] works_for ( [R] head [R] tail ) ) ...
    ASSERT_EQ(in.blocks.size(), 3u);
    EXPECT_EQ(Ids(in.input_ids.begin(), in.input_ids.begin() + 8),
              (Ids{287, 128003, 604, 287, 128004, 601, 1263, 1263}));
    EXPECT_EQ(in.input_ids[8], 128001);
    EXPECT_EQ(in.blocks[0].marker_positions, (Positions{1, 4}));
    EXPECT_EQ(in.blocks[1].kind, TaskKind::kRelation);
    EXPECT_EQ(in.blocks[1].name, "works_for");
    EXPECT_EQ(in.blocks[2].kind, TaskKind::kClassification);
    for (const auto& block : in.blocks) {
        for (size_t p : block.marker_positions) {
            ASSERT_LT(p, in.input_ids.size());
            const int32_t id = in.input_ids[p];
            EXPECT_TRUE(id == 128003 || id == 128004 || id == 128006 || id == 128007) << id;
        }
    }
    EXPECT_EQ(in.blocks[1].marker_positions.size(), 3u);
    EXPECT_EQ(in.blocks[2].marker_positions.size(), 3u);
    EXPECT_EQ(in.input_ids[in.blocks[2].marker_positions[0]], 128003);
}

TEST(ModelInput, MarkerIdsComeFromTheTokenizer) {
    // The same spm.model with the markers registered at other ids: nothing may assume 128001+.
    auto tok = tokenizer::Tokenizer::from_file(std::string(SPANGUARD_SOURCE_DIR) +
                                               "/data/tokenizers/deberta-v3/spm.model");
    tok.add_special_tokens({{"[SEP_STRUCT]", 200001},
                            {"[SEP_TEXT]", 200002},
                            {"[P]", 200003},
                            {"[C]", 200004},
                            {"[E]", 200005},
                            {"[R]", 200006},
                            {"[L]", 200007},
                            {"[EXAMPLE]", 200008},
                            {"[OUTPUT]", 200009},
                            {"[DESCRIPTION]", 200010}});
    ModelInputBuilder b(tok);
    ModelInput in = b.build(entities(R"({"person": "a human"})"), "Hi");
    // ( [P] entities [DESCRIPTION] person: a human ( [E] person ) ) [SEP_TEXT] hi .
    ASSERT_GE(in.input_ids.size(), 4u);
    EXPECT_EQ(in.input_ids[1], 200003);
    EXPECT_EQ(in.input_ids[3], 200010);
    EXPECT_EQ(in.input_ids[in.blocks[0].marker_positions[1]], 200005);
    EXPECT_EQ(in.input_ids[in.text_positions[0] - 1], 200002);
}

TEST(ModelInput, TokenizerWithoutMarkersIsRejected) {
    auto tok = tokenizer::Tokenizer::from_file(std::string(SPANGUARD_SOURCE_DIR) +
                                               "/data/tokenizers/deberta-v3/spm.model");
    try {
        ModelInputBuilder b(tok);
        FAIL() << "no error";
    } catch (const tokenizer::TokenizerError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "the tokenizer does not define the GLiNER2 marker token '[SEP_STRUCT]' as an "
                  "added token");
    }
}

TEST(ModelInput, ChoicePrefixPositionsAndCase) {
    Schema s = schema_from_structures(
        Json::parse(R"({"review": ["verdict::[Good|bad]::str", "issues::list"]})"));
    ModelInput in = builder().build(s, "Fine");
    // Prefix tokens: ( review: verdict ( Good | bad ) )
    EXPECT_EQ(in.choice_prefix, (std::vector<std::string>{"(", "review:", "verdict", "(", "Good",
                                                          "|", "bad", ")", ")"}));
    ASSERT_EQ(in.text_positions.size(), in.prefix_size() + 2);
    const auto& tok = testing::parity_tokenizer();
    // Prefix tokens are not lower-cased; text words are.
    EXPECT_EQ(in.input_ids[in.text_positions[4]], tok.encode("Good").ids[0]);
    EXPECT_NE(tok.encode("Good").ids[0], tok.encode("good").ids[0]);
    EXPECT_EQ(in.input_ids[in.word_position(0)], tok.encode("fine").ids[0]);
    EXPECT_EQ(in.input_ids[in.text_positions[0] - 1], 128002);  // [SEP_TEXT] right before
}

TEST(ModelInput, WordOffsetsIndexTheNormalisedText) {
    ModelInput in = builder().build(entities(R"(["x"])"),
                                    "\xC3\x9C"
                                    "ber caf\xC3\xA9");
    EXPECT_EQ(in.text,
              "\xC3\x9C"
              "ber caf\xC3\xA9.");
    ASSERT_EQ(in.words.size(), 3u);
    EXPECT_EQ(in.words[0].lowered,
              "\xC3\xBC"
              "ber");
    TextSpan all = in.word_span(0, 2);
    EXPECT_EQ(all.start_cp, 0u);
    EXPECT_EQ(all.end_cp, 10u);  // includes the synthetic "."
    EXPECT_EQ(all.start_byte, 0u);
    EXPECT_EQ(all.end_byte, 12u);
    TextSpan cafe = in.word_span(1, 1);
    EXPECT_EQ(cafe.start_cp, 5u);
    EXPECT_EQ(cafe.end_cp, 9u);
    EXPECT_EQ(cafe.start_byte, 6u);
    EXPECT_EQ(cafe.end_byte, 11u);
}

TEST(ModelInput, EmptyTextBecomesAPeriod) {
    ModelInput in = builder().build(entities(R"(["person"])"), "");
    EXPECT_EQ(in.text, ".");
    ASSERT_EQ(in.words.size(), 1u);
    EXPECT_EQ(in.input_ids.back(), 323);  // "▁."
    EXPECT_EQ(in.input_ids[in.input_ids.size() - 2], 128002);
}

TEST(ModelInput, EndOfTextRule) {
    EXPECT_EQ(builder().build(entities(R"(["x"])"), "Why?").text, "Why?");
    EXPECT_EQ(builder().build(entities(R"(["x"])"), "Stop!").text, "Stop!");
    EXPECT_EQ(builder().build(entities(R"(["x"])"), "a.").text, "a.");
    EXPECT_EQ(builder().build(entities(R"(["x"])"), "a. ").text, "a. .");
    EXPECT_EQ(builder().build(entities(R"(["x"])"), "\xE3\x80\x82").text,
              "\xE3\x80\x82.");  // the ideographic full stop is not one of the three
}

TEST(ModelInput, WordWithoutSubTokensPointsAtTheNextPosition) {
    // U+200B is a word of its own (GLINER2.md §2.3) and the normaliser removes it entirely.
    ModelInput in = builder().build(entities(R"(["x"])"), "hello \xE2\x80\x8B world");
    ASSERT_EQ(in.words.size(), 4u);
    const size_t hello = in.word_position(0);
    EXPECT_EQ(in.word_position(1), hello + 1);
    EXPECT_EQ(in.word_position(2), hello + 1);  // the same position as "world"
    EXPECT_EQ(in.word_position(3), hello + 2);
    EXPECT_EQ(in.input_ids.size(), hello + 3);
}

TEST(ModelInput, MaxLenKeepsTheFirstWords) {
    ModelInput in = builder().build(entities(R"(["x"])"), "one two three four", 2);
    ASSERT_EQ(in.words.size(), 2u);
    EXPECT_EQ(in.words[1].lowered, "two");
    EXPECT_EQ(in.text, "one two three four.");
    EXPECT_EQ(in.text_positions.size(), 2u);
    EXPECT_EQ(in.input_ids.size(), in.text_positions.back() + 1);
}

TEST(ModelInput, LastWordWithoutSubTokensIsAnError) {
    try {
        builder().build(entities(R"(["x"])"), "hello \xE2\x80\x8B world", 2);
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "text");
        EXPECT_EQ(e.problem(),
                  "the last word (word 1, byte offset 6) yields no sub-token, so it has no "
                  "position to read");
    }
}

TEST(ModelInput, InvalidUtf8NamesTheByteOffset) {
    try {
        builder().build(entities(R"(["x"])"), std::string("ab\xE2\x82"
                                                          "cd"));
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(std::string(e.what()), "text: invalid UTF-8 at byte offset 2");
    }
    try {
        builder().build_batch(entities(R"(["x"])"), {"fine", "also fine", "bad \xFF"});
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(std::string(e.what()), "texts[2]: invalid UTF-8 at byte offset 4");
    }
}

TEST(ModelInput, NamesStartingWithAMarkerAreRejected) {
    try {
        builder().build(entities(R"(["person", "[E]thing"])"), "x");
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "entity task 'entities': '[E]thing' starts with a GLiNER2 marker token, which "
                  "the model would read as an extra task or child marker");
    }
    // Inside a description a marker only adds context, as in the reference.
    ModelInput in = builder().build(entities(R"({"person": "not an [E] marker"})"), "x");
    EXPECT_EQ(in.blocks[0].marker_positions.size(), 2u);
}

TEST(ModelInput, InvalidUtf8InASchemaBuiltInCodeNamesTheTask) {
    Schema s;
    s.relations.push_back({"works\xC3", std::nullopt, std::nullopt});
    try {
        builder().build(s, "x");
        FAIL() << "no error";
    } catch (const RequestError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "relation task 'works\xEF\xBF\xBD': 'works\xEF\xBF\xBD' is not valid UTF-8 "
                  "(byte offset 5)");
    }
}

TEST(ModelInput, EmptySchemaIsAnError) {
    EXPECT_THROW(builder().build(Schema{}, "x"), RequestError);
}

TEST(ModelInput, BatchIsOneIndependentInputPerText) {
    Schema s = entities(R"(["person", "city"])");
    const std::vector<std::string> texts = {"Maria flew to Berlin", "", "ok"};
    auto batch = builder().build_batch(s, texts);
    ASSERT_EQ(batch.size(), 3u);
    for (size_t i = 0; i < texts.size(); ++i) {
        ModelInput single = builder().build(s, texts[i]);
        EXPECT_EQ(batch[i].input_ids, single.input_ids);
        EXPECT_EQ(batch[i].text_positions, single.text_positions);
    }
    PaddedBatch padded = pad_batch(batch);
    ASSERT_EQ(padded.rows, 3u);
    EXPECT_EQ(padded.length, batch[0].input_ids.size());
    for (size_t r = 0; r < 3; ++r) {
        const size_t n = batch[r].input_ids.size();
        for (size_t c = 0; c < padded.length; ++c) {
            EXPECT_EQ(padded.input_ids[r * padded.length + c], c < n ? batch[r].input_ids[c] : 0);
            EXPECT_EQ(padded.attention_mask[r * padded.length + c], c < n ? 1 : 0);
        }
    }
    EXPECT_THROW(pad_batch(batch, 2, 2), std::out_of_range);
}

TEST(ModelInput, BatchesAreGroupedByLengthAndCoverEveryInputOnce) {
    // Lengths 5, 1, 4, 1, 3, 9, 2 (ids are irrelevant to the plan).
    std::vector<ModelInput> inputs(7);
    const size_t lengths[] = {5, 1, 4, 1, 3, 9, 2};
    for (size_t i = 0; i < inputs.size(); ++i)
        inputs[i].input_ids.assign(lengths[i], static_cast<int32_t>(i + 1));
    const auto plan = plan_batches(inputs, 3);
    // Shortest first; the two of length 1 keep their input order.
    const std::vector<std::vector<size_t>> expected = {{1, 3, 6}, {4, 2, 0}, {5}};
    EXPECT_EQ(plan, expected);
    EXPECT_EQ(plan_batches(inputs, 100).size(), 1u);
    EXPECT_EQ(plan_batches(inputs, 1).size(), 7u);
    EXPECT_TRUE(plan_batches({}, 4).empty());
    EXPECT_THROW(plan_batches(inputs, 0), std::invalid_argument);

    const std::vector<size_t> rows = {4, 2, 0};
    const PaddedBatch padded = pad_batch(inputs, rows);
    ASSERT_EQ(padded.rows, 3u);
    EXPECT_EQ(padded.length, 5u);  // the longest of the three, not of all seven
    for (size_t r = 0; r < rows.size(); ++r) {
        for (size_t c = 0; c < padded.length; ++c) {
            const bool real = c < lengths[rows[r]];
            EXPECT_EQ(padded.input_ids[r * 5 + c], real ? static_cast<int32_t>(rows[r] + 1) : 0);
            EXPECT_EQ(padded.attention_mask[r * 5 + c], real ? 1 : 0);
        }
    }
    const std::vector<size_t> outside = {1, 7};
    EXPECT_THROW(pad_batch(inputs, outside), std::out_of_range);
}

TEST(CheckpointTokenizer, MissingFolderIsAnError) {
    EXPECT_THROW(load_checkpoint_tokenizer("/nonexistent/checkpoint"), tokenizer::TokenizerError);
}

}  // namespace
}  // namespace spanguard::schemas
