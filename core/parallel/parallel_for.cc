#include "core/parallel/parallel_for.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace spanguard::core {
namespace {

std::atomic<int> g_threads{0};

// True on a pool worker, and on a caller while it runs its own chunk: parallel_for then runs
// serially instead of waiting on a pool that is busy with the enclosing call.
thread_local bool t_inside_parallel = false;

// A small persistent pool. Why not OpenMP: GOMP's idle threads spin for a while after every
// parallel region, and on a machine shared with other processes that spinning competed with the
// working thread (`--threads 2` ran up to 25x slower than 1). Here idle workers block in the
// kernel (std::atomic::wait is a futex after a short spin), so they cost nothing between calls.
//
// One call at a time uses the pool (callers on other threads run serially meanwhile, see
// parallel_for). Each worker has its own slot: the caller writes the chunk into the slot and bumps
// its ticket; the worker runs the chunk and publishes the ticket as done. Slots belong to the pool,
// never to the caller's stack, so no worker touches a finished call's memory.
class Pool {
  public:
    // Runs body on `chunks` equal parts of [0, count); the caller takes part 0. Returns false,
    // without running anything, when another call holds the pool.
    bool run(size_t count, size_t chunks, const std::function<void(size_t, size_t)>& body) {
        std::unique_lock<std::mutex> lock(busy_, std::try_to_lock);
        if (!lock.owns_lock()) return false;
        while (slots_.size() + 1 < chunks)
            slots_.push_back(std::make_unique<Slot>());  // each starts its thread
        for (size_t w = 1; w < chunks; ++w) {
            Slot& slot = *slots_[w - 1];
            slot.body = &body;
            slot.begin = count * w / chunks;
            slot.end = count * (w + 1) / chunks;
            slot.error = nullptr;
            slot.ticket.fetch_add(1, std::memory_order_release);
            slot.ticket.notify_all();
        }
        std::exception_ptr error;
        t_inside_parallel = true;
        try {
            body(0, count / chunks);
        } catch (...) {
            error = std::current_exception();
        }
        t_inside_parallel = false;
        for (size_t w = 1; w < chunks; ++w) {
            Slot& slot = *slots_[w - 1];
            const uint32_t ticket = slot.ticket.load(std::memory_order_relaxed);
            for (uint32_t done = slot.done.load(std::memory_order_acquire); done != ticket;
                 done = slot.done.load(std::memory_order_acquire)) {
                slot.done.wait(done, std::memory_order_acquire);
            }
            if (!error && slot.error) error = slot.error;
        }
        if (error) std::rethrow_exception(error);
        return true;
    }

  private:
    struct Slot {
        Slot() : thread([this] { work(); }) {}

        void work() {
            t_inside_parallel = true;
            uint32_t seen = 0;
            for (;;) {  // the pool is never destroyed (see pool()), so neither are workers
                ticket.wait(seen, std::memory_order_acquire);
                seen = ticket.load(std::memory_order_acquire);
                try {
                    (*body)(begin, end);
                } catch (...) {
                    error = std::current_exception();
                }
                done.store(seen, std::memory_order_release);
                done.notify_all();
            }
        }

        // Written by the caller before it bumps `ticket`, read by the worker after it sees it
        // (`error` the other way round, through `done`).
        const std::function<void(size_t, size_t)>* body = nullptr;
        size_t begin = 0, end = 0;
        std::exception_ptr error;
        // 32-bit counters: std::atomic<uint32_t>::wait is a futex on the counter itself, while
        // wider types share proxy futexes, where a wake-up meant for one waiter can reach another.
        // Equality is all that is compared, so wrap-around is harmless.
        std::atomic<uint32_t> ticket{0};
        std::atomic<uint32_t> done{0};
        std::thread thread;  // last: starts after the fields above exist
    };

    std::mutex busy_;
    std::vector<std::unique_ptr<Slot>> slots_;
};

// The process's pool. After fork() the child has none of the parent's worker threads, so a child
// gets a fresh pool (the parent's is leaked there: its threads cannot be joined).
Pool& pool() {
    static std::atomic<Pool*> current{nullptr};
    static std::atomic<pid_t> owner{0};
    static std::mutex create;
    Pool* p = current.load(std::memory_order_acquire);
    if (p != nullptr && owner.load(std::memory_order_relaxed) == getpid()) return *p;
    std::lock_guard<std::mutex> lock(create);
    p = current.load(std::memory_order_acquire);
    if (p == nullptr || owner.load(std::memory_order_relaxed) != getpid()) {
        // Never deleted: worker threads may outlive static destruction order otherwise.
        p = new Pool();
        owner.store(getpid(), std::memory_order_relaxed);
        current.store(p, std::memory_order_release);
    }
    return *p;
}

}  // namespace

int num_threads() {
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
}

void set_num_threads(int n) {
    g_threads.store(n, std::memory_order_relaxed);
}

void parallel_for(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body) {
    if (count == 0) return;
    grain = std::max<size_t>(grain, 1);
    const size_t max_chunks = (count + grain - 1) / grain;
    const size_t threads = std::min<size_t>(static_cast<size_t>(num_threads()), max_chunks);
    if (threads <= 1 || t_inside_parallel || !pool().run(count, threads, body)) body(0, count);
}

}  // namespace spanguard::core
