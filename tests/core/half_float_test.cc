// F16 and BF16 widening against independent references: numpy's float16 -> float32 conversion for
// every one of the 65536 bit patterns, and Python's struct module for bfloat16 (the top half of a
// binary32).
#include "core/weights/half_float.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/weights/float_decode.h"
#include "tests/core/weights_test_support.h"

namespace spanguard::core {
namespace {

std::vector<uint32_t> python_float32_bits(const std::string& expression) {
    const std::string output = testing::run_command(
        std::string(testing::kPython) + " -c \"import sys, numpy as np, struct; " +
        "sys.stdout.buffer.write(" + expression + ")\"");
    std::vector<uint32_t> bits(output.size() / 4);
    std::memcpy(bits.data(), output.data(), bits.size() * 4);
    return bits;
}

TEST(HalfFloatTest, AllF16BitPatternsMatchNumpy) {
    const std::vector<uint32_t> expected = python_float32_bits(
        "np.arange(65536, dtype=np.uint32).astype(np.uint16).view(np.float16)"
        ".astype(np.float32).tobytes()");
    ASSERT_EQ(expected.size(), 65536u);
    size_t nan_patterns = 0;
    size_t subnormal_patterns = 0;
    for (uint32_t h = 0; h < 65536; ++h) {
        const float ours = half_to_float(static_cast<uint16_t>(h));
        const float theirs = std::bit_cast<float>(expected[h]);
        if (std::isnan(theirs)) {
            // Both NaN with the same sign; numpy may quiet signalling NaNs depending on its build,
            // so payload bits are not compared.
            ++nan_patterns;
            EXPECT_TRUE(std::isnan(ours)) << "pattern " << h;
            EXPECT_EQ(std::signbit(ours), std::signbit(theirs)) << "pattern " << h;
        } else {
            if ((h & 0x7c00) == 0 && (h & 0x3ff) != 0) ++subnormal_patterns;
            EXPECT_EQ(std::bit_cast<uint32_t>(ours), expected[h]) << "pattern " << h;
        }
    }
    EXPECT_EQ(nan_patterns, 2u * 1023u);
    EXPECT_EQ(subnormal_patterns, 2u * 1023u);
}

TEST(HalfFloatTest, BulkDecoderMatchesScalarForAllF16Patterns) {
    // Unaligned source on purpose: one leading byte.
    std::vector<std::byte> source(1 + 2 * 65536);
    for (uint32_t h = 0; h < 65536; ++h) {
        source[1 + 2 * h] = static_cast<std::byte>(h & 0xff);
        source[2 + 2 * h] = static_cast<std::byte>(h >> 8);
    }
    std::vector<float> out(65536);
    const size_t first_bad =
        decode_to_float_checked(DType::kF16, source.data() + 1, 65536, out.data());
    EXPECT_EQ(first_bad, 0x7c00u);  // +Inf is the first non-finite pattern
    for (uint32_t h = 0; h < 65536; ++h) {
        const float scalar = half_to_float(static_cast<uint16_t>(h));
        EXPECT_EQ(std::bit_cast<uint32_t>(out[h]), std::bit_cast<uint32_t>(scalar));
    }
}

TEST(HalfFloatTest, BFloat16MatchesPythonStruct) {
    // struct.unpack('<f') of the pattern shifted into the top half, for a sample of 4096 patterns
    // covering every exponent (including subnormals and specials) with varied mantissas.
    const std::vector<uint32_t> expected = python_float32_bits(
        "b''.join(struct.pack('<f', struct.unpack('<f', struct.pack('<I', (h * 16 + h % 16) << 16))"
        "[0]) for h in range(4096))");
    ASSERT_EQ(expected.size(), 4096u);
    for (uint32_t h = 0; h < 4096; ++h) {
        const auto pattern = static_cast<uint16_t>(h * 16 + h % 16);
        const float ours = bfloat16_to_float(pattern);
        if (std::isnan(ours)) {
            EXPECT_TRUE(std::isnan(std::bit_cast<float>(expected[h])));
        } else {
            EXPECT_EQ(std::bit_cast<uint32_t>(ours), expected[h]) << "pattern " << pattern;
        }
    }
}

TEST(HalfFloatTest, KnownValues) {
    EXPECT_EQ(half_to_float(0x3c00), 1.0f);
    EXPECT_EQ(half_to_float(0x7bff), 65504.0f);                  // largest finite
    EXPECT_EQ(half_to_float(0x0400), std::ldexp(1.0f, -14));     // smallest normal
    EXPECT_EQ(half_to_float(0x03ff), std::ldexp(1023.0f, -24));  // largest subnormal
    EXPECT_EQ(half_to_float(0x8001), -std::ldexp(1.0f, -24));
    EXPECT_TRUE(std::signbit(half_to_float(0x8000)));
    EXPECT_EQ(bfloat16_to_float(0xc0a0), -5.0f);
}

}  // namespace
}  // namespace spanguard::core
