// Parsing and validation of a safetensors JSON header, separate from file access so that every rule
// can be exercised on a string. Used by SafetensorsFile::open.
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/weights/safetensors.h"

namespace spanguard::core {

struct SafetensorsHeader {
    std::vector<TensorInfo> tensors;  // sorted by name
    std::map<std::string, std::string> metadata;
};

// `json_text`: the header bytes (UTF-8 JSON, possibly padded with trailing spaces). `data_size`:
// bytes in the data section that follows it. Checks: the text is one JSON object without duplicate
// keys or deep nesting; "__metadata__", when present, maps strings to strings; every other entry is
// {"dtype": known, "shape": [non-negative integers], "data_offsets": [begin, end]} with nothing
// else, the element count and byte size do not overflow, begin <= end <= data_size,
// end - begin = element count x dtype size, and no two byte ranges overlap. Work and memory are
// proportional to the length of `json_text`, never to the sizes it declares.
// Throws core::Error starting with "<file>: " and naming the tensor and field at fault.
SafetensorsHeader parse_safetensors_header(std::string_view json_text, uint64_t data_size,
                                           const std::string& file);

// `text` in single quotes for an error message, control characters escaped and anything past
// `max_chars` bytes cut (hostile names can be megabytes long).
std::string quote_for_error(std::string_view text, size_t max_chars = 200);

}  // namespace spanguard::core
