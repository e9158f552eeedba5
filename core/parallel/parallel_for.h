// The one entry point for data parallelism in spanguard. Kernels never use a bare OpenMP pragma, so
// nesting and thread counts are decided in one place.
//
// Implementation: a persistent pool of worker threads that poll briefly and then block (futex)
// while idle, so idle threads never compete with working ones on a shared machine. A call is cut
// into a few pieces per thread that the caller and the workers claim one by one, so a worker that
// starts late does not hold the call up: the caller takes its pieces. SPANGUARD_POOL_SPIN_US sets
// the poll (microseconds, default 200; 0 blocks at once).
//
// Thread safety: may be called from many threads at once. A call made from inside a parallel
// region, or while another thread's call is using the pool, runs serially on its own thread rather
// than oversubscribing the machine. Safe to use in a child after fork() (it gets a fresh pool).
#pragma once

#include <cstddef>
#include <functional>

namespace spanguard::core {

// Threads used by parallel_for: set_num_threads(n) if n > 0 was called, else OpenMP's default
// (OMP_NUM_THREADS, or the number of cores).
int num_threads();
void set_num_threads(int n);

// Calls body(begin, end) on disjoint chunks that together cover [0, count). Chunks hold at least
// `grain` items (except the last) so tiny loops stay on one thread. Exceptions thrown by `body`
// are rethrown on the calling thread (that of the chunk nearest 0, if several throw).
void parallel_for(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body);

}  // namespace spanguard::core
