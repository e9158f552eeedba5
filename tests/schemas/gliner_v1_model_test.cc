// GLiNER v1 folders behind the task layer: Model::load recognises them, entity requests give the
// V1Model's entities in the usual result shapes, other tasks are refused by name, texts over
// max_len words are read in windows (or cut, upstream's way, with its warning), a folder with
// only pytorch_model.bin predicts exactly what its model.safetensors twin does, and one model
// serves many threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "core/util/error.h"
#include "core/weights/gliner_v1_config.h"
#include "schemas/gliner_v1/v1_model.h"
#include "schemas/model.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "shared_fixtures.h"

SPANGUARD_SUITE_NEEDS_SHARED(GlinerV1Model);

namespace spanguard::schemas {
namespace {

namespace fs = std::filesystem;

std::string parity(const std::string& name) {
    return spanguard::testing::shared_dir() + "/reference/parity_v1/" + name;
}

const char* const kText =
    "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details. Maria "
    "Garcia flew from Madrid to Berlin on 3 March 2024 with Lufthansa.";
const std::vector<std::string> kLabels = {"person", "organization", "location", "email"};

// A copy of `name` with gliner_config.json's max_len replaced and, optionally, without its
// model.safetensors.
std::string copy_folder(const std::string& name, const std::string& tag, int max_len,
                        bool drop_safetensors) {
    const fs::path out =
        fs::path(::testing::TempDir()) / ("spanguard_v1_" + std::to_string(::getpid()) + "_" + tag);
    fs::remove_all(out);
    fs::copy(parity(name), out, fs::copy_options::recursive);
    for (const fs::path& p : fs::directory_iterator(out))
        fs::permissions(p, fs::perms::owner_write, fs::perm_options::add);
    if (drop_safetensors) fs::remove(out / "model.safetensors");
    if (max_len > 0) {
        std::ifstream in(out / "gliner_config.json");
        Json config = Json::parse(in);
        config["max_len"] = max_len;
        std::ofstream(out / "gliner_config.json") << config.dump();
    }
    return out.string();
}

std::set<std::tuple<size_t, size_t, std::string>> spans_of(const V1Result& r) {
    std::set<std::tuple<size_t, size_t, std::string>> out;
    for (const V1Entity& e : r.entities)
        out.insert({e.start, e.end, e.label});
    return out;
}

std::string long_text(int copies) {
    std::string text;
    for (int i = 0; i < copies; ++i)
        text += std::string(kText) + " ";
    return text;
}

TEST(GlinerV1Model, TaskLayerRequestsGiveTheV1Entities) {
    const Model model = Model::load(parity("span_v1"));
    ASSERT_TRUE(model.is_gliner_v1());
    const V1Model v1 = V1Model::load(parity("span_v1"));
    Json types = Json::array();
    for (const auto& l : kLabels)
        types.push_back(l);
    const Schema schema = schema_from_entity_types(types, "labels");
    for (double threshold : {0.3, 0.5}) {
        ExtractOptions options;
        options.threshold = threshold;
        const spanguard::Extraction typed = model.extract_typed({kText}, schema, options).front();
        V1PredictOptions v1_options;
        v1_options.threshold = threshold;
        const V1Result expected = v1.predict({kText}, kLabels, v1_options).front();
        ASSERT_FALSE(expected.entities.empty());
        std::set<std::tuple<size_t, size_t, std::string>> got;
        for (const spanguard::Entity& e : typed.entities) {
            got.insert({e.start, e.end, e.label});
            EXPECT_EQ(std::string(kText).substr(e.start, e.end - e.start), e.text);
        }
        EXPECT_EQ(spans_of(expected), got);
        // JSON: every type present, in request order.
        options.include_spans = true;
        const Json json = model.extract(kText, schema, options);
        ASSERT_EQ(json["entities"].size(), kLabels.size());
        size_t items = 0;
        for (const auto& [label, list] : json["entities"].items())
            items += list.size();
        EXPECT_EQ(items, expected.entities.size());
    }
}

TEST(GlinerV1Model, OtherTasksAreRefusedByName) {
    const Model model = Model::load(parity("span_v1"));
    auto refused = [&](const char* schema_json, const char* where) {
        try {
            model.extract("Tim Cook", schema_from_dict(Json::parse(schema_json)));
            ADD_FAILURE() << schema_json << " was accepted";
        } catch (const RequestError& e) {
            EXPECT_EQ(e.path(), where) << e.what();
        }
    };
    refused(R"({"classifications": [{"task": "t", "labels": ["a", "b"]}]})", "schema");
    refused(R"({"entities": {"person": "a human being"}})", "entities.person");
    refused(R"({"entities": {"person": {"threshold": 0.2}}})", "entities.person");
    EXPECT_THROW(model.classification_probabilities(
                     {"x"}, schema_from_dict(Json::parse(R"({"entities": ["person"]})"))),
                 RequestError);
    const V1Model v1 = V1Model::load(parity("span_v1"));
    try {
        v1.predict({"x"}, {"person", "a <<ENT>> b"});
        ADD_FAILURE() << "a type name holding the marker was accepted";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "labels[1]");
    }
    EXPECT_THROW(v1.predict({"x"}, {}), RequestError);
    try {
        model.extract("bad \xff byte", schema_from_dict(Json::parse(R"({"entities": ["a"]})")));
        ADD_FAILURE() << "invalid UTF-8 accepted";
    } catch (const RequestError& e) {
        EXPECT_EQ(e.path(), "text");
    }
}

TEST(GlinerV1Model, LongTextsAreReadInWindowsOrCutWithUpstreamsWarning) {
    const V1Model model = V1Model::load(copy_folder("span_v1", "window", 32, false));
    const std::string text = long_text(8);  // about 260 words
    const size_t words = split_v1_words(text).size();
    ASSERT_GT(words, 200u);
    V1PredictOptions options;
    options.threshold = 0.3;
    options.window_overlap = 8;
    const V1Result windowed = model.predict({text}, kLabels, options).front();
    const size_t cut_at = split_v1_words(text)[32].start_cp;
    size_t past_cut = 0;
    for (const V1Entity& e : windowed.entities) {
        EXPECT_EQ(text.substr(e.start_byte, e.end_byte - e.start_byte), e.text);
        past_cut += e.start >= cut_at;
    }
    EXPECT_GT(past_cut, 0u);
    EXPECT_TRUE(windowed.warnings.empty());
    // Entities never overlap in flat mode, windows or not.
    for (size_t a = 0; a + 1 < windowed.entities.size(); ++a)
        EXPECT_LE(windowed.entities[a].end, windowed.entities[a + 1].start);

    options.long_text = LongText::kTruncate;
    const V1Result cut = model.predict({text}, kLabels, options).front();
    ASSERT_EQ(cut.warnings.size(), 1u);
    EXPECT_EQ(cut.warnings[0],
              "Sentence of length " + std::to_string(words) + " has been truncated to 32");
    for (const V1Entity& e : cut.entities)
        EXPECT_LT(e.start, cut_at);

    // A text within max_len reads the same either way.
    const std::string short_text = kText;
    V1PredictOptions single = options;
    single.long_text = LongText::kWindows;
    const V1Model full = V1Model::load(parity("span_v1"));
    EXPECT_EQ(spans_of(full.predict({short_text}, kLabels, single).front()),
              spans_of(full.predict({short_text}, kLabels, options).front()));
}

TEST(GlinerV1Model, ConfigWithoutEncoderConfigUsesTheNamedBackbone) {
    const std::string dir = ::testing::TempDir();
    const core::GlinerV1Config base = core::parse_gliner_v1_config(
        R"({"model_name": "microsoft/deberta-v3-base", "vocab_size": 128004,
            "span_mode": "markerV0", "hidden_size": 512, "encoder_config": null})",
        dir);
    EXPECT_EQ(base.encoder.hidden_size, 768);
    EXPECT_EQ(base.encoder.num_hidden_layers, 12);
    EXPECT_EQ(base.encoder.vocab_size, 128004);  // resized for the added tokens
    const core::GlinerV1Config multi = core::parse_gliner_v1_config(
        R"({"model_name": "microsoft/mdeberta-v3-base", "vocab_size": -1})", dir);
    EXPECT_EQ(multi.encoder.vocab_size, 251000);
    for (const char* bad :
         {R"({"model_name": "someone/unknown-encoder"})",
          R"({"span_mode": "markerV1", "model_name": "microsoft/deberta-v3-base"})",
          R"({"labels_encoder": "BAAI/bge-small-en-v1.5"})", R"({"fuse_layers": true})"}) {
        try {
            core::parse_gliner_v1_config(bad, dir);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const core::Error& e) {
            EXPECT_NE(std::string(e.what()).find("gliner_config.json"), std::string::npos)
                << e.what();
        }
    }
}

TEST(GlinerV1Model, PytorchBinFolderPredictsWhatSafetensorsDoes) {
    const V1Model from_bin = V1Model::load(copy_folder("token_v1", "bin", 0, true));
    const V1Model from_safetensors = V1Model::load(parity("token_v1"));
    V1PredictOptions options;
    options.threshold = 0.3;
    const auto a = from_bin.predict({kText, "Maria Garcia"}, kLabels, options);
    const auto b = from_safetensors.predict({kText, "Maria Garcia"}, kLabels, options);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].entities.size(), b[i].entities.size());
        for (size_t e = 0; e < a[i].entities.size(); ++e) {
            EXPECT_EQ(a[i].entities[e].start, b[i].entities[e].start);
            EXPECT_EQ(a[i].entities[e].score, b[i].entities[e].score);  // same float32 weights
        }
    }
}

TEST(GlinerV1Model, OneModelServesManyThreads) {
    const V1Model model = V1Model::load(parity("span_v1"));
    V1PredictOptions options;
    options.threshold = 0.3;
    const std::vector<std::string> texts = {kText, "Angela Merkel met Emmanuel Macron.", ""};
    const auto expected = model.predict(texts, kLabels, options);
    std::vector<std::thread> threads;
    std::vector<int> same(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 5; ++round) {
                const auto got = model.predict(texts, kLabels, options);
                bool ok = got.size() == expected.size();
                for (size_t i = 0; ok && i < got.size(); ++i)
                    ok = spans_of(got[i]) == spans_of(expected[i]);
                same[t] += ok;
            }
        });
    }
    for (auto& th : threads)
        th.join();
    for (int t = 0; t < 4; ++t)
        EXPECT_EQ(same[t], 5);
}

}  // namespace
}  // namespace spanguard::schemas
