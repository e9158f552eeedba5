#include "schemas/cli/schema_command.h"

#include <cstdio>
#include <stdexcept>

#include "core/parallel/parallel_for.h"
#include "schemas/schema/request_error.h"

namespace spanguard::cli {

void add_schema_run_options(OptionTable& t, SchemaRunOptions& o) {
    t.section("result options:")
        .option("--threshold", "X", "span threshold, default 0.5",
                [&o](const std::string& v) {
                    o.extract.threshold = parse_probability("--threshold", v);
                })
        .option("--include-confidence", "", "add probabilities to the results",
                [&o](const std::string&) { o.extract.include_confidence = true; })
        .option("--include-spans", "", "add start/end offsets (code points) to span results",
                [&o](const std::string&) { o.extract.include_spans = true; })
        .option("--max-len", "N", "keep only the first N words of each text",
                [&o](const std::string& v) { o.extract.max_len = parse_count("--max-len", v, 1); });
    add_window_options(t, o.windows,
                       "windowed extraction for long texts (offsets into the text as\n"
                       "given). Without --long a text runs in one encoder pass, whose\n"
                       "cost grows with its square",
                       schemas::kDefaultChunkSize, schemas::kDefaultChunkOverlap);
}

void finish_schema_run_options(SchemaRunOptions& o, size_t batch_size) {
    const Windows windows = finish_window_options(
        o.windows, /*needs_long=*/true, schemas::kDefaultChunkSize, schemas::kDefaultChunkOverlap);
    if (o.windows.long_text && o.extract.max_len) {
        throw UsageError("--max-len does not apply with --long (windows use --chunk-size)");
    }
    o.extract.batch_size = batch_size;
    o.long_options.threshold = o.extract.threshold;
    o.long_options.include_confidence = o.extract.include_confidence;
    o.long_options.include_spans = o.extract.include_spans;
    o.long_options.batch_size = batch_size;
    o.long_options.chunk_size = windows.chunk_size;
    o.long_options.chunk_overlap = windows.chunk_overlap;
}

schemas::Schema load_schema_argument(const std::string& arg, const std::string& option,
                                     schemas::Schema (*parse)(const schemas::Json&,
                                                              const std::string&),
                                     const std::string& path) {
    std::string where;
    const schemas::Json j = parse_json_argument(arg, option, &where);
    try {
        return parse(j, path);
    } catch (const schemas::RequestError& e) {
        throw std::runtime_error(where + ": " + e.what());
    }
}

SchemaCommand::SchemaCommand(const schemas::Model& model, const schemas::Schema& schema,
                             const SchemaRunOptions& run, const BatchOptions& batch)
    : model_(model), schema_(schema), run_(run), batch_(batch) {}

void SchemaCommand::add(const schemas::Json& record) {
    texts_.push_back(read_text_field(record, batch_.text_field, batch_.max_text_bytes));
}

std::vector<RecordOutcome> SchemaCommand::run() {
    std::vector<RecordOutcome> outcomes = run_with_fallback(
        texts_,
        [&](const std::vector<std::string>& texts) {
            return run_.windows.long_text
                       ? model_.extract_batch_long(texts, schema_, run_.long_options)
                       : model_.extract_batch(texts, schema_, run_.extract);
        },
        [&](const std::string& text) {
            return run_.windows.long_text ? model_.extract_long(text, schema_, run_.long_options)
                                          : model_.extract(text, schema_, run_.extract);
        });
    texts_.clear();
    return outcomes;
}

int run_schema_command(const std::string& command_name, const BatchOptions& batch,
                       const SchemaRunOptions& run, const schemas::Schema& schema) {
    if (batch.threads > 0) core::set_num_threads(batch.threads);
    const schemas::Model model = schemas::Model::load(batch.model, batch.model_options);
    SchemaCommand command(model, schema, run, batch);
    if (batch.text) {
        return run_single(command_name, record_with_field(batch.text_field, *batch.text), command);
    }
    return run_jsonl(command_name, batch, command);
}

}  // namespace spanguard::cli
