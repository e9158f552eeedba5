// Fixtures beside the repository: ../shared/reference (parity checkpoints, upstream goldens,
// configs) is present in CI and in the development workspace, not in a user's clone. Suites that
// read it declare so with SPANGUARD_SUITE_NEEDS_SHARED(Suite); tests/gtest_main.cc then skips
// them, with the reason and a count, when the folder is missing, and fails instead when
// SPANGUARD_REQUIRE_FIXTURES=1 (set by .ci/run, so CI never silently stops running them).
//
// The folder is $SPANGUARD_SHARED_DIR when set, else the path CMake found at configure time.
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace spanguard::testing {

inline std::string shared_dir() {
    const char* env = std::getenv("SPANGUARD_SHARED_DIR");
    if (env != nullptr && *env != '\0') return env;
#ifdef SPANGUARD_SHARED_DIR
    return SPANGUARD_SHARED_DIR;
#else
    return "../shared";
#endif
}

// Whether the folder is there (its spm.model stands for the whole reference set).
inline bool shared_present() {
    return static_cast<bool>(std::ifstream(shared_dir() + "/reference/spm.model"));
}

inline bool fixtures_required() {
    const char* require = std::getenv("SPANGUARD_REQUIRE_FIXTURES");
    return require != nullptr && std::string(require) == "1";
}

// The suites registered by SPANGUARD_SUITE_NEEDS_SHARED (names as in TEST(Suite, ...), without a
// parameterised instantiation's "Prefix/").
inline std::vector<std::string>& suites_needing_shared() {
    static std::vector<std::string> suites;
    return suites;
}

struct SharedSuiteRegistrar {
    explicit SharedSuiteRegistrar(const char* suite) {
        suites_needing_shared().emplace_back(suite);
    }
};

}  // namespace spanguard::testing

#define SPANGUARD_SUITE_NEEDS_SHARED(suite) \
    static const ::spanguard::testing::SharedSuiteRegistrar spanguard_needs_shared_##suite(#suite)

// For one test in a suite that otherwise needs nothing beside the repository.
#define SPANGUARD_SKIP_WITHOUT_SHARED()                                                  \
    do {                                                                                 \
        if (!::spanguard::testing::shared_present()) {                                   \
            if (::spanguard::testing::fixtures_required()) {                             \
                FAIL() << "needs " << ::spanguard::testing::shared_dir()                 \
                       << "/reference, which is missing (SPANGUARD_REQUIRE_FIXTURES=1)"; \
            }                                                                            \
            GTEST_SKIP() << "needs " << ::spanguard::testing::shared_dir()               \
                         << "/reference, which is not beside this clone";                \
        }                                                                                \
    } while (0)
