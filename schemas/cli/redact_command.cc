// `spanguard redact`: PII redaction (redaction.h) of the text of each JSONL record, always
// windowed so texts of any length are covered; one {"text": redacted, "items": [...]} result per
// input line, in order (jsonl_runner.h).
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "schemas/cli/arguments.h"
#include "schemas/cli/batch_options.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/jsonl_runner.h"
#include "schemas/cli/schema_command.h"
#include "schemas/cli/window_options.h"
#include "schemas/hub/hub_reference.h"
#include "schemas/model.h"
#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"

namespace spanguard::cli {
namespace {

const std::string kName = "redact";

// The command's own part of --help; the shared sections follow it.
constexpr const char* kUsageHead =
    R"(usage: spanguard redact (--labels a,b,c | --preset pii|common | --entities T,...) [FILE]
                        [options]

Finds PII in the text of each JSON line (default field "text") with the model and with
pattern recognizers, and rewrites it. Each result is {"text": redacted text, "items":
[{"entity_type", "label", "recognizer", "start", "end", "redacted_start",
"redacted_end", "score", "operator"[, "valid"][, "text"]}, ...]}: entity_type is the
canonical type (PERSON, CREDIT_CARD, ...), label the model label that fired; offsets
are code points, half-open, into the original text (start/end) and the redacted one
(redacted_*). Texts are always run in windows, so any length up to --max-text-bytes is
covered.

example:
  echo '{"text": "Mail jo@x.org"}' | spanguard redact --preset common
  -> {"line":1,"result":{"text":"Mail <EMAIL_ADDRESS>","items":[{"entity_type":
     "EMAIL_ADDRESS","recognizer":"EmailRecognizer",...}]}}

)";

struct Options {
    BatchOptions batch;
    schemas::RedactRequest request;
    std::string operators;
    std::string custom_recognizers;
    WindowOptions windows;  // --chunk-size, --chunk-overlap (redact is always windowed)
    bool presidio = false;
    bool list_entity_types = false;
    std::optional<std::string> preset;
    std::vector<std::string> labels;
};

void parse_recognizers(const std::string& option, const std::string& value,
                       schemas::RedactRequest& r) {
    r.use_model = false;
    r.use_patterns = false;
    for (const std::string& item : parse_list(option, value)) {
        if (item == "model") {
            r.use_model = true;
        } else if (item == "patterns") {
            r.use_patterns = true;
        } else {
            throw UsageError(option + " takes model, patterns or model,patterns, not '" + item +
                             "'");
        }
    }
}

std::vector<std::string> parse_entity_types(const std::string& option, const std::string& value) {
    const std::set<std::string> known = schemas::RecognizerSet::builtin()->entity_types();
    std::vector<std::string> types;
    for (const std::string& item : parse_list(option, value)) {
        if (item == "all") {
            types.insert(types.end(), known.begin(), known.end());
            continue;
        }
        // A type counts when some built-in recognizer serves it (NATIONAL_ID brings US_SSN).
        if (schemas::pattern_entity_types_for({}, {item}).empty()) {
            std::string names;
            for (const std::string& k : known)
                names += (names.empty() ? "" : ", ") + k;
            throw UsageError(option + ": no pattern recognizer finds '" + item + "' (they find " +
                             names + "; use --custom-recognizers for others)");
        }
        types.push_back(schemas::canonical_entity_type(item));
    }
    return types;
}

void print_entity_types() {
    for (const schemas::EntityTypeRow& row : schemas::entity_type_table()) {
        std::string labels;
        for (const std::string& l : row.labels)
            labels += (labels.empty() ? "" : ", ") + l;
        std::printf("%-16s %s\n", row.entity_type.c_str(),
                    labels.empty() ? "(pattern recognizers only)" : labels.c_str());
    }
}

schemas::ValidationMode parse_validation(const std::string& value) {
    if (value == "off") return schemas::ValidationMode::kOff;
    if (value == "annotate") return schemas::ValidationMode::kAnnotate;
    if (value == "reject") return schemas::ValidationMode::kReject;
    throw UsageError("--validate must be off, annotate or reject, not '" + value + "'");
}

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("redaction:")
        .option("--labels", "a,b,c", "model labels to find",
                [&o](const std::string& v) { o.labels = parse_list("--labels", v); })
        .option("--preset", "NAME",
                "a named label set: pii (42 labels, every pattern type) or\ncommon",
                [&o](const std::string& v) { o.preset = v; })
        .option("--entities", "T,...",
                "canonical types for the pattern recognizers besides the\n"
                "labels' own (URL, MAC_ADDRESS, US_SSN, US_ITIN, CRYPTO,\n"
                "SECRET, ...; \"all\" for every built-in one)",
                [&o](const std::string& v) {
                    o.request.entity_types = parse_entity_types("--entities", v);
                })
        .option("--recognizers", "LIST", "model,patterns (default both), model or patterns",
                [&o](const std::string& v) { parse_recognizers("--recognizers", v, o.request); })
        .option("--custom-recognizers", "JSON|PATH",
                "your own recognizers: regexes with score and context words,\n"
                "deny-lists ({\"recognizers\": [{\"name\", \"entity_type\",\n"
                "\"patterns\": [{\"regex\", \"score\"}], \"context\", \"deny_list\"}]})",
                [&o](const std::string& v) { o.custom_recognizers = v; })
        .option("--default-region", "R,...",
                "regions whose national phone formats are recognized\n"
                "(default US; international +NN forms always are)",
                [&o](const std::string& v) {
                    o.request.pattern_options.phone_regions.clear();
                    for (std::string region : parse_list("--default-region", v)) {
                        for (char& c : region)
                            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                        o.request.pattern_options.phone_regions.push_back(region);
                    }
                });
    add_window_options(t, o.windows, "", schemas::kRedactChunkSize, schemas::kRedactChunkOverlap);
    t.option("--list-entity-types", "",
             "print the canonical types and the labels of each, then exit",
             [&o](const std::string&) { o.list_entity_types = true; })
        .option("--operators", "JSON|PATH",
                "operators keyed by canonical type or any label (default for\n"
                "every type: replace with <ENTITY_TYPE>), e.g.\n"
                "{\"email\": {\"type\": \"mask\", \"masking_char\": \"#\",\n"
                "           \"chars_to_mask\": 4, \"from_end\": true},\n"
                " \"person\": {\"type\": \"hash\", \"salt\": \"s\"},\n"
                " \"default\": {\"type\": \"replace\",\n"
                "             \"new_value\": \"[{entity_type}]\"}}\n"
                "types: replace, mask, hash, encrypt (\"key\" or \"key_hex\"),\n"
                "keep",
                [&o](const std::string& v) { o.operators = v; })
        .option("--validate", "MODE",
                "off (default), annotate (items get \"valid\") or reject (drop\n"
                "spans whose type validator fails: emails, cards, IBANs...)",
                [&o](const std::string& v) { o.request.validation = parse_validation(v); })
        .option("--include-original", "", "add each item's original text as \"text\"",
                [&o](const std::string&) { o.request.include_original = true; })
        .option("--threshold", "X", "span threshold for model and pattern scores, default 0.5",
                [&o](const std::string& v) {
                    o.request.threshold = parse_probability("--threshold", v);
                })
        .option("--presidio", "", "results in Presidio's shape, in the line shape of --format",
                [&o](const std::string&) { o.presidio = true; });
    add_batch_options(t, o.batch, OutputShape::kKeyed, help,
                      {{"presidio", "Presidio's shape alone (--presidio --format bare)",
                        [&o] { o.presidio = true; }}});
}

void finish(Options& o) {
    if (o.list_entity_types) return;
    // A published PII model named by alias or Hub id brings its labels when none are given.
    if (o.labels.empty() && !o.preset && o.request.entity_types.empty() &&
        o.custom_recognizers.empty()) {
        try {
            if (const auto ref = schemas::hub::parse_hub_reference(o.batch.model)) {
                const auto* known = schemas::hub::known_model_for_repo(ref->repo);
                if (known != nullptr && !known->redact_preset.empty())
                    o.preset = known->redact_preset;
            }
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }
    finish_batch_options(o.batch, OutputShape::kKeyed);
    if (!o.labels.empty() && o.preset) {
        throw UsageError("give either --labels a,b,c or --preset NAME");
    }
    if (o.labels.empty() && !o.preset && o.request.entity_types.empty() &&
        o.custom_recognizers.empty()) {
        throw UsageError(
            "give --labels a,b,c, --preset NAME, --entities T,... or "
            "--custom-recognizers");
    }
    const Windows windows = finish_window_options(
        o.windows, /*needs_long=*/false, schemas::kRedactChunkSize, schemas::kRedactChunkOverlap);
    o.request.chunk_size = windows.chunk_size;
    o.request.chunk_overlap = windows.chunk_overlap;
    if (o.preset) {
        try {
            o.request.labels = schemas::pii_preset(*o.preset);
            for (std::string& t : schemas::pii_preset_entity_types(*o.preset)) {
                o.request.entity_types.push_back(std::move(t));
            }
        } catch (const schemas::RequestError& e) {
            throw UsageError(e.what());
        }
    } else {
        o.request.labels = std::move(o.labels);
    }
    if (!o.request.use_model && !o.request.use_patterns) {
        throw UsageError("--recognizers needs model, patterns or both");
    }
}

class RedactCommand : public BatchCommand {
  public:
    RedactCommand(const schemas::Model& model, const schemas::RedactRequest& request,
                  const BatchOptions& batch, bool presidio)
        : model_(model), request_(request), batch_(batch), presidio_(presidio) {}

    void add(const schemas::Json& record) override {
        texts_.push_back(read_text_field(record, batch_.text_field, batch_.max_text_bytes));
    }

    std::vector<RecordOutcome> run() override {
        std::vector<RecordOutcome> outcomes = run_with_fallback(
            texts_,
            [&](const std::vector<std::string>& texts) {
                std::vector<schemas::Json> results;
                for (const auto& r :
                     schemas::redact_batch(model_, texts, request_, batch_.batch_size)) {
                    results.push_back(shape(r));
                }
                return results;
            },
            [&](const std::string& text) {
                return shape(schemas::redact(model_, text, request_));
            });
        texts_.clear();
        return outcomes;
    }

  private:
    schemas::Json shape(const schemas::RedactionResult& r) const {
        return presidio_ ? schemas::to_presidio_json(r) : to_json(r);
    }

    const schemas::Model& model_;
    const schemas::RedactRequest& request_;
    const BatchOptions& batch_;
    bool presidio_;
    std::vector<std::string> texts_;
};

}  // namespace

int run_redact(const Args& args) {
    Options options;
    if (const auto status = read_command_line(kName, args, declare, finish, kUsageHead, &options)) {
        return *status;
    }
    if (options.list_entity_types) {
        print_entity_types();
        return 0;
    }
    if (!options.custom_recognizers.empty()) {
        std::string where;
        const schemas::Json recognizers =
            parse_json_argument(options.custom_recognizers, "--custom-recognizers", &where);
        try {
            options.request.custom_recognizers = schemas::RecognizerSet::from_json(recognizers);
        } catch (const schemas::RequestError& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
    }
    if (!options.operators.empty()) {
        std::string where;
        const schemas::Json operators =
            parse_json_argument(options.operators, "--operators", &where);
        try {
            schemas::operators_from_json(operators, options.request);
        } catch (const schemas::RequestError& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
    }
    if (options.batch.threads > 0) core::set_num_threads(options.batch.threads);
    const schemas::Model model =
        schemas::Model::load(options.batch.model, options.batch.model_options);
    RedactCommand command(model, options.request, options.batch, options.presidio);
    if (options.batch.text) {
        return run_single(kName, record_with_field(options.batch.text_field, *options.batch.text),
                          command);
    }
    return run_jsonl(kName, options.batch, command);
}

}  // namespace spanguard::cli
