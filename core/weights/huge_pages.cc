#include "core/weights/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace spanguard::core {

void advise_huge_pages(void* data, size_t bytes) noexcept {
    const auto begin = reinterpret_cast<uintptr_t>(data);
    const uintptr_t first = (begin + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    const uintptr_t last = (begin + bytes) / kHugePageBytes * kHugePageBytes;
    if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace spanguard::core
