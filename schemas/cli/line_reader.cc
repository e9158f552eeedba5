#include "schemas/cli/line_reader.h"

#include <cstring>

namespace spanguard::cli {

namespace {
constexpr size_t kBufferBytes = size_t{1} << 16;
}

LineReader::LineReader(std::FILE* in, size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes), buffer_(kBufferBytes) {}

bool LineReader::refill() {
    if (eof_) return false;
    begin_ = 0;
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), in_);
    if (end_ == 0) {
        eof_ = true;
        failed_ = std::ferror(in_) != 0;
        return false;
    }
    return true;
}

bool LineReader::next(std::string* line, size_t* length) {
    line->clear();
    size_t total = 0;
    bool any = false;  // anything read for this line, even an empty line's '\n'
    while (true) {
        if (begin_ == end_ && !refill()) {
            *length = total;
            // A last line without '\n' still counts; nothing after the final '\n' does not.
            return any && !failed_;
        }
        any = true;
        const char* start = buffer_.data() + begin_;
        const size_t available = end_ - begin_;
        const void* newline = std::memchr(start, '\n', available);
        const size_t take = newline != nullptr
                                ? static_cast<size_t>(static_cast<const char*>(newline) - start)
                                : available;
        total += take;
        if (max_line_bytes_ == 0 || total <= max_line_bytes_) {
            line->append(start, take);
        } else if (!line->empty()) {
            line->clear();
            line->shrink_to_fit();  // over the limit: give the memory back, keep counting
        }
        const size_t consumed = take + (newline != nullptr ? 1 : 0);
        begin_ += consumed;
        bytes_read_ += consumed;
        if (newline != nullptr) {
            *length = total;
            return true;
        }
    }
}

}  // namespace spanguard::cli
