// Quantize-at-load from a checkpoint file: packing reads the float32 weights through the file, so
// their pages never become resident, and gives the same packed bytes as packing from memory.
#include "core/weights/int8_weights.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/kernels/int8_gemm.h"
#include "core/weights/checkpoint_weights.h"
#include "core/weights/tensor_name_table.h"
#include "tests/core/weights_test_support.h"

namespace spanguard::core {
namespace {

TEST(Int8Weights, PackingFromTheFileMatchesPackingFromMemoryAndLeavesTheMappingCold) {
    const int64_t out = 1024, in = 2048;  // 8 MiB of float32
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    std::vector<float> weight(static_cast<size_t>(out * in)), bias(static_cast<size_t>(out));
    for (float& v : weight)
        v = normal(rng);
    for (float& v : bias)
        v = normal(rng);
    const testing::TempDir dir;
    testing::write_bytes(dir.file("model.safetensors"),
                         testing::f32_safetensors({{"layer.bias", bias}, {"layer.weight", weight}},
                                                  {{out}, {out, in}}));
    const CheckpointWeights weights = CheckpointWeights::load_with_table(
        dir.path(), {{"layer.bias", {out}}, {"layer.weight", {out, in}}}, "test");
    const WeightTensor& stored = weights.get("layer.weight");
    ASSERT_TRUE(stored.data.is_borrowed());

    LinearView view{stored.data.data(), weights.get("layer.bias").data.data(), out, in, "layer"};
    LinearView* views[] = {&view};
    quantize_linears_int8(views, weights);
    ASSERT_NE(view.int8, nullptr);
    // The header's page may be resident, with whatever the kernel maps along with it (a 2 MiB
    // folio seen); the weight's 8 MiB must not be, as packing read them through the descriptor.
    EXPECT_LT(testing::resident_kib_of_mapping(stored.data.data()), 4096);

    const PackedInt8Weight want = PackedInt8Weight::quantize(weight.data(), out, in, "layer");
    const PackedInt8Weight& got = *view.int8;
    const size_t data_bytes = static_cast<size_t>(want.column_blocks() * want.k_groups() * 64);
    EXPECT_EQ(0, std::memcmp(got.data(), want.data(), data_bytes));
    EXPECT_EQ(0, std::memcmp(got.scales(), want.scales(), static_cast<size_t>(out) * 4));
    EXPECT_EQ(0, std::memcmp(got.column_sums(), want.column_sums(), static_cast<size_t>(out) * 4));
}

TEST(Int8Weights, ANonFiniteWeightReadFromTheFileIsNamed) {
    const int64_t out = 40, in = 24;
    std::vector<float> weight(static_cast<size_t>(out * in), 0.25f);
    weight[static_cast<size_t>(37 * in + 5)] = -std::numeric_limits<float>::infinity();
    // The load's own check would reject the file first; build the weights in memory instead, so
    // the quantizer's check is the one that speaks.
    std::vector<std::pair<std::string, WeightTensor>> tensors;
    tensors.push_back({"layer.weight", WeightTensor{{out, in}, WeightBuffer(weight)}});
    const CheckpointWeights weights =
        CheckpointWeights::from_tensors(std::move(tensors), CountingLayer::kCountLstm);
    LinearView view{weights.get("layer.weight").data.data(), nullptr, out, in, "layer"};
    LinearView* views[] = {&view};
    testing::expect_error([&] { quantize_linears_int8(views, weights); },
                          {"layer: non-finite weight at [37, 5]"});
}

}  // namespace
}  // namespace spanguard::core
