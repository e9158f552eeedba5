// Exact widening of the 16-bit float formats found in checkpoints to IEEE binary32. Every binary16
// and bfloat16 value (normals, subnormals, zeros of both signs, infinities) is exactly
// representable in binary32, so the conversion is pure bit manipulation: no rounding, and no
// dependence on the FPU's flush-to-zero / denormals-are-zero modes that a kernel elsewhere might
// have switched on.
//
// Thread safety: pure functions.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace spanguard::core {

// IEEE 754 binary16 (safetensors "F16") -> binary32. NaN payloads are kept (shifted into the top
// of the binary32 significand), like numpy's float16 -> float32 conversion.
inline float half_to_float(uint16_t half) {
    const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
    const uint32_t exponent = (half >> 10) & 0x1fu;
    const uint32_t mantissa = half & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1fu) {
        bits = sign | 0x7f800000u | (mantissa << 13);  // Inf or NaN
    } else if (exponent != 0) {
        bits = sign | ((exponent + (127 - 15)) << 23) | (mantissa << 13);  // normal: rebias
    } else if (mantissa == 0) {
        bits = sign;  // signed zero
    } else {
        // Subnormal: value = mantissa * 2^-24. Its highest set bit p (0..9) becomes the implicit
        // leading one of a normal binary32 with exponent p - 24.
        const int p = 31 - std::countl_zero(mantissa);
        bits = sign | (static_cast<uint32_t>(p - 24 + 127) << 23) |
               ((mantissa << (23 - p)) & 0x7fffffu);
    }
    return std::bit_cast<float>(bits);
}

// bfloat16 (safetensors "BF16") is the top half of a binary32.
inline float bfloat16_to_float(uint16_t bf16) {
    return std::bit_cast<float>(static_cast<uint32_t>(bf16) << 16);
}

}  // namespace spanguard::core
