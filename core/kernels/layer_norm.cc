#include "core/kernels/layer_norm.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::core {

void layer_norm_rows(RowMatrixRef x, std::span<const float> weight, std::span<const float> bias,
                     float eps, const char* what) {
    const Eigen::Index cols = x.cols();
    SPANGUARD_THROW_IF_NOT(static_cast<Eigen::Index>(weight.size()) == cols &&
                               static_cast<Eigen::Index>(bias.size()) == cols,
                           std::string(what) + ": weight/bias have " +
                               std::to_string(weight.size()) + "/" + std::to_string(bias.size()) +
                               " values, rows have " + std::to_string(cols));
    if (cols == 0) return;
    // Roughly 16k elements per chunk: below that a thread hand-off costs more than the work.
    const size_t grain = std::max<size_t>(1, 16384 / static_cast<size_t>(cols));
    parallel_for(static_cast<size_t>(x.rows()), grain, [&](size_t begin, size_t end) {
        for (size_t r = begin; r < end; ++r) {
            float* row = x.row(static_cast<Eigen::Index>(r)).data();
            // Two passes (mean, then centred squares) rather than E[x^2] - E[x]^2, which cancels
            // catastrophically when the mean is large relative to the spread.
            double sum = 0.0;
            for (Eigen::Index c = 0; c < cols; ++c)
                sum += row[c];
            const double mean = sum / static_cast<double>(cols);
            double squares = 0.0;
            for (Eigen::Index c = 0; c < cols; ++c) {
                const double centred = row[c] - mean;
                squares += centred * centred;
            }
            const double inv_std =
                1.0 / std::sqrt(squares / static_cast<double>(cols) + static_cast<double>(eps));
            for (Eigen::Index c = 0; c < cols; ++c) {
                const float normalised = static_cast<float>((row[c] - mean) * inv_std);
                row[c] = normalised * weight[static_cast<size_t>(c)] + bias[static_cast<size_t>(c)];
            }
        }
    });
}

}  // namespace spanguard::core
