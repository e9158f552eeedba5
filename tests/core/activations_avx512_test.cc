// The AVX-512 GELU and masked softmax (core/kernels/activations_avx512.cc) against the
// double-precision erf form, over a dense sweep of inputs, the saturated tails and every tail
// length of the masked remainder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/kernels/avx512_kernels.h"
#include "core/kernels/gemm.h"

namespace spanguard::core {
namespace {

double reference_gelu(double x) {
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

bool avx512_available() {
    return gemm_kernel_supported(GemmKernel::kAvx512) && activations_avx512::compiled_in();
}

TEST(GeluAvx512, MatchesErfFormAcrossTheRange) {
    if (!avx512_available()) GTEST_SKIP() << "no AVX-512 on this CPU";
    std::vector<float> x;
    for (double v = -40.0; v <= 40.0; v += 0.00731)
        x.push_back(static_cast<float>(v));
    for (float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 87.0f, -87.0f, 1e6f, -1e6f})
        x.push_back(v);
    const std::vector<float> input = x;
    activations_avx512::gelu_erf(x.data(), static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i) {
        const double expected = reference_gelu(input[i]);
        const double tolerance = 3e-7 * std::max(1.0, std::fabs(static_cast<double>(input[i])));
        ASSERT_NEAR(x[i], expected, tolerance) << "x = " << input[i];
    }
    // Far tails are exact: x for large x, a signed zero for very negative x.
    float tails[2] = {-30.0f, 30.0f};
    activations_avx512::gelu_erf(tails, 2);
    EXPECT_EQ(tails[0], 0.0f);
    EXPECT_EQ(tails[1], 30.0f);
}

TEST(GeluAvx512, RemainderLengthsTouchOnlyTheirElements) {
    if (!avx512_available()) GTEST_SKIP() << "no AVX-512 on this CPU";
    for (int64_t n = 0; n <= 35; ++n) {
        std::vector<float> x(static_cast<size_t>(n) + 4, 777.0f);
        for (int64_t i = 0; i < n; ++i)
            x[static_cast<size_t>(i)] = static_cast<float>(i) * 0.37f - 3.0f;
        activations_avx512::gelu_erf(x.data(), n);
        for (int64_t i = 0; i < n; ++i) {
            const double v = static_cast<double>(i) * 0.37 - 3.0;
            ASSERT_NEAR(x[static_cast<size_t>(i)], reference_gelu(static_cast<float>(v)), 1e-6)
                << "n " << n << " i " << i;
        }
        for (size_t i = static_cast<size_t>(n); i < x.size(); ++i)
            ASSERT_EQ(x[i], 777.0f) << "n " << n << ": wrote past the end at " << i;
    }
}

TEST(SoftmaxAvx512, MatchesScalarSoftmaxForEveryLengthAndMask) {
    if (!avx512_available()) GTEST_SKIP() << "no AVX-512 on this CPU";
    for (int64_t n = 1; n <= 70; ++n) {
        std::vector<float> scores(static_cast<size_t>(n) + 3, 555.0f);
        std::vector<int32_t> keep(static_cast<size_t>(n));
        for (int64_t j = 0; j < n; ++j) {
            scores[static_cast<size_t>(j)] = static_cast<float>((j * 37 % 23) - 11) * 0.9f;
            keep[static_cast<size_t>(j)] = (j * 7 + n) % 5 == 0 ? 0 : 1;
        }
        if (n == 3) std::fill(keep.begin(), keep.end(), 0);  // nothing kept: all zeros
        // Reference in double: exp(s - max) over kept entries, normalised; masked entries 0.
        std::vector<double> expected(static_cast<size_t>(n), 0.0);
        double maximum = -1e300, total = 0.0;
        for (int64_t j = 0; j < n; ++j) {
            if (keep[static_cast<size_t>(j)] != 0)
                maximum = std::max(maximum, static_cast<double>(scores[static_cast<size_t>(j)]));
        }
        for (int64_t j = 0; j < n; ++j) {
            if (keep[static_cast<size_t>(j)] == 0) continue;
            expected[static_cast<size_t>(j)] = std::exp(scores[static_cast<size_t>(j)] - maximum);
            total += expected[static_cast<size_t>(j)];
        }
        for (double& e : expected)
            e = total > 0 ? e / total : 0.0;
        activations_avx512::masked_softmax(scores.data(), keep.data(), n);
        for (int64_t j = 0; j < n; ++j) {
            ASSERT_NEAR(scores[static_cast<size_t>(j)], expected[static_cast<size_t>(j)],
                        2e-7 + 2e-6 * expected[static_cast<size_t>(j)])
                << "n " << n << " j " << j;
            if (keep[static_cast<size_t>(j)] == 0) {
                ASSERT_EQ(scores[static_cast<size_t>(j)], 0.0f);
            }
        }
        for (size_t j = static_cast<size_t>(n); j < scores.size(); ++j)
            ASSERT_EQ(scores[j], 555.0f) << "n " << n << ": wrote past the end";
    }
}

}  // namespace
}  // namespace spanguard::core
