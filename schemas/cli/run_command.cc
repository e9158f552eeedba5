// `spanguard run --schema FILE`: the general case, any Schema.from_dict schema (entities,
// structures, classifications, relations together) over JSONL records, keyed output by default.
#include <cstdio>
#include <string>

#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/schema_command.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::cli {
namespace {

const std::string kName = "run";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead = R"(usage: spanguard run --schema JSON|PATH [FILE] [options]

Runs a full schema over the text of each JSON line (default field "text") and
writes one line per input line with the reference's result object, e.g.
  {"line": 1, "result": {"profile": [...], "entities": {...},
   "sentiment": "positive", "relation_extraction": {...}}}

The schema (Schema.from_dict shape; inline when it starts with '{', else a file):
  {"entities": ["person", ...] | {"person": "description" | {...}},
   "structures": {"name": {"fields": ["field::str::description", {...}]}},
   "classifications": [{"task": "sentiment", "labels": ["positive", ...],
                        "multi_label": false, "cls_threshold": 0.5}],
   "relations": ["works_for", ...]}

example:
  spanguard run --schema schema.json --id-field meta.id --merge docs.jsonl \
    --output out.jsonl

)";

std::string usage() {
    return std::string(kUsageHead) + kSchemaRunOptionsHelp + "\n" +
           batch_options_help(OutputShape::kKeyed);
}

struct Options {
    BatchOptions batch;
    SchemaRunOptions run;
    std::string schema;
};

Options parse_options(const Args& args, bool* help) {
    Options o;
    *help = false;
    ArgumentReader a(args);
    while (a.next()) {
        const std::string& name = a.name();
        if (name == "--help" || name == "-h") {
            a.no_value();
            *help = true;
        } else if (name == "--schema") {
            o.schema = a.value();
        } else if (!take_schema_run_option(a, o.run) && !take_batch_option(a, o.batch)) {
            a.unknown();
        }
    }
    if (*help) return o;
    finish_batch_options(o.batch, OutputShape::kKeyed);
    if (o.schema.empty()) throw UsageError("--schema JSON|PATH is required");
    finish_schema_run_options(o.run, o.batch.batch_size);
    return o;
}

}  // namespace

int run_run(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, parse_options, usage, &options)) {
        return *status;
    }
    const schemas::Schema schema =
        load_schema_argument(options.schema, "--schema", schemas::schema_from_dict, "");
    return run_schema_command(kName, options.batch, options.run, schema);
}

}  // namespace spanguard::cli
