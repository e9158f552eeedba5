#include "schemas/cli/progress.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace spanguard::cli {

Progress::Progress(bool enabled, std::string command, std::optional<uint64_t> total_bytes,
                   uint64_t start_bytes)
    : enabled_(enabled),
      command_(std::move(command)),
      total_bytes_(total_bytes),
      start_bytes_(start_bytes) {}

void Progress::update(size_t records, uint64_t bytes_read) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(250)) return;
    last_draw_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(records) / seconds : 0.0;
    char line[160];
    int n = std::snprintf(line, sizeof line, "\r%s: %zu records, %.1f records/s", command_.c_str(),
                          records, rate);
    if (total_bytes_ && *total_bytes_ > 0 && n > 0 && static_cast<size_t>(n) < sizeof line) {
        const double done = static_cast<double>(bytes_read) / static_cast<double>(*total_bytes_);
        const double this_run = static_cast<double>(bytes_read - start_bytes_);
        const double left =
            static_cast<double>(*total_bytes_ - std::min(bytes_read, *total_bytes_));
        // The ETA extrapolates this run's bytes/s over the bytes not yet read.
        const double eta = this_run > 0 ? left * seconds / this_run : 0.0;
        const auto eta_s = static_cast<unsigned long>(eta + 0.5);
        std::snprintf(line + n, sizeof line - static_cast<size_t>(n),
                      ", %.0f%%, ETA %lu:%02lu:%02lu", done * 100.0, eta_s / 3600, eta_s / 60 % 60,
                      eta_s % 60);
    }
    std::fprintf(stderr, "%s\033[K", line);
    std::fflush(stderr);
    drawn_ = true;
}

void Progress::finish() {
    if (!drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace spanguard::cli
