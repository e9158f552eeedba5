// Right-padding of model inputs into one encoder batch (spec §2.7): ids padded with 0 (the
// reference pads with zeros whatever the tokenizer's pad id), attention mask 1 on real positions
// and 0 on padding. Padding never changes the outputs at real positions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "schemas/model_input.h"

namespace spanguard::schemas {

struct PaddedBatch {
    size_t rows = 0;
    size_t length = 0;                    // the longest input's length
    std::vector<int32_t> input_ids;       // rows x length, row-major
    std::vector<int32_t> attention_mask;  // rows x length, row-major
};

// Pads inputs[first, first + count).
PaddedBatch pad_batch(const std::vector<ModelInput>& inputs, size_t first, size_t count);
inline PaddedBatch pad_batch(const std::vector<ModelInput>& inputs) {
    return pad_batch(inputs, 0, inputs.size());
}

}  // namespace spanguard::schemas
