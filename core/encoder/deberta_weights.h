// Borrowed views of the DeBERTa-v2/v3 encoder tensors inside a CheckpointWeights, resolved by name
// and shape-checked once at construction (GLINER2.md §1.4: `<prefix>embeddings.*`,
// `<prefix>encoder.rel_embeddings.weight`, `<prefix>encoder.LayerNorm.*`,
// `<prefix>encoder.layer.<i>.*`).
//
// Ownership: every pointer points into the CheckpointWeights, which must outlive these views.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/kernels/linear.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"

namespace spanguard::core {

struct LayerNormView {
    std::span<const float> weight;
    std::span<const float> bias;
    std::string name;  // tensor-name prefix, for error messages
};

struct DebertaLayerView {
    LinearView query, key, value;  // attention.self.{query,key,value}_proj
    LinearView attention_output;   // attention.output.dense
    LayerNormView attention_norm;  // attention.output.LayerNorm
    LinearView intermediate;       // intermediate.dense (H -> FF)
    LinearView output;             // output.dense (FF -> H)
    LayerNormView output_norm;     // output.LayerNorm
};

struct DebertaWeightsView {
    const float* word_embeddings = nullptr;  // [vocab_rows, H]
    int64_t vocab_rows = 0;
    LayerNormView embedding_norm;           // embeddings.LayerNorm
    const float* rel_embeddings = nullptr;  // [rel_rows, H]
    int64_t rel_rows = 0;
    LayerNormView rel_norm;  // encoder.LayerNorm (applied to rel_embeddings)
    std::vector<DebertaLayerView> layers;
};

// Resolves all encoder tensors under `prefix` (e.g. "encoder."). Throws core::Error naming the
// tensor when one is missing or its shape differs from what `config` implies (the word embedding
// may have any number of rows >= 1; the relative embedding needs at least `rel_rows_needed` rows).
DebertaWeightsView resolve_deberta_weights(const CheckpointWeights& weights,
                                           const EncoderConfig& config, const std::string& prefix,
                                           int64_t rel_rows_needed);

}  // namespace spanguard::core
