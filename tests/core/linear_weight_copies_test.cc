// The encoder's aligned weight copies: bit-identical to the checkpoint, 64-byte aligned, read
// through the file (the mapping stays cold), and what linear() computes with them is unchanged.
#include "core/weights/linear_weight_copies.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/kernels/linear.h"
#include "core/weights/checkpoint_weights.h"
#include "tests/core/weights_test_support.h"

namespace spanguard::core {
namespace {

std::vector<float> random_values(size_t count, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 0.05f);
    std::vector<float> values(count);
    for (float& v : values)
        v = normal(rng);
    return values;
}

bool aligned_64(const void* p) {
    return reinterpret_cast<uintptr_t>(p) % 64 == 0;
}

TEST(LinearWeightCopies, CopiesAreExactAlignedAndLeaveTheMappingCold) {
    const int64_t out = 1024, in = 2048;        // 8 MiB of float32
    const int64_t small_out = 7, small_in = 5;  // a size that is not a multiple of 64 bytes
    const std::vector<float> weight = random_values(static_cast<size_t>(out * in), 1);
    const std::vector<float> bias = random_values(static_cast<size_t>(out), 2);
    const std::vector<float> small = random_values(static_cast<size_t>(small_out * small_in), 3);
    const testing::TempDir dir;
    // The bias first and the odd-sized tensor between, so no source is 64-byte aligned by chance.
    testing::write_bytes(dir.file("model.safetensors"),
                         testing::f32_safetensors(
                             {{"big.bias", bias}, {"odd.weight", small}, {"big.weight", weight}},
                             {{out}, {small_out, small_in}, {out, in}}));
    const CheckpointWeights weights = CheckpointWeights::load_with_table(
        dir.path(),
        {{"big.bias", {out}}, {"odd.weight", {small_out, small_in}}, {"big.weight", {out, in}}},
        "test");
    const WeightTensor& stored = weights.get("big.weight");
    ASSERT_TRUE(stored.data.is_borrowed());

    LinearView big{stored.data.data(), weights.get("big.bias").data.data(), out, in, "big"};
    LinearView odd{weights.get("odd.weight").data.data(), nullptr, small_out, small_in, "odd"};
    const LinearView original = big;
    LinearView* views[] = {&odd, &big};
    const std::shared_ptr<const void> block = copy_linear_weights(views, weights);
    ASSERT_NE(block, nullptr);

    EXPECT_NE(big.weight, stored.data.data());
    EXPECT_TRUE(aligned_64(big.weight));
    EXPECT_TRUE(aligned_64(big.bias));
    EXPECT_TRUE(aligned_64(odd.weight));
    EXPECT_EQ(odd.bias, nullptr);  // no bias stays no bias
    EXPECT_EQ(0, std::memcmp(big.weight, weight.data(), weight.size() * sizeof(float)));
    EXPECT_EQ(0, std::memcmp(big.bias, bias.data(), bias.size() * sizeof(float)));
    EXPECT_EQ(0, std::memcmp(odd.weight, small.data(), small.size() * sizeof(float)));
    // The header's page may be resident with whatever the kernel maps along with it (a 2 MiB folio
    // seen); the weight's 8 MiB must not be, as the copy read them through the descriptor.
    EXPECT_LT(testing::resident_kib_of_mapping(stored.data.data()), 4096);

    const RowMatrix x = RowMatrix::Random(9, in);
    RowMatrix want(9, out), got(9, out);
    linear(x, original, want);
    linear(x, big, got);
    EXPECT_EQ(0, std::memcmp(want.data(), got.data(), static_cast<size_t>(want.size()) * 4));
}

TEST(LinearWeightCopies, AMissingOrMisShapedTensorIsNamed) {
    const testing::TempDir dir;
    const std::vector<float> weight = random_values(12, 4);
    testing::write_bytes(dir.file("model.safetensors"),
                         testing::f32_safetensors({{"layer.weight", weight}}, {{3, 4}}));
    const CheckpointWeights weights =
        CheckpointWeights::load_with_table(dir.path(), {{"layer.weight", {3, 4}}}, "test");
    LinearView wrong_shape{weights.get("layer.weight").data.data(), nullptr, 4, 3, "layer"};
    LinearView* first[] = {&wrong_shape};
    testing::expect_error([&] { copy_linear_weights(first, weights); }, {"layer.weight"});
    float bias_value = 0.0f;
    LinearView missing_bias{weights.get("layer.weight").data.data(), &bias_value, 3, 4, "layer"};
    LinearView* second[] = {&missing_bias};
    testing::expect_error([&] { copy_linear_weights(second, weights); }, {"layer.bias"});
}

TEST(LinearWeightCopies, NothingToCopyGivesNoBlock) {
    const CheckpointWeights weights =
        CheckpointWeights::from_tensors({}, CountingLayer::kCountLstm);
    EXPECT_EQ(copy_linear_weights({}, weights), nullptr);
}

}  // namespace
}  // namespace spanguard::core
