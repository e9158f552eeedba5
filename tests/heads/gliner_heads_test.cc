// Count predictor, classifier, span scoring and the GlinerHeads facade that ties them to encoder
// rows and positions (GLINER2.md §3.2-§3.5).
#include "heads/gliner_heads.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/util/error.h"
#include "heads/count_lstm.h"
#include "heads/span_scoring.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

TEST(CountPredictor, ArgmaxTakesTheFirstMaximumAndTreatsNanAsMaximum) {
    Vector v(5);
    v << 0.5f, 2.0f, -1.0f, 2.0f, 1.0f;
    EXPECT_EQ(CountPredictor::argmax(v), 1);
    v[4] = std::numeric_limits<float>::quiet_NaN();
    EXPECT_EQ(CountPredictor::argmax(v), 4);
    EXPECT_THROW(CountPredictor::argmax(Vector()), core::Error);
}

TEST(CountPredictor, LogitsAreTheMlpOfThePromptVector) {
    std::mt19937 rng(71);
    const ReluMlp mlp = testing::random_mlp(rng, {6, 12, 20});
    const CountPredictor predictor(mlp);
    const Vector p = testing::random_vector(rng, 6, 1.0f);
    const Vector logits = predictor.logits(p);
    const std::vector<double> expected =
        testing::mlp(mlp, std::vector<double>(p.data(), p.data() + p.size()));
    ASSERT_EQ(logits.size(), 20);
    for (int i = 0; i < 20; ++i)
        EXPECT_NEAR(logits[i], expected[i], 1e-5);
    EXPECT_THROW(predictor.logits(Vector::Ones(5)), core::Error);
}

TEST(Classifier, OneLogitPerLabelRow) {
    std::mt19937 rng(72);
    const ReluMlp mlp = testing::random_mlp(rng, {6, 12, 1});
    const Classifier classifier(mlp);
    const Matrix labels = testing::random_matrix(rng, 3, 6, 1.0f);
    const Vector logits = classifier.logits(labels);
    ASSERT_EQ(logits.size(), 3);
    const testing::Mat rows = testing::to_mat(labels);
    for (int i = 0; i < 3; ++i)
        EXPECT_NEAR(logits[i], testing::mlp(mlp, rows[i])[0], 1e-5);
    EXPECT_EQ(classifier.logits(Matrix(0, 6)).size(), 0);
    EXPECT_THROW(Classifier(testing::random_mlp(rng, {6, 12, 2})), core::Error);
}

TEST(SpanScoring, SigmoidOfPlainDotProduct) {
    Matrix fields(2, 2), spans(3, 2);
    fields << 1.0f, 0.0f, 0.5f, -2.0f;
    spans << 2.0f, 3.0f, 0.0f, 0.0f, -100.0f, 1.0f;
    const std::vector<float> p = span_probabilities(fields, spans);
    ASSERT_EQ(p.size(), 6u);
    const double expected[6] = {1 / (1 + std::exp(-2.0)), 0.5, 1 / (1 + std::exp(100.0)),
                                1 / (1 + std::exp(5.0)),  0.5, 1 / (1 + std::exp(52.0))};
    for (int i = 0; i < 6; ++i)
        EXPECT_NEAR(p[i], expected[i], 1e-7) << i;
    EXPECT_THROW(span_probabilities(Matrix::Ones(1, 3), spans), core::Error);
}

// Heads with H = 4, K = 3, and a count head biased so that the argmax is `count`.
GlinerHeads make_heads(std::mt19937& rng, int count) {
    const int64_t h = 4;
    std::vector<Linear> count_layers = {testing::random_linear(rng, h, 2 * h),
                                        testing::random_linear(rng, 2 * h, 20)};
    Vector bias = Vector::Zero(20);
    bias[count] = 1000.0f;
    count_layers[1] = Linear(count_layers[1].weight(), bias);
    ReluMlp count_mlp(count_layers);
    auto embed = std::make_unique<CountLstm>(
        CountSteps(testing::random_matrix(rng, 20, h),
                   Gru(testing::random_matrix(rng, 3 * h, h), testing::random_matrix(rng, 3 * h, h),
                       testing::random_vector(rng, 3 * h), testing::random_vector(rng, 3 * h))),
        testing::random_mlp(rng, {2 * h, 4 * h, h}));
    return GlinerHeads(SpanMarkerV0(testing::random_mlp(rng, {h, 4 * h, h}),
                                    testing::random_mlp(rng, {h, 4 * h, h}),
                                    testing::random_mlp(rng, {2 * h, 4 * h, h}), 3),
                       CountPredictor(count_mlp), std::move(embed),
                       Classifier(testing::random_mlp(rng, {h, 2 * h, 1})));
}

TEST(GlinerHeads, SpanBlockScoresAreSigmoidOfSpansAgainstCountEmbedding) {
    std::mt19937 rng(81);
    const GlinerHeads heads = make_heads(rng, 2);
    const Matrix hidden = testing::random_matrix(rng, 12, 4, 1.0f);
    const std::vector<size_t> text = {7, 8, 10, 11};
    const std::vector<size_t> markers = {1, 3, 5};  // [P], two fields
    const SpanGrid grid = heads.span_grid(hidden, text);
    ASSERT_EQ(grid.words, 4);
    ASSERT_EQ(grid.max_width, 3);
    const Matrix words = hidden(std::vector<int>{7, 8, 10, 11}, Eigen::all);
    // The grid keeps only the per-word halves; scores must agree with the full representations.
    const Matrix reps = heads.span_representation().compute(words);
    ASSERT_EQ(reps.rows(), 4 * 3);

    const SpanBlockScores s = heads.score_span_block(hidden, grid, markers);
    EXPECT_EQ(s.predicted_count, 2);
    EXPECT_EQ(s.instances, 2);
    EXPECT_EQ(s.fields, 2);
    ASSERT_EQ(s.probabilities.size(), 2u * 2 * 4 * 3);
    const Matrix field_rows = hidden(std::vector<int>{3, 5}, Eigen::all);
    const Matrix p = heads.count_embedding().compute(field_rows, 2);
    for (int t = 0; t < 2; ++t)
        for (int m = 0; m < 2; ++m)
            for (int i = 0; i < 4; ++i)
                for (int k = 0; k < 3; ++k) {
                    const double dot =
                        p.row(t * 2 + m).cast<double>().dot(reps.row(i * 3 + k).cast<double>());
                    EXPECT_NEAR(s.probability(t, m, i, k), 1 / (1 + std::exp(-dot)), 1e-6);
                }

    // Only instance 0, as the entity decoder asks: the leading rows of the full result.
    const SpanBlockScores first = heads.score_span_block(hidden, grid, markers, 1);
    EXPECT_EQ(first.predicted_count, 2);
    EXPECT_EQ(first.instances, 1);
    ASSERT_EQ(first.probabilities.size(), 2u * 4 * 3);
    for (size_t i = 0; i < first.probabilities.size(); ++i)
        EXPECT_NEAR(first.probabilities[i], s.probabilities[i], 1e-6);
}

TEST(GlinerHeads, CountZeroScoresNothing) {
    std::mt19937 rng(82);
    const GlinerHeads heads = make_heads(rng, 0);
    const Matrix hidden = testing::random_matrix(rng, 6, 4);
    const std::vector<size_t> text = {3, 4, 5}, markers = {0, 1};
    const SpanBlockScores s =
        heads.score_span_block(hidden, heads.span_grid(hidden, text), markers);
    EXPECT_EQ(s.predicted_count, 0);
    EXPECT_EQ(s.instances, 0);
    EXPECT_TRUE(s.probabilities.empty());
    EXPECT_EQ(s.count_logits.size(), 20);
}

TEST(GlinerHeads, ClassificationSkipsThePromptMarker) {
    std::mt19937 rng(83);
    const GlinerHeads heads = make_heads(rng, 1);
    const Matrix hidden = testing::random_matrix(rng, 6, 4);
    const std::vector<size_t> markers = {0, 2, 4};
    const Vector logits = heads.classification_logits(hidden, markers);
    ASSERT_EQ(logits.size(), 2);
    const Vector direct = heads.classifier().logits(hidden(std::vector<int>{2, 4}, Eigen::all));
    EXPECT_EQ(logits, direct);
}

TEST(GlinerHeads, PositionErrorsNameTheIndexAndPosition) {
    std::mt19937 rng(84);
    const GlinerHeads heads = make_heads(rng, 1);
    const Matrix hidden = testing::random_matrix(rng, 6, 4);
    const std::vector<size_t> bad_text = {1, 6};
    try {
        heads.span_grid(hidden, bad_text);
        FAIL() << "expected core::Error";
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("text position[1] = position 6"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("6 encoder rows"), std::string::npos) << e.what();
    }
    const SpanGrid grid = heads.span_grid(hidden, std::vector<size_t>{1, 2});
    EXPECT_THROW(heads.score_span_block(hidden, grid, std::vector<size_t>{}), core::Error);
    EXPECT_THROW(heads.score_span_block(hidden, grid, std::vector<size_t>{0, 9}), core::Error);
    EXPECT_THROW(heads.score_span_block(hidden, grid, std::vector<size_t>{0, 1}, -1), core::Error);
    EXPECT_THROW(heads.classification_logits(hidden, std::vector<size_t>{}), core::Error);
    EXPECT_THROW(heads.classification_logits(hidden, std::vector<size_t>{0, 6}), core::Error);
    EXPECT_THROW(heads.span_grid(Matrix::Ones(3, 5), std::vector<size_t>{0}), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
