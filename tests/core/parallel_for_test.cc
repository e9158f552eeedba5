#include "core/parallel/parallel_for.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace spanguard::core {
namespace {

TEST(ParallelFor, CoversEveryIndexExactlyOnce) {
    for (size_t count : {0u, 1u, 7u, 1000u, 12345u}) {
        for (size_t grain : {1u, 16u, 100000u}) {
            std::vector<std::atomic<int>> hits(count);
            parallel_for(count, grain, [&](size_t begin, size_t end) {
                ASSERT_LE(begin, end);
                for (size_t i = begin; i < end; ++i)
                    hits[i].fetch_add(1);
            });
            for (size_t i = 0; i < count; ++i)
                ASSERT_EQ(hits[i].load(), 1) << "index " << i;
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
            parallel_for(100, 1,
                         [&](size_t b, size_t e) { total.fetch_add(static_cast<long>(e - b)); });
        }
    });
    EXPECT_EQ(total.load(), 400);
    set_num_threads(0);
}

// The pool takes one call at a time; calls from other threads meanwhile run serially. Every call,
// pooled or not, must still cover its range exactly once.
TEST(ParallelFor, ConcurrentCallersEachCoverTheirRange) {
    set_num_threads(3);
    std::atomic<int> failures{0};
    std::vector<std::thread> callers;
    for (int c = 0; c < 4; ++c) {
        callers.emplace_back([&failures] {
            for (int call = 0; call < 300; ++call) {
                std::vector<std::atomic<int>> hits(97);
                parallel_for(hits.size(), 1, [&](size_t begin, size_t end) {
                    for (size_t i = begin; i < end; ++i)
                        hits[i].fetch_add(1);
                });
                for (auto& h : hits) {
                    if (h.load() != 1) failures.fetch_add(1);
                }
            }
        });
    }
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(failures.load(), 0);
    set_num_threads(0);
}

// Each piece waits (up to 20 s) until both have started: only two threads running at once get
// past it quickly, and a single thread fails the check instead of hanging.
TEST(ParallelFor, UsesSeveralThreadsWhenAsked) {
    set_num_threads(2);
    std::vector<std::thread::id> ids(2);
    std::atomic<int> started{0};
    parallel_for(2, 1, [&](size_t begin, size_t end) {
        started.fetch_add(1);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (started.load() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        for (size_t i = begin; i < end; ++i)
            ids[i] = std::this_thread::get_id();
    });
    EXPECT_NE(ids[0], ids[1]);
    set_num_threads(0);
}

// Pieces are claimed dynamically: while the caller is stuck in one piece, the worker runs others,
// and while the worker is stuck the caller does. The stuck piece waits (up to 20 s) until the
// other participant has run a piece: a pool where one participant waits on the other's progress
// before starting its own (or runs everything on one thread) fails the check.
TEST(ParallelFor, AnyParticipantTakesTheRemainingPieces) {
    set_num_threads(2);
    for (int stuck_on_caller = 0; stuck_on_caller < 2; ++stuck_on_caller) {
        const std::thread::id caller = std::this_thread::get_id();
        std::vector<std::atomic<int>> hits(64);
        std::atomic<int> by_caller{0}, by_worker{0};
        std::atomic<bool> blocked{false};
        parallel_for(hits.size(), 1, [&](size_t begin, size_t end) {
            const bool on_caller = std::this_thread::get_id() == caller;
            std::atomic<int>& other = on_caller ? by_worker : by_caller;
            // The first piece that lands on the chosen thread holds it until the other one works.
            if (on_caller == (stuck_on_caller == 1) && !blocked.exchange(true)) {
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                while (other.load() == 0 && std::chrono::steady_clock::now() < deadline)
                    std::this_thread::yield();
            }
            (on_caller ? by_caller : by_worker).fetch_add(static_cast<int>(end - begin));
            for (size_t i = begin; i < end; ++i)
                hits[i].fetch_add(1);
        });
        for (size_t i = 0; i < hits.size(); ++i)
            ASSERT_EQ(hits[i].load(), 1) << "index " << i;
        EXPECT_EQ(by_caller.load() + by_worker.load(), 64);
        // If the chosen thread got a piece and was held, the other one must have run some.
        if (blocked.load()) {
            EXPECT_GT((stuck_on_caller == 1 ? by_worker : by_caller).load(), 0)
                << (stuck_on_caller == 1 ? "worker" : "caller") << " took no piece";
        }
    }
    set_num_threads(0);
}

// The error of the lowest-numbered failing piece is the one rethrown, whichever thread ran it.
TEST(ParallelFor, RethrowsTheFirstPiecesError) {
    set_num_threads(2);
    for (int round = 0; round < 50; ++round) {
        try {
            parallel_for(8, 1, [](size_t begin, size_t) {
                if (begin >= 3) throw std::runtime_error("piece " + std::to_string(begin));
            });
            FAIL() << "no exception";
        } catch (const std::runtime_error& e) {
            EXPECT_STREQ(e.what(), "piece 3");
        }
    }
    set_num_threads(0);
}

// After fork() the child has none of the parent's worker threads; parallel_for must not wait on
// them.
TEST(ParallelFor, WorksInAForkedChild) {
#if defined(__SANITIZE_THREAD__)
    GTEST_SKIP() << "ThreadSanitizer does not support starting threads after a multi-threaded fork";
#endif
    set_num_threads(2);
    parallel_for(8, 1, [](size_t, size_t) {});  // the parent's pool exists before the fork
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        alarm(20);  // a hang becomes SIGALRM, i.e. a failure, not a stuck test run
        std::atomic<int> total{0};
        parallel_for(100, 1, [&](size_t b, size_t e) { total.fetch_add(static_cast<int>(e - b)); });
        _exit(total.load() == 100 ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
    set_num_threads(0);
}

}  // namespace
}  // namespace spanguard::core
