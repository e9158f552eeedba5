#include "core/parallel/parallel_for.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace spanguard::core {
namespace {

TEST(ParallelFor, CoversEveryIndexExactlyOnce) {
    for (size_t count : {0u, 1u, 7u, 1000u, 12345u}) {
        for (size_t grain : {1u, 16u, 100000u}) {
            std::vector<std::atomic<int>> hits(count);
            parallel_for(count, grain, [&](size_t begin, size_t end) {
                ASSERT_LE(begin, end);
                for (size_t i = begin; i < end; ++i) hits[i].fetch_add(1);
            });
            for (size_t i = 0; i < count; ++i) ASSERT_EQ(hits[i].load(), 1) << "index " << i;
        }
    }
}

TEST(ParallelFor, SmallLoopsStayOnOneChunk) {
    std::atomic<int> chunks{0};
    parallel_for(10, 64, [&](size_t begin, size_t end) {
        EXPECT_EQ(begin, 0u);
        EXPECT_EQ(end, 10u);
        chunks.fetch_add(1);
    });
    EXPECT_EQ(chunks.load(), 1);
}

TEST(ParallelFor, RethrowsOnTheCallingThread) {
    set_num_threads(2);
    EXPECT_THROW(parallel_for(100, 1,
                              [](size_t begin, size_t) {
                                  if (begin == 0) throw std::runtime_error("chunk failed");
                              }),
                 std::runtime_error);
    set_num_threads(0);
}

TEST(ParallelFor, NestedCallsRunSerially) {
    set_num_threads(2);
    std::atomic<long> total{0};
    parallel_for(4, 1, [&](size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
            parallel_for(100, 1, [&](size_t b, size_t e) { total.fetch_add(static_cast<long>(e - b)); });
        }
    });
    EXPECT_EQ(total.load(), 400);
    set_num_threads(0);
}

}  // namespace
}  // namespace spanguard::core
