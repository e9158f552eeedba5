#include "heads/gather.h"

#include <string>

#include "core/util/error.h"

namespace spanguard::heads {

Matrix gather_rows(const MatrixRef& hidden, std::span<const size_t> positions,
                   std::string_view what) {
    const auto rows = static_cast<size_t>(hidden.rows());
    Matrix out(static_cast<Eigen::Index>(positions.size()), hidden.cols());
    for (size_t i = 0; i < positions.size(); ++i) {
        SPANGUARD_THROW_IF_NOT(positions[i] < rows,
                               std::string(what) + "[" + std::to_string(i) + "] = position " +
                                   std::to_string(positions[i]) + " is outside the " +
                                   std::to_string(rows) + " encoder rows");
        out.row(static_cast<Eigen::Index>(i)) = hidden.row(static_cast<Eigen::Index>(positions[i]));
    }
    return out;
}

}  // namespace spanguard::heads
