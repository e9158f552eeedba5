#include "schemas/cli/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

namespace spanguard::cli {

namespace {

std::string quoted(const std::string& path) {
    return "--output '" + path + "'";
}

[[noreturn]] void fail(const std::string& what, const std::string& name) {
    throw std::runtime_error("cannot " + what + " " + name + ": " + std::strerror(errno));
}

}  // namespace

OutputFile OutputFile::open(const std::string& path) {
    if (path.empty()) return OutputFile(stdout, "stdout", false);
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) fail("create", quoted(path));
    return OutputFile(file, quoted(path), true);
}

OutputFile OutputFile::open_for_resume(const std::string& path, size_t* complete_lines) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0666);
    if (fd < 0) fail("open", quoted(path));
    // One pass over the file: count the newlines and remember where the last one ends.
    std::vector<char> buffer(size_t{1} << 16);
    size_t lines = 0;
    off_t offset = 0;
    off_t keep = 0;
    while (true) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            const int saved = errno;
            ::close(fd);
            errno = saved;
            fail("read", quoted(path));
        }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            if (buffer[static_cast<size_t>(i)] == '\n') {
                ++lines;
                keep = offset + i + 1;
            }
        }
        offset += n;
    }
    // A partial last line is what a killed run was writing: it is redone, never kept.
    if (keep != offset && ::ftruncate(fd, keep) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail("truncate the partial last line of", quoted(path));
    }
    if (::lseek(fd, keep, SEEK_SET) < 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail("seek in", quoted(path));
    }
    std::FILE* file = ::fdopen(fd, "ab");
    if (file == nullptr) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail("open", quoted(path));
    }
    *complete_lines = lines;
    return OutputFile(file, quoted(path), true);
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      name_(std::move(other.name_)),
      owned_(std::exchange(other.owned_, false)) {}

OutputFile::~OutputFile() {
    if (owned_ && file_ != nullptr) std::fclose(file_);
}

void OutputFile::write_line(std::string_view line) {
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fputc('\n', file_) == EOF) {
        fail("write", name_);
    }
}

void OutputFile::flush() {
    if (std::fflush(file_) != 0) fail("write", name_);
}

}  // namespace spanguard::cli
