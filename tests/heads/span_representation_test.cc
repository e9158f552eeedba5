// markerV0 span representations (spec §3.1) against the formula applied span by span:
// out_project(ReLU(concat(project_start(w_i), project_end(w_{i+k})))), in double precision.
#include "heads/span_representation.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/util/error.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

struct Fixture {
    ReluMlp start, end, out;
    SpanMarkerV0 layer;
};

Fixture make(std::mt19937& rng, int64_t h, int max_width) {
    ReluMlp start = testing::random_mlp(rng, {h, 4 * h, h});
    ReluMlp end = testing::random_mlp(rng, {h, 4 * h, h});
    ReluMlp out = testing::random_mlp(rng, {2 * h, 4 * h, h});
    return {start, end, out, SpanMarkerV0(start, end, out, max_width)};
}

TEST(SpanMarkerV0, MatchesPerSpanFormulaAndRepeatsSpanZeroPastTheEnd) {
    std::mt19937 rng(11);
    const int64_t h = 6;
    const int k_max = 4;
    const Fixture f = make(rng, h, k_max);
    // 37 words: more than one parallel chunk and one 32-word block.
    const int64_t n = 37;
    const Matrix words = testing::random_matrix(rng, n, h, 1.0f);
    const Matrix spans = f.layer.compute(words);
    ASSERT_EQ(spans.rows(), n * k_max);
    ASSERT_EQ(spans.cols(), h);

    const testing::Mat w = testing::to_mat(words);
    for (int64_t i = 0; i < n; ++i) {
        for (int k = 0; k < k_max; ++k) {
            const int64_t row = i * k_max + k;
            if (i + k >= n) {
                // The reference gathers (0, 0) for spans past the last word.
                EXPECT_EQ(spans.row(row), spans.row(0)) << "i=" << i << " k=" << k;
                continue;
            }
            const std::vector<double> expected =
                testing::mlp(f.out, testing::relu(testing::concat(testing::mlp(f.start, w[i]),
                                                                  testing::mlp(f.end, w[i + k]))));
            for (int64_t c = 0; c < h; ++c)
                EXPECT_NEAR(spans(row, c), expected[c], 1e-5) << "i=" << i << " k=" << k;
        }
    }
}

TEST(SpanMarkerV0, OneWordAndNoWords) {
    std::mt19937 rng(3);
    const Fixture f = make(rng, 4, 8);
    const Matrix one = f.layer.compute(testing::random_matrix(rng, 1, 4));
    ASSERT_EQ(one.rows(), 8);
    for (int k = 1; k < 8; ++k)
        EXPECT_EQ(one.row(k), one.row(0));
    EXPECT_EQ(f.layer.compute(Matrix(0, 4)).rows(), 0);
}

TEST(SpanMarkerV0, RejectsBadShapes) {
    std::mt19937 rng(5);
    const int64_t h = 4;
    const ReluMlp good = testing::random_mlp(rng, {h, 4 * h, h});
    const ReluMlp out = testing::random_mlp(rng, {2 * h, 4 * h, h});
    EXPECT_THROW(SpanMarkerV0(good, good, out, 0), core::Error);
    EXPECT_THROW(SpanMarkerV0(good, good, testing::random_mlp(rng, {3 * h, 4 * h, h}), 8),
                 core::Error);
    EXPECT_THROW(SpanMarkerV0(good, good, testing::random_mlp(rng, {2 * h, h}), 8), core::Error);
    const SpanMarkerV0 layer(good, good, out, 8);
    EXPECT_THROW(layer.compute(Matrix::Ones(3, h + 1)), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
