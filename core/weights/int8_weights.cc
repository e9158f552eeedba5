#include "core/weights/int8_weights.h"

#include <atomic>
#include <memory>

#include "core/kernels/int8_gemm.h"
#include "core/parallel/parallel_for.h"

namespace spanguard::core {

const char* precision_name(Precision precision) {
    return precision == Precision::kInt8 ? "int8" : "float32";
}

size_t quantize_linears_int8(std::span<LinearView* const> views, const CheckpointWeights& weights) {
    std::atomic<size_t> bytes{0};
    parallel_for(views.size(), 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            LinearView& view = *views[i];
            const WeightBuffer& source =
                weights.get(view.name + ".weight", {view.out_features, view.in_features}).data;
            auto packed = std::make_shared<const PackedInt8Weight>(PackedInt8Weight::quantize(
                view.out_features, view.in_features, view.name,
                [&](int64_t first_row, int64_t rows, float* out) {
                    source.read(static_cast<size_t>(first_row * view.in_features),
                                static_cast<size_t>(rows * view.in_features), out);
                }));
            bytes += packed->bytes();
            view.int8 = std::move(packed);
        }
    });
    return bytes.load();
}

}  // namespace spanguard::core
