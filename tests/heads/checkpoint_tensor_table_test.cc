// The checkpoint tensor table (encoder: core/weights/tensor_name_table.h, heads:
// heads/head_tensor_names.h) against the independently derived inventory in
// reference/gliner2_tensor_shapes_derived.json: gliner2-base-v1 name by name, and the published
// tensor/parameter totals for base, large and multi.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "heads/head_tensor_names.h"
#include "shared_fixtures.h"
#include "tests/core/weights_test_support.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(TensorNameTableTest);

namespace spanguard::core {
namespace {

nlohmann::ordered_json derived() {
    std::ifstream in(testing::shared_path("reference/gliner2_tensor_shapes_derived.json"));
    return nlohmann::ordered_json::parse(in);
}

EncoderConfig base_encoder() {
    return load_encoder_config(
        testing::shared_path("reference/encoder_config_deberta-v3-base.reconstructed.json"));
}

int64_t total(const std::vector<ExpectedTensor>& table) {
    int64_t n = 0;
    for (const ExpectedTensor& t : table)
        n += t.numel();
    return n;
}

TEST(TensorNameTableTest, BaseMatchesTheDerivedInventoryNameByName) {
    const auto reference = derived()["gliner2-base-v1"];
    const std::vector<ExpectedTensor> table =
        heads::expected_checkpoint_tensors(base_encoder(), CountingLayer::kCountLstmV2);
    ASSERT_EQ(reference.size(), 255u);
    ASSERT_EQ(table.size(), 255u);
    size_t i = 0;
    for (const auto& [name, shape] : reference.items()) {
        EXPECT_EQ(table[i].name, name) << "position " << i;  // same order too
        EXPECT_EQ(table[i].shape, shape.get<std::vector<int64_t>>()) << name;
        ++i;
    }
    EXPECT_EQ(total(table), 208'476'821);
    const auto summary = derived()["summary"]["gliner2-base-v1 (deberta-v3-base, count_lstm_v2)"];
    EXPECT_EQ(total(table), summary["num_params"].get<int64_t>());

    int64_t encoder_params = 0;
    for (const ExpectedTensor& t : table) {
        if (t.name.starts_with("encoder.")) encoder_params += t.numel();
    }
    EXPECT_EQ(encoder_params, summary["encoder_params"].get<int64_t>());
}

TEST(TensorNameTableTest, LargeAndMultiTotalsMatchTheSummary) {
    const auto summary = derived()["summary"];
    EncoderConfig large = base_encoder();
    large.hidden_size = 1024;
    large.num_hidden_layers = 24;
    large.num_attention_heads = 16;
    large.intermediate_size = 4096;
    // The summary shows large with count_lstm_v2 (its real counting layer is unverified).
    const auto large_table = heads::expected_checkpoint_tensors(large, CountingLayer::kCountLstmV2);
    const auto& large_ref = summary
        ["gliner2-large-v1 (deberta-v3-large, counting layer UNVERIFIED - shown as count_lstm_v2)"];
    EXPECT_EQ(large_table.size(), large_ref["num_tensors"].get<size_t>());
    EXPECT_EQ(total(large_table), large_ref["num_params"].get<int64_t>());

    EncoderConfig multi = base_encoder();
    multi.vocab_size = 250112;
    const auto multi_table = heads::expected_checkpoint_tensors(multi, CountingLayer::kCountLstm);
    const auto& multi_ref = summary["gliner2-multi-v1 (mdeberta-v3-base, count_lstm)"];
    EXPECT_EQ(multi_table.size(), multi_ref["num_tensors"].get<size_t>());
    EXPECT_EQ(total(multi_table), multi_ref["num_params"].get<int64_t>());
    EXPECT_EQ(total(multi_table), 307'098'645);
}

TEST(TensorNameTableTest, ParityCheckpointsHoldExactlyTheirTables) {
    // The two upstream-generated checkpoints: names and shapes in the file header (read with
    // nlohmann here, independently of the library's safetensors reader) equal the table.
    for (const auto& [name, counting] :
         {std::pair{std::string("tiny_count_lstm_v2"), CountingLayer::kCountLstmV2},
          std::pair{std::string("tiny_count_lstm_f16"), CountingLayer::kCountLstm}}) {
        SCOPED_TRACE(name);
        const std::string folder = testing::parity_checkpoint(name);
        std::ifstream in(folder + "/model.safetensors", std::ios::binary);
        uint64_t length = 0;
        in.read(reinterpret_cast<char*>(&length), 8);
        std::string header(length, '\0');
        in.read(header.data(), static_cast<std::streamsize>(length));
        const auto entries = nlohmann::json::parse(header);
        const auto table = heads::expected_checkpoint_tensors(
            load_encoder_config(folder + "/encoder_config/config.json"), counting);
        EXPECT_EQ(table.size(), entries.size());
        for (const ExpectedTensor& t : table) {
            ASSERT_TRUE(entries.contains(t.name)) << t.name;
            EXPECT_EQ(entries[t.name]["shape"].get<std::vector<int64_t>>(), t.shape) << t.name;
        }
    }
}

TEST(TensorNameTableTest, MoeVariantFollowsTheReferenceModule) {
    EncoderConfig c = base_encoder();
    const auto table = heads::expected_checkpoint_tensors(c, CountingLayer::kCountLstmMoe);
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto& t : table)
        shapes[t.name] = t.shape;
    EXPECT_EQ(shapes.at("count_embed.w1"), (std::vector<int64_t>{4, 768, 1536}));
    EXPECT_EQ(shapes.at("count_embed.b1"), (std::vector<int64_t>{4, 1536}));
    EXPECT_EQ(shapes.at("count_embed.w2"), (std::vector<int64_t>{4, 1536, 768}));
    EXPECT_EQ(shapes.at("count_embed.b2"), (std::vector<int64_t>{4, 768}));
    EXPECT_EQ(shapes.at("count_embed.router.0.weight"), (std::vector<int64_t>{768, 768}));
    EXPECT_EQ(shapes.at("count_embed.router.2.weight"), (std::vector<int64_t>{4, 768}));
    EXPECT_EQ(shapes.count("count_embed.projector.0.weight"), 0u);
    EXPECT_EQ(shapes.count("count_embed.transformer.in_projector.weight"), 0u);
}

TEST(TensorNameTableTest, RelativeEmbeddingRowsFollowTheBuckets) {
    EncoderConfig c = base_encoder();
    c.position_buckets = 128;
    const auto table = heads::expected_checkpoint_tensors(c, CountingLayer::kCountLstm);
    const auto it = std::find_if(table.begin(), table.end(), [](const ExpectedTensor& t) {
        return t.name == "encoder.encoder.rel_embeddings.weight";
    });
    ASSERT_NE(it, table.end());
    EXPECT_EQ(it->shape, (std::vector<int64_t>{256, 768}));
}

}  // namespace
}  // namespace spanguard::core
