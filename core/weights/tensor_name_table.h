// The tensor inventory of a GLiNER2 `span` checkpoint (GLINER2.md §1.4): every name and shape that
// the
// encoder configuration and the counting layer imply, in state-dict order. The loader checks a file
// against it; /work/shared/reference/gliner2_tensor_shapes_derived.json is the independent check of
// the table itself (255 tensors, 208,476,821 parameters for gliner2-base-v1).
//
// Shapes follow PyTorch: Linear weights are [out, in], biases [out].
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_config.h"
#include "core/weights/counting_layer.h"

namespace spanguard::core {

// Head sizes that GLiNER2 hard-codes rather than stores in config.json (GLINER2.md §1.2).
inline constexpr int kMaxCount = 20;                // count classes 0..19, count_embed positions
inline constexpr int kCountTransformerWidth = 128;  // count_lstm_v2 inner d_model
inline constexpr int kCountTransformerLayers = 2;
inline constexpr int kCountTransformerFfn = 256;  // 2 x width
inline constexpr int kCountMoeExperts = 4;        // count_lstm_moe
inline constexpr int kCountMoeFfnMultiplier = 2;

struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;
    int64_t numel() const;
};

// All tensors, encoder first (prefix "encoder."), then span_rep, classifier, count_pred and
// count_embed. The encoder's relative-embedding rows come from
// EncoderConfig::rel_embeddings_rows().
std::vector<ExpectedTensor> expected_tensors(const EncoderConfig& encoder, CountingLayer counting);

// "[768, 3072]".
std::string shape_to_string(const std::vector<int64_t>& shape);

}  // namespace spanguard::core
