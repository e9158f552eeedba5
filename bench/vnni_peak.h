// The machine's measured AVX-512 VNNI peak: the denominator of int8_gemm_bench's "% of peak".
#pragma once

namespace spanguard::bench {

// Whether this CPU runs AVX-512 VNNI (vpdpbusd on 512-bit registers).
bool vnni_supported();

// Giga-operations per second (a u8 x s8 multiply-add counts 2) that `threads` OpenMP threads reach
// together running only register-to-register vpdpbusd with enough independent accumulators to hide
// its latency: no loads, no broadcasts, no stores. Best of several rounds of about `seconds`
// each, timed by process CPU time / threads (as int8_gemm_bench times the GEMMs). 0 where
// vnni_supported() is false.
double vnni_peak_gops(int threads, double seconds);

}  // namespace spanguard::bench
