// A whole file mapped read-only into memory (POSIX mmap). Reading a checkpoint through the page
// cache avoids a second in-memory copy of the raw bytes: inference reads F32 weights straight from
// the mapping.
//
// read() copies a range with pread instead, without touching the mapping. A loader that only
// needs to look at bytes once (the finite-value check) uses it: the first touch of each mapped
// page costs a page fault (and, on virtual machines with shadow page tables, far more: 0.5 s per
// 834 MB on the development VM, against 0.15 s to pread and check the same bytes), and a process
// should pay that only for the pages it will read again.
//
// Ownership: the mapping lives exactly as long as the MappedFile (move-only). If another process
// truncates the file while it is mapped, touching the lost pages raises SIGBUS; checkpoints are
// treated as immutable while loading.
// Thread safety: immutable after open(); concurrent reads are safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace spanguard::core {

class MappedFile {
  public:
    // Throws core::Error naming `path` when it cannot be opened, is not a regular file, or cannot
    // be mapped. An empty file maps to an empty span (mmap refuses length 0).
    static MappedFile open(const std::string& path);

    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    std::span<const std::byte> bytes() const { return {data_, size_}; }
    size_t size() const { return size_; }

    // Copies the bytes of `range`, which must lie inside bytes(), into `out` (same size) through
    // the file descriptor. Throws core::Error naming the file when `range` is outside the
    // mapping, the sizes differ, or the read fails or comes up short (a file truncated while
    // open). Thread-safe (pread has no shared file position).
    void read(std::span<const std::byte> range, std::span<std::byte> out) const;

  private:
    void release() noexcept;

    std::string path_;  // for error messages
    int fd_ = -1;       // kept open for read()
    const std::byte* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace spanguard::core
