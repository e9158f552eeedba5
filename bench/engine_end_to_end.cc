// End-to-end timing of the spanguard column through the public API only (schemas/model.h).
#include <time.h>

#include <chrono>
#include <stdexcept>

#include "bench/engine_runner.h"
#include "schemas/model.h"
#include "schemas/schema_parser.h"

namespace spanguard::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the whole process (every thread), seconds: on a shared machine this is what the
// request cost, whatever else the machine ran meanwhile.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The ModelOptions of a column. The int8 column (issue 6) is added here: map "int8" to the option
// that switches the int8 path on (ModelOptions::precision, being added by the int8 work), and
// `gliner_bench.py --variants fp32,int8` measures it end to end as a fourth column. Its stage
// timings need the same switch in engine_network.cc (Engine), which is fp32 only today.
ModelOptions model_options(const Variant& variant) {
    ModelOptions options;
    if (variant.name == "fp32") return options;
    throw std::runtime_error("variant '" + variant.name +
                             "' is not available in this build (bench/engine_end_to_end.cc maps "
                             "variant names to ModelOptions; only fp32 is wired)");
}

// One request of `w` through the API; the result is returned so the call cannot be elided.
size_t run_request(const Model& model, const Workload& w, const schemas::Schema& schema, size_t r) {
    if (w.mode == "single") {
        ExtractOptions o;
        o.threshold = w.threshold;
        return model.extract(w.texts.at(r), schema, o).size();
    }
    if (w.mode == "long") {
        LongTextOptions o;
        o.threshold = w.threshold;
        o.batch_size = w.batch_size;
        return model.extract_long(w.texts.at(r), schema, o).size();
    }
    ExtractOptions o;
    o.threshold = w.threshold;
    o.batch_size = w.batch_size;
    return model.extract_batch(w.texts, schema, o).size();
}

}  // namespace

Json run_end_to_end(const std::string& model_dir, const Variant& variant,
                    const std::vector<Workload>& workloads) {
    Json out;
    const auto load_start = Clock::now();
    const Model model = Model::load(model_dir, model_options(variant));
    out["load_seconds"] = seconds_since(load_start);
    out["after_load"] = memory_usage();
    size_t sink = 0;
    for (const Workload& w : workloads) {
        const schemas::Schema schema = schemas::schema_from_dict(w.schema);
        if (w.warmup) sink += run_request(model, w, schema, 0);  // caches, allocator, threads
        Json samples = Json::array(), cpu = Json::array();
        for (size_t r = 0; r < w.requests(); ++r) {
            samples.push_back(Json::array());
            cpu.push_back(Json::array());
        }
        for (size_t rep = 0; rep < w.reps; ++rep) {
            for (size_t r = 0; r < w.requests(); ++r) {
                const double cpu_start = process_cpu_seconds();
                const auto start = Clock::now();
                sink += run_request(model, w, schema, r);
                samples[r].push_back(seconds_since(start));
                cpu[r].push_back(process_cpu_seconds() - cpu_start);
            }
        }
        out["workloads"][w.name] = {{"samples", samples}, {"cpu", cpu}, {"texts", w.texts.size()}};
    }
    out["results_seen"] = sink;
    out["memory"] = memory_usage();
    return out;
}

}  // namespace spanguard::bench
