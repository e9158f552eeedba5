// core::gemm_nt on every kernel this CPU supports against a straightforward double-precision
// reference, over random shapes including odd sizes, strided operands, k tails and k beyond one
// pass of the blocked kernel.
#include "core/kernels/gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/kernels/linear.h"
#include "core/tensor/matrix.h"

namespace spanguard::core {
namespace {

std::vector<float> random_values(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v)
        x = uniform(rng);
    return v;
}

struct Shape {
    int64_t m, n, k;
};

// Runs gemm_nt_with(kernel) with leading dimensions larger than the logical widths (so reading
// past a row would pick up the sentinel values) and checks every output, and that nothing outside
// the m x n window of c was written.
// With `plain`, runs gemm_nn_with on B stored k-major ([k, n], leading dimension n + 5) instead.
// `lda` > 0 replaces A's default leading dimension (k + 3).
void check_kernel(GemmKernel kernel, const Shape& s, bool with_bias, uint32_t seed,
                  bool plain = false, int64_t lda_override = 0) {
    const int64_t lda = lda_override > 0 ? lda_override : s.k + 3, ldb = plain ? s.n + 5 : s.k + 5,
                  ldc = s.n + 2;
    const int64_t b_rows = plain ? s.k : s.n, b_cols = plain ? s.n : s.k;
    const auto b_at = [&](int64_t j, int64_t p) {
        return static_cast<size_t>(plain ? p * ldb + j : j * ldb + p);
    };
    std::vector<float> a =
        random_values(static_cast<size_t>(std::max<int64_t>(s.m * lda, 1)), seed);
    std::vector<float> b =
        random_values(static_cast<size_t>(std::max<int64_t>(b_rows * ldb, 1)), seed + 1);
    const std::vector<float> bias = random_values(static_cast<size_t>(s.n) + 1, seed + 2);
    // Padding columns hold huge values: a kernel that reads them fails loudly.
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t p = s.k; p < lda; ++p)
            a[static_cast<size_t>(i * lda + p)] = 1e30f;
    }
    for (int64_t r = 0; r < b_rows; ++r) {
        for (int64_t p = b_cols; p < ldb; ++p)
            b[static_cast<size_t>(r * ldb + p)] = 1e30f;
    }
    const float sentinel = -12345.0f;
    std::vector<float> c(static_cast<size_t>(std::max<int64_t>(s.m * ldc, 1)), sentinel);
    if (plain) {
        gemm_nn_with(kernel, a.data(), lda, b.data(), ldb, c.data(), ldc, s.m, s.n, s.k,
                     with_bias ? bias.data() : nullptr);
    } else {
        gemm_nt_with(kernel, a.data(), lda, b.data(), ldb, c.data(), ldc, s.m, s.n, s.k,
                     with_bias ? bias.data() : nullptr);
    }
    const std::string where = std::string(gemm_kernel_name(kernel)) + (plain ? " nn" : " nt") +
                              " m=" + std::to_string(s.m) + " n=" + std::to_string(s.n) +
                              " k=" + std::to_string(s.k) + (with_bias ? " bias" : "");
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < ldc; ++j) {
            const float got = c[static_cast<size_t>(i * ldc + j)];
            if (j >= s.n) {
                ASSERT_EQ(got, sentinel)
                    << where << ": wrote outside the output at " << i << "," << j;
                continue;
            }
            double expected = with_bias ? bias[static_cast<size_t>(j)] : 0.0;
            double magnitude = std::fabs(expected);
            for (int64_t p = 0; p < s.k; ++p) {
                const double term =
                    static_cast<double>(a[static_cast<size_t>(i * lda + p)]) * b[b_at(j, p)];
                expected += term;
                magnitude += std::fabs(term);
            }
            // float32 accumulation: error bounded by a few ulp of the sum of magnitudes.
            const double tolerance = 1e-6 * magnitude * std::sqrt(static_cast<double>(s.k) + 1);
            ASSERT_NEAR(got, expected, tolerance + 1e-30) << where << " at " << i << "," << j;
        }
    }
}

std::vector<GemmKernel> supported_kernels() {
    std::vector<GemmKernel> kernels = {GemmKernel::kPortable};
    if (gemm_kernel_supported(GemmKernel::kAvx512)) kernels.push_back(GemmKernel::kAvx512);
    return kernels;
}

TEST(Gemm, MatchesReferenceOnOddAndBlockedShapes) {
    const std::vector<Shape> shapes = {{1, 1, 1},     {1, 1, 17},    {7, 5, 3},    {6, 4, 16},
                                       {13, 9, 31},   {5, 11, 64},   {40, 37, 96}, {3, 2, 769},
                                       {9, 7, 1600},  {2, 3, 0},     {0, 5, 8},    {4, 0, 8},
                                       {12, 130, 40}, {25, 19, 1537}};
    uint32_t seed = 1;
    for (GemmKernel kernel : supported_kernels()) {
        for (const Shape& shape : shapes) {
            for (bool bias : {false, true}) {
                for (bool plain : {false, true}) {
                    check_kernel(kernel, shape, bias, seed++, plain);
                    if (HasFatalFailure()) return;
                }
            }
        }
    }
}

// A's rows 4 KiB apart (or a multiple) take the AVX-512 kernel's copy-to-a-buffer path (they
// would alias in L1); k tails, several passes over k and partial row tiles included.
TEST(Gemm, RowStridesThatAliasInL1) {
    const std::vector<std::pair<Shape, int64_t>> cases = {
        {{13, 9, 1000}, 1024}, {{40, 37, 1024}, 2048}, {{7, 5, 3}, 1024}, {{6, 4, 769}, 3072}};
    uint32_t seed = 500;
    for (GemmKernel kernel : supported_kernels()) {
        for (const auto& [shape, lda] : cases) {
            for (bool bias : {false, true}) {
                check_kernel(kernel, shape, bias, seed++, false, lda);
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(Gemm, RandomShapes) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int64_t> small(1, 70);
    uint32_t seed = 100;
    for (GemmKernel kernel : supported_kernels()) {
        for (int trial = 0; trial < 40; ++trial) {
            const Shape shape{small(rng), small(rng), small(rng) * (trial % 3 == 0 ? 13 : 1)};
            check_kernel(kernel, shape, trial % 2 == 0, seed++, trial % 4 < 2);
            if (HasFatalFailure()) return;
        }
    }
}

TEST(Gemm, ActiveKernelIsSupported) {
    EXPECT_TRUE(gemm_kernel_supported(active_gemm_kernel()));
    EXPECT_TRUE(gemm_kernel_supported(GemmKernel::kPortable));
}

// core::linear (which splits output features across threads in groups of four) against the
// reference, for a feature count that is not a multiple of four.
TEST(Gemm, LinearSplitsFeaturesExactly) {
    const int64_t rows = 9, in = 70, out = 203;
    const std::vector<float> x = random_values(static_cast<size_t>(rows * in), 5);
    const std::vector<float> w = random_values(static_cast<size_t>(out * in), 6);
    const std::vector<float> bias = random_values(static_cast<size_t>(out), 7);
    LinearView view;
    view.weight = w.data();
    view.bias = bias.data();
    view.out_features = out;
    view.in_features = in;
    view.name = "test";
    RowMatrix y(rows, out);
    linear(ConstRowMap(x.data(), rows, in), view, y);
    for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < out; ++j) {
            double expected = bias[static_cast<size_t>(j)];
            for (int64_t p = 0; p < in; ++p) {
                expected += static_cast<double>(x[static_cast<size_t>(i * in + p)]) *
                            w[static_cast<size_t>(j * in + p)];
            }
            ASSERT_NEAR(y(i, j), expected, 1e-4) << i << "," << j;
        }
    }
}

}  // namespace
}  // namespace spanguard::core
