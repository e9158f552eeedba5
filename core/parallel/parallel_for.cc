#include "core/parallel/parallel_for.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>

namespace spanguard::core {
namespace {
std::atomic<int> g_threads{0};
}

int num_threads() {
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : omp_get_max_threads();
}

void set_num_threads(int n) { g_threads.store(n, std::memory_order_relaxed); }

void parallel_for(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body) {
    if (count == 0) return;
    grain = std::max<size_t>(grain, 1);
    const size_t max_chunks = (count + grain - 1) / grain;
    const size_t threads = std::min<size_t>(static_cast<size_t>(num_threads()), max_chunks);
    if (threads <= 1 || omp_in_parallel()) {
        body(0, count);
        return;
    }
    std::exception_ptr error;
    std::mutex error_mutex;
#pragma omp parallel for num_threads(static_cast<int>(threads)) schedule(static)
    for (size_t t = 0; t < threads; ++t) {
        const size_t begin = count * t / threads;
        const size_t end = count * (t + 1) / threads;
        try {
            body(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace spanguard::core
