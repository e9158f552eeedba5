// GLiNER v1 against the upstream runtime's own outputs (shared/reference/parity_v1/README.md):
// for every request of both goldens (span markerV0 + LSTM in F32, token_level in F16), the input
// ids and word ids of every encoder call are identical, the hidden states and logits agree within
// 1e-4, and the decoded entities are identical (start, end, text, label; score within 1e-5),
// except a decision whose probability lies within 1e-5 of its threshold. Where upstream raised
// (an empty text, padded word positions in a token_level batch), spanguard's answer is checked
// against what the text alone gives instead.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "schemas/gliner_v1/v1_model.h"
#include "schemas/schema/json_values.h"
#include "shared_fixtures.h"

SPANGUARD_SUITE_NEEDS_SHARED(GlinerV1Parity);

namespace spanguard::schemas {
namespace {

Json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return Json::parse(in);
}

std::string parity_dir() {
    return spanguard::testing::shared_dir() + "/reference/parity_v1";
}

struct Call {
    std::vector<std::string> texts;
    std::vector<std::string> labels;
    V1PredictOptions options;
    bool batched = false;  // batch_predict_entities / run: a list per text
};

Call parse_call(const Json& c) {
    Call call;
    const std::string api = c["api"].get<std::string>();
    const Json& args = c["args"];
    if (api == "predict_entities") {
        call.texts = {args[0].get<std::string>()};
    } else {
        call.batched = true;
        call.texts = args[0].get<std::vector<std::string>>();
    }
    call.labels = args[1].get<std::vector<std::string>>();
    const Json& kw = c["kwargs"];
    call.options.threshold = kw.value("threshold", 0.5);
    call.options.flat_ner = kw.value("flat_ner", true);
    call.options.multi_label = kw.value("multi_label", false);
    call.options.batch_size = kw.value("batch_size", call.texts.size());
    call.options.deduplicate_labels = api != "run";
    call.options.long_text = LongText::kTruncate;  // upstream's single pass
    return call;
}

// Entities of one text as upstream lists them.
void expect_same_entities(const Json& expected, const V1Result& got, double threshold,
                          const std::string& where, int& near_threshold) {
    std::vector<const V1Entity*> mine;
    for (const V1Entity& e : got.entities)
        mine.push_back(&e);
    size_t i = 0, j = 0;
    while (i < expected.size() || j < mine.size()) {
        if (i < expected.size() && j < mine.size() &&
            expected[i]["start"].get<size_t>() == mine[j]->start &&
            expected[i]["end"].get<size_t>() == mine[j]->end &&
            expected[i]["label"].get<std::string>() == mine[j]->label) {
            EXPECT_EQ(expected[i]["text"].get<std::string>(), mine[j]->text) << where;
            EXPECT_NEAR(expected[i]["score"].get<double>(), mine[j]->score, 1e-5) << where;
            ++i, ++j;
            continue;
        }
        // A decision only the other side made must sit at the threshold.
        const double score =
            i < expected.size() &&
                    (j >= mine.size() || expected[i]["start"].get<size_t>() <= mine[j]->start)
                ? expected[i++]["score"].get<double>()
                : mine[j++]->score;
        EXPECT_LT(std::abs(score - threshold), 1e-5)
            << where << ": an entity with score " << score << " differs";
        ++near_threshold;
    }
}

class GlinerV1Parity : public ::testing::TestWithParam<const char*> {};

TEST_P(GlinerV1Parity, ReproducesTheUpstreamGolden) {
    const std::string name = GetParam();
    const Json golden = read_json(parity_dir() + "/" + name + ".golden.json");
    V1ModelOptions load_options;
    // The goldens' encoder is Microsoft's DeBERTa code (README); it differs from Hugging Face's
    // only past 512 tokens, which case 16 reaches.
    load_options.relative_distances = core::RelativeDistanceConvention::kMicrosoft;
    const V1Model model = V1Model::load(parity_dir() + "/" + name, load_options);
    const bool token_level = model.config().span_mode == "token_level";
    double max_hidden = 0, max_logit = 0;
    int near_threshold = 0, upstream_errors = 0;
    for (size_t k = 0; k < golden["cases"].size(); ++k) {
        const Json& c = golden["cases"][k];
        const std::string where = name + " case " + std::to_string(k);
        const Call call = parse_call(c);
        std::vector<std::string> labels = call.labels;
        if (call.options.deduplicate_labels) {
            std::vector<std::string> unique;
            for (const auto& l : labels)
                if (std::find(unique.begin(), unique.end(), l) == unique.end()) unique.push_back(l);
            labels = unique;
        }
        // Layer by layer: every encoder call of the case.
        const std::vector<V1Forward> passes =
            model.forward(call.texts, labels, call.options.batch_size);
        size_t text = 0;
        for (const Json& enc : c["encoder_calls"]) {
            const Json& ids = enc["input_ids"];
            const Json& hidden = enc["last_hidden_state"];
            for (size_t b = 0; b < ids.size(); ++b, ++text) {
                ASSERT_LT(text, passes.size()) << where;
                const V1Forward& f = passes[text];
                const auto& row = ids[b];
                ASSERT_GE(row.size(), f.input.input_ids.size()) << where;
                for (size_t t = 0; t < row.size(); ++t) {
                    const int32_t expected = row[t].get<int32_t>();
                    if (t < f.input.input_ids.size()) {
                        ASSERT_EQ(expected, f.input.input_ids[t]) << where << " token " << t;
                        for (Eigen::Index d = 0; d < f.hidden.cols(); ++d) {
                            const double diff =
                                std::abs(hidden[b][t][static_cast<size_t>(d)].get<double>() -
                                         f.hidden(static_cast<Eigen::Index>(t), d));
                            max_hidden = std::max(max_hidden, diff);
                        }
                    } else {
                        ASSERT_EQ(expected, 0) << where << ": padding";
                    }
                }
            }
        }
        ASSERT_EQ(text, passes.size()) << where;
        // Word ids of every tokenizer call.
        ASSERT_EQ(c["tokenizer_calls"].size(), passes.size()) << where;
        for (size_t t = 0; t < passes.size(); ++t) {
            const Json& expected = c["tokenizer_calls"][t]["word_ids"];
            const std::vector<int32_t>& got = passes[t].input.word_ids;
            ASSERT_EQ(expected.size(), got.size()) << where;
            for (size_t i = 0; i < got.size(); ++i)
                ASSERT_EQ(expected[i].is_null() ? -1 : expected[i].get<int32_t>(), got[i]) << where;
        }
        // Logits: [B, L, K, C] (span) or [3, B, L, C] (token), real words only.
        text = 0;
        for (const Json& logits : c["logits"]) {
            const std::vector<size_t> shape = logits["shape"].get<std::vector<size_t>>();
            const Json& values = logits["values"];
            const size_t batch = token_level ? shape[1] : shape[0];
            for (size_t b = 0; b < batch; ++b, ++text) {
                const V1Forward& f = passes[text];
                const size_t words = f.input.word_positions.size();
                const size_t types = labels.size();
                if (token_level) {
                    for (size_t kind = 0; kind < 3; ++kind)
                        for (size_t w = 0; w < words; ++w)
                            for (size_t ci = 0; ci < types; ++ci)
                                max_logit = std::max(
                                    max_logit, std::abs(values[kind][b][w][ci].get<double>() -
                                                        f.logits[(kind * words + w) * types + ci]));
                } else {
                    const size_t width = shape[2];
                    for (size_t w = 0; w < words; ++w)
                        for (size_t kw = 0; kw < width && w + kw < words; ++kw)
                            for (size_t ci = 0; ci < types; ++ci)
                                max_logit = std::max(
                                    max_logit, std::abs(values[b][w][kw][ci].get<double>() -
                                                        f.logits[(w * width + kw) * types + ci]));
                }
            }
        }
        // Decoded entities.
        const std::vector<V1Result> got = model.predict(call.texts, call.labels, call.options);
        ASSERT_EQ(got.size(), call.texts.size()) << where;
        std::vector<std::string> warnings;
        for (const V1Result& r : got)
            for (const std::string& w : r.warnings)
                warnings.push_back("UserWarning: " + w);
        EXPECT_EQ(c["warnings"].get<std::vector<std::string>>(), warnings) << where;
        if (!c["error"].is_null()) {
            // Upstream raised; the right answer for each text is what it gives alone, and an
            // empty text has no entities.
            ++upstream_errors;
            for (size_t t = 0; t < call.texts.size(); ++t) {
                const V1Result alone = model.predict({call.texts[t]}, call.labels, call.options)[0];
                ASSERT_EQ(alone.entities.size(), got[t].entities.size()) << where;
                for (size_t e = 0; e < alone.entities.size(); ++e) {
                    EXPECT_EQ(alone.entities[e].start, got[t].entities[e].start) << where;
                    EXPECT_EQ(alone.entities[e].end, got[t].entities[e].end) << where;
                    EXPECT_EQ(alone.entities[e].label, got[t].entities[e].label) << where;
                }
                if (call.texts[t].find_first_not_of(" \t\n") == std::string::npos) {
                    EXPECT_TRUE(got[t].entities.empty()) << where;
                }
            }
            continue;
        }
        const Json& result = c["result"];
        if (call.batched) {
            ASSERT_EQ(result.size(), got.size()) << where;
            for (size_t t = 0; t < got.size(); ++t)
                expect_same_entities(result[t], got[t], call.options.threshold,
                                     where + " text " + std::to_string(t), near_threshold);
        } else {
            expect_same_entities(result, got[0], call.options.threshold, where, near_threshold);
        }
    }
    EXPECT_LT(max_hidden, 1e-4);
    EXPECT_LT(max_logit, 1e-4);
    std::cout << name << ": " << golden["cases"].size() << " cases, max |dh| = " << max_hidden
              << ", max |dlogit| = " << max_logit << ", decisions at the threshold "
              << near_threshold << ", upstream errors answered " << upstream_errors << "\n";
}

INSTANTIATE_TEST_SUITE_P(BothModes, GlinerV1Parity, ::testing::Values("span_v1", "token_v1"));

}  // namespace
}  // namespace spanguard::schemas
