// Decoding of safetensors element bytes (little-endian, possibly unaligned) into float32, with the
// finiteness check the loader applies to every weight.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>

#include "core/weights/safetensors.h"

namespace spanguard::core {

// True for the dtypes decode_to_float accepts: F32, F16 and BF16 (the float formats in which
// GLiNER2 checkpoints are published or commonly converted to).
bool decodes_to_float(DType dtype);

// Writes `count` float32 values decoded from `source` (count x dtype_size(dtype) bytes, no
// alignment required) to `out`. Exact for all three formats. Throws core::Error for a dtype that
// fails decodes_to_float().
void decode_to_float(DType dtype, const std::byte* source, size_t count, float* out);

// decode_to_float, checking each value while it is still in cache. Returns the index of the first
// NaN or infinity, or `count` when all are finite (everything is decoded either way).
size_t decode_to_float_checked(DType dtype, const std::byte* source, size_t count, float* out);

// Index of the first NaN or infinity among `count` floats, or `count` when all are finite.
size_t first_non_finite(const float* values, size_t count);

// "<file>: tensor 'name': element 7 [1, 3] is NaN; weights must be finite".
std::string non_finite_message(const std::string& file, const TensorInfo& tensor, size_t index,
                               float value);

}  // namespace spanguard::core
