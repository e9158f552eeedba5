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
#include <string>
#include <vector>

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

}  // namespace spanguard::bench
