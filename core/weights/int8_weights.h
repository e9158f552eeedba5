// Quantize-at-load for int8 inference: builds the packed int8 copy of a Linear layer's weight that
// core::linear() then runs through the int8 GEMM (core/kernels/int8_gemm.h) instead of the fp32
// one.
//
// Chosen over a `spanguard quantize IN OUT` command writing a second checkpoint format: packing
// costs about what the float32 path spends copying the same weights into aligned memory
// (linear_weight_copies.h), so an int8 load takes about as long as a float32 one
// (`bench/profile_request --words 20 [--int8]`, base-shaped checkpoint, 1 thread: 0.80-0.98 s
// int8, 0.95-1.49 s float32, alternating runs).
// Memory: the packed copy is ~1 byte per quantized weight (+8 bytes per output channel). The
// float32 weights of the quantized layers stay in the file: packing reads them through its
// descriptor (quantize_linears_int8 with a CheckpointWeights), so they never become resident.
//
// Thread safety: quantize_linears_int8() writes only the views it is given; the packed weight it
// attaches is immutable and shared (std::shared_ptr) by every copy of the view.
#pragma once

#include <cstddef>
#include <span>

#include "core/kernels/linear.h"
#include "core/weights/checkpoint_weights.h"

namespace spanguard::core {

// Arithmetic of the encoder's Linear layers: kFloat32 (the reference's, exact to the goldens) or
// kInt8 (weights per-channel symmetric int8, activations per-token asymmetric u8, int32
// accumulation).
enum class Precision { kFloat32, kInt8 };

// "float32" / "int8", for logs and benchmark output.
const char* precision_name(Precision precision);

// Quantizes the weight of every view, the tensor `<view.name>.weight` of `weights`
// ([out_features, in_features] float32), and attaches the packed copy as view.int8 (the float32
// weight and bias stay as they are); the views are spread over core::parallel_for threads. Each
// weight is read through WeightBuffer::read (from the file, for a borrowed tensor), so packing
// never touches its pages in the mapping. Throws core::Error naming view.name for a non-finite
// weight. Returns the total bytes of the packed copies.
size_t quantize_linears_int8(std::span<LinearView* const> views, const CheckpointWeights& weights);

}  // namespace spanguard::core
