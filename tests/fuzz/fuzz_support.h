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

#include "tokenizer/encoding.h"

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace spanguard::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// What every successful encode promises: one offset per id, each inside the text.
inline void check_encoding(const tokenizer::Encoding& e, std::string_view text) {
    FUZZ_CHECK(e.ids.size() == e.offsets.size());
    for (const auto& r : e.offsets)
        FUZZ_CHECK(r.begin <= r.end && r.end <= text.size());
}

}  // namespace spanguard::fuzz
