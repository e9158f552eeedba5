// The tokenizer library's own error type. It depends on nothing else of spanguard, so it cannot use
// core's error helpers; every message names the input (file, field or byte offset) it is about.
#pragma once

#include <stdexcept>
#include <string>

namespace spanguard::tokenizer {

class TokenizerError : public std::runtime_error {
  public:
    explicit TokenizerError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace spanguard::tokenizer
