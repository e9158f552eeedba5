// `spanguard redact`: PII redaction (redaction.h) of the text of each JSONL record, always
// windowed so texts of any length are covered; one {"text": redacted, "items": [...]} result per
// input line, in order (jsonl_runner.h).
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
#include "schemas/model.h"
#include "schemas/redaction.h"
#include "schemas/request_error.h"

namespace spanguard::cli {
namespace {

const std::string kName = "redact";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead =
    R"(usage: spanguard redact (--labels a,b,c | --preset pii|common) [FILE] [options]

Finds the labelled spans in the text of each JSON line (default field "text") and
rewrites them. Each result is {"text": redacted text, "items": [{"entity_type",
"start", "end", "redacted_start", "redacted_end", "score", "operator"[, "valid"]
[, "text"]}, ...]}: offsets are code points, half-open, into the original text
(start/end) and the redacted one (redacted_*). Texts are always run in windows, so any
length up to --max-text-bytes is covered.

example:
  echo '{"text": "Mail jo@x.org"}' | spanguard redact --preset common
  -> {"line":1,"result":{"text":"Mail <EMAIL>","items":[{"entity_type":"email",...}]}}

redaction:
  --labels a,b,c            entity types to find
  --preset NAME             a named label set: pii (42 labels) or common
  --operators JSON|PATH     per-label operators (default for every label: replace with
                            <ENTITY_TYPE>), e.g.
                            {"email": {"type": "mask", "masking_char": "#",
                                       "chars_to_mask": 4, "from_end": true},
                             "person": {"type": "hash", "salt": "s"},
                             "default": {"type": "replace",
                                         "new_value": "[{entity_type}]"}}
                            types: replace, mask, hash, encrypt ("key" or "key_hex"),
                            keep
  --validate MODE           off (default), annotate (items get "valid") or reject (drop
                            spans whose type validator fails: emails, cards, IBANs...)
  --include-original        add each item's original text as "text"
  --threshold X             span threshold, default 0.5

)";

std::string usage() {
    return std::string(kUsageHead) + batch_options_help(OutputShape::kKeyed);
}

struct Options {
    BatchOptions batch;
    RedactRequest request;
    std::string operators;
};

ValidationMode parse_validation(const std::string& value) {
    if (value == "off") return ValidationMode::kOff;
    if (value == "annotate") return ValidationMode::kAnnotate;
    if (value == "reject") return ValidationMode::kReject;
    throw UsageError("--validate must be off, annotate or reject, not '" + value + "'");
}

Options parse_options(const Args& args, bool* help) {
    Options o;
    *help = false;
    std::optional<std::string> preset;
    std::vector<std::string> labels;
    ArgumentReader a(args);
    while (a.next()) {
        const std::string& name = a.name();
        if (name == "--help" || name == "-h") {
            a.no_value();
            *help = true;
        } else if (name == "--labels") {
            labels = parse_list(name, a.value());
        } else if (name == "--preset") {
            preset = a.value();
        } else if (name == "--operators") {
            o.operators = a.value();
        } else if (name == "--validate") {
            o.request.validation = parse_validation(a.value());
        } else if (name == "--include-original") {
            a.no_value();
            o.request.include_original = true;
        } else if (name == "--threshold") {
            o.request.threshold = parse_probability(name, a.value());
        } else if (!take_batch_option(a, o.batch)) {
            a.unknown();
        }
    }
    if (*help) return o;
    finish_batch_options(o.batch, OutputShape::kKeyed);
    if (labels.empty() == !preset) throw UsageError("give either --labels a,b,c or --preset NAME");
    if (preset) {
        try {
            o.request.labels = pii_preset(*preset);
        } catch (const schemas::RequestError& e) {
            throw UsageError(e.what());
        }
    } else {
        o.request.labels = std::move(labels);
    }
    return o;
}

class RedactCommand : public BatchCommand {
  public:
    RedactCommand(const Model& model, const RedactRequest& request, const BatchOptions& batch)
        : model_(model), request_(request), batch_(batch) {}

    void add(const schemas::Json& record) override {
        texts_.push_back(read_text_field(record, batch_.text_field, batch_.max_text_bytes));
    }

    std::vector<RecordOutcome> run() override {
        std::vector<RecordOutcome> outcomes = run_with_fallback(
            texts_,
            [&](const std::vector<std::string>& texts) {
                std::vector<schemas::Json> results;
                for (const auto& r : redact_batch(model_, texts, request_, batch_.batch_size)) {
                    results.push_back(to_json(r));
                }
                return results;
            },
            [&](const std::string& text) { return to_json(redact(model_, text, request_)); });
        texts_.clear();
        return outcomes;
    }

  private:
    const Model& model_;
    const RedactRequest& request_;
    const BatchOptions& batch_;
    std::vector<std::string> texts_;
};

}  // namespace

int run_redact(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, parse_options, usage, &options)) {
        return *status;
    }
    if (!options.operators.empty()) {
        std::string where;
        const schemas::Json operators =
            parse_json_argument(options.operators, "--operators", &where);
        try {
            operators_from_json(operators, options.request);
        } catch (const schemas::RequestError& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
    }
    if (options.batch.threads > 0) core::set_num_threads(options.batch.threads);
    const Model model = Model::load(options.batch.model, options.batch.model_options);
    RedactCommand command(model, options.request, options.batch);
    if (options.batch.text) {
        return run_single(kName, record_with_field(options.batch.text_field, *options.batch.text),
                          command);
    }
    return run_jsonl(kName, options.batch, command);
}

}  // namespace spanguard::cli
