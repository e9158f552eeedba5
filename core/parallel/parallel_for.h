// The one entry point for data parallelism in spanguard. Kernels never use a bare OpenMP pragma, so
// nesting and thread counts are decided in one place.
//
// Thread safety: may be called from many threads at once; a call made from inside a parallel region
// runs serially rather than oversubscribing the machine.
#pragma once

#include <cstddef>
#include <functional>

namespace spanguard::core {

// Threads used by parallel_for: set_num_threads(n) if n > 0 was called, else OpenMP's default.
int num_threads();
void set_num_threads(int n);

// Calls body(begin, end) on disjoint chunks that together cover [0, count). Chunks hold at least
// `grain` items (except the last) so tiny loops stay on one thread. Exceptions thrown by `body`
// are rethrown on the calling thread (the first one, if several chunks throw).
void parallel_for(size_t count, size_t grain, const std::function<void(size_t, size_t)>& body);

}  // namespace spanguard::core
