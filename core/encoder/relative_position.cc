#include "core/encoder/relative_position.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/util/error.h"

namespace spanguard::core {

void RelativePositionScheme::validate() const {
    SPANGUARD_THROW_IF_NOT(span >= 1, "relative positions: the embedding span must be >= 1, got " +
                                          std::to_string(span));
    if (bucket_size > 0) {
        SPANGUARD_THROW_IF_NOT(bucket_size >= 2,
                               "relative positions: position_buckets must be >= 2, got " +
                                   std::to_string(bucket_size));
        SPANGUARD_THROW_IF_NOT(max_position > bucket_size / 2 + 1,
                               "relative positions: max_relative_positions (" +
                                   std::to_string(max_position) +
                                   ") must exceed position_buckets / 2 + 1 (" +
                                   std::to_string(bucket_size / 2 + 1) + ")");
    }
}

int64_t log_bucket_position(int64_t relative, const RelativePositionScheme& scheme) {
    if (scheme.bucket_size <= 0 || scheme.max_position <= 0) return relative;
    if (scheme.convention == RelativeDistanceConvention::kMicrosoft) {
        relative =
            std::clamp<int64_t>(relative, -(scheme.max_position - 1), scheme.max_position - 1);
    }
    const int64_t mid = scheme.bucket_size / 2;
    const int64_t magnitude = relative < 0 ? -relative : relative;
    if (magnitude <= mid) return relative;
    const double scaled =
        std::log(static_cast<double>(magnitude) / static_cast<double>(mid)) /
        std::log(static_cast<double>(scheme.max_position - 1) / static_cast<double>(mid)) *
        static_cast<double>(mid - 1);
    const auto bucket = static_cast<int64_t>(std::ceil(scaled)) + mid;
    return relative < 0 ? -bucket : bucket;
}

int64_t relative_embedding_row(int64_t relative, const RelativePositionScheme& scheme) {
    const int64_t row = log_bucket_position(relative, scheme) + scheme.span;
    return std::clamp<int64_t>(row, 0, 2 * scheme.span - 1);
}

std::vector<int32_t> relative_embedding_rows(size_t length, const RelativePositionScheme& scheme) {
    std::vector<int32_t> rows;
    if (length == 0) return rows;
    const auto n = static_cast<int64_t>(length);
    rows.reserve(2 * length - 1);
    for (int64_t relative = -(n - 1); relative <= n - 1; ++relative) {
        rows.push_back(static_cast<int32_t>(relative_embedding_row(relative, scheme)));
    }
    return rows;
}

}  // namespace spanguard::core
