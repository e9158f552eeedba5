// What extract, classify and run share: they all send one schema (schema.h) with every text and
// write the reference's result object, single pass or windowed (--long). This file holds their
// common options, the schema argument reader, and the BatchCommand that runs a schema.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/jsonl_runner.h"
#include "schemas/cli/option_table.h"
#include "schemas/cli/window_options.h"
#include "schemas/model.h"
#include "schemas/schema/schema.h"

namespace spanguard::cli {

struct SchemaRunOptions {
    schemas::ExtractOptions extract;        // threshold, include_confidence/spans, max_len
    WindowOptions windows;                  // --long, --chunk-size, --chunk-overlap
    schemas::LongTextOptions long_options;  // filled by finish_schema_run_options
};

// Declares the "result options:" section: --threshold, --include-confidence, --include-spans,
// --max-len, --long, --chunk-size, --chunk-overlap.
void add_schema_run_options(OptionTable& table, SchemaRunOptions& o);
// Checks the combination (UsageError) and copies the shared settings into long_options.
void finish_schema_run_options(SchemaRunOptions& o, size_t batch_size);

// Parses the JSON text of `arg` (inline when it starts with '{' or '[', else a file) and hands it
// to `parse` (a schema_parser.h function). Errors name the option or the file and the field path.
schemas::Schema load_schema_argument(const std::string& arg, const std::string& option,
                                     schemas::Schema (*parse)(const schemas::Json&,
                                                              const std::string&),
                                     const std::string& path);

// Runs `schema` over each record's text (at --text-field).
class SchemaCommand : public BatchCommand {
  public:
    SchemaCommand(const schemas::Model& model, const schemas::Schema& schema,
                  const SchemaRunOptions& run, const BatchOptions& batch);
    void add(const schemas::Json& record) override;
    std::vector<RecordOutcome> run() override;

  private:
    const schemas::Model& model_;
    const schemas::Schema& schema_;
    const SchemaRunOptions& run_;
    const BatchOptions& batch_;
    std::vector<std::string> texts_;
};

// Loads the model, applies --threads and runs the JSONL (or --text) mode; returns the exit status.
int run_schema_command(const std::string& command_name, const BatchOptions& batch,
                       const SchemaRunOptions& run, const schemas::Schema& schema);

}  // namespace spanguard::cli
