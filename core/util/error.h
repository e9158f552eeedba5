// Errors raised by core. Library code never aborts on bad input: it throws, naming the input.
#pragma once

#include <stdexcept>
#include <string>

namespace spanguard::core {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace spanguard::core

// Throws spanguard::core::Error(message) when `condition` is false. `message` is only built then.
#define SPANGUARD_THROW_IF_NOT(condition, message)                 \
    do {                                                           \
        if (!(condition)) throw ::spanguard::core::Error(message); \
    } while (false)
