// Helpers shared by the libFuzzer harnesses in this folder.
//
// A harness catches only the exception types its parser documents for bad input; anything else
// (another exception type, a crash, a sanitizer report, a leak) escapes and libFuzzer records the
// input as a failure. FUZZ_CHECK states an invariant of a successful parse: a violation aborts,
// which libFuzzer also records.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition)                                                          \
    do {                                                                               \
        if (!(condition)) {                                                            \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,  \
                         #condition);                                                  \
            std::abort();                                                              \
        }                                                                              \
    } while (false)

namespace spanguard::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace spanguard::fuzz
