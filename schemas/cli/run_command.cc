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

struct Options {
    BatchOptions batch;
    SchemaRunOptions run;
    std::string schema;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("schema:").option("--schema", "JSON|PATH", "the request schema (shape above)",
                                [&o](const std::string& v) { o.schema = v; });
    add_schema_run_options(t, o.run);
    add_batch_options(t, o.batch, OutputShape::kKeyed, help);
}

void finish(Options& o) {
    finish_batch_options(o.batch, OutputShape::kKeyed);
    if (o.schema.empty()) throw UsageError("--schema JSON|PATH is required");
    finish_schema_run_options(o.run, o.batch.batch_size);
}

}  // namespace

int run_run(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, declare, finish, kUsageHead, &options)) {
        return *status;
    }
    const schemas::Schema schema =
        load_schema_argument(options.schema, "--schema", schemas::schema_from_dict, "");
    return run_schema_command(kName, options.batch, options.run, schema);
}

}  // namespace spanguard::cli
