// The int8 GEMM (core/kernels/int8_gemm.h): both kernels against a naive int32 reference on odd
// shapes and extreme values, activation quantization, and the dequantized product against a
// double-precision float GEMM within the bound the quantization steps allow.
#include "core/kernels/int8_gemm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"
#include "tests/core/weights_test_support.h"

namespace spanguard::core {
namespace {

struct Shape {
    int64_t m, n, k;
};

// Odd M (micro-tile is 8 rows), N (blocks of 16, tiles of 32) and K (groups of 4), plus empties.
const Shape kShapes[] = {{0, 16, 8},  {1, 1, 1},     {3, 5, 3},    {8, 16, 4},    {9, 17, 5},
                         {7, 33, 63}, {17, 48, 64},  {5, 100, 65}, {40, 47, 130}, {13, 0, 9},
                         {2, 31, 0},  {65, 64, 257}, {26, 96, 768}};

std::vector<Int8Kernel> kernels_here() {
    std::vector<Int8Kernel> kernels{Int8Kernel::kPortable};
    if (int8_kernel_supported(Int8Kernel::kAvx512Vnni)) kernels.push_back(Int8Kernel::kAvx512Vnni);
    return kernels;
}

std::vector<int32_t> naive_s32(const std::vector<uint8_t>& a, int64_t ldq,
                               const std::vector<int8_t>& b, const Shape& s) {
    std::vector<int32_t> c(static_cast<size_t>(s.m * s.n));
    for (int64_t i = 0; i < s.m; ++i) {
        for (int64_t j = 0; j < s.n; ++j) {
            int64_t sum = 0;
            for (int64_t p = 0; p < s.k; ++p)
                sum += int64_t{a[i * ldq + p]} * b[j * s.k + p];
            c[static_cast<size_t>(i * s.n + j)] = static_cast<int32_t>(sum);
        }
    }
    return c;
}

// Runs every available kernel on (a, b) with 1 and 2 threads and compares with the reference.
void expect_exact_accumulations(const std::vector<uint8_t>& a, int64_t ldq,
                                const std::vector<int8_t>& b, const Shape& s) {
    const std::vector<float> scales(static_cast<size_t>(s.n), 1.0f);
    const PackedInt8Weight w =
        PackedInt8Weight::from_quantized(b.data(), scales.data(), s.n, s.k, "test");
    const std::vector<int32_t> expected = naive_s32(a, ldq, b, s);
    for (Int8Kernel kernel : kernels_here()) {
        for (int threads : {1, 2}) {
            set_num_threads(threads);
            std::vector<int32_t> got(static_cast<size_t>(s.m * s.n), -7);
            int8_gemm_s32(kernel, a.data(), s.m, ldq, w, got.data(), s.n);
            EXPECT_EQ(got, expected) << int8_kernel_name(kernel) << " threads=" << threads
                                     << " m=" << s.m << " n=" << s.n << " k=" << s.k;
        }
    }
    set_num_threads(0);
}

TEST(Int8Gemm, KernelsMatchNaiveInt32OnOddShapes) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> u8(0, 255), s8(-128, 127);
    for (const Shape& s : kShapes) {
        const int64_t ldq = (s.k + 3) / 4 * 4 + 4;  // a stride wider than the padded K
        std::vector<uint8_t> a(static_cast<size_t>(std::max<int64_t>(s.m * ldq, 1)), 0);
        for (int64_t i = 0; i < s.m; ++i)
            for (int64_t p = 0; p < s.k; ++p)
                a[i * ldq + p] = static_cast<uint8_t>(u8(rng));
        std::vector<int8_t> b(static_cast<size_t>(std::max<int64_t>(s.n * s.k, 1)));
        for (int8_t& v : b)
            v = static_cast<int8_t>(s8(rng));
        expect_exact_accumulations(a, ldq, b, s);
    }
}

TEST(Int8Gemm, ExtremeValuesDoNotSaturate) {
    // 255 * -128 summed 4099 times needs the full int32 range of vpdpbusd's accumulator (an int16
    // intermediate, as in AVX2's vpmaddubsw, would saturate); columns alternate -128 and 127.
    const Shape s{9, 35, 4099};
    const int64_t ldq = (s.k + 3) / 4 * 4;
    std::vector<uint8_t> a(static_cast<size_t>(s.m * ldq), 0);
    for (int64_t i = 0; i < s.m; ++i)
        for (int64_t p = 0; p < s.k; ++p)
            a[i * ldq + p] = i % 3 == 2 ? 0 : 255;
    std::vector<int8_t> b(static_cast<size_t>(s.n * s.k));
    for (int64_t j = 0; j < s.n; ++j)
        for (int64_t p = 0; p < s.k; ++p)
            b[j * s.k + p] = j % 2 == 0 ? -128 : 127;
    expect_exact_accumulations(a, ldq, b, s);
    const std::vector<float> scales(static_cast<size_t>(s.n), 1.0f);
    const PackedInt8Weight w =
        PackedInt8Weight::from_quantized(b.data(), scales.data(), s.n, s.k, "extreme");
    EXPECT_EQ(w.column_sums()[0], -128 * 4099);
    EXPECT_EQ(w.column_sums()[1], 127 * 4099);
}

TEST(Int8Gemm, RowQuantizationIsExactAtZeroAndWithinOneStep) {
    const int64_t k = 37, ldq = 44;
    std::vector<float> x(3 * k);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> pos(0.5f, 3.0f), any(-4.0f, 9.0f);
    for (int64_t c = 0; c < k; ++c) {
        x[c] = 0.0f;                                  // an all-zero row
        x[k + c] = pos(rng);                          // all positive: range widened to include 0
        x[2 * k + c] = c % 5 == 0 ? 0.0f : any(rng);  // mixed, with exact zeros
    }
    x[2 * k + 1] = -128.0f;  // extreme minimum of a row
    std::vector<uint8_t> q(3 * ldq, 77);
    float scales[3];
    int32_t zps[3];
    quantize_rows_u8(x.data(), 3, k, k, q.data(), ldq, scales, zps);
    for (int64_t i = 0; i < 3; ++i) {
        ASSERT_GT(scales[i], 0.0f);
        ASSERT_GE(zps[i], 0);
        ASSERT_LE(zps[i], 255);
        for (int64_t c = 0; c < k; ++c) {
            const float back = static_cast<float>(q[i * ldq + c] - zps[i]) * scales[i];
            if (x[i * k + c] == 0.0f) {
                EXPECT_EQ(q[i * ldq + c], zps[i]) << "row " << i;
            }
            EXPECT_NEAR(back, x[i * k + c], scales[i] * 1.0001f) << "row " << i << " col " << c;
        }
        for (int64_t c = k; c < ldq; ++c)
            EXPECT_EQ(q[i * ldq + c], 0) << "padding must be zero";
    }
    EXPECT_EQ(zps[1], 0);  // no negative values: zero point at the bottom of the range
    EXPECT_EQ(q[2 * ldq + 1], 0);
}

// Every kernel's quantizer writes the portable one's codes, scales and zero points bit for bit, on
// row lengths around the 16-lane vector width, with junk past k (never read) and mixed magnitudes.
TEST(Int8Gemm, EveryKernelQuantizesRowsBitIdentically) {
    std::mt19937 rng(17);
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    for (int64_t k : {1, 3, 15, 16, 17, 31, 32, 33, 64, 100, 768, 3073}) {
        const int64_t m = 6, ldx = k + 5, ldq = (k + 3) / 4 * 4 + 8;
        std::vector<float> x(static_cast<size_t>(m * ldx), 1e30f);
        for (int64_t i = 0; i < m; ++i) {
            const float magnitude = std::pow(10.0f, static_cast<float>(i) - 3.0f);
            for (int64_t c = 0; c < k; ++c) {
                float v = unit(rng) * magnitude;
                if (i == 1) v = std::fabs(v);   // all positive
                if (i == 2) v = -std::fabs(v);  // all negative
                if (c % 7 == 3) v = 0.0f;       // exact zeros
                x[static_cast<size_t>(i * ldx + c)] = v;
            }
        }
        std::vector<uint8_t> want(static_cast<size_t>(m * ldq), 99);
        std::vector<float> want_scales(m);
        std::vector<int32_t> want_zps(m);
        quantize_rows_u8(x.data(), m, k, ldx, want.data(), ldq, want_scales.data(),
                         want_zps.data());
        for (Int8Kernel kernel : kernels_here()) {
            std::vector<uint8_t> got(static_cast<size_t>(m * ldq), 55);
            std::vector<float> got_scales(m);
            std::vector<int32_t> got_zps(m);
            quantize_rows_u8(kernel, x.data(), m, k, ldx, got.data(), ldq, got_scales.data(),
                             got_zps.data());
            EXPECT_EQ(got, want) << int8_kernel_name(kernel) << " k=" << k;
            EXPECT_EQ(got_scales, want_scales) << int8_kernel_name(kernel) << " k=" << k;
            EXPECT_EQ(got_zps, want_zps) << int8_kernel_name(kernel) << " k=" << k;
        }
    }
}

// Weight quantization: every kernel packs the same bytes, scales and column sums (so a model's
// int8 outputs do not depend on which kernel quantized it), including ties at .5 (round half to
// even), -0.0, an all-zero channel and shapes that leave padding.
TEST(Int8Gemm, EveryKernelQuantizesWeightsIdentically) {
    std::mt19937 rng(23);
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    for (int64_t k : {1, 3, 4, 15, 17, 33, 64, 768, 3073}) {
        for (int64_t n : {1, 16, 19}) {
            std::vector<float> w(static_cast<size_t>(n * k));
            for (int64_t row = 0; row < n; ++row) {
                for (int64_t c = 0; c < k; ++c) {
                    float v = unit(rng) * std::pow(10.0f, static_cast<float>(row % 5) - 2.0f);
                    if (row == 2) v = c % 2 == 0 ? 0.0f : -0.0f;  // all-zero channel
                    // Row 3: max 127, so w / scale = w: ties 0.5, 1.5, -2.5 round to even.
                    if (row == 3) v = c == 0 ? 127.0f : static_cast<float>(c % 7) - 3.5f;
                    w[static_cast<size_t>(row * k + c)] = v;
                }
            }
            const PackedInt8Weight want =
                PackedInt8Weight::quantize(Int8Kernel::kPortable, w.data(), n, k, "w");
            const size_t data_bytes =
                static_cast<size_t>(want.column_blocks() * want.k_groups() * 64);
            const size_t channels = static_cast<size_t>(want.column_blocks() * 16);
            for (Int8Kernel kernel : kernels_here()) {
                const PackedInt8Weight got =
                    PackedInt8Weight::quantize(kernel, w.data(), n, k, "w");
                const std::string what = std::string(int8_kernel_name(kernel)) +
                                         " n=" + std::to_string(n) + " k=" + std::to_string(k);
                EXPECT_EQ(0, std::memcmp(got.data(), want.data(), data_bytes)) << what;
                EXPECT_EQ(0, std::memcmp(got.scales(), want.scales(), channels * sizeof(float)))
                    << what;
                EXPECT_EQ(0, std::memcmp(got.column_sums(), want.column_sums(),
                                         channels * sizeof(int32_t)))
                    << what;
            }
            if (n >= 4 && k >= 4) {
                // Round half to even, from the packed bytes: channel 3's k = 1, 2, 3 hold
                // nearbyint(-2.5, -1.5, -0.5) = -2, -2, -0.
                const int8_t* group = want.data() + 3 * 4;  // block 0, channel 3, group 0
                EXPECT_EQ(group[1], -2);
                EXPECT_EQ(group[2], -2);
                EXPECT_EQ(group[3], 0);
            }
        }
    }
}

TEST(Int8Gemm, NonFiniteWeightIsNamedOnEveryKernel) {
    std::vector<float> w(2 * 40, 0.5f);
    w[1 * 40 + 33] = std::numeric_limits<float>::infinity();
    w[1 * 40 + 35] = std::numeric_limits<float>::quiet_NaN();
    for (Int8Kernel kernel : kernels_here()) {
        testing::expect_error(
            [&] { PackedInt8Weight::quantize(kernel, w.data(), 2, 40, "layer.weight"); },
            {"layer.weight: non-finite weight at [1, 33]"});
    }
}

TEST(Int8Gemm, DequantizedProductIsWithinTheQuantizationBound) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (const Shape& s : {Shape{40, 96, 768}, Shape{7, 33, 131}, Shape{1, 17, 3}}) {
        std::vector<float> x(static_cast<size_t>(s.m * s.k)), w(static_cast<size_t>(s.n * s.k));
        std::vector<float> bias(static_cast<size_t>(s.n));
        for (float& v : x)
            v = normal(rng) + 0.3f;  // asymmetric activations
        for (float& v : w)
            v = 0.05f * normal(rng);
        for (float& v : bias)
            v = normal(rng);
        const PackedInt8Weight packed = PackedInt8Weight::quantize(w.data(), s.n, s.k, "w");
        std::vector<float> per_kernel_out[2];
        for (Int8Kernel kernel : kernels_here()) {
            std::vector<float> out(static_cast<size_t>(s.m * s.n));
            int8_linear(kernel, x.data(), s.m, s.k, packed, bias.data(), out.data(), s.n);
            per_kernel_out[static_cast<int>(kernel)] = out;
        }
        const std::vector<float>& out = per_kernel_out[0];
        for (int64_t i = 0; i < s.m; ++i) {
            float lo = 0.0f, hi = 0.0f;
            for (int64_t p = 0; p < s.k; ++p) {
                lo = std::min(lo, x[i * s.k + p]);
                hi = std::max(hi, x[i * s.k + p]);
            }
            const double sx = (hi - lo) / 255.0;
            for (int64_t j = 0; j < s.n; ++j) {
                const double sw = packed.scales()[j];
                double exact = bias[j], bound = 0.0;
                for (int64_t p = 0; p < s.k; ++p) {
                    const double xv = x[i * s.k + p], wv = w[j * s.k + p];
                    exact += xv * wv;
                    // |dx| <= sx (rounding plus a possibly clamped top value), |dw| <= sw / 2.
                    bound += std::fabs(wv) * sx + std::fabs(xv) * sw / 2 + sx * sw / 2;
                }
                const double got = out[static_cast<size_t>(i * s.n + j)];
                EXPECT_NEAR(got, exact, bound + 1e-4 * (1.0 + std::fabs(exact)))
                    << "m=" << s.m << " n=" << s.n << " k=" << s.k << " at " << i << "," << j;
            }
        }
        // The epilogues use the same operation order, so the floats agree bit for bit too.
        if (int8_kernel_supported(Int8Kernel::kAvx512Vnni)) {
            EXPECT_EQ(per_kernel_out[1], out);
        }
    }
}

TEST(Int8Gemm, NullBiasAndRowStrides) {
    const int64_t m = 5, n = 20, k = 9, ldx = 12, ldo = 23;
    std::vector<float> x(m * ldx, 1e30f), w(n * k);  // junk past k must not be read
    for (int64_t i = 0; i < m; ++i)
        for (int64_t p = 0; p < k; ++p)
            x[i * ldx + p] = static_cast<float>(i - p);
    for (int64_t j = 0; j < n; ++j)
        for (int64_t p = 0; p < k; ++p)
            w[j * k + p] = static_cast<float>((j + p) % 5) - 2.0f;
    const PackedInt8Weight packed = PackedInt8Weight::quantize(w.data(), n, k, "w");
    for (Int8Kernel kernel : kernels_here()) {
        std::vector<float> out(m * ldo, -5.0f);
        int8_linear(kernel, x.data(), m, ldx, packed, nullptr, out.data(), ldo);
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t j = 0; j < n; ++j) {
                float exact = 0.0f;
                for (int64_t p = 0; p < k; ++p)
                    exact += x[i * ldx + p] * w[j * k + p];
                EXPECT_NEAR(out[i * ldo + j], exact, 0.5f) << int8_kernel_name(kernel);
            }
            for (int64_t j = n; j < ldo; ++j)
                EXPECT_EQ(out[i * ldo + j], -5.0f) << "stride gap";
        }
    }
}

TEST(Int8Gemm, BadInputsThrowNamingTheLayer) {
    std::vector<float> w(6, 1.0f);
    w[4] = std::nanf("");
    try {
        (void)PackedInt8Weight::quantize(w.data(), 2, 3, "layer.7.dense");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("layer.7.dense"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("[1, 1]"), std::string::npos) << e.what();
    }
    w[4] = 1.0f;
    const PackedInt8Weight packed = PackedInt8Weight::quantize(w.data(), 2, 3, "ok");
    std::vector<float> x(3, 1.0f), out(2);
    EXPECT_THROW(int8_linear(x.data(), 1, 2, packed, nullptr, out.data(), 2), Error);  // ldx < K
    EXPECT_THROW(int8_linear(x.data(), 1, 3, packed, nullptr, out.data(), 1), Error);  // ldo < N
}

TEST(Int8Gemm, KernelSelection) {
    EXPECT_TRUE(int8_kernel_supported(Int8Kernel::kPortable));
    const Int8Kernel active = active_int8_kernel();
    EXPECT_TRUE(int8_kernel_supported(active));
    const char* forced = std::getenv("SPANGUARD_INT8_KERNEL");
    if (forced != nullptr && std::string(forced) == "portable") {
        EXPECT_EQ(active, Int8Kernel::kPortable);
    } else {
        EXPECT_EQ(active, int8_kernel_supported(Int8Kernel::kAvx512Vnni) ? Int8Kernel::kAvx512Vnni
                                                                         : Int8Kernel::kPortable);
    }
}

}  // namespace
}  // namespace spanguard::core
