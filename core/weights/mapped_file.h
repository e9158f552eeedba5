// A whole file mapped read-only into memory (POSIX mmap). Reading a checkpoint through the page
// cache avoids a second in-memory copy of the raw bytes: the loader converts straight from the
// mapping.
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

  private:
    void release() noexcept;

    const std::byte* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace spanguard::core
