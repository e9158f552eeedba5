// Copies of Linear weights in memory the model owns, for the layers whose float32 GEMM reads its
// whole weight on every call (the encoder's projections and feed-forward layers).
//
// Why not read them in place from the checkpoint's mapping: measured with `bench/profile_request
// --words 200 --threads 1` on a base-shaped checkpoint (four alternating rounds each), requests
// took 365-375 ms with the weights in the mapping, 334-354 ms with copies at the mapping's
// offsets modulo 64 (a safetensors data section is only 8-byte aligned, so rows start mid cache
// line and every vector load of a weight spans two lines), and 306-317 ms with 64-byte-aligned
// copies. The copy costs load time instead: about 0.5 s per 340 MB on the development VM, mostly
// the first touch of fresh memory, which is why the block asks for transparent huge pages
// (MADV_HUGEPAGE: a fault per 2 MiB instead of per 4 KiB; without them the same copy took 0.3 s
// longer).
//
// Thread safety: copy_linear_weights() writes only the views it is given; the block it returns is
// immutable afterwards and may be read from any number of threads.
#pragma once

#include <memory>
#include <span>

#include "core/kernels/linear.h"
#include "core/weights/checkpoint_weights.h"

namespace spanguard::core {

// Copies the weight `<view.name>.weight` ([out_features, in_features] float32) and, when the view
// has one, the bias `<view.name>.bias` of every view into one new block, each at a 64-byte-aligned
// address, and points view.weight / view.bias at the copies. Reads through WeightBuffer::read, so
// the checkpoint's mapped pages of these tensors are never faulted in. Copies are spread over
// core::parallel_for threads. Returns the block (null when there is nothing to copy): the caller
// keeps it alive as long as the views are used. Throws core::Error naming a tensor that is absent
// or of another shape.
std::shared_ptr<const void> copy_linear_weights(std::span<LinearView* const> views,
                                                const CheckpointWeights& weights);

}  // namespace spanguard::core
