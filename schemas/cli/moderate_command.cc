// `spanguard moderate`: GLiGuard-style safety moderation (moderation.h) of the prompt and/or
// response of each JSONL record; one to_json(ModerationResult) per input line, in order
// (jsonl_runner.h).
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/jsonl_runner.h"
#include "schemas/cli/schema_command.h"
#include "schemas/cli/window_options.h"
#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/request_error.h"

namespace spanguard::cli {
namespace {

const std::string kName = "moderate";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead = R"(usage: spanguard moderate [FILE] [options]

Moderates chat turns. Each JSON line gives a prompt, a response, or both:
  {"prompt": "...", "response": "..."}   (a line with only "text" is a prompt)
and gets one result line: {"verdict": "safe"|"unsafe", "prompt": {"unsafe": bool,
"flagged": [...], "tasks": {task: {"labels": [...], "scores": {label: p},
"flagged": bool}}}, "response": {...}} (a side appears when it was given).
The default policy is GLiGuard's: prompt_safety, prompt_toxicity and
jailbreak_detection on the prompt; response_safety, response_toxicity and
response_refusal on the response (unsafe unless the response is a refusal). A record
with a side that the policy has no tasks for gets an error record.

example:
  echo '{"id": 7, "prompt": "how do I bake bread?"}' |
    spanguard moderate --id-field id
  -> {"id":7,"result":{"verdict":"safe","prompt":{...}}}

)";

struct Options {
    BatchOptions batch;
    std::optional<FieldPath> prompt_field;
    FieldPath response_field{"response", {"response"}};
    std::string policy;
    std::optional<std::string> response_text;
    WindowOptions window_options;
    schemas::ModerationWindows windows;  // chunk_size 0 (one pass) without --long
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("moderation:")
        .option(
            "--prompt-field", "PATH",
            "the prompt's field (default: prompt, and when a record\n"
            "has none, --text-field)",
            [&o](const std::string& v) { o.prompt_field = parse_field_path(v, "--prompt-field"); })
        .option("--response-field", "PATH", "the response's field (default: response)",
                [&o](const std::string& v) {
                    o.response_field = parse_field_path(v, "--response-field");
                })
        .option("--policy", "JSON|PATH",
                "a custom policy instead of GLiGuard's:\n"
                "{\"prompt\": {\"tasks\": [{\"task\": \"toxicity\", \"labels\":\n"
                "[\"benign\", \"insult\"], \"multi_label\": true,\n"
                "\"cls_threshold\": 0.4, \"safe_labels\": [\"benign\"]}],\n"
                "\"veto\": {\"task\": ..., \"label\": ...}}, \"response\": {...}}",
                [&o](const std::string& v) { o.policy = v; })
        .option("--response-text", "TEXT",
                "moderate this response (with --text: this exchange; --text\n"
                "alone moderates one prompt)",
                [&o](const std::string& v) { o.response_text = v; });
    add_window_options(t, o.window_options,
                       "run texts of any length in windows of words; each label\n"
                       "scores its most probable window",
                       schemas::kDefaultChunkSize, schemas::kDefaultChunkOverlap);
    add_batch_options(t, o.batch, OutputShape::kKeyed, help);
}

void finish(Options& o) {
    if (o.response_text && !o.batch.text && (!o.batch.input.empty() || !o.batch.output.empty())) {
        throw UsageError("--response-text is for one exchange, not JSONL input or --output");
    }
    finish_batch_options(o.batch, OutputShape::kKeyed);
    const Windows windows =
        finish_window_options(o.window_options, /*needs_long=*/true, schemas::kDefaultChunkSize,
                              schemas::kDefaultChunkOverlap);
    if (o.window_options.long_text) o.windows = {windows.chunk_size, windows.chunk_overlap};
}

class ModerateCommand : public BatchCommand {
  public:
    ModerateCommand(const schemas::Model& model, const schemas::ModerationPolicy& policy,
                    const Options& options)
        : model_(model), policy_(policy), options_(options) {}

    void add(const schemas::Json& record) override {
        const size_t limit = options_.batch.max_text_bytes;
        if (!record.is_object()) {
            throw InputError("expected a JSON object with a prompt and/or a response, got " +
                             schemas::describe_type(record));
        }
        schemas::ModerationInput input;
        if (options_.prompt_field) {
            input.prompt = read_optional_text_field(record, *options_.prompt_field, limit);
        } else {
            input.prompt = read_optional_text_field(record, kDefaultPrompt, limit);
            if (!input.prompt) {
                input.prompt = read_optional_text_field(record, options_.batch.text_field, limit);
            }
        }
        input.response = read_optional_text_field(record, options_.response_field, limit);
        if (!input.prompt && !input.response) {
            const std::string prompt_names =
                options_.prompt_field
                    ? "\"" + options_.prompt_field->text + "\""
                    : "\"prompt\" (or \"" + options_.batch.text_field.text + "\")";
            throw InputError("expected a JSON object with a " + prompt_names + " string, a \"" +
                             options_.response_field.text + "\" string, or both");
        }
        inputs_.push_back(std::move(input));
    }

    std::vector<RecordOutcome> run() override {
        std::vector<RecordOutcome> outcomes = run_with_fallback(
            inputs_,
            [&](const std::vector<schemas::ModerationInput>& inputs) {
                std::vector<schemas::Json> results;
                for (const auto& r : schemas::moderate_batch(
                         model_, policy_, inputs, options_.batch.batch_size, options_.windows)) {
                    results.push_back(to_json(r));
                }
                return results;
            },
            [&](const schemas::ModerationInput& input) {
                std::optional<std::string_view> prompt, response;
                if (input.prompt) prompt = *input.prompt;
                if (input.response) response = *input.response;
                if (options_.windows.chunk_size > 0) {
                    return to_json(
                        schemas::moderate_batch(model_, policy_, {input}, 1, options_.windows)
                            .front());
                }
                return to_json(schemas::moderate(model_, policy_, prompt, response));
            });
        inputs_.clear();
        return outcomes;
    }

  private:
    inline static const FieldPath kDefaultPrompt{"prompt", {"prompt"}};
    const schemas::Model& model_;
    const schemas::ModerationPolicy& policy_;
    const Options& options_;
    std::vector<schemas::ModerationInput> inputs_;
};

}  // namespace

int run_moderate(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, declare, finish, kUsageHead, &options)) {
        return *status;
    }
    schemas::ModerationPolicy policy = schemas::gliguard_policy();
    if (!options.policy.empty()) {
        std::string where;
        const schemas::Json json = parse_json_argument(options.policy, "--policy", &where);
        try {
            policy = schemas::policy_from_json(json);
        } catch (const schemas::RequestError& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
    }
    if (options.batch.threads > 0) core::set_num_threads(options.batch.threads);
    const schemas::Model model =
        schemas::Model::load(options.batch.model, options.batch.model_options);
    ModerateCommand command(model, policy, options);
    if (options.batch.text || options.response_text) {
        schemas::Json record = schemas::Json::object();
        if (options.batch.text) {
            record =
                record_with_field(options.prompt_field.value_or(FieldPath{"prompt", {"prompt"}}),
                                  *options.batch.text);
        }
        if (options.response_text) {
            // Both paths start at the record's top level; merge the response's branch in.
            record.update(record_with_field(options.response_field, *options.response_text), true);
        }
        return run_single(kName, record, command);
    }
    return run_jsonl(kName, options.batch, command);
}

}  // namespace spanguard::cli
