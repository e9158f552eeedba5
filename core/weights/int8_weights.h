// Quantize-at-load for int8 inference: builds the packed int8 copy of a Linear layer's weight that
// core::linear() then runs through the int8 GEMM (core/kernels/int8_gemm.h) instead of the fp32
// one.
//
// Chosen over a `spanguard quantize IN OUT` command writing a second checkpoint format: packing is
// cheap next to loading the float32 checkpoint (DeBERTa-v3-base, all encoder Linear layers: about
// 0.4 s of CPU time, spread over the threads, measured with /usr/bin/time on `spanguard extract
// --int8`), so a new file format with its loader and versioning would buy almost nothing.
// Memory: the packed copy is ~1 byte per quantized weight (+8 bytes per output channel) next to
// the float32 weights, which stay loaded because embeddings, query/key projections, relative
// positions and the heads still use them (DeBERTa-v3-base: +72 MB).
//
// Thread safety: quantize_linear_int8() writes only the view it is given; the packed weight it
// attaches is immutable and shared (std::shared_ptr) by every copy of the view.
#pragma once

#include <cstddef>
#include <span>

#include "core/kernels/linear.h"

namespace spanguard::core {

// Arithmetic of the encoder's Linear layers: kFloat32 (the reference's, exact to the goldens) or
// kInt8 (weights per-channel symmetric int8, activations per-token asymmetric u8, int32
// accumulation).
enum class Precision { kFloat32, kInt8 };

// "float32" / "int8", for logs and benchmark output.
const char* precision_name(Precision precision);

// Quantizes `view.weight` ([out_features, in_features] float32) and attaches the packed copy as
// view.int8; the float32 weight and bias stay as they are. Throws core::Error naming view.name for
// a non-finite weight. Returns the bytes the packed copy holds.
size_t quantize_linear_int8(LinearView& view);

// quantize_linear_int8 on every view, the views spread over core::parallel_for threads. Returns the
// total bytes of the packed copies.
size_t quantize_linears_int8(std::span<LinearView* const> views);

}  // namespace spanguard::core
