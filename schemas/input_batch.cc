#include "schemas/input_batch.h"

#include <algorithm>
#include <stdexcept>

namespace spanguard::schemas {

PaddedBatch pad_batch(const std::vector<ModelInput>& inputs, size_t first, size_t count) {
    if (first > inputs.size() || count > inputs.size() - first) {
        throw std::out_of_range("pad_batch: rows [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") outside the " +
                                std::to_string(inputs.size()) + " inputs");
    }
    PaddedBatch out;
    out.rows = count;
    for (size_t r = 0; r < count; ++r) {
        out.length = std::max(out.length, inputs[first + r].input_ids.size());
    }
    out.input_ids.assign(out.rows * out.length, 0);
    out.attention_mask.assign(out.rows * out.length, 0);
    for (size_t r = 0; r < count; ++r) {
        const auto& ids = inputs[first + r].input_ids;
        std::copy(ids.begin(), ids.end(), out.input_ids.begin() + r * out.length);
        std::fill_n(out.attention_mask.begin() + r * out.length, ids.size(), 1);
    }
    return out;
}

}  // namespace spanguard::schemas
