#include "core/weights/linear_weight_copies.h"

#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "core/weights/huge_pages.h"

namespace spanguard::core {
namespace {

constexpr size_t kAlignFloats = 64 / sizeof(float);

size_t aligned_floats(size_t count) {
    return (count + kAlignFloats - 1) / kAlignFloats * kAlignFloats;
}

// One block of `bytes`, 2 MiB-aligned so that whole huge pages fit in it, released with free().
std::shared_ptr<void> allocate_block(size_t bytes) {
    const size_t size = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* block = std::aligned_alloc(kHugePageBytes, size);
    if (block == nullptr) throw std::bad_alloc();
    advise_huge_pages(block, size);
    return {block, [](void* p) { std::free(p); }};
}

}  // namespace

std::shared_ptr<const void> copy_linear_weights(std::span<LinearView* const> views,
                                                const CheckpointWeights& weights) {
    struct Copy {
        const WeightBuffer* source;
        size_t offset;  // floats into the block
    };
    std::vector<Copy> copies;
    std::vector<size_t> weight_offsets(views.size());
    std::vector<size_t> bias_offsets(views.size(), SIZE_MAX);
    size_t total = 0;
    for (size_t i = 0; i < views.size(); ++i) {
        const LinearView& view = *views[i];
        const WeightBuffer& weight =
            weights.get(view.name + ".weight", {view.out_features, view.in_features}).data;
        weight_offsets[i] = total;
        copies.push_back({&weight, total});
        total += aligned_floats(weight.size());
        if (view.bias != nullptr) {
            const WeightBuffer& bias = weights.get(view.name + ".bias", {view.out_features}).data;
            bias_offsets[i] = total;
            copies.push_back({&bias, total});
            total += aligned_floats(bias.size());
        }
    }
    if (total == 0) return nullptr;
    std::shared_ptr<void> block = allocate_block(total * sizeof(float));
    auto* floats = static_cast<float*>(block.get());

    for (const Copy& copy : copies)
        copy.source->read_in_parallel(0, copy.source->size(), floats + copy.offset);
    for (size_t i = 0; i < views.size(); ++i) {
        views[i]->weight = floats + weight_offsets[i];
        if (bias_offsets[i] != SIZE_MAX) views[i]->bias = floats + bias_offsets[i];
    }
    return block;
}

}  // namespace spanguard::core
