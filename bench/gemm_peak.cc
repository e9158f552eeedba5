// bench_gemm_peak: the machine's measured single-precision GEMM peak at the encoder's shapes, the
// denominator of the "achieved GFLOP/s" and "FLOP floor" figures of bench/gliner_bench.py.
//
//   bench_gemm_peak [--hidden 768] [--ffn 3072] [--rows 64,256,512,2048] [--threads 1,2]
//                   [--blas PATH] [--seconds 0.3]
//
// For each shape out[M, N] = X[M, K] * W[N, K]^T (the Linear layers: q/k/v/o, FFN in, FFN out) it
// times
//   * Eigen, built with this target's flags (bench_gemm_peak: the project's flags, i.e. what
//     spanguard's kernels get; bench_gemm_peak_native: -march=native), rows split across OpenMP
//     threads as core::parallel_for splits them;
//   * cblas_sgemm of a BLAS loaded at run time (default: Debian's OpenBLAS, pthread flavour), with
//     openblas_set_num_threads when the library has it; skipped with a note if it cannot load.
// and prints JSON: best-of-repetitions GFLOP/s per (library, threads, shape) and the peak. Each
// repetition is timed by process CPU time / threads ("gflops": on a shared machine a descheduled
// repetition takes longer on the wall clock but not in CPU time) and by wall clock ("gflops_wall");
// on an idle machine the two agree. The peak uses "gflops" for one thread and "gflops_wall" for
// more: a library that leaves a thread idle (OpenBLAS does at small M) burns less CPU time than
// threads x wall, so CPU time / threads would overstate its rate (seen: 348 GFLOP/s on 2 threads
// against 106 on one).
#include <dlfcn.h>
#include <omp.h>
#include <time.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_clock.h"

namespace {

using spanguard::bench::Clock;
using spanguard::bench::process_cpu_seconds;

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Json = nlohmann::json;

struct Shape {
    std::string name;
    long m, n, k;
};

std::vector<long> parse_list(const std::string& flag, const std::string& text) {
    std::vector<long> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        char* end = nullptr;
        const long v = std::strtol(item.c_str(), &end, 10);
        if (item.empty() || *end != '\0' || v < 1) {
            std::cerr << "bench_gemm_peak: " << flag << " wants positive integers, got '" << text
                      << "'\n";
            std::exit(2);
        }
        out.push_back(v);
    }
    return out;
}

struct Rate {
    double cpu = 0;   // GFLOP/s with process CPU time / threads as the time
    double wall = 0;  // GFLOP/s with wall time
};

// Best GFLOP/s of `run` over repetitions filling `seconds` (at least 3 runs after a warm-up).
template <typename Run>
Rate best_gflops(const Shape& s, int threads, double seconds, Run&& run) {
    run();
    const double flops =
        2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k);
    Rate best;
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    for (int i = 0; i < 3 || Clock::now() < deadline; ++i) {
        const double cpu_start = process_cpu_seconds();
        const auto start = Clock::now();
        run();
        const double wall = std::chrono::duration<double>(Clock::now() - start).count();
        const double cpu = (process_cpu_seconds() - cpu_start) / threads;
        best.wall = std::max(best.wall, flops / wall / 1e9);
        if (cpu > 0) best.cpu = std::max(best.cpu, flops / cpu / 1e9);
    }
    return best;
}

Rate eigen_gflops(const Shape& s, int threads, double seconds) {
    const Matrix x = Matrix::Random(s.m, s.k);
    const Matrix w = Matrix::Random(s.n, s.k);
    Matrix out(s.m, s.n);
    return best_gflops(s, threads, seconds, [&] {
    // Contiguous row blocks per thread, as core::parallel_for hands them out.
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int t = 0; t < threads; ++t) {
            const long begin = s.m * t / threads, end = s.m * (t + 1) / threads;
            out.middleRows(begin, end - begin).noalias() =
                x.middleRows(begin, end - begin) * w.transpose();
        }
    });
}

using CblasSgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*,
                            int, float, float*, int);
using SetThreads = void (*)(int);

struct Blas {
    void* handle = nullptr;
    CblasSgemm sgemm = nullptr;
    SetThreads set_threads = nullptr;
    std::string problem;
};

Blas load_blas(const std::string& path) {
    Blas b;
    b.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!b.handle) {
        b.problem = std::string("cannot load ") + path + ": " + dlerror();
        return b;
    }
    b.sgemm = reinterpret_cast<CblasSgemm>(dlsym(b.handle, "cblas_sgemm"));
    b.set_threads = reinterpret_cast<SetThreads>(dlsym(b.handle, "openblas_set_num_threads"));
    if (!b.sgemm) b.problem = path + " has no cblas_sgemm";
    return b;
}

Rate blas_gflops(const Blas& b, const Shape& s, int threads, double seconds) {
    const Matrix x = Matrix::Random(s.m, s.k);
    const Matrix w = Matrix::Random(s.n, s.k);
    Matrix out(s.m, s.n);
    if (b.set_threads) b.set_threads(threads);
    constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
    return best_gflops(s, threads, seconds, [&] {
        b.sgemm(kRowMajor, kNoTrans, kTrans, static_cast<int>(s.m), static_cast<int>(s.n),
                static_cast<int>(s.k), 1.0f, x.data(), static_cast<int>(s.k), w.data(),
                static_cast<int>(s.k), 0.0f, out.data(), static_cast<int>(s.n));
    });
}

}  // namespace

int main(int argc, char** argv) {
    long hidden = 768, ffn = 3072;
    std::vector<long> rows = {64, 256, 512, 2048}, threads = {1, 2};
    std::string blas_path = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0";
    double seconds = 0.3;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) {
            std::cerr << "bench_gemm_peak: " << flag << " needs a value\n";
            return 2;
        }
        const std::string value = argv[++i];
        if (flag == "--hidden")
            hidden = parse_list(flag, value).at(0);
        else if (flag == "--ffn")
            ffn = parse_list(flag, value).at(0);
        else if (flag == "--rows")
            rows = parse_list(flag, value);
        else if (flag == "--threads")
            threads = parse_list(flag, value);
        else if (flag == "--blas")
            blas_path = value;
        else if (flag == "--seconds")
            seconds = std::atof(value.c_str());
        else {
            std::cerr << "bench_gemm_peak: unknown option " << flag << "\n";
            return 2;
        }
    }
    std::vector<Shape> shapes;
    for (long m : rows) {
        shapes.push_back({"qkvo", m, hidden, hidden});
        shapes.push_back({"ffn_in", m, ffn, hidden});
        shapes.push_back({"ffn_out", m, hidden, ffn});
    }
    const Blas blas = load_blas(blas_path);
    Json out = {{"eigen_simd", Eigen::SimdInstructionSetsInUse()}, {"results", Json::array()}};
#ifdef SPANGUARD_GEMM_VARIANT
    out["build"] = SPANGUARD_GEMM_VARIANT;
#endif
    if (!blas.problem.empty())
        out["blas_skipped"] = blas.problem;
    else
        out["blas"] = blas_path;
    Json peak = Json::object();
    for (long t : threads) {
        for (const Shape& s : shapes) {
            const auto record = [&](const char* lib, const Rate& r) {
                out["results"].push_back({{"lib", lib},
                                          {"threads", t},
                                          {"shape", s.name},
                                          {"m", s.m},
                                          {"n", s.n},
                                          {"k", s.k},
                                          {"gflops", r.cpu},
                                          {"gflops_wall", r.wall}});
            };
            const Rate e = eigen_gflops(s, static_cast<int>(t), seconds);
            record("eigen", e);
            const auto peak_rate = [t](const Rate& r) { return t == 1 ? r.cpu : r.wall; };
            double best = peak_rate(e);
            if (blas.problem.empty()) {
                const Rate b = blas_gflops(blas, s, static_cast<int>(t), seconds);
                record("blas", b);
                best = std::max(best, peak_rate(b));
            }
            const std::string key = std::to_string(t);
            peak[key] = std::max(peak.value(key, 0.0), best);
        }
    }
    out["peak_gflops_by_threads"] = peak;
    std::cout << out.dump() << "\n";
    return 0;
}
