#include "core/parallel/parallel_for.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
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

// How long a waiting thread polls before it blocks in the kernel. An encoder request is a chain of
// parallel_for calls a few hundred microseconds apart; a worker that went to sleep between two of
// them needs a futex wake-up, and on a machine with any other runnable process that wake-up often
// arrived after the caller had already finished its own half, so two threads ran no faster than
// one. Polling a little longer than the gap keeps the worker on its core for the whole chain,
// while between requests it still sleeps (a bounded poll, unlike OpenMP's long spin, see Pool).
// Measured on gliner2-base shapes, 2 threads (bench/profile_request): 100, 500 and 2,000 us gave
// the same latency; 0 made a 20-word request 15 % slower. SPANGUARD_POOL_SPIN_US overrides it
// (0: block at once, for heavily oversubscribed machines).
std::chrono::microseconds spin_budget() {
    static const std::chrono::microseconds budget = [] {
        const char* text = std::getenv("SPANGUARD_POOL_SPIN_US");
        if (text == nullptr || *text == '\0') return std::chrono::microseconds(200);
        char* end = nullptr;
        const long us = std::strtol(text, &end, 10);
        if (*end != '\0' || us < 0) return std::chrono::microseconds(200);
        return std::chrono::microseconds(std::min<long>(us, 100000));
    }();
    return budget;
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
}

// Waits until `value` differs from `old`: polls for spin_budget(), then blocks. Returns the new
// value.
uint32_t await_change(const std::atomic<uint32_t>& value, uint32_t old) {
    uint32_t now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    const auto budget = spin_budget();
    if (budget.count() > 0) {
        const auto deadline = std::chrono::steady_clock::now() + budget;
        for (unsigned i = 1;; ++i) {
            cpu_relax();
            now = value.load(std::memory_order_acquire);
            if (now != old) return now;
            if (i % 64 == 0) {
                // Reading the clock costs ~20 ns; every 64 polls keeps it out of the way. The
                // yield lets a thread of ours that shares this core (more threads than free
                // cores) run, instead of watching it wait behind the poll.
                if (std::chrono::steady_clock::now() >= deadline) break;
                std::this_thread::yield();
            }
        }
    }
    for (;;) {
        value.wait(old, std::memory_order_acquire);
        now = value.load(std::memory_order_acquire);
        if (now != old) return now;
    }
}

// A small persistent pool. Why not OpenMP: GOMP's idle threads spin for a while after every
// parallel region, and on a machine shared with other processes that spinning competed with the
// working thread (`--threads 2` ran up to 25x slower than 1). Here idle workers block in the
// kernel after a bounded poll (await_change), so they cost nothing between requests.
//
// One call at a time uses the pool (callers on other threads run serially meanwhile, see
// parallel_for). A call is split into more pieces than threads, and every participant, the caller
// included, claims the next unclaimed piece until none is left. So a worker that wakes late (its
// core busy with another process) only means the caller runs more pieces itself, instead of the
// whole call waiting for that worker; uneven pieces balance out the same way. Piece boundaries
// depend only on `count` and the number of pieces, not on who runs them.
//
// The claim counter carries the call's generation, its piece count and the next piece in one
// 64-bit word, so a worker still holding an old generation can never claim a piece of a newer
// call. A claimed piece keeps its call open (the caller waits for every piece to finish), so the
// call's fields stay valid for whoever claimed it.
class Pool {
  public:
    static constexpr size_t kMaxPieces = 0xffff;

    // Runs body over `pieces` equal parts of [0, count) on up to `threads` threads (the caller
    // and threads - 1 workers). Returns false, without running anything, when another call holds
    // the pool.
    bool run(size_t count, size_t threads, size_t pieces,
             const std::function<void(size_t, size_t)>& body) {
        std::unique_lock<std::mutex> lock(busy_, std::try_to_lock);
        if (!lock.owns_lock()) return false;
        while (slots_.size() + 1 < threads)
            slots_.push_back(std::make_unique<Slot>(*this));  // each starts its thread
        pieces = std::min(pieces, kMaxPieces);
        generation_ = generation_ == 0xffffffffu ? 1 : generation_ + 1;
        body_ = &body;
        count_ = count;
        error_ = nullptr;
        error_piece_ = pieces;
        finished_.store(0, std::memory_order_relaxed);
        claim_.store(pack(generation_, pieces, 0), std::memory_order_release);
        for (size_t w = 1; w < threads; ++w) {
            Slot& slot = *slots_[w - 1];
            slot.generation.store(generation_, std::memory_order_relaxed);
            slot.ticket.fetch_add(1, std::memory_order_release);
            slot.ticket.notify_all();
        }
        t_inside_parallel = true;
        run_pieces(generation_);
        t_inside_parallel = false;
        const auto total = static_cast<uint32_t>(pieces);
        for (uint32_t done = finished_.load(std::memory_order_acquire); done != total;)
            done = await_change(finished_, done);
        if (error_) std::rethrow_exception(error_);
        return true;
    }

  private:
    static uint64_t pack(uint32_t generation, size_t pieces, size_t next) {
        return uint64_t{generation} << 32 | uint64_t{pieces} << 16 | uint64_t{next};
    }

    // Claims and runs pieces of call `generation` until none is left (or the call is another).
    void run_pieces(uint32_t generation) {
        uint64_t state = claim_.load(std::memory_order_acquire);
        for (;;) {
            const auto pieces = static_cast<size_t>(state >> 16 & 0xffff);
            const auto piece = static_cast<size_t>(state & 0xffff);
            if (static_cast<uint32_t>(state >> 32) != generation || piece >= pieces) return;
            if (!claim_.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel,
                                              std::memory_order_acquire)) {
                continue;
            }
            try {
                (*body_)(count_ * piece / pieces, count_ * (piece + 1) / pieces);
            } catch (...) {
                std::lock_guard<std::mutex> guard(error_mutex_);
                if (piece < error_piece_) {  // the first piece's error, whoever ran it
                    error_piece_ = piece;
                    error_ = std::current_exception();
                }
            }
            // Last use of this call's fields before finishing the piece lets the caller go on.
            if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == pieces)
                finished_.notify_all();
            state = claim_.load(std::memory_order_acquire);
        }
    }

    struct Slot {
        explicit Slot(Pool& owner) : pool(owner), thread([this] { work(); }) {}

        void work() {
            t_inside_parallel = true;
            uint32_t seen = 0;
            for (;;) {  // the pool is never destroyed (see pool()), so neither are workers
                seen = await_change(ticket, seen);
                pool.run_pieces(generation.load(std::memory_order_relaxed));
            }
        }

        Pool& pool;
        // The call this worker was woken for; written before `ticket` is bumped.
        std::atomic<uint32_t> generation{0};
        // 32-bit: std::atomic<uint32_t>::wait is a futex on the counter itself, while wider types
        // share proxy futexes, where a wake-up meant for one waiter can reach another. Equality is
        // all that is compared, so wrap-around is harmless.
        std::atomic<uint32_t> ticket{0};
        std::thread thread;  // last: starts after the fields above exist
    };

    std::mutex busy_;
    std::vector<std::unique_ptr<Slot>> slots_;
    // The current call. Written by the caller before claim_ publishes it; read by whoever claims
    // one of its pieces (error_ under error_mutex_, read by the caller after every piece finished).
    uint32_t generation_ = 0;
    const std::function<void(size_t, size_t)>* body_ = nullptr;
    size_t count_ = 0;
    std::mutex error_mutex_;
    std::exception_ptr error_;
    size_t error_piece_ = 0;
    std::atomic<uint64_t> claim_{0};
    std::atomic<uint32_t> finished_{0};
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
    if (threads <= 1 || t_inside_parallel) return body(0, count);
    // A few pieces per thread: enough to rebalance around a late or preempted worker, few enough
    // that each piece stays large (kernels size `grain` for that).
    constexpr size_t kPiecesPerThread = 4;
    const size_t pieces = std::min(max_chunks, threads * kPiecesPerThread);
    if (!pool().run(count, threads, pieces, body)) body(0, count);
}

}  // namespace spanguard::core
