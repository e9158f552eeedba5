// Right-padding of model inputs into one encoder batch (GLINER2.md §2.7): ids padded with 0 (the
// reference pads with zeros whatever the tokenizer's pad id), attention mask 1 on real positions
// and 0 on padding. Padding never changes the outputs at real positions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "schemas/prompt/model_input.h"

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
// Pads inputs[rows[0]], inputs[rows[1]], ... in that order. Throws std::out_of_range for an index
// outside `inputs`.
PaddedBatch pad_batch(const std::vector<ModelInput>& inputs, std::span<const size_t> rows);

// Splits inputs into encoder batches of at most `batch_size` (>= 1) rows, each batch a list of
// indices into `inputs`; every index appears exactly once. Inputs are grouped by length (shortest
// first, ties in input order), so each batch pads to nearly its own rows' length: in file order a
// mixed-length batch spends most of its encoder time on padding. Grouping changes no result
// (padding never changes real positions); callers put each result back at its index.
std::vector<std::vector<size_t>> plan_batches(const std::vector<ModelInput>& inputs,
                                              size_t batch_size);

}  // namespace spanguard::schemas
