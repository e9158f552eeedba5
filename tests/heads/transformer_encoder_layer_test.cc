// The count_lstm_v2 transformer layer (post-norm nn.TransformerEncoderLayer in eval mode) against
// a scalar re-implementation.
#include "heads/transformer_encoder_layer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/util/error.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

TEST(TransformerEncoderLayer, MatchesScalarReferencePerSequence) {
    std::mt19937 rng(21);
    const int64_t d = 8, ffn = 12, len = 3, batch = 4;
    const int heads = 2;
    const testing::TransformerParams p = testing::random_transformer_params(rng, d, ffn);
    const TransformerEncoderLayer layer(p.in_proj, p.out_proj, p.linear1, p.linear2, p.norm1,
                                        p.norm2, heads);
    const Matrix x = testing::random_matrix(rng, batch * len, d, 1.0f);
    const Matrix y = layer.apply(x, len);
    ASSERT_EQ(y.rows(), batch * len);
    // Each block of `len` rows is its own sequence: attention must not cross blocks.
    for (int64_t b = 0; b < batch; ++b) {
        const testing::Mat expected = testing::reference_transformer_layer(
            p, heads, testing::to_mat(x.middleRows(b * len, len)));
        for (int64_t i = 0; i < len; ++i)
            for (int64_t c = 0; c < d; ++c)
                EXPECT_NEAR(y(b * len + i, c), expected[i][c], 2e-5) << "b=" << b << " i=" << i;
    }
}

TEST(TransformerEncoderLayer, RejectsBadShapes) {
    std::mt19937 rng(2);
    const testing::TransformerParams p = testing::random_transformer_params(rng, 8, 12);
    EXPECT_THROW(
        TransformerEncoderLayer(p.in_proj, p.out_proj, p.linear1, p.linear2, p.norm1, p.norm2, 3),
        core::Error);
    const TransformerEncoderLayer layer(p.in_proj, p.out_proj, p.linear1, p.linear2, p.norm1,
                                        p.norm2, 2);
    EXPECT_THROW(layer.apply(Matrix::Ones(5, 8), 2), core::Error);
    EXPECT_THROW(layer.apply(Matrix::Ones(4, 7), 2), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
