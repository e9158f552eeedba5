// The dense kernels against straightforward scalar references written out here in double precision,
// plus a few values known in closed form.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/kernels/gelu.h"
#include "core/kernels/layer_norm.h"
#include "core/kernels/linear.h"
#include "core/kernels/softmax.h"
#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::core {
namespace {

RowMatrix random_matrix(Eigen::Index rows, Eigen::Index cols, float offset, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    RowMatrix m(rows, cols);
    for (Eigen::Index r = 0; r < rows; ++r) {
        for (Eigen::Index c = 0; c < cols; ++c)
            m(r, c) = offset + normal(rng);
    }
    return m;
}

std::vector<float> random_vector(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-2.0f, 2.0f);
    std::vector<float> v(n);
    for (float& x : v)
        x = uniform(rng);
    return v;
}

// Runs the body with core::set_num_threads(n), restoring the default afterwards.
class ThreadCount {
  public:
    explicit ThreadCount(int n) { set_num_threads(n); }
    ~ThreadCount() { set_num_threads(0); }
};

TEST(LayerNorm, KnownValues) {
    RowMatrix x(1, 4);
    x << 1, 2, 3, 4;
    const std::vector<float> ones(4, 1.0f), zeros(4, 0.0f);
    layer_norm_rows(x, ones, zeros, 0.0f);
    // mean 2.5, population variance 1.25.
    const double s = std::sqrt(1.25);
    EXPECT_NEAR(x(0, 0), -1.5 / s, 1e-6);
    EXPECT_NEAR(x(0, 1), -0.5 / s, 1e-6);
    EXPECT_NEAR(x(0, 2), 0.5 / s, 1e-6);
    EXPECT_NEAR(x(0, 3), 1.5 / s, 1e-6);
}

TEST(LayerNorm, MatchesScalarReference) {
    ThreadCount threads(3);
    for (const Eigen::Index cols : {1, 7, 64, 768}) {
        // A large common offset: a one-pass E[x^2] - E[x]^2 in float would lose the spread.
        const RowMatrix input = random_matrix(53, cols, 100.0f, 7);
        const std::vector<float> weight = random_vector(static_cast<size_t>(cols), 1);
        const std::vector<float> bias = random_vector(static_cast<size_t>(cols), 2);
        const float eps = 1e-7f;
        RowMatrix x = input;
        layer_norm_rows(x, weight, bias, eps);
        for (Eigen::Index r = 0; r < input.rows(); ++r) {
            double mean = 0;
            for (Eigen::Index c = 0; c < cols; ++c)
                mean += input(r, c);
            mean /= static_cast<double>(cols);
            double var = 0;
            for (Eigen::Index c = 0; c < cols; ++c) {
                var += (input(r, c) - mean) * (input(r, c) - mean);
            }
            var /= static_cast<double>(cols);
            for (Eigen::Index c = 0; c < cols; ++c) {
                const double expected =
                    (input(r, c) - mean) / std::sqrt(var + eps) * weight[static_cast<size_t>(c)] +
                    bias[static_cast<size_t>(c)];
                ASSERT_NEAR(x(r, c), expected, 2e-5) << "cols " << cols << " row " << r;
            }
        }
    }
}

TEST(LayerNorm, ColumnBlockOfALargerMatrix) {
    RowMatrix big = random_matrix(5, 10, 0.0f, 3);
    const RowMatrix before = big;
    const std::vector<float> ones(4, 1.0f), zeros(4, 0.0f);
    layer_norm_rows(big.middleCols(3, 4), ones, zeros, 1e-5f);
    for (Eigen::Index r = 0; r < 5; ++r) {
        EXPECT_NEAR(big.row(r).segment(3, 4).mean(), 0.0, 1e-6);
        for (Eigen::Index c : {0, 1, 2, 7, 8, 9})
            EXPECT_EQ(big(r, c), before(r, c));
    }
}

TEST(LayerNorm, RejectsWrongParameterSize) {
    RowMatrix x = RowMatrix::Ones(2, 3);
    const std::vector<float> two(2, 1.0f), three(3, 0.0f);
    EXPECT_THROW(layer_norm_rows(x, two, three, 1e-7f, "ln"), Error);
    EXPECT_THROW(layer_norm_rows(x, three, two, 1e-7f, "ln"), Error);
}

TEST(Gelu, KnownValuesOfTheErfForm) {
    // x * Phi(x) with the normal CDF; the tanh approximation gives 0.841192 at 1.
    EXPECT_NEAR(gelu_erf(1.0f), 0.8413447460685429, 1e-7);
    EXPECT_NEAR(gelu_erf(-1.0f), -0.15865525393145707, 1e-7);
    EXPECT_NEAR(gelu_erf(2.0f), 1.9544997361036416, 1e-6);
    EXPECT_NEAR(gelu_erf(-3.0f), -0.0040496940948903, 1e-7);
    EXPECT_EQ(gelu_erf(0.0f), 0.0f);
    EXPECT_EQ(gelu_erf(-30.0f), -0.0f);
    EXPECT_EQ(gelu_erf(30.0f), 30.0f);
}

TEST(Gelu, InplaceMatchesScalarReference) {
    ThreadCount threads(2);
    const RowMatrix input = random_matrix(300, 37, 0.0f, 11) * 3.0f;
    RowMatrix x = input;
    gelu_erf_inplace(x);
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
        for (Eigen::Index c = 0; c < x.cols(); ++c) {
            const double v = input(r, c);
            const double expected = 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
            ASSERT_NEAR(x(r, c), expected, 1e-6) << r << "," << c;
        }
    }
}

TEST(MaskedSoftmax, MatchesScalarReferenceAndZeroesMaskedEntries) {
    const std::vector<float> input = {0.5f, -1.0f, 3.0f, 2.0f, 1000.0f, -7.0f};
    const std::vector<int32_t> keep = {1, 1, 0, 1, 0, 1};
    std::vector<float> scores = input;
    masked_softmax(scores, keep);
    double sum = 0;
    for (size_t j = 0; j < input.size(); ++j) {
        if (keep[j]) sum += std::exp(static_cast<double>(input[j]));
    }
    for (size_t j = 0; j < input.size(); ++j) {
        if (keep[j]) {
            EXPECT_NEAR(scores[j], std::exp(static_cast<double>(input[j])) / sum, 1e-7) << j;
        } else {
            EXPECT_EQ(scores[j], 0.0f) << j;  // exactly zero, even the huge masked score
        }
    }
}

TEST(MaskedSoftmax, LargeScoresStayFinite) {
    std::vector<float> scores = {1000.0f, 1001.0f, 999.0f};
    const std::vector<int32_t> keep = {1, 1, 1};
    masked_softmax(scores, keep);
    const double e1 = std::exp(-1.0), e2 = std::exp(-2.0);
    const double total = 1.0 + e1 + e2;
    EXPECT_NEAR(scores[0], e1 / total, 1e-7);
    EXPECT_NEAR(scores[1], 1.0 / total, 1e-7);
    EXPECT_NEAR(scores[2], e2 / total, 1e-7);
}

TEST(MaskedSoftmax, FullyMaskedRowIsAllZero) {
    std::vector<float> scores = {1.0f, 2.0f};
    const std::vector<int32_t> keep = {0, 0};
    masked_softmax(scores, keep);
    EXPECT_EQ(scores[0], 0.0f);
    EXPECT_EQ(scores[1], 0.0f);
}

TEST(MaskedSoftmax, RejectsMaskOfWrongSize) {
    std::vector<float> scores = {1.0f, 2.0f};
    const std::vector<int32_t> keep = {1};
    EXPECT_THROW(masked_softmax(scores, keep), Error);
}

TEST(Linear, MatchesScalarReference) {
    for (const int threads : {1, 3}) {
        ThreadCount thread_count(threads);
        for (const Eigen::Index rows : {1, 37, 200}) {
            for (const Eigen::Index out : {1, 5, 300}) {
                const Eigen::Index in = 45;
                const RowMatrix x = random_matrix(rows, in, 0.0f, 21);
                const RowMatrix w = random_matrix(out, in, 0.0f, 22);
                const std::vector<float> b = random_vector(static_cast<size_t>(out), 23);
                const LinearView layer{w.data(), b.data(), out, in, "test.linear"};
                RowMatrix y(rows, out);
                linear(x, layer, y);
                for (Eigen::Index r = 0; r < rows; ++r) {
                    for (Eigen::Index o = 0; o < out; ++o) {
                        double expected = b[static_cast<size_t>(o)];
                        for (Eigen::Index i = 0; i < in; ++i) {
                            expected += static_cast<double>(x(r, i)) * w(o, i);
                        }
                        ASSERT_NEAR(y(r, o), expected, 1e-4)
                            << "threads " << threads << " rows " << rows << " out " << out;
                    }
                }
            }
        }
    }
}

TEST(Linear, RejectsShapeMismatchNamingTheLayer) {
    const RowMatrix w = RowMatrix::Ones(4, 3);
    const std::vector<float> b(4, 0.0f);
    const LinearView layer{w.data(), b.data(), 4, 3, "layer.0.dense"};
    RowMatrix x = RowMatrix::Ones(2, 5);
    RowMatrix y(2, 4);
    try {
        linear(x, layer, y);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("layer.0.dense"), std::string::npos) << e.what();
    }
    RowMatrix x3 = RowMatrix::Ones(2, 3);
    RowMatrix wrong(3, 4);
    EXPECT_THROW(linear(x3, layer, wrong), Error);
}

}  // namespace
}  // namespace spanguard::core
