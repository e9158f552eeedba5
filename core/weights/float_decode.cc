#include "core/weights/float_decode.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/util/error.h"
#include "core/weights/half_float.h"
#include "core/weights/safetensors_header.h"

namespace spanguard::core {
namespace {

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian; a big-endian host would need byte swapping here");

template <float (*Widen)(uint16_t)>
void decode_16bit(const std::byte* source, size_t count, float* out) {
    for (size_t i = 0; i < count; ++i) {
        uint16_t bits;
        std::memcpy(&bits, source + 2 * i, sizeof bits);  // unaligned-safe load
        out[i] = Widen(bits);
    }
}

// All-ones exponent <=> NaN or infinity; an integer test keeps the loop vectorizable.
bool all_finite(const float* values, size_t count) {
    uint32_t any_special = 0;
    for (size_t i = 0; i < count; ++i) {
        const uint32_t bits = std::bit_cast<uint32_t>(values[i]);
        any_special |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    return any_special == 0;
}

}  // namespace

bool decodes_to_float(DType dtype) {
    return dtype == DType::kF32 || dtype == DType::kF16 || dtype == DType::kBF16;
}

void decode_to_float(DType dtype, const std::byte* source, size_t count, float* out) {
    switch (dtype) {
        case DType::kF32:
            std::memcpy(out, source, count * sizeof(float));
            return;
        case DType::kF16:
            decode_16bit<half_to_float>(source, count, out);
            return;
        case DType::kBF16:
            decode_16bit<bfloat16_to_float>(source, count, out);
            return;
        default:
            throw Error("decode_to_float: dtype " + std::string(dtype_name(dtype)) +
                        " is not F32, F16 or BF16");
    }
}

size_t decode_to_float_checked(DType dtype, const std::byte* source, size_t count, float* out) {
    // Small blocks: each is checked right after it is written, while it sits in L1.
    constexpr size_t kBlock = 4096;
    const size_t element_size = dtype_size(dtype);
    size_t first_bad = count;
    for (size_t start = 0; start < count; start += kBlock) {
        const size_t n = std::min(kBlock, count - start);
        decode_to_float(dtype, source + start * element_size, n, out + start);
        if (first_bad == count && !all_finite(out + start, n)) {
            first_bad =
                static_cast<size_t>(std::find_if(out + start, out + start + n,
                                                 [](float v) { return !std::isfinite(v); }) -
                                    out);
        }
    }
    return first_bad;
}

size_t first_non_finite(const float* values, size_t count) {
    constexpr size_t kBlock = 4096;
    for (size_t start = 0; start < count; start += kBlock) {
        const size_t n = std::min(kBlock, count - start);
        if (!all_finite(values + start, n)) {
            return static_cast<size_t>(std::find_if(values + start, values + start + n,
                                                    [](float v) { return !std::isfinite(v); }) -
                                       values);
        }
    }
    return count;
}

std::string non_finite_message(const std::string& file, const TensorInfo& tensor, size_t index,
                               float value) {
    // Row-major coordinates of flat `index`, e.g. [1, 3].
    std::vector<int64_t> coords(tensor.shape.size());
    size_t rest = index;
    for (size_t d = tensor.shape.size(); d-- > 0;) {
        const auto extent = static_cast<size_t>(tensor.shape[d]);
        coords[d] = extent > 0 ? static_cast<int64_t>(rest % extent) : 0;
        rest = extent > 0 ? rest / extent : 0;
    }
    std::string where = "[";
    for (size_t d = 0; d < coords.size(); ++d) {
        if (d > 0) where += ", ";
        where += std::to_string(coords[d]);
    }
    where += "]";
    const char* what = std::isnan(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
    return file + ": tensor " + quote_for_error(tensor.name) + ": element " +
           std::to_string(index) + " " + where + " is " + what + "; weights must be finite";
}

}  // namespace spanguard::core
