// int8_encoder_bench: the DeBERTa encoder of a checkpoint folder in float32 and in int8
// (DebertaEncoderOptions::precision), at the token counts of the benchmark's short and medium
// workloads (40 and 260 sub-tokens, batch 1), 1 and 2 threads. Prints the encoder's construction
// time (int8: includes quantizing the Linear weights) and the best wall time of R forwards after a
// warm-up, with the CPU time of that run; the speed-up is fp32 / int8 of the best wall times. Also
// prints the largest absolute hidden-state difference int8 vs fp32, as a sanity check.
//
//   int8_encoder_bench MODEL_DIR [--repeat R] [--tokens T1,T2,...]
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
#include "core/encoder/deberta_encoder.h"
#include "core/kernels/int8_gemm.h"
#include "core/parallel/parallel_for.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/head_tensor_names.h"

namespace {

using spanguard::bench::Clock;
using spanguard::bench::process_cpu_seconds;

using namespace spanguard::core;
struct Timing {
    double wall = 1e30;
    double cpu = 0.0;  // CPU time of the best wall-time run
};

Timing best_of(int repeat, const std::function<void()>& run) {
    run();  // warm-up
    Timing best;
    for (int i = 0; i < repeat; ++i) {
        const double cpu_start = process_cpu_seconds();
        const auto start = Clock::now();
        run();
        const double wall = std::chrono::duration<double>(Clock::now() - start).count();
        if (wall < best.wall) best = {wall, process_cpu_seconds() - cpu_start};
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: int8_encoder_bench MODEL_DIR [--repeat R] [--tokens a,b]\n");
        return 2;
    }
    const std::string dir = argv[1];
    int repeat = 10;
    std::vector<size_t> token_counts{40, 260};
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--repeat") {
            repeat = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--tokens") {
            token_counts.clear();
            std::string list = argv[i + 1];
            for (size_t pos = 0; pos < list.size();) {
                const size_t comma = std::min(list.find(',', pos), list.size());
                token_counts.push_back(std::stoul(list.substr(pos, comma - pos)));
                pos = comma + 1;
            }
        } else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    try {
        const EncoderConfig config = load_encoder_config(dir + "/encoder_config/config.json");
        const GlinerConfig gliner = load_gliner_config(dir + "/config.json");
        const CheckpointWeights weights =
            spanguard::heads::load_checkpoint_weights(dir, config, gliner);
        std::printf("model %s: %d layers, hidden %d, intermediate %d; int8 kernel %s\n",
                    dir.c_str(), config.num_hidden_layers, config.hidden_size,
                    config.intermediate_size, int8_kernel_name(active_int8_kernel()));
        DebertaEncoderOptions fp32_options, int8_options;
        int8_options.precision = Precision::kInt8;
        auto start = Clock::now();
        const DebertaEncoder fp32(weights, config, fp32_options);
        const double fp32_build = std::chrono::duration<double>(Clock::now() - start).count();
        double cpu_start = process_cpu_seconds();
        start = Clock::now();
        const DebertaEncoder int8(weights, config, int8_options);
        const double int8_build = std::chrono::duration<double>(Clock::now() - start).count();
        const double int8_build_cpu = process_cpu_seconds() - cpu_start;
        std::printf("encoder construction: fp32 %.3f s, int8 %.3f s (cpu %.3f s, %d threads)\n",
                    fp32_build, int8_build, int8_build_cpu, num_threads());
        std::printf("%7s %3s | %10s %10s | %10s %10s | %7s | %s\n", "tokens", "thr", "fp32 ms",
                    "fp32 cpu", "int8 ms", "int8 cpu", "speedup", "max |h32 - h8|");
        std::mt19937 rng(6);
        for (const size_t tokens : token_counts) {
            std::uniform_int_distribution<int32_t> id(
                3, static_cast<int32_t>(std::min<int64_t>(fp32.vocab_rows(), 8000) - 1));
            std::vector<int32_t> ids(tokens), mask(tokens, 1);
            for (int32_t& v : ids)
                v = id(rng);
            for (const int threads : {1, 2}) {
                set_num_threads(threads);
                EncoderOutput h32, h8;
                const Timing t32 =
                    best_of(repeat, [&] { h32 = fp32.forward(ids, mask, 1, tokens); });
                const Timing t8 = best_of(repeat, [&] { h8 = int8.forward(ids, mask, 1, tokens); });
                std::printf("%7zu %3d | %10.2f %10.2f | %10.2f %10.2f | %7.2f | %.4f\n", tokens,
                            threads, t32.wall * 1e3, t32.cpu * 1e3, t8.wall * 1e3, t8.cpu * 1e3,
                            t32.wall / t8.wall, (h32.hidden - h8.hidden).cwiseAbs().maxCoeff());
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "int8_encoder_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
