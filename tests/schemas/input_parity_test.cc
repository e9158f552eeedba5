// Input parity with the upstream implementation: for every request of both parity goldens
// (shared/reference/parity/*.golden.json), build the encoder input from the request's api/args/
// kwargs and compare it with every encoder call the reference made (ids and attention mask,
// padded batch by batch). This is the independent truth for the whole text half: request parsing,
// linearisation, word splitting, sub-tokenisation, batching and long-text windows.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "schemas/prompt/input_batch.h"
#include "schemas/prompt/model_input.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/schema_parser.h"
#include "schemas_test_support.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(InputParity);

namespace spanguard::schemas {
namespace {

// What one golden request asks for, reduced to what shapes the encoder input.
struct Request {
    Schema schema;
    std::vector<std::string> texts;
    std::optional<size_t> max_len;
    size_t batch_size = 8;
    bool long_text = false;
    size_t chunk_size = kDefaultChunkSize;
    size_t chunk_overlap = kDefaultChunkOverlap;
};

Schema schema_for(const std::string& api, const Json& spec) {
    if (spec.is_string() && spec.get<std::string>().rfind("SCHEMA_", 0) == 0) {
        return schema_from_dict(testing::parity_schema_placeholder(spec.get<std::string>()));
    }
    if (api == "extract_entities" || api == "batch_extract_entities") {
        return schema_from_entity_types(spec);
    }
    if (api == "classify_text" || api == "batch_classify_text") {
        return schema_from_classification_tasks(spec);
    }
    if (api == "extract_relations") return schema_from_relation_types(spec);
    if (api == "extract_json") return schema_from_structures(spec);
    throw std::runtime_error("no schema rule for api " + api);
}

Request request_for(const Json& c) {
    const std::string api = c["api"].get<std::string>();
    const Json& args = c["args"];
    const Json& kwargs = c["kwargs"];
    Request r;
    r.schema = schema_for(api, args[1]);
    const bool batched = api.rfind("batch_", 0) == 0;
    if (batched) {
        for (const auto& t : args[0])
            r.texts.push_back(t.get<std::string>());
    } else {
        r.texts.push_back(args[0].get<std::string>());
        r.batch_size = 1;  // single-text APIs run the batch path with batch_size 1
    }
    r.long_text = api == "batch_extract_long";
    for (const auto& item : kwargs.items()) {
        const std::string& key = item.key();
        if (key == "max_len") {
            r.max_len = item.value().get<size_t>();
        } else if (key == "batch_size") {
            r.batch_size = item.value().get<size_t>();
        } else if (key == "chunk_size") {
            r.chunk_size = item.value().get<size_t>();
        } else if (key == "chunk_overlap") {
            r.chunk_overlap = item.value().get<size_t>();
        } else if (key != "threshold" && key != "include_confidence" && key != "include_spans") {
            // A new kwarg may change the input: make the test fail rather than guess.
            throw std::runtime_error("kwarg " + key + " is not understood by this test");
        }
    }
    return r;
}

std::vector<ModelInput> build_inputs(const ModelInputBuilder& builder, const Request& r) {
    if (!r.long_text) return builder.build_batch(r.schema, r.texts, r.max_len);
    // The *_long APIs run every window of every text as one flat batch, with max_len=chunk_size.
    const PromptEncoding prompt = builder.encode_prompt(r.schema);
    std::vector<ModelInput> inputs;
    for (const auto& text : r.texts) {
        for (const auto& w : split_text_windows(text, r.chunk_size, r.chunk_overlap)) {
            inputs.push_back(builder.build(prompt, w.text, r.chunk_size));
        }
    }
    return inputs;
}

std::vector<int32_t> flatten(const Json& rows) {
    std::vector<int32_t> out;
    for (const auto& row : rows) {
        for (const auto& v : row)
            out.push_back(v.get<int32_t>());
    }
    return out;
}

// Where two id rows first differ, with the pieces around it, for a readable failure.
std::string describe_difference(const tokenizer::Tokenizer& tok, const std::vector<int32_t>& want,
                                const std::vector<int32_t>& got, size_t length) {
    for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
        if (want[i] == got[i]) continue;
        const size_t row = i / length;
        const size_t col = i % length;
        std::ostringstream out;
        out << "first difference at row " << row << " position " << col << ":";
        const size_t from = col >= 3 ? i - 3 : i - col;
        for (size_t j = from; j < i + 4 && j < want.size() && j < got.size(); ++j) {
            out << "\n  [" << j % length << "] expected " << want[j] << " '"
                << tok.id_to_token(want[j]) << "', built " << got[j] << " '"
                << tok.id_to_token(got[j]) << "'";
        }
        return out.str();
    }
    return "sizes differ: expected " + std::to_string(want.size()) + ", built " +
           std::to_string(got.size());
}

struct Tally {
    size_t requests = 0;
    size_t requests_identical = 0;
    size_t calls = 0;
    size_t calls_identical = 0;
    size_t sequences = 0;  // rows of the encoder calls: one per text or long-text window
    size_t sequences_identical = 0;
};

void check_golden(const std::string& checkpoint, Tally& tally) {
    const std::string path = testing::parity_dir("") + checkpoint + ".golden.json";
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot open " << path;
    const Json golden = Json::parse(in);
    // Each checkpoint's own tokenizer, as an engine would load it.
    const auto tok = load_checkpoint_tokenizer(testing::parity_dir(checkpoint));
    const ModelInputBuilder builder(tok);

    const Json& cases = golden["cases"];
    ASSERT_GT(cases.size(), 0u);
    for (size_t c = 0; c < cases.size(); ++c) {
        const Json& golden_case = cases[c];
        SCOPED_TRACE(checkpoint + " case " + std::to_string(c) + " (" +
                     golden_case["api"].get<std::string>() + ")");
        ++tally.requests;
        const Json& calls = golden_case["encoder_calls"];
        tally.calls += calls.size();
        const Request request = request_for(golden_case);
        const std::vector<ModelInput> inputs = build_inputs(builder, request);

        const size_t built_calls = (inputs.size() + request.batch_size - 1) / request.batch_size;
        EXPECT_EQ(built_calls, calls.size()) << inputs.size() << " inputs";
        bool all_identical = built_calls == calls.size();
        for (size_t k = 0; k < calls.size() && k < built_calls; ++k) {
            const size_t first = k * request.batch_size;
            const size_t count = std::min(request.batch_size, inputs.size() - first);
            const PaddedBatch batch = pad_batch(inputs, first, count);
            const auto want_ids = flatten(calls[k]["input_ids"]);
            const auto want_mask = flatten(calls[k]["attention_mask"]);
            const bool same = calls[k]["input_ids"].size() == batch.rows &&
                              want_ids == batch.input_ids && want_mask == batch.attention_mask;
            EXPECT_TRUE(same) << "encoder call " << k << ": "
                              << describe_difference(tok, want_ids, batch.input_ids, batch.length);
            if (same) ++tally.calls_identical;
            // Row by row too: a sequence is one text or one long-text window.
            const Json& want_rows = calls[k]["input_ids"];
            const Json& want_masks = calls[k]["attention_mask"];
            tally.sequences += want_rows.size();
            for (size_t row = 0; row < want_rows.size() && row < batch.rows; ++row) {
                const size_t at = row * batch.length;
                const std::vector<int32_t> built_ids(batch.input_ids.begin() + at,
                                                     batch.input_ids.begin() + at + batch.length);
                const std::vector<int32_t> built_mask(
                    batch.attention_mask.begin() + at,
                    batch.attention_mask.begin() + at + batch.length);
                if (want_rows[row].get<std::vector<int32_t>>() == built_ids &&
                    want_masks[row].get<std::vector<int32_t>>() == built_mask) {
                    ++tally.sequences_identical;
                }
            }
            all_identical = all_identical && same;
        }
        if (all_identical) ++tally.requests_identical;
    }
}

TEST(InputParity, EveryEncoderCallOfBothGoldens) {
    Tally tally;
    for (const char* checkpoint : {"tiny_count_lstm_v2", "tiny_count_lstm_f16"}) {
        check_golden(checkpoint, tally);
    }
    std::ostringstream summary;
    summary << tally.requests_identical << "/" << tally.requests << " requests, "
            << tally.calls_identical << "/" << tally.calls << " encoder calls, "
            << tally.sequences_identical << "/" << tally.sequences << " sequences identical";
    std::cout << "input parity: " << summary.str() << std::endl;
    RecordProperty("input_parity", summary.str());
    EXPECT_EQ(tally.requests, 54u);  // 27 requests per golden
    EXPECT_EQ(tally.requests_identical, tally.requests);
    EXPECT_EQ(tally.calls_identical, tally.calls);
    EXPECT_EQ(tally.sequences_identical, tally.sequences);
}

}  // namespace
}  // namespace spanguard::schemas
