// int8_gemm_bench: the int8 GEMM (core/kernels/int8_gemm.h) against the fp32 GEMM that
// core::linear runs, at the DeBERTa encoder's Linear shapes (M tokens x K in -> N out), 1 and 2
// threads. Both sides include everything a Linear call does: int8 quantizes the activations on
// every call. GOP/s = 2*M*N*K / (process CPU time / threads), taking the run with the least CPU
// time of R runs after a warm-up: the throughput the run reaches when its threads are not
// descheduled. On a shared, loaded machine wall time mostly measures the other processes and CPU
// time much less so (OpenMP's spin-waiting counts as busy, so 2-thread figures are conservative).
// Speed-ups are ratios of those times. For wall-clock numbers run it on an idle machine.
//
// "% peak" divides the int8 GOP/s by the VNNI instruction's measured peak for that thread count
// (bench/vnni_peak.h: register-only vpdpbusd, printed first). The int8 figure counts the whole
// Linear call, activation quantization and float output included, so the share of the inner loop
// alone is higher.
//
//   int8_gemm_bench [--repeat R] [--tokens M1,M2,...] [--hidden H] [--intermediate I]
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "bench/vnni_peak.h"
#include "core/kernels/int8_gemm.h"
#include "core/kernels/linear.h"
#include "core/parallel/parallel_for.h"

namespace {

using spanguard::bench::process_cpu_seconds;

using namespace spanguard::core;

// Least process CPU time of `repeat` runs, divided by `threads`: the busy time of one core.
double best_seconds(int repeat, int threads, const std::function<void()>& run) {
    run();  // warm-up
    double best = 1e30;
    for (int i = 0; i < repeat; ++i) {
        const double start = process_cpu_seconds();
        run();
        best = std::min(best, (process_cpu_seconds() - start) / threads);
    }
    return best;
}

std::vector<int64_t> parse_list(const std::string& text) {
    std::vector<int64_t> values;
    size_t pos = 0;
    while (pos <= text.size()) {
        const size_t comma = text.find(',', pos);
        values.push_back(std::stoll(text.substr(pos, comma - pos)));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    return values;
}

}  // namespace

int main(int argc, char** argv) {
    int repeat = 20;
    std::vector<int64_t> tokens{40, 260};
    int64_t hidden = 768, intermediate = 3072;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--repeat")
            repeat = std::atoi(argv[i + 1]);
        else if (flag == "--tokens")
            tokens = parse_list(argv[i + 1]);
        else if (flag == "--hidden")
            hidden = std::atoll(argv[i + 1]);
        else if (flag == "--intermediate")
            intermediate = std::atoll(argv[i + 1]);
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    std::printf("int8 kernel: %s (SPANGUARD_INT8_KERNEL=portable forces the fallback)\n",
                int8_kernel_name(active_int8_kernel()));
    double peak[3] = {0.0, 0.0, 0.0};
    if (spanguard::bench::vnni_supported()) {
        for (const int threads : {1, 2})
            peak[threads] = spanguard::bench::vnni_peak_gops(threads, 0.05);
        std::printf("VNNI peak (register-only vpdpbusd): %.1f GOP/s on 1 thread, %.1f on 2\n",
                    peak[1], peak[2]);
    } else {
        std::printf("VNNI peak: this CPU has no AVX-512 VNNI; %% peak not measured\n");
    }
    std::printf("%6s %6s %6s %3s | %10s %10s %10s | %8s %8s | %6s | %9s\n", "M", "K", "N", "thr",
                "fp32 GOP/s", "int8 GOP/s", "port GOP/s", "int8 x", "port x", "% peak",
                "max rel err");
    std::mt19937 rng(1);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    const std::pair<int64_t, int64_t> shapes[] = {
        {hidden, hidden}, {hidden, intermediate}, {intermediate, hidden}};
    for (const int64_t m : tokens) {
        for (const auto& [k, n] : shapes) {
            RowMatrix x(m, k), w(n, k), out32(m, n), out8(m, n);
            RowVector bias(n);
            for (Eigen::Index i = 0; i < x.size(); ++i)
                x.data()[i] = normal(rng);
            for (Eigen::Index i = 0; i < w.size(); ++i)
                w.data()[i] = 0.03f * normal(rng);
            for (Eigen::Index i = 0; i < n; ++i)
                bias[i] = normal(rng);
            LinearView view;
            view.weight = w.data();
            view.bias = bias.data();
            view.out_features = n;
            view.in_features = k;
            view.name = "bench";
            const PackedInt8Weight packed = PackedInt8Weight::quantize(w.data(), n, k, "bench");
            for (const int threads : {1, 2}) {
                set_num_threads(threads);
                const double t32 = best_seconds(repeat, threads, [&] { linear(x, view, out32); });
                const double t8 = best_seconds(repeat, threads, [&] {
                    int8_linear(x.data(), m, k, packed, bias.data(), out8.data(), n);
                });
                const double tp = best_seconds(std::max(1, repeat / 4), threads, [&] {
                    int8_linear(Int8Kernel::kPortable, x.data(), m, k, packed, bias.data(),
                                out8.data(), n);
                });
                int8_linear(x.data(), m, k, packed, bias.data(), out8.data(), n);
                const double err = (out8 - out32).cwiseAbs().maxCoeff() /
                                   std::max(1e-12f, out32.cwiseAbs().maxCoeff());
                const double ops = 2.0 * static_cast<double>(m * n * k) * 1e-9;
                const double share = peak[threads] > 0 ? 100.0 * ops / t8 / peak[threads] : 0;
                std::printf(
                    "%6lld %6lld %6lld %3d | %10.1f %10.1f %10.1f | %8.2f %8.2f | %6.1f | %9.4f\n",
                    static_cast<long long>(m), static_cast<long long>(k), static_cast<long long>(n),
                    threads, ops / t32, ops / t8, ops / tp, t32 / t8, t32 / tp, share, err);
            }
        }
    }
    set_num_threads(0);
    return 0;
}
