// The GoogleTest main of every suite: skips (or, with SPANGUARD_REQUIRE_FIXTURES=1, fails) the
// suites that need ../shared/reference when it is not there (shared_fixtures.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "shared_fixtures.h"

namespace {

bool needs_shared(const std::string& suite) {
    const size_t slash = suite.rfind('/');
    const std::string name = slash == std::string::npos ? suite : suite.substr(slash + 1);
    const auto& suites = spanguard::testing::suites_needing_shared();
    return std::find(suites.begin(), suites.end(), name) != suites.end();
}

// gtest's wildcard match ('*' any run, '?' one character) of one pattern.
bool glob_match(const char* pattern, const char* name) {
    if (*pattern == '\0') return *name == '\0';
    if (*pattern == '*')
        return glob_match(pattern + 1, name) || (*name != '\0' && glob_match(pattern, name + 1));
    return *name != '\0' && (*pattern == '?' || *pattern == *name) &&
           glob_match(pattern + 1, name + 1);
}

// Whether `full` ("Suite.Test") is selected by the positive part of a --gtest_filter (the filter
// is only applied inside RUN_ALL_TESTS, so TestInfo::should_run cannot say yet).
bool selected(const std::string& filter, const std::string& full) {
    const std::string positive = filter.substr(0, filter.find('-'));
    if (positive.empty()) return true;
    size_t start = 0;
    while (start <= positive.size()) {
        const size_t end = std::min(positive.find(':', start), positive.size());
        if (glob_match(positive.substr(start, end - start).c_str(), full.c_str())) return true;
        start = end + 1;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    testing::InitGoogleTest(&argc, argv);
    const std::string reference = spanguard::testing::shared_dir() + "/reference";
    // Listing (CTest's test discovery reads it) must show every test, with nothing else printed.
    if (spanguard::testing::shared_present() || testing::GTEST_FLAG(list_tests)) {
        return RUN_ALL_TESTS();
    }

    std::string excluded;
    size_t skipped = 0;
    const testing::UnitTest& unit = *testing::UnitTest::GetInstance();
    for (int i = 0; i < unit.total_test_suite_count(); ++i) {
        const testing::TestSuite& suite = *unit.GetTestSuite(i);
        if (!needs_shared(suite.name())) continue;
        for (int j = 0; j < suite.total_test_count(); ++j) {
            const testing::TestInfo& test = *suite.GetTestInfo(j);
            const std::string full = std::string(suite.name()) + "." + test.name();
            if (!selected(testing::GTEST_FLAG(filter), full)) continue;
            if (spanguard::testing::fixtures_required()) {
                std::fprintf(stderr,
                             "%s needs %s, which is missing (SPANGUARD_REQUIRE_FIXTURES=1)\n",
                             full.c_str(), reference.c_str());
                return 1;
            }
            std::printf("[  SKIPPED ] %s: needs %s, which is not beside this clone\n", full.c_str(),
                        reference.c_str());
            excluded.push_back(':');
            excluded.append(full);
            ++skipped;
        }
    }
    if (skipped > 0) {
        // gtest filters read "POSITIVE[-NEGATIVE]", patterns joined by ':'; `excluded` starts
        // with one.
        std::string filter = testing::GTEST_FLAG(filter);
        if (filter.find('-') == std::string::npos) {
            filter.push_back('-');
            excluded.erase(0, 1);
        }
        filter.append(excluded);
        testing::GTEST_FLAG(filter) = filter;
        std::printf("%zu test(s) skipped: their fixtures (%s) are not beside this clone\n", skipped,
                    reference.c_str());
    }
    return RUN_ALL_TESTS();
}
