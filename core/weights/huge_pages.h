// Asks the kernel to back a fresh, not yet written block with transparent huge pages.
//
// Why: on the development VM the first touch of fresh memory is what a weight copy costs (a page
// fault per 4 KiB, and the hypervisor's shadow page tables behind each one); with huge pages it is
// one fault per 2 MiB. Where the kernel runs THP in "madvise" mode (Debian's default) nothing is
// huge unless asked for. A hint only: without THP support, or for a block too small to hold an
// aligned 2 MiB page, it changes nothing.
#pragma once

#include <cstddef>

namespace spanguard::core {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// madvise(MADV_HUGEPAGE) on the whole 2 MiB pages inside [data, data + bytes). Call it before the
// block is first written: pages already faulted in stay as they are. Errors are ignored.
void advise_huge_pages(void* data, size_t bytes) noexcept;

}  // namespace spanguard::core
