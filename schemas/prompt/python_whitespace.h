// Python's notion of whitespace (str.isspace / str.strip with no argument), which the reference
// applies to request strings: choice lists `[a | b]` are stripped, names made only of whitespace
// count as empty.
#pragma once

#include <string_view>

namespace spanguard::schemas {

// Python str.isspace() for one code point: bidirectional class WS, B or S, or category Zs.
bool is_python_space(char32_t cp);

// Python str.strip() of valid UTF-8 `text`; returns a view into `text`.
std::string_view python_strip(std::string_view text);

}  // namespace spanguard::schemas
