// The options every model-running JSONL command shares (extract, classify, run, redact, moderate):
// model, input and output, record fields, output shape, batching, threads and limits. A command
// declares them in its option table with add_batch_options() beside its own.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "schemas/cli/arguments.h"
#include "schemas/cli/option_table.h"
#include "schemas/cli/record_fields.h"
#include "schemas/model.h"

namespace spanguard::cli {

// What each output line holds (record = the input line's JSON object).
enum class OutputShape {
    kBare,   // the result alone; errors {"error": "line N: message"}
    kKeyed,  // {"id": id, "result": result} ({"line": N, ...} without --id-field)
    kMerge,  // the input record with the result added under --output-field
};
// Errors are {"line": N, "id": id, "error": "message"} in the keyed and merge shapes ("id" only
// when --id-field was given and could be read).

struct BatchOptions {
    std::string model;  // resolved by finish_batch_options (model_location.h)
    schemas::ModelOptions model_options;
    std::string input;   // "" = stdin
    std::string output;  // "" = stdout
    bool resume = false;
    std::optional<std::string> text;  // --text: one string instead of JSONL
    FieldPath text_field{"text", {"text"}};
    std::optional<FieldPath> id_field;
    std::optional<OutputShape> format;        // --format / --merge as given
    OutputShape shape = OutputShape::kKeyed;  // set by finish_batch_options
    std::string output_field = "result";
    size_t batch_size = 8;
    int threads = 0;                          // 0 = the engine's default (all cores)
    size_t max_text_bytes = size_t{1} << 20;  // 0 = no limit
    bool quiet = false;
};

// The value of --format: bare, keyed or merge (UsageError otherwise).
OutputShape parse_output_shape(const std::string& value);

// A --format value beyond bare, keyed and merge (redact's presidio).
struct ExtraFormat {
    std::string name;
    std::string help;  // one line, shown in --format's list
    std::function<void()> apply;
};

// Declares the shared options in two sections ("input and output:", "model and engine:", which
// ends with --help, setting *help) and the shared notes on output and errors as the epilogue.
// `default_shape` is the command's --format default.
void add_batch_options(OptionTable& table, BatchOptions& o, OutputShape default_shape, bool* help,
                       const std::vector<ExtraFormat>& extra_formats = {});
// Checks the combination (UsageError), applies `default_shape` when --format was not given and
// resolves the model folder.
void finish_batch_options(BatchOptions& o, OutputShape default_shape);

}  // namespace spanguard::cli
