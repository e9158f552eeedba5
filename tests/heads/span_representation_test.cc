// markerV0 span representations (GLINER2.md §3.1) against the formula applied span by span:
// out_project(ReLU(concat(project_start(w_i), project_end(w_{i+k})))), in double precision.
#include "heads/span_representation.h"

#include <gtest/gtest.h>

#include <cmath>
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

// span_logits folds out_project.3 into the field vectors; it must agree with compute() followed
// by the dot product, with spans past the end equal to span (0, 0) bit for bit.
TEST(SpanMarkerV0, FoldedLogitsMatchRepresentationsDotFields) {
    std::mt19937 rng(23);
    const int64_t h = 10;
    const int k_max = 3;
    const Fixture f = make(rng, h, k_max);
    const int64_t n = 41;  // more than one 32-word block
    const Matrix words = testing::random_matrix(rng, n, h, 1.0f);
    const Matrix fields = testing::random_matrix(rng, 5, h, 1.0f);
    const Matrix spans = f.layer.compute(words);
    const std::vector<float> logits = f.layer.span_logits(f.layer.halves(words), fields);
    ASSERT_EQ(logits.size(), static_cast<size_t>(5 * n * k_max));
    for (int64_t m = 0; m < fields.rows(); ++m) {
        for (int64_t s = 0; s < n * k_max; ++s) {
            const double expected = fields.row(m).cast<double>().dot(spans.row(s).cast<double>());
            const float got = logits[static_cast<size_t>(m * n * k_max + s)];
            ASSERT_NEAR(got, expected, 1e-4 * (1.0 + std::fabs(expected))) << m << "," << s;
            if (s / k_max + s % k_max >= n) {
                ASSERT_EQ(got, logits[static_cast<size_t>(m * n * k_max)]) << m << "," << s;
            }
        }
    }
    EXPECT_TRUE(f.layer.span_logits(f.layer.halves(Matrix(0, h)), fields).empty());
    EXPECT_THROW(f.layer.span_logits(f.layer.halves(words), Matrix::Ones(2, h + 1)), core::Error);
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
