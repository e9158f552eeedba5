// profile_request: a timing driver for profiling one request end to end (load, then extract() on a
// short and a medium text), and the encoder GEMM shapes on their own. It prints numbers only; it
// is meant to run under `perf record` or next to `uptime`, not to assert anything.
//
//   profile_request MODEL_DIR [--threads N] [--repeat R] [--words W --labels L] [--int8]
//   profile_request --gemm [--threads N] [--repeat R] [--tokens T]
//
// Latency is reported as best and median of R runs (after one warm-up run): on a shared machine the
// best run is the least disturbed one.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "core/kernels/linear.h"
#include "core/parallel/parallel_for.h"
#include "schemas/model.h"
#include "schemas/schema/schema_parser.h"

namespace {

using spanguard::bench::Clock;
using spanguard::bench::process_cpu_seconds;
using spanguard::bench::seconds_since;

// Wall time (best, median) and process CPU time (best: all threads together, so it excludes time
// spent preempted by other processes, which dominates wall time on a loaded machine).
struct Timing {
    double first = 0.0;  // the warm-up run: first touch of scratch memory and mapped weights
    double best = 0.0;
    double median = 0.0;
    double cpu_best = 0.0;
};

Timing time_runs(int repeat, const std::function<void()>& run) {
    const auto first_start = Clock::now();
    run();  // warm-up: first-touch of scratch and weights
    const double first = seconds_since(first_start);
    std::vector<double> times, cpu;
    for (int i = 0; i < repeat; ++i) {
        const double cpu_start = process_cpu_seconds();
        const auto start = Clock::now();
        run();
        times.push_back(seconds_since(start));
        cpu.push_back(process_cpu_seconds() - cpu_start);
    }
    std::sort(times.begin(), times.end());
    return {first, times.front(), times[times.size() / 2],
            *std::min_element(cpu.begin(), cpu.end())};
}

double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

// A deterministic English-like text of `words` words ending in a period.
std::string make_text(int words) {
    static const char* kWords[] = {"Maria",  "Gonzalez", "works", "at",     "Apple", "in",
                                   "Berlin", "and",      "her",   "email",  "is",    "maria@x.com",
                                   "she",    "called",   "Tim",   "Cook",   "on",    "Monday",
                                   "about",  "the",      "new",   "office", "near",  "Paris"};
    std::string text;
    for (int i = 0; i < words; ++i) {
        if (i > 0) text += ' ';
        text += kWords[(i * 7 + i / 5) % (sizeof(kWords) / sizeof(kWords[0]))];
    }
    return text + ".";
}

std::string make_schema(int labels) {
    static const char* kLabels[] = {"person",  "company", "city",       "email",   "date",
                                    "country", "product", "phone",      "address", "event",
                                    "title",   "money",   "percentage", "law",     "language"};
    std::string json = R"({"entities": [)";
    for (int i = 0; i < labels; ++i) {
        if (i > 0) json += ", ";
        json += '"' + std::string(kLabels[i % 15]) + (i >= 15 ? std::to_string(i) : "") + '"';
    }
    return json + "]}";
}

int run_request(const std::string& dir, int repeat, int words, int labels, bool int8) {
    const double load_cpu_start = process_cpu_seconds();
    const auto load_start = Clock::now();
    spanguard::schemas::ModelOptions options;
    if (int8) options.precision = spanguard::core::Precision::kInt8;
    const spanguard::schemas::Model model = spanguard::schemas::Model::load(dir, options);
    const double load_s = seconds_since(load_start);
    std::printf("load %.3f s (cpu %.3f s), peak RSS after load %.1f MiB\n", load_s,
                process_cpu_seconds() - load_cpu_start, peak_rss_mib());

    const std::vector<std::pair<int, int>> shapes =
        words > 0 ? std::vector<std::pair<int, int>>{{words, labels}}
                  : std::vector<std::pair<int, int>>{{20, 5}, {200, 10}};
    for (const auto& [w, l] : shapes) {
        const std::string text = make_text(w);
        const auto schema =
            spanguard::schemas::schema_from_dict(spanguard::schemas::Json::parse(make_schema(l)));
        const Timing t = time_runs(repeat, [&] { (void)model.extract(text, schema); });
        std::printf(
            "extract %3d words %2d labels: first %.2f ms, best %.2f ms, median %.2f ms, cpu %.2f "
            "ms\n",
            w, l, t.first * 1e3, t.best * 1e3, t.median * 1e3, t.cpu_best * 1e3);
    }
    std::printf("peak RSS %.1f MiB\n", peak_rss_mib());
    return 0;
}

// GFLOP/s of core::linear on the encoder's GEMM shapes (DeBERTa-v3-base: H 768, FFN 3072).
int run_gemm(int repeat, int tokens) {
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    const auto random = [&](Eigen::Index r, Eigen::Index c) {
        spanguard::core::RowMatrix m(r, c);
        for (Eigen::Index i = 0; i < m.size(); ++i)
            m.data()[i] = dist(rng);
        return m;
    };
    const std::vector<std::pair<int, int>> shapes = {{768, 768}, {3072, 768}, {768, 3072}};
    for (const auto& [out, in] : shapes) {
        const spanguard::core::RowMatrix x = random(tokens, in);
        const spanguard::core::RowMatrix w = random(out, in);
        const spanguard::core::RowMatrix b = random(1, out);
        spanguard::core::LinearView view;
        view.weight = w.data();
        view.bias = b.data();
        view.out_features = out;
        view.in_features = in;
        view.name = "bench";
        spanguard::core::RowMatrix y(tokens, out);
        const Timing t = time_runs(repeat, [&] { spanguard::core::linear(x, view, y); });
        const double flops = 2.0 * tokens * out * in;
        std::printf(
            "linear %4d x %4d -> %4d: best %.3f ms (%.1f GFLOP/s), median %.3f ms, "
            "cpu %.3f ms (%.1f GFLOP/s per busy core)\n",
            tokens, in, out, t.best * 1e3, flops / t.best * 1e-9, t.median * 1e3, t.cpu_best * 1e3,
            flops / t.cpu_best * 1e-9);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir;
    bool gemm = false, int8 = false;
    int repeat = 10, words = 0, labels = 5, tokens = 40;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&]() -> int {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", arg.c_str());
                std::exit(2);
            }
            return std::atoi(argv[++i]);
        };
        if (arg == "--threads") {
            spanguard::core::set_num_threads(next());
        } else if (arg == "--repeat") {
            repeat = std::max(1, next());
        } else if (arg == "--words") {
            words = next();
        } else if (arg == "--labels") {
            labels = next();
        } else if (arg == "--tokens") {
            tokens = next();
        } else if (arg == "--gemm") {
            gemm = true;
        } else if (arg == "--int8") {
            int8 = true;
        } else {
            dir = arg;
        }
    }
    std::printf("threads %d\n", spanguard::core::num_threads());
    if (gemm) return run_gemm(repeat, tokens);
    if (dir.empty()) {
        std::fprintf(stderr, "usage: profile_request MODEL_DIR | --gemm [--threads N]\n");
        return 2;
    }
    try {
        return run_request(dir, repeat, words, labels, int8);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "profile_request: %s\n", e.what());
        return 1;
    }
}
