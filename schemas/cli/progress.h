// The progress line a JSONL run shows on stderr while stderr is a terminal: records done,
// records/s and, when the input is a file of known size, the share read and an ETA. Silent when
// disabled (stderr redirected, --quiet) so logs and pipes get only the final summary.
//
// Not thread-safe; redraws at most a few times a second.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace spanguard::cli {

class Progress {
  public:
    // total_bytes: the input's size when known; start_bytes: bytes already skipped (--resume).
    Progress(bool enabled, std::string command, std::optional<uint64_t> total_bytes,
             uint64_t start_bytes);

    void update(size_t records, uint64_t bytes_read);
    // Clears the progress line (before the summary is printed).
    void finish();

  private:
    using Clock = std::chrono::steady_clock;
    bool enabled_;
    bool drawn_ = false;
    std::string command_;
    std::optional<uint64_t> total_bytes_;
    uint64_t start_bytes_;
    Clock::time_point start_ = Clock::now();
    Clock::time_point last_draw_ = start_;
};

}  // namespace spanguard::cli
