// The heads' weight copies: exact, of the named shape, and read through the file, so a loaded
// model does not keep the checkpoint's pages of these tensors resident beside its copies.
#include "heads/weight_loading.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "tests/core/weights_test_support.h"

namespace spanguard::heads {
namespace {

TEST(HeadWeightLoading, CopiesAreExactAndLeaveTheMappingCold) {
    const int64_t count = 2, rows = 512, cols = 1024;  // 4 MiB per matrix
    std::vector<float> stacked(static_cast<size_t>(count * rows * cols));
    for (size_t i = 0; i < stacked.size(); ++i)
        stacked[i] = static_cast<float>(i % 7919) * 0.125f - 3.0f;
    const std::vector<float> vector(static_cast<size_t>(cols), 0.5f);
    const core::testing::TempDir dir;
    core::testing::write_bytes(dir.file("model.safetensors"),
                               core::testing::f32_safetensors({{"v", vector}, {"w", stacked}},
                                                              {{cols}, {count, rows, cols}}));
    const core::CheckpointWeights weights = core::CheckpointWeights::load_with_table(
        dir.path(), {{"v", {cols}}, {"w", {count, rows, cols}}}, "test");
    const core::WeightBuffer& source = weights.get("w").data;
    ASSERT_TRUE(source.is_borrowed());

    const std::vector<Matrix> matrices = load_stacked(weights, "w", count, rows, cols);
    ASSERT_EQ(matrices.size(), 2u);
    for (int64_t m = 0; m < count; ++m) {
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t c = 0; c < cols; ++c) {
                ASSERT_EQ(matrices[m](r, c),
                          stacked[static_cast<size_t>((m * rows + r) * cols + c)])
                    << "matrix " << m << " [" << r << ", " << c << "]";
            }
        }
    }
    const Vector v = load_vector(weights, "v", cols);
    EXPECT_EQ(v(cols - 1), 0.5f);
    // The header's page may be resident with whatever the kernel maps along with it (a 2 MiB folio
    // seen); the 8 MiB copied must not be.
    EXPECT_LT(core::testing::resident_kib_of_mapping(source.data()), 4096);

    core::testing::expect_error([&] { load_matrix(weights, "w", rows, cols); }, {"w"});
}

}  // namespace
}  // namespace spanguard::heads
