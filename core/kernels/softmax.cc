#include "core/kernels/softmax.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/kernels/avx512_kernels.h"
#include "core/kernels/gemm.h"
#include "core/util/error.h"

namespace spanguard::core {

void masked_softmax(std::span<float> scores, std::span<const int32_t> keep) {
    SPANGUARD_THROW_IF_NOT(scores.size() == keep.size(),
                           "masked_softmax: " + std::to_string(scores.size()) + " scores but " +
                               std::to_string(keep.size()) + " mask values");
    // The AVX-512 form goes with the AVX-512 GEMM (SPANGUARD_GEMM_KERNEL=portable turns both off).
    static const bool vectorised =
        active_gemm_kernel() == GemmKernel::kAvx512 && activations_avx512::compiled_in();
    if (vectorised) {
        activations_avx512::masked_softmax(scores.data(), keep.data(),
                                           static_cast<int64_t>(scores.size()));
        return;
    }
    float max_score = -std::numeric_limits<float>::infinity();
    bool any_kept = false;
    for (size_t j = 0; j < scores.size(); ++j) {
        if (keep[j] == 0) continue;
        any_kept = true;
        if (scores[j] > max_score) max_score = scores[j];
    }
    if (!any_kept) {
        for (float& s : scores)
            s = 0.0f;
        return;
    }
    // Subtracting the maximum keeps exp() in range; it cancels in the ratio.
    double sum = 0.0;
    for (size_t j = 0; j < scores.size(); ++j) {
        if (keep[j] == 0) {
            scores[j] = 0.0f;
            continue;
        }
        scores[j] = std::exp(scores[j] - max_score);
        sum += scores[j];
    }
    const float inv_sum = static_cast<float>(1.0 / sum);
    for (size_t j = 0; j < scores.size(); ++j)
        scores[j] *= inv_sum;
}

}  // namespace spanguard::core
