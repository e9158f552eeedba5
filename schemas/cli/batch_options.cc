#include "schemas/cli/batch_options.h"

#include "schemas/cli/model_location.h"

namespace spanguard::cli {

namespace {

const char* shape_name(OutputShape shape) {
    switch (shape) {
        case OutputShape::kBare:
            return "bare";
        case OutputShape::kKeyed:
            return "keyed";
        case OutputShape::kMerge:
            return "merge";
    }
    return "keyed";
}

}  // namespace

OutputShape parse_output_shape(const std::string& value) {
    if (value == "bare") return OutputShape::kBare;
    if (value == "keyed") return OutputShape::kKeyed;
    if (value == "merge") return OutputShape::kMerge;
    throw UsageError("--format must be bare, keyed or merge, not '" + value + "'");
}

bool take_batch_option(ArgumentReader& a, BatchOptions& o) {
    const std::string& name = a.name();
    if (name == "--model") {
        o.model = a.value();
    } else if (name == "--relative-distances") {
        const std::string c = a.value();
        if (c == "huggingface") {
            o.model_options.relative_distances = core::RelativeDistanceConvention::kHuggingFace;
        } else if (c == "microsoft") {
            o.model_options.relative_distances = core::RelativeDistanceConvention::kMicrosoft;
        } else {
            throw UsageError("--relative-distances must be huggingface or microsoft, not '" + c +
                             "'");
        }
    } else if (name == "--int8") {
        a.no_value();
        o.model_options.precision = core::Precision::kInt8;
    } else if (name == "--input") {
        o.input = a.value();
        if (o.input == "-") o.input.clear();
    } else if (name == "--output") {
        o.output = a.value();
        if (o.output == "-") o.output.clear();
    } else if (name == "--resume") {
        a.no_value();
        o.resume = true;
    } else if (name == "--text") {
        o.text = a.value();
    } else if (name == "--text-field") {
        o.text_field = parse_field_path(a.value(), name);
    } else if (name == "--id-field") {
        o.id_field = parse_field_path(a.value(), name);
    } else if (name == "--format") {
        o.format = parse_output_shape(a.value());
    } else if (name == "--merge") {
        a.no_value();
        o.format = OutputShape::kMerge;
    } else if (name == "--output-field") {
        o.output_field = a.value();
        if (o.output_field.empty()) throw UsageError("--output-field needs a non-empty name");
    } else if (name == "--batch-size") {
        o.batch_size = parse_count(name, a.value(), 1);
    } else if (name == "--threads") {
        o.threads = static_cast<int>(parse_count(name, a.value(), 1));
    } else if (name == "--max-text-bytes") {
        o.max_text_bytes = parse_count(name, a.value(), 0);
    } else if (name == "--quiet" || name == "-q") {
        a.no_value();
        o.quiet = true;
    } else if (!name.empty() && name[0] != '-') {
        // A bare argument is the input file.
        if (!o.input.empty())
            throw UsageError("more than one input file ('" + o.input + "' and '" + name + "')");
        o.input = name == "-" ? "" : name;
    } else {
        return false;
    }
    return true;
}

void finish_batch_options(BatchOptions& o, OutputShape default_shape) {
    o.shape = o.format.value_or(default_shape);
    if (o.threads > 4096) throw UsageError("--threads is at most 4096");
    if (o.resume && o.output.empty()) throw UsageError("--resume needs --output PATH");
    if (o.text) {
        if (!o.input.empty()) throw UsageError("--text and an input file exclude each other");
        if (!o.output.empty() || o.resume) {
            throw UsageError("--output and --resume are for JSONL input, not --text");
        }
    }
    if (o.shape == OutputShape::kBare && o.id_field) {
        throw UsageError("--id-field needs --format keyed or merge (bare lines carry no id)");
    }
    o.model = resolve_model_dir(o.model);
}

namespace {

// The shared --help sections; {SHAPE} and {MODEL} are filled in by batch_options_help().
constexpr const char* kHelp = R"(input and output:
  FILE | --input FILE       JSONL input, one JSON object per line (default: stdin, '-')
  --text TEXT               run one string instead; prints its result alone
  --output PATH             write here instead of stdout
  --resume                  continue an interrupted --output file: its complete lines are
                            kept (a partial last line is cut), as many input lines are
                            skipped, and the rest is appended
  --text-field PATH         where the text is in each record (default: text); a dotted
                            path walks objects, digits index arrays: doc.body, turns.0
  --id-field PATH           where each record's id is (a string or number); output lines
                            then carry "id" instead of "line"
  --format SHAPE            what each output line holds (default: {SHAPE}):
                              bare   the result alone
                              keyed  {"line": N, "result": ...} or {"id": ID, ...}
                              merge  the input record with the result added under
                                     --output-field (an existing key is replaced)
  --merge                   short for --format merge
  --output-field NAME       the result's key in keyed and merge lines (default: result)
  --quiet                   no summary line on stderr

model and engine:
  --model DIR               GLiNER2 checkpoint folder (default: $SPANGUARD_MODEL, else
                            {MODEL})
  --batch-size N            records per encoder call (default 8). Lines are read up to 8
                            batches at a time (at most 8 MiB beyond the first batch), so
                            records of similar length share a call; each such round's
                            lines are written and flushed together
  --threads N               threads for the encoder and heads (default: all cores)
  --max-text-bytes N        a text longer than N UTF-8 bytes gets an error record
                            "text too long: ..." and is not run (default 1048576; 0 = no
                            limit). An input line longer than max(16 MiB, 8 N + 64 KiB)
                            is read through without being kept ("line too long"), so a
                            huge line costs time linear in its size and no memory
  --relative-distances C    huggingface (default) or microsoft: DeBERTa's bucketing of
                            distances >= 512 tokens
  --int8                    int8 encoder GEMMs on weights quantized at load: faster,
                            outputs differ slightly from float32 (default: float32)
  --help                    show this help

Output: exactly one line per input line, in input order. A line that is not JSON,
is not valid UTF-8, lacks the text field (or holds no string there), or whose text
the model rejects gets an error record in its place:
  {"line": N, "id": ID, "error": "..."}
("id" when it could be read; bare lines: {"error": "line N: ..."}). Lines are
numbered from 1; CRLF line ends are accepted. At the end a summary goes to stderr
(records, ok, errors; --quiet drops it) and the exit status is 1 when any record
failed (2: usage error). While stderr is a terminal, progress (records/s, and an ETA
when the input is a file) is shown there.
)";

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

std::string batch_options_help(OutputShape default_shape) {
    std::string help = kHelp;
    replace_all(help, "{SHAPE}", shape_name(default_shape));
    replace_all(help, "{MODEL}", built_in_model_dir());
    return help;
}

}  // namespace spanguard::cli
