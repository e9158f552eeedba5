// Row selection from one sequence's encoder output: the word vectors (first sub-token of each text
// token) and the marker vectors ([P] then the children of a block) that the heads read.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "heads/tensor.h"

namespace spanguard::heads {

// hidden: [T, H]; positions index its rows. Returns [positions.size(), H]. Throws core::Error
// naming `what`, the index and the position when a position is >= T.
Matrix gather_rows(const MatrixRef& hidden, std::span<const size_t> positions,
                   std::string_view what);

}  // namespace spanguard::heads
