// The result of tokenising one string.
#pragma once

#include <cstdint>
#include <vector>

#include "tokenizer/normalized_string.h"

namespace spanguard::tokenizer {

struct Encoding {
    std::vector<int32_t> ids;
    // offsets[i] is the original UTF-8 byte range of ids[i] in the string given to encode().
    // Use utf8::CodePointIndex to convert to code points.
    std::vector<ByteRange> offsets;
};

}  // namespace spanguard::tokenizer
