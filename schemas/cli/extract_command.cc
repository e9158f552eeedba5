// `spanguard extract`: JSONL {"text": ...} on stdin -> one result object per line on stdout, in
// order. A line that cannot be processed gets an {"error": "line N: ..."} record in its place
// (never dropped, never reordered) and makes the exit status 1.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "schemas/cli/arguments.h"
#include "schemas/cli/commands.h"
#include "schemas/model.h"
#include "schemas/request_error.h"
#include "schemas/schema_parser.h"

namespace spanguard::cli {
namespace {

constexpr const char* kUsage =
    "usage: spanguard extract --model DIR --schema JSON|PATH [options]\n"
    "\n"
    "Reads JSON lines {\"text\": \"...\"} on stdin (other keys are ignored) and writes one JSON\n"
    "line per input line: the extraction result for the schema, e.g.\n"
    "  {\"entities\": {\"person\": [\"Tim Cook\"]}, \"sentiment\": \"positive\"}\n"
    "A line that is not a JSON object with a \"text\" string, or whose text cannot be processed,\n"
    "gets {\"error\": \"line N: ...\"} in its place, and the exit status is then 1.\n"
    "\n"
    "The schema is a JSON object (inline when it starts with '{', else a file path):\n"
    "  {\"entities\": [\"person\", ...] | {\"person\": \"description\" | {...}},\n"
    "   \"structures\": {\"name\": {\"fields\": [\"field::str::description\", {...}]}},\n"
    "   \"classifications\": [{\"task\": \"sentiment\", \"labels\": [\"positive\", ...],\n"
    "                        \"multi_label\": false, \"cls_threshold\": 0.5}],\n"
    "   \"relations\": [\"works_for\", ...]}\n"
    "\n"
    "options:\n"
    "  --model DIR               GLiNER2 checkpoint folder (config.json, model.safetensors, ...)\n"
    "  --schema JSON|PATH        the request schema\n"
    "  --threshold X             span threshold, default 0.5\n"
    "  --include-confidence      add probabilities to the results\n"
    "  --include-spans           add start/end offsets (code points) to span results\n"
    "  --batch-size N            texts (or --long windows) per encoder call, default 8\n"
    "  --max-len N               keep only the first N words of each text\n"
    "  --long                    windowed extraction for long texts (offsets into the text as\n"
    "                            given); --chunk-size N (default 384) and --chunk-overlap N\n"
    "                            (default 64) set the windows, in words\n"
    "  --relative-distances C    huggingface (default) or microsoft: DeBERTa's bucketing of\n"
    "                            distances >= 512 tokens\n"
    "  --threads N               threads for the encoder and heads (default: all cores)\n"
    "  --help                    show this help\n";

struct Options {
    std::string model;
    std::string schema;
    ExtractOptions extract;
    bool long_text = false;
    LongTextOptions long_options;
    ModelOptions model_options;
    int threads = 0;
};

size_t parse_count(const std::string& name, const std::string& value, size_t minimum) {
    size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || value.empty() || value[0] == '-' || n < minimum) {
        throw UsageError(name + " needs an integer >= " + std::to_string(minimum) + ", not '" +
                         value + "'");
    }
    return static_cast<size_t>(n);
}

double parse_threshold(const std::string& value) {
    size_t used = 0;
    double x = -1.0;
    try {
        x = std::stod(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || !(x >= 0.0 && x <= 1.0)) {
        throw UsageError("--threshold needs a number in [0, 1], not '" + value + "'");
    }
    return x;
}

// Accepts "--name value" and "--name=value".
Options parse_options(const Args& args, bool* help) {
    Options o;
    *help = false;
    std::optional<size_t> chunk_size, chunk_overlap;
    ArgumentReader a(args);
    while (a.next()) {
        const std::string& name = a.name();
        if (name == "--help" || name == "-h") {
            a.no_value();
            *help = true;
        } else if (name == "--model") {
            o.model = a.value();
        } else if (name == "--schema") {
            o.schema = a.value();
        } else if (name == "--threshold") {
            o.extract.threshold = parse_threshold(a.value());
        } else if (name == "--include-confidence") {
            a.no_value();
            o.extract.include_confidence = true;
        } else if (name == "--include-spans") {
            a.no_value();
            o.extract.include_spans = true;
        } else if (name == "--batch-size") {
            o.extract.batch_size = parse_count(name, a.value(), 1);
        } else if (name == "--max-len") {
            o.extract.max_len = parse_count(name, a.value(), 1);
        } else if (name == "--long") {
            a.no_value();
            o.long_text = true;
        } else if (name == "--chunk-size") {
            chunk_size = parse_count(name, a.value(), 1);
        } else if (name == "--chunk-overlap") {
            chunk_overlap = parse_count(name, a.value(), 0);
        } else if (name == "--relative-distances") {
            const std::string c = a.value();
            if (c == "huggingface") {
                o.model_options.relative_distances = core::RelativeDistanceConvention::kHuggingFace;
            } else if (c == "microsoft") {
                o.model_options.relative_distances = core::RelativeDistanceConvention::kMicrosoft;
            } else {
                throw UsageError("--relative-distances must be huggingface or microsoft, not '" +
                                 c + "'");
            }
        } else if (name == "--threads") {
            o.threads = static_cast<int>(parse_count(name, a.value(), 1));
        } else {
            a.unknown();
        }
    }
    if (*help) return o;
    if (o.model.empty()) throw UsageError("--model DIR is required");
    if (o.schema.empty()) throw UsageError("--schema JSON|PATH is required");
    if (!o.long_text && (chunk_size || chunk_overlap)) {
        throw UsageError("--chunk-size and --chunk-overlap need --long");
    }
    if (o.long_text && o.extract.max_len) {
        throw UsageError("--max-len does not apply with --long (windows use --chunk-size)");
    }
    o.long_options.threshold = o.extract.threshold;
    o.long_options.include_confidence = o.extract.include_confidence;
    o.long_options.include_spans = o.extract.include_spans;
    o.long_options.batch_size = o.extract.batch_size;
    if (chunk_size) o.long_options.chunk_size = *chunk_size;
    if (chunk_overlap) o.long_options.chunk_overlap = *chunk_overlap;
    if (o.long_options.chunk_overlap >= o.long_options.chunk_size) {
        throw UsageError("--chunk-overlap must be smaller than --chunk-size");
    }
    return o;
}

schemas::Schema load_schema(const std::string& arg) {
    std::string where;
    const std::string text = json_argument_text(arg, "--schema", &where);
    schemas::Json j;
    try {
        j = schemas::Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(where + ": invalid JSON: " + without_exception_id(e.what()));
    }
    try {
        return schemas::schema_from_dict(j);
    } catch (const schemas::RequestError& e) {
        throw std::runtime_error(where + ": " + e.what());
    }
}

// One input line: the text to run, or the error record already decided.
struct Record {
    size_t line = 0;
    std::optional<std::string> text;
    std::string output;  // the JSON line, once known
};

std::string result_record(const schemas::Json& result) {
    return result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class Extractor {
  public:
    Extractor(const Model& model, const schemas::Schema& schema, const Options& options)
        : model_(model), schema_(schema), options_(options) {}

    // Fills `output` of every record of `group`; returns false when any became an error record.
    bool run(std::vector<Record>& group) const {
        // Records without a text are error records already.
        bool ok = std::all_of(group.begin(), group.end(), [](const Record& r) { return !!r.text; });
        std::vector<std::string> texts;
        std::vector<Record*> pending;
        for (auto& r : group) {
            if (!r.text) continue;
            texts.push_back(std::move(*r.text));
            pending.push_back(&r);
        }
        if (texts.empty()) return ok;
        try {
            const auto results = run_texts(texts);
            for (size_t i = 0; i < results.size(); ++i) {
                pending[i]->output = result_record(results[i]);
            }
            return ok;
        } catch (const std::exception&) {
            // One bad text fails the whole call: run them one by one to find it, so the other
            // lines still get their results.
        }
        for (size_t i = 0; i < texts.size(); ++i) {
            try {
                pending[i]->output = result_record(run_text(texts[i]));
            } catch (const std::exception& e) {
                pending[i]->output = error_record(pending[i]->line, e.what());
                ok = false;
            }
        }
        return ok;
    }

  private:
    schemas::Json run_text(const std::string& text) const {
        if (options_.long_text) return model_.extract_long(text, schema_, options_.long_options);
        return model_.extract(text, schema_, options_.extract);
    }

    std::vector<schemas::Json> run_texts(const std::vector<std::string>& texts) const {
        if (options_.long_text) {
            return model_.extract_batch_long(texts, schema_, options_.long_options);
        }
        return model_.extract_batch(texts, schema_, options_.extract);
    }

    const Model& model_;
    const schemas::Schema& schema_;
    const Options& options_;
};

// Parses one line into a record: a text to run, or an error.
Record parse_line(std::string_view line, size_t line_number) {
    Record r;
    r.line = line_number;
    TextRecord record = read_text_record(line);
    if (record.text) {
        r.text = std::move(record.text);
    } else {
        r.output = error_record(line_number, record.error);
    }
    return r;
}

}  // namespace

int run_extract(const Args& args) {
    Options options;
    bool help = false;
    try {
        options = parse_options(args, &help);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "spanguard extract: %s\n\n%s", e.what(), kUsage);
        return 2;
    }
    if (help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (options.threads > 0) core::set_num_threads(options.threads);
    const schemas::Schema schema = load_schema(options.schema);
    const Model model = Model::load(options.model, options.model_options);
    const Extractor extractor(model, schema, options);

    bool all_ok = true;
    bool write_ok = true;
    std::vector<Record> group;
    size_t texts_in_group = 0;
    const auto flush = [&] {
        all_ok = extractor.run(group) && all_ok;
        for (const auto& r : group) {
            write_ok = write_ok &&
                       std::fwrite(r.output.data(), 1, r.output.size(), stdout) == r.output.size();
            write_ok = write_ok && std::fputc('\n', stdout) != EOF;
        }
        group.clear();
        texts_in_group = 0;
    };
    // Lines are read one by one and run batch_size texts at a time; error lines wait in the group
    // so that every output line stays at its input line's place.
    std::string line;
    size_t line_number = 0;
    int c = 0;
    bool at_eof = false;
    while (!at_eof) {
        line.clear();
        while ((c = std::fgetc(stdin)) != EOF && c != '\n')
            line.push_back(static_cast<char>(c));
        at_eof = c == EOF;
        if (at_eof && line.empty()) break;  // no partial last line
        ++line_number;
        group.push_back(parse_line(line, line_number));
        if (group.back().text) ++texts_in_group;
        if (texts_in_group >= options.extract.batch_size) flush();
    }
    if (std::ferror(stdin)) {
        std::fprintf(stderr, "spanguard extract: error reading stdin after line %zu\n",
                     line_number);
        flush();
        return 1;
    }
    flush();
    if (std::fflush(stdout) != 0 || !write_ok) {
        std::fprintf(stderr, "spanguard extract: error writing stdout\n");
        return 1;
    }
    return all_ok ? 0 : 1;
}

}  // namespace spanguard::cli
