#include "schemas/prompt/input_batch.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace spanguard::schemas {

PaddedBatch pad_batch(const std::vector<ModelInput>& inputs, size_t first, size_t count) {
    if (first > inputs.size() || count > inputs.size() - first) {
        throw std::out_of_range("pad_batch: rows [" + std::to_string(first) + ", " +
                                std::to_string(first + count) + ") outside the " +
                                std::to_string(inputs.size()) + " inputs");
    }
    std::vector<size_t> rows(count);
    std::iota(rows.begin(), rows.end(), first);
    return pad_batch(inputs, rows);
}

PaddedBatch pad_batch(const std::vector<ModelInput>& inputs, std::span<const size_t> rows) {
    PaddedBatch out;
    out.rows = rows.size();
    for (size_t index : rows) {
        if (index >= inputs.size()) {
            throw std::out_of_range("pad_batch: row " + std::to_string(index) + " outside the " +
                                    std::to_string(inputs.size()) + " inputs");
        }
        out.length = std::max(out.length, inputs[index].input_ids.size());
    }
    out.input_ids.assign(out.rows * out.length, 0);
    out.attention_mask.assign(out.rows * out.length, 0);
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto& ids = inputs[rows[r]].input_ids;
        std::copy(ids.begin(), ids.end(), out.input_ids.begin() + r * out.length);
        std::fill_n(out.attention_mask.begin() + r * out.length, ids.size(), 1);
    }
    return out;
}

std::vector<std::vector<size_t>> plan_batches(const std::vector<ModelInput>& inputs,
                                              size_t batch_size) {
    if (batch_size == 0) throw std::invalid_argument("plan_batches: batch_size must be at least 1");
    std::vector<size_t> order(inputs.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return inputs[a].input_ids.size() < inputs[b].input_ids.size();
    });
    std::vector<std::vector<size_t>> batches;
    batches.reserve((order.size() + batch_size - 1) / batch_size);
    for (size_t first = 0; first < order.size(); first += batch_size) {
        const size_t count = std::min(batch_size, order.size() - first);
        batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(first),
                             order.begin() + static_cast<std::ptrdiff_t>(first + count));
    }
    return batches;
}

}  // namespace spanguard::schemas
