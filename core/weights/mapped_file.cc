#include "core/weights/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/util/error.h"

namespace spanguard::core {
namespace {

// Closes the descriptor on every error path out of open(); release() hands it to the MappedFile.
class FdGuard {
  public:
    explicit FdGuard(int fd) : fd_(fd) {}
    FdGuard(const FdGuard&) = delete;
    FdGuard& operator=(const FdGuard&) = delete;
    ~FdGuard() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    int release() { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

std::string errno_text(int error) {
    return std::strerror(error);
}

}  // namespace

MappedFile MappedFile::open(const std::string& path) {
    FdGuard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        throw Error(path + ": cannot open: " + errno_text(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        throw Error(path + ": cannot stat: " + errno_text(errno));
    }
    if (!S_ISREG(info.st_mode)) {
        throw Error(path + ": not a regular file");
    }
    MappedFile file;
    file.path_ = path;
    file.size_ = static_cast<size_t>(info.st_size);
    if (file.size_ == 0) return file;
    void* address = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (address == MAP_FAILED) {
        throw Error(path + ": cannot map " + std::to_string(file.size_) +
                    " bytes: " + errno_text(errno));
    }
    // The loader reads every byte: start reading the whole file ahead. (Not MADV_SEQUENTIAL: that
    // lets the kernel drop pages behind the reader, and F32 weights stay in this mapping for
    // inference's random access.) A hint, so failure is ignored.
    ::madvise(address, file.size_, MADV_WILLNEED);
    file.data_ = static_cast<const std::byte*>(address);
    file.fd_ = fd.release();
    return file;
}

void MappedFile::read(std::span<const std::byte> range, std::span<std::byte> out) const {
    const auto begin = reinterpret_cast<uintptr_t>(range.data());
    const auto base = reinterpret_cast<uintptr_t>(data_);
    if (range.size() != out.size() || (!range.empty() && (begin < base || begin - base > size_ ||
                                                          range.size() > size_ - (begin - base)))) {
        throw Error(path_ + ": read of " + std::to_string(range.size()) + " bytes into " +
                    std::to_string(out.size()) + " outside the mapped file");
    }
    size_t done = 0;
    while (done < out.size()) {
        const auto offset = static_cast<off_t>(begin - base + done);
        const ssize_t got = ::pread(fd_, out.data() + done, out.size() - done, offset);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            throw Error(path_ + ": cannot read " + std::to_string(out.size() - done) +
                        " bytes at offset " + std::to_string(offset) + ": " + errno_text(errno));
        }
        if (got == 0) {
            throw Error(path_ + ": ends at offset " + std::to_string(offset) + ", before the " +
                        std::to_string(out.size() - done) +
                        " bytes still to read (truncated while open?)");
        }
        done += static_cast<size_t>(got);
    }
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

MappedFile::~MappedFile() {
    release();
}

void MappedFile::release() noexcept {
    if (data_ != nullptr) {
        ::munmap(const_cast<std::byte*>(data_), size_);
        data_ = nullptr;
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    size_ = 0;
}

}  // namespace spanguard::core
