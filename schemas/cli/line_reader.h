// Reads JSONL input one line at a time with bounded memory: a line longer than the limit is read
// through to its end but only its length is kept, so one huge (or endless) line cannot exhaust
// memory, and nothing is ever read twice (no quadratic cost on long lines).
//
// Lines end at '\n'; a '\r' before it is left in the line (parse_record drops it). A last line
// without '\n' is still a line; an input ending in '\n' has no extra empty line after it.
//
// Not thread-safe; the FILE is borrowed (the reader never closes it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace spanguard::cli {

class LineReader {
  public:
    // max_line_bytes == 0: no limit.
    LineReader(std::FILE* in, size_t max_line_bytes);

    // The next line into *line (without its '\n'); false at the end of the input or on a read
    // error (see failed()). *length receives the line's full length in bytes; when it exceeds
    // the limit, *line is left empty.
    bool next(std::string* line, size_t* length);

    // Bytes consumed so far (for progress), and whether reading stopped on an I/O error.
    uint64_t bytes_read() const { return bytes_read_; }
    bool failed() const { return failed_; }

  private:
    bool refill();

    std::FILE* in_;
    size_t max_line_bytes_;
    std::vector<char> buffer_;
    size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
    size_t end_ = 0;
    uint64_t bytes_read_ = 0;
    bool eof_ = false;
    bool failed_ = false;
};

}  // namespace spanguard::cli
