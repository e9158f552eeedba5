// Timing helpers shared by the benchmark programs (one definition instead of a copy per program).
#pragma once

#include <time.h>

#include <chrono>

namespace spanguard::bench {

using Clock = std::chrono::steady_clock;

// Wall-clock seconds since `start`.
inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the whole process (every thread), seconds: on a shared machine this is what the
// work cost, whatever else the machine ran meanwhile.
inline double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace spanguard::bench
