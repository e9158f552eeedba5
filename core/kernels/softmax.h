// Softmax over one row of attention scores with a key mask, matching DeBERTa's XSoftmax: masked
// entries take no part in the normalisation and come out exactly 0; a row whose keys are all masked
// comes out all zero (XSoftmax fills with the float minimum, takes the softmax, then zeroes the
// masked entries).
//
// Thread safety: pure function of its arguments.
#pragma once

#include <cstdint>
#include <span>

namespace spanguard::core {

// Replaces `scores` by the masked softmax. `keep[j] != 0` keeps entry j; keep.size() must equal
// scores.size() (throws core::Error otherwise).
void masked_softmax(std::span<float> scores, std::span<const int32_t> keep);

}  // namespace spanguard::core
