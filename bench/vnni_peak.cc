// Register-only vpdpbusd loop. This file alone is compiled with the VNNI flags where the compiler
// has them (see bench/CMakeLists.txt); callers check vnni_supported() first, so a CPU without VNNI
// never runs it. Without the flags (another architecture) there is no peak to measure: 0.
#include "bench/vnni_peak.h"

#include <omp.h>

#include <algorithm>
#include <cstdint>

#include "bench/bench_clock.h"

#if defined(__AVX512VNNI__) && defined(__AVX512F__)
#include <immintrin.h>
#define SPANGUARD_VNNI_PEAK 1
#endif

namespace spanguard::bench {

#ifdef SPANGUARD_VNNI_PEAK
namespace {

// 24 independent accumulators (zmm0-zmm23): vpdpbusd's latency (about 4-5 cycles) times up to two
// issues per cycle needs at least 10 chains; 24 leaves margin and still fits the 32 zmm registers
// with both operands. Written in assembly because a compiler keeps an accumulator array in memory
// (a load and a store per instruction) instead of unrolling it into registers.
constexpr int kChains = 24;
constexpr int64_t kOpsPerInstruction = 2 * 64;  // 16 lanes x 4 u8*s8 products, multiply + add

#define SPANGUARD_DPBUSD(r) "vpdpbusd %[b], %[a], %%zmm" #r "\n\t"

// Runs `iterations` (>= 1) x kChains vpdpbusd. The accumulators' values are irrelevant: integer
// adds wrap and raise nothing.
void dpbusd_loop(int64_t iterations, int32_t seed) {
    const __m512i a = _mm512_set1_epi32(seed | 0x01010101);
    const __m512i b = _mm512_set1_epi32(seed ^ 0x02020202);
    __asm__ volatile(
        "1:\n\t"
        SPANGUARD_DPBUSD(0) SPANGUARD_DPBUSD(1) SPANGUARD_DPBUSD(2) SPANGUARD_DPBUSD(3)
        SPANGUARD_DPBUSD(4) SPANGUARD_DPBUSD(5) SPANGUARD_DPBUSD(6) SPANGUARD_DPBUSD(7)
        SPANGUARD_DPBUSD(8) SPANGUARD_DPBUSD(9) SPANGUARD_DPBUSD(10) SPANGUARD_DPBUSD(11)
        SPANGUARD_DPBUSD(12) SPANGUARD_DPBUSD(13) SPANGUARD_DPBUSD(14) SPANGUARD_DPBUSD(15)
        SPANGUARD_DPBUSD(16) SPANGUARD_DPBUSD(17) SPANGUARD_DPBUSD(18) SPANGUARD_DPBUSD(19)
        SPANGUARD_DPBUSD(20) SPANGUARD_DPBUSD(21) SPANGUARD_DPBUSD(22) SPANGUARD_DPBUSD(23)
        "dec %[n]\n\t"
        "jnz 1b\n\t"
        : [n] "+r"(iterations)
        : [a] "v"(a), [b] "v"(b)
        : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
          "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18",
          "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "cc");
}

#undef SPANGUARD_DPBUSD

}  // namespace

bool vnni_supported() {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
}

double vnni_peak_gops(int threads, double seconds) {
    if (!vnni_supported()) return 0.0;
    // Size one round to about `seconds` from a short calibration run.
    int64_t iterations = 1 << 16;
    for (;;) {
        const auto start = Clock::now();
        dpbusd_loop(iterations, 7);
        const double took = seconds_since(start);
        if (took > 0.02 || iterations > (int64_t{1} << 40)) {
            iterations = std::max<int64_t>(1, static_cast<int64_t>(iterations * seconds / took));
            break;
        }
        iterations *= 4;
    }
    double best = 0.0;
    for (int round = 0; round < 10; ++round) {
        // Timed like int8_gemm_bench's GEMMs: process CPU time / threads, the busy time of one
        // core, so that a thread descheduled by another process does not lower the peak.
        const double start = process_cpu_seconds();
#pragma omp parallel num_threads(threads)
        dpbusd_loop(iterations, 11 + omp_get_thread_num());
        const double took = (process_cpu_seconds() - start) / threads;
        const double ops = static_cast<double>(iterations) * kChains * kOpsPerInstruction * threads;
        best = std::max(best, ops / took * 1e-9);
    }
    return best;
}

#else

bool vnni_supported() {
    return false;
}

double vnni_peak_gops(int, double) {
    return 0.0;
}

#endif

}  // namespace spanguard::bench
