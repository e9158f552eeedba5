// `spanguard extract`: runs a Schema.from_dict schema (or --entities a,b,c) over JSONL records and
// writes each record's result object, one line per input line, in order (jsonl_runner.h). Its
// default output shape is the bare result, as this command has always written.
#include <cstdio>
#include <string>

#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/schema_command.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::cli {
namespace {

const std::string kName = "extract";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead =
    R"(usage: spanguard extract (--schema JSON|PATH | --entities a,b,c) [FILE] [options]

Reads JSON lines {"text": "..."} (other keys are ignored) from FILE or stdin and
writes one JSON line per input line: the extraction result for the schema, e.g.
  {"entities": {"person": ["Tim Cook"]}, "sentiment": "positive"}

The schema is a JSON object (inline when it starts with '{', else a file path):
  {"entities": ["person", ...] | {"person": "description" | {...}},
   "structures": {"name": {"fields": ["field::str::description", {...}]}},
   "classifications": [{"task": "sentiment", "labels": ["positive", ...],
                        "multi_label": false, "cls_threshold": 0.5}],
   "relations": ["works_for", ...]}
--entities person,company is short for --schema '{"entities": ["person", "company"]}'.

example:
  echo '{"id": 1, "text": "Tim Cook is the CEO of Apple."}' |
    spanguard extract --entities person,company --id-field id --format keyed
  -> {"id":1,"result":{"entities":{"person":["Tim Cook"],"company":["Apple"]}}}

)";

struct Options {
    BatchOptions batch;
    SchemaRunOptions run;
    std::string schema;
    std::vector<std::string> entities;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("schema:")
        .option("--schema", "JSON|PATH", "the request schema",
                [&o](const std::string& v) { o.schema = v; })
        .option("--entities", "a,b,c", "entity types only",
                [&o](const std::string& v) { o.entities = parse_list("--entities", v); });
    add_schema_run_options(t, o.run);
    add_batch_options(t, o.batch, OutputShape::kBare, help);
}

void finish(Options& o) {
    finish_batch_options(o.batch, OutputShape::kBare);
    if (o.schema.empty() && o.entities.empty()) {
        throw UsageError("--schema JSON|PATH is required (or --entities a,b,c)");
    }
    if (!o.schema.empty() && !o.entities.empty()) {
        throw UsageError("--schema and --entities exclude each other");
    }
    finish_schema_run_options(o.run, o.batch.batch_size);
}

}  // namespace

int run_extract(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, declare, finish, kUsageHead, &options)) {
        return *status;
    }
    schemas::Schema schema;
    if (options.entities.empty()) {
        schema = load_schema_argument(options.schema, "--schema", schemas::schema_from_dict, "");
    } else {
        schemas::Json names = schemas::Json::array();
        for (const auto& e : options.entities)
            names.push_back(e);
        schema = schemas::schema_from_entity_types(names, "--entities");
    }
    return run_schema_command(kName, options.batch, options.run, schema);
}

}  // namespace spanguard::cli
