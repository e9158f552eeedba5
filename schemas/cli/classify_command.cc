// `spanguard classify`: text classification over JSONL records, one or more tasks per record
// (single- or multi-label), one output line per input line, in order (jsonl_runner.h).
#include <cstdio>
#include <optional>
#include <string>

#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/schema_command.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::cli {
namespace {

const std::string kName = "classify";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead =
    R"(usage: spanguard classify (--labels a,b,c [--task NAME] [--multi-label] | --tasks JSON|PATH)
                          [FILE] [options]

Classifies the text of each JSON line (default field "text") and writes one line
per input line. The result maps each task to its label (a list of labels for a
multi-label task; {"label", "confidence"} items with --include-confidence).

example:
  echo '{"text": "I loved it"}' |
    spanguard classify --labels positive,negative --task sentiment
  -> {"line":1,"result":{"sentiment":"positive"}}

)";

struct Options {
    BatchOptions batch;
    SchemaRunOptions run;
    std::string tasks;
    std::vector<std::string> labels;
    std::optional<std::string> task;
    bool multi_label = false;
    std::optional<double> cls_threshold;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("tasks:")
        .option("--labels", "a,b,c", "the labels of one task",
                [&o](const std::string& v) { o.labels = parse_list("--labels", v); })
        .option("--task", "NAME", "that task's name (default: label)",
                [&o](const std::string& v) { o.task = v; })
        .option("--multi-label", "",
                "return every label whose probability reaches --cls-threshold\n"
                "instead of the best one",
                [&o](const std::string&) { o.multi_label = true; })
        .option("--cls-threshold", "X", "the multi-label decision threshold (default 0.5)",
                [&o](const std::string& v) {
                    o.cls_threshold = parse_probability("--cls-threshold", v);
                })
        .option("--tasks", "JSON|PATH",
                "several tasks, as classify_text takes them:\n"
                "{\"sentiment\": [\"positive\", \"negative\"],\n"
                " \"topics\": {\"labels\": [...], \"multi_label\": true,\n"
                "            \"cls_threshold\": 0.4}}",
                [&o](const std::string& v) { o.tasks = v; });
    add_schema_run_options(t, o.run);
    add_batch_options(t, o.batch, OutputShape::kKeyed, help);
}

void finish(Options& o) {
    finish_batch_options(o.batch, OutputShape::kKeyed);
    if (o.tasks.empty() == o.labels.empty()) {
        throw UsageError("give either --labels a,b,c or --tasks JSON|PATH");
    }
    if (!o.tasks.empty() && (o.task || o.multi_label || o.cls_threshold)) {
        throw UsageError(
            "--task, --multi-label and --cls-threshold go with --labels; with "
            "--tasks put them in the JSON");
    }
    finish_schema_run_options(o.run, o.batch.batch_size);
}

}  // namespace

int run_classify(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, declare, finish, kUsageHead, &options)) {
        return *status;
    }
    schemas::Schema schema;
    if (options.tasks.empty()) {
        schemas::Json task = schemas::Json::object();
        task["labels"] = options.labels;
        task["multi_label"] = options.multi_label;
        if (options.cls_threshold) task["cls_threshold"] = *options.cls_threshold;
        schemas::Json tasks = schemas::Json::object();
        tasks[options.task.value_or("label")] = std::move(task);
        schema = schemas::schema_from_classification_tasks(tasks, "--labels");
    } else {
        schema = load_schema_argument(options.tasks, "--tasks",
                                      schemas::schema_from_classification_tasks, "tasks");
    }
    return run_schema_command(kName, options.batch, options.run, schema);
}

}  // namespace spanguard::cli
