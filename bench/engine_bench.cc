// bench_engine: the spanguard column of bench/gliner_bench.py (see bench/README.md).
//
//   bench_engine --model DIR --workloads FILE.json --threads N --pass e2e|network
//                [--variant fp32|int8] [--dump DIR --check-calls 2] [--decisions FILE.json]
//                [--out FILE.json]
//
// --decisions (e2e pass): writes the results of the first timed repetition of every workload,
// one per text, for the int8 accuracy gate of bench/gliner_bench.py.
//
// One pass per process, so that each reports its own load time and peak RSS. Prints (or writes)
// one JSON object; exit status 2 for a usage error, 1 for any other error.
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "bench/engine_runner.h"
#include "core/parallel/parallel_for.h"

namespace {

struct Args {
    std::string model, workloads, pass = "e2e", dump, decisions, out;
    spanguard::bench::Variant variant;
    int threads = 1;
    size_t check_calls = 2;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "bench_engine: " << problem << "\n"
              << "usage: bench_engine --model DIR --workloads FILE.json --threads N "
                 "--pass e2e|network [--variant fp32|int8] [--dump DIR] [--check-calls N] "
                 "[--decisions FILE] [--out FILE]\n";
    std::exit(2);
}

size_t parse_count(const std::string& flag, const std::string& value) {
    const std::optional<size_t> n = spanguard::bench::parse_count(value);
    if (!n) usage(flag + " wants a non-negative integer, got '" + value + "'");
    return *n;
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) usage(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--model")
            a.model = value;
        else if (flag == "--workloads")
            a.workloads = value;
        else if (flag == "--pass")
            a.pass = value;
        else if (flag == "--dump")
            a.dump = value;
        else if (flag == "--out")
            a.out = value;
        else if (flag == "--decisions")
            a.decisions = value;
        else if (flag == "--variant") {
            try {
                a.variant = spanguard::bench::parse_variant(value);
            } catch (const std::invalid_argument& e) {
                usage(e.what());
            }
        } else if (flag == "--threads")
            a.threads = static_cast<int>(parse_count(flag, value));
        else if (flag == "--check-calls")
            a.check_calls = parse_count(flag, value);
        else
            usage("unknown option " + flag);
    }
    if (a.model.empty() || a.workloads.empty()) usage("--model and --workloads are required");
    if (a.pass != "e2e" && a.pass != "network") usage("--pass is e2e or network");
    if (a.threads < 1) usage("--threads must be at least 1");
    if (!a.dump.empty() && a.pass != "network") usage("--dump needs --pass network");
    if (!a.decisions.empty() && a.pass != "e2e") usage("--decisions needs --pass e2e");
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    try {
        spanguard::core::set_num_threads(a.threads);
        const auto workloads = spanguard::bench::load_workloads(a.workloads);
        spanguard::bench::Json decisions;
        spanguard::bench::Json out =
            a.pass == "e2e"
                ? spanguard::bench::run_end_to_end(a.model, a.variant, workloads,
                                                   a.decisions.empty() ? nullptr : &decisions)
                : spanguard::bench::run_network(a.model, a.variant, workloads, a.dump,
                                                a.check_calls);
        if (!a.decisions.empty()) spanguard::bench::write_file(a.decisions, decisions.dump());
        out["engine"] = "spanguard";
        out["variant"] = a.variant.name;
        out["pass"] = a.pass;
        out["threads"] = a.threads;
        if (a.out.empty())
            std::cout << out.dump() << "\n";
        else
            spanguard::bench::write_file(a.out, out.dump());
    } catch (const std::exception& e) {
        std::cerr << "bench_engine: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
