// End-to-end timing of the spanguard column through the public API only (schemas/model.h).
#include <utility>

#include "bench/engine_runner.h"
#include "schemas/model.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::bench {
namespace {

// The ModelOptions of a column: only the precision differs between variants.
schemas::ModelOptions model_options(const Variant& variant) {
    schemas::ModelOptions options;
    options.precision = variant.precision;
    return options;
}

// One request of `w` through the API, one result per text (long: the one text's). Spans are asked
// for so that decisions carry offsets; rendering them costs microseconds per entity.
std::vector<schemas::Json> run_request(const schemas::Model& model, const Workload& w,
                                       const schemas::Schema& schema, size_t r) {
    if (w.mode == "single") {
        schemas::ExtractOptions o;
        o.threshold = w.threshold;
        o.include_spans = true;
        return {model.extract(w.texts.at(r), schema, o)};
    }
    if (w.mode == "long") {
        schemas::LongTextOptions o;
        o.threshold = w.threshold;
        o.batch_size = w.batch_size;
        o.include_spans = true;
        return {model.extract_long(w.texts.at(r), schema, o)};
    }
    schemas::ExtractOptions o;
    o.threshold = w.threshold;
    o.batch_size = w.batch_size;
    o.include_spans = true;
    return model.extract_batch(w.texts, schema, o);
}

}  // namespace

Json run_end_to_end(const std::string& model_dir, const Variant& variant,
                    const std::vector<Workload>& workloads, Json* decisions) {
    Json out;
    const auto load_start = Clock::now();
    const schemas::Model model = schemas::Model::load(model_dir, model_options(variant));
    out["load_seconds"] = seconds_since(load_start);
    out["after_load"] = memory_usage();
    for (const Workload& w : workloads) {
        const schemas::Schema schema = schemas::schema_from_dict(w.schema);
        Json results;
        out["workloads"][w.name] = time_requests(
            w, [&](size_t r) { return run_request(model, w, schema, r); },
            // schemas::Json keeps key order; the bench's Json is the plain kind.
            [](const schemas::Json& item) { return Json(item); },
            decisions != nullptr ? &results : nullptr);
        if (decisions != nullptr) (*decisions)[w.name] = std::move(results);
    }
    out["memory"] = memory_usage();
    return out;
}

}  // namespace spanguard::bench
