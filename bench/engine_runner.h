// The spanguard column of bench/gliner_bench.py: workloads in, timings (and optionally the exact
// encoder/head inputs it built, for the ONNX Runtime runner) out. See bench/README.md.
//
// A workload file is JSON written by bench/bench_workloads.py:
//   {"workloads": [{"name": "short", "mode": "single" | "long" | "batch", "schema": {...},
//                   "texts": [...], "reps": 5, "batch_size": 8, "threshold": 0.5}, ...]}
// A request is one text (modes single and long: Model::extract / extract_long) or every text at
// once (mode batch: Model::extract_batch with batch_size). Times are wall-clock seconds
// (steady_clock); a workload with "warmup" (default true) runs its first request once, untimed,
// before the timed passes.
//
// Not thread-safe: one runner per process; it sets the process-wide thread count.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_clock.h"
#include "core/weights/int8_weights.h"

namespace spanguard::bench {

using Json = nlohmann::json;

struct Workload {
    std::string name;
    std::string mode;  // single | long | batch
    Json schema;
    std::vector<std::string> texts;
    size_t reps = 1;
    size_t batch_size = 8;
    double threshold = 0.5;
    // Run request 0 once, untimed, first. Off for long and batch requests, which make many
    // encoder calls each, so one-time costs are already a small part of their first repetition.
    bool warmup = true;

    size_t requests() const { return mode == "batch" ? 1 : texts.size(); }
    // Texts of request r.
    std::vector<std::string> request_texts(size_t r) const;
};

// Throws std::runtime_error naming the file and the workload/key at fault.
std::vector<Workload> load_workloads(const std::string& path);

// Which spanguard build of the model a column measures: "fp32" (the default engine, exact to the
// reference) or "int8" (ModelOptions::precision = kInt8: encoder Linear layers quantized at load).
struct Variant {
    std::string name = "fp32";
    core::Precision precision = core::Precision::kFloat32;
};

// "fp32" or "int8"; throws std::invalid_argument naming the accepted names for anything else.
Variant parse_variant(const std::string& name);

// The public API end to end (schemas/model.h): load time, then per workload
// {"samples": [[wall seconds per rep] per request], "cpu": [[process CPU seconds ...]], "texts"}.
// Requests ask for spans (ExtractOptions::include_spans) so that the decisions carry offsets.
// With `decisions` non-null, it receives per workload the results of the first timed repetition,
// one per text in order: {"<workload>": [result, ...]} (the bench's int8 accuracy gate compares
// them across variants). The results are moved out after the timer stops.
Json run_end_to_end(const std::string& model_dir, const Variant& variant,
                    const std::vector<Workload>& workloads, Json* decisions = nullptr);

// The same requests through the stages Model runs internally, timed one by one: input building
// ("prep": words, tokens, windows, padding), encoder calls, heads (span grid, count, scores,
// classifier logits), in wall seconds, plus process CPU seconds of prep, of the encoder calls and
// of the whole request.
// Decoding is not run here: e2e minus these is its cost. With dump_dir set, also writes
// dump_dir/<workload>.json (every encoder call's ids, mask and the positions and instance counts
// the heads used) and, for the first `check_calls` calls, spanguard's hidden states
// (<workload>.hidden.f32) and head outputs, for the ONNX Runtime runner to compare.
// The variant selects the encoder's precision (DebertaEncoderOptions::precision), as Model does.
Json run_network(const std::string& model_dir, const Variant& variant,
                 const std::vector<Workload>& workloads, const std::string& dump_dir,
                 size_t check_calls);

// Peak and current resident set size of this process in bytes (/proc/self/status).
Json memory_usage();

// A command-line count: `value` as a non-negative integer, or nullopt when it is not one (the
// caller reports the usage error in its own program's words).
std::optional<size_t> parse_count(const std::string& value);

// Writes `text` and a newline to `path`; throws std::runtime_error naming the path on failure.
void write_file(const std::string& path, const std::string& text);

// `requests` empty per-request sample lists: [request][repetition].
Json empty_samples(size_t requests);

// The timed passes of one workload, shared by the engine programs: request 0 once untimed when
// w.warmup, then w.reps passes over every request. `request(r)` runs request r and returns its
// results (a container, one per text); `to_json(result)` turns one result into the JSON the
// accuracy checks compare, and runs only after the timer stopped, only for the first repetition
// and only with `first_results` non-null (it receives them, one per text in order). Returns
// {"samples": [[wall seconds per rep] per request], "cpu": [[process CPU seconds]], "texts"}.
template <typename Request, typename ToJson>
Json time_requests(const Workload& w, Request&& request, ToJson&& to_json, Json* first_results) {
    size_t sink = 0;  // results are counted so the calls cannot be optimised away
    if (w.warmup) sink += request(size_t{0}).size();
    Json samples = empty_samples(w.requests()), cpu = empty_samples(w.requests());
    Json results = Json::array();
    for (size_t rep = 0; rep < w.reps; ++rep) {
        for (size_t r = 0; r < w.requests(); ++r) {
            const double cpu_start = process_cpu_seconds();
            const auto start = Clock::now();
            auto result = request(r);
            samples[r].push_back(seconds_since(start));
            cpu[r].push_back(process_cpu_seconds() - cpu_start);
            sink += result.size();
            if (first_results != nullptr && rep == 0) {
                for (const auto& item : result)
                    results.push_back(to_json(item));
            }
        }
    }
    if (first_results != nullptr) *first_results = std::move(results);
    return {{"samples", samples}, {"cpu", cpu}, {"texts", w.texts.size()}, {"results_seen", sink}};
}

}  // namespace spanguard::bench
