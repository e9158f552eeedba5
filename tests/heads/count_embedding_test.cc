// The three count-embedding variants (GLINER2.md §3.3) against scalar re-implementations of their
// formulas, plus the count cap and the instance-prefix property the decoder relies on.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/util/error.h"
#include "heads/count_lstm.h"
#include "heads/count_lstm_moe.h"
#include "heads/count_lstm_v2.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

constexpr int64_t kPositions = 20;

struct Recurrence {
    Matrix positions, w_ih, w_hh;
    Vector b_ih, b_hh;
    CountSteps steps() const { return CountSteps(positions, Gru(w_ih, w_hh, b_ih, b_hh)); }
    // G[t][m], the GRU states after step t seeded with field m.
    std::vector<testing::Mat> states(const Matrix& fields, int count) const {
        std::vector<testing::Mat> out;
        testing::Mat state = testing::to_mat(fields);
        const testing::Mat pos = testing::to_mat(positions);
        for (int t = 0; t < count; ++t) {
            for (auto& s : state)
                s = testing::gru_step(w_ih, w_hh, b_ih, b_hh, pos[t], s);
            out.push_back(state);
        }
        return out;
    }
};

Recurrence random_recurrence(std::mt19937& rng, int64_t h) {
    return {testing::random_matrix(rng, kPositions, h, 1.0f), testing::random_matrix(rng, 3 * h, h),
            testing::random_matrix(rng, 3 * h, h), testing::random_vector(rng, 3 * h),
            testing::random_vector(rng, 3 * h)};
}

void expect_rows_near(const Matrix& actual, int64_t row, const std::vector<double>& expected,
                      double tolerance, const char* what) {
    ASSERT_EQ(actual.cols(), static_cast<int64_t>(expected.size()));
    for (int64_t c = 0; c < actual.cols(); ++c)
        EXPECT_NEAR(actual(row, c), expected[c], tolerance)
            << what << " row " << row << " col " << c;
}

TEST(CountLstm, MatchesProjectorOfGruStatesAndFields) {
    std::mt19937 rng(31);
    const int64_t h = 6, m = 3;
    const int count = 4;
    const Recurrence rec = random_recurrence(rng, h);
    const ReluMlp projector = testing::random_mlp(rng, {2 * h, 4 * h, h});
    const CountLstm layer(rec.steps(), projector);
    const Matrix fields = testing::random_matrix(rng, m, h, 1.0f);
    const Matrix out = layer.compute(fields, count);
    ASSERT_EQ(out.rows(), count * m);
    const auto g = rec.states(fields, count);
    const testing::Mat f = testing::to_mat(fields);
    for (int t = 0; t < count; ++t)
        for (int64_t j = 0; j < m; ++j)
            expect_rows_near(out, t * m + j,
                             testing::mlp(projector, testing::concat(g[t][j], f[j])), 1e-5,
                             "count_lstm");
}

TEST(CountLstmV2, MatchesTransformerOverFieldsOfEachInstance) {
    std::mt19937 rng(41);
    const int64_t h = 6, m = 3, d = 8, ffn = 16;
    const int heads = 4;
    const int count = 3;
    const Recurrence rec = random_recurrence(rng, h);
    const Linear in_projector = testing::random_linear(rng, h, d);
    const testing::TransformerParams p0 = testing::random_transformer_params(rng, d, ffn);
    const testing::TransformerParams p1 = testing::random_transformer_params(rng, d, ffn);
    const ReluMlp out_projector = testing::random_mlp(rng, {d + h, h, h, h});
    std::vector<TransformerEncoderLayer> layers;
    for (const auto* p : {&p0, &p1})
        layers.emplace_back(p->in_proj, p->out_proj, p->linear1, p->linear2, p->norm1, p->norm2,
                            heads);
    const CountLstmV2 layer(rec.steps(), in_projector, layers, out_projector);
    const Matrix fields = testing::random_matrix(rng, m, h, 1.0f);
    const Matrix out = layer.compute(fields, count);
    ASSERT_EQ(out.rows(), count * m);

    const auto g = rec.states(fields, count);
    const testing::Mat f = testing::to_mat(fields);
    for (int t = 0; t < count; ++t) {
        testing::Mat y(m), z(m);
        for (int64_t j = 0; j < m; ++j) {
            y[j] = g[t][j];
            for (int64_t c = 0; c < h; ++c)
                y[j][c] += f[j][c];
            z[j] = testing::linear(in_projector, y[j]);
        }
        z = testing::reference_transformer_layer(p0, heads, z);
        z = testing::reference_transformer_layer(p1, heads, z);
        for (int64_t j = 0; j < m; ++j)
            expect_rows_near(out, t * m + j,
                             testing::mlp(out_projector, testing::concat(z[j], y[j])), 2e-5,
                             "count_lstm_v2");
    }
}

TEST(CountLstmMoe, MatchesGatedMixtureOfExperts) {
    std::mt19937 rng(51);
    const int64_t h = 5, m = 2, experts = 4, inner = 2 * h;
    const int count = 3;
    const Recurrence rec = random_recurrence(rng, h);
    const Linear router0 = testing::random_linear(rng, h, h);
    const Linear router2 = testing::random_linear(rng, h, experts);
    std::vector<Matrix> w1, w2;
    for (int64_t e = 0; e < experts; ++e) {
        w1.push_back(testing::random_matrix(rng, h, inner));
        w2.push_back(testing::random_matrix(rng, inner, h));
    }
    const Matrix b1 = testing::random_matrix(rng, experts, inner);
    const Matrix b2 = testing::random_matrix(rng, experts, h);
    const CountLstmMoe layer(rec.steps(), router0, router2, w1, b1, w2, b2);
    const Matrix fields = testing::random_matrix(rng, m, h, 1.0f);
    const Matrix out = layer.compute(fields, count);
    ASSERT_EQ(out.rows(), count * m);

    auto gelu = [](std::vector<double> v) {
        for (double& x : v)
            x = 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
        return v;
    };
    const auto g = rec.states(fields, count);
    for (int t = 0; t < count; ++t) {
        for (int64_t j = 0; j < m; ++j) {
            const std::vector<double>& x = g[t][j];
            std::vector<double> logits =
                testing::linear(router2, gelu(testing::linear(router0, x)));
            double max = -INFINITY, total = 0;
            for (double v : logits)
                max = std::max(max, v);
            for (double& v : logits)
                total += (v = std::exp(v - max));
            std::vector<double> expected(h, 0.0);
            for (int64_t e = 0; e < experts; ++e) {
                std::vector<double> hidden(inner);
                for (int64_t o = 0; o < inner; ++o) {
                    double sum = b1(e, o);
                    for (int64_t i = 0; i < h; ++i)
                        sum += x[i] * w1[e](i, o);
                    hidden[o] = sum;
                }
                hidden = gelu(hidden);
                for (int64_t o = 0; o < h; ++o) {
                    double sum = b2(e, o);
                    for (int64_t i = 0; i < inner; ++i)
                        sum += hidden[i] * w2[e](i, o);
                    expected[o] += logits[e] / total * sum;
                }
            }
            expect_rows_near(out, t * m + j, expected, 1e-5, "count_lstm_moe");
        }
    }
}

TEST(CountEmbedding, CountIsCappedAtTwentyAndFewerInstancesArePrefixes) {
    std::mt19937 rng(61);
    const int64_t h = 4, m = 2;
    const Recurrence rec = random_recurrence(rng, h);
    const CountLstm layer(rec.steps(), testing::random_mlp(rng, {2 * h, 4 * h, h}));
    const Matrix fields = testing::random_matrix(rng, m, h, 1.0f);
    EXPECT_EQ(layer.max_count(), 20);
    const Matrix all = layer.compute(fields, 25);
    ASSERT_EQ(all.rows(), 20 * m);
    EXPECT_EQ(layer.compute(fields, 20), all);
    const Matrix first = layer.compute(fields, 1);
    ASSERT_EQ(first.rows(), m);
    // Equal up to GEMM rounding (different row counts may take different kernel paths).
    EXPECT_LT((first - all.topRows(m)).cwiseAbs().maxCoeff(), 1e-6f)
        << "instance 0 must not depend on the count";
    EXPECT_EQ(layer.compute(fields, 0).rows(), 0);
    EXPECT_THROW(layer.compute(fields, -1), core::Error);
    EXPECT_THROW(layer.compute(Matrix::Ones(m, h + 1), 1), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
