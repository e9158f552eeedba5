// The tensor names and shapes of the GLiNER2 heads (GLINER2.md §1.4): span representation,
// classifier, count predictor and the count embedding of each counting-layer variant, in
// state-dict order. The head layers read exactly these tensors; the checkpoint loader checks a
// file against them together with the encoder's (core/weights/tensor_name_table.h).
//
// Shapes follow PyTorch: Linear weights are [out, in], biases [out].
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "core/weights/counting_layer.h"
#include "core/weights/tensor_name_table.h"

namespace spanguard::heads {

// Head sizes that GLiNER2 hard-codes rather than stores in config.json (GLINER2.md §1.2).
inline constexpr int kMaxCount = 20;                // count classes 0..19, count_embed positions
inline constexpr int kCountTransformerWidth = 128;  // count_lstm_v2 inner d_model
inline constexpr int kCountTransformerLayers = 2;
inline constexpr int kCountTransformerFfn = 256;  // 2 x width
inline constexpr int kCountMoeExperts = 4;        // count_lstm_moe
inline constexpr int kCountMoeFfnMultiplier = 2;

// span_rep, classifier, count_pred, then count_embed for `counting`.
std::vector<core::ExpectedTensor> expected_head_tensors(int64_t hidden,
                                                        core::CountingLayer counting);

// The whole checkpoint: the encoder's tensors, then the heads'.
std::vector<core::ExpectedTensor> expected_checkpoint_tensors(const core::EncoderConfig& encoder,
                                                              core::CountingLayer counting);

// A GLiNER2 checkpoint folder's weights, checked against expected_checkpoint_tensors
// (core::CheckpointWeights::load with this file's head table).
core::CheckpointWeights load_checkpoint_weights(const std::string& folder,
                                                const core::EncoderConfig& encoder);
core::CheckpointWeights load_checkpoint_weights(const std::string& folder,
                                                const core::EncoderConfig& encoder,
                                                const core::GlinerConfig& gliner);

}  // namespace spanguard::heads
