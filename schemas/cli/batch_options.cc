#include "schemas/cli/batch_options.h"

#include <string>
#include <vector>

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

// What every batch command's --help ends with.
constexpr const char* kOutputNotes =
    R"(Output: exactly one line per input line, in input order. A line that is not JSON,
is not valid UTF-8, lacks the text field (or holds no string there), or whose text
the model rejects gets an error record in its place:
  {"line": N, "id": ID, "error": "..."}
("id" when it could be read; bare lines: {"error": "line N: ..."}). Lines are
numbered from 1; CRLF line ends are accepted. At the end a summary goes to stderr
(records, ok, errors; --quiet drops it) and the exit status is 1 when any record
failed (2: usage error). While stderr is a terminal, progress (records/s, and an ETA
when the input is a file) is shown there.
)";

}  // namespace

OutputShape parse_output_shape(const std::string& value) {
    if (value == "bare") return OutputShape::kBare;
    if (value == "keyed") return OutputShape::kKeyed;
    if (value == "merge") return OutputShape::kMerge;
    throw UsageError("--format must be bare, keyed or merge, not '" + value + "'");
}

void add_batch_options(OptionTable& t, BatchOptions& o, OutputShape default_shape, bool* help,
                       const std::vector<ExtraFormat>& extra_formats) {
    auto file_or_stdio = [](std::string& target) {
        return [&target](const std::string& v) { target = v == "-" ? "" : v; };
    };
    std::string format_help = std::string("what each output line holds (default: ") +
                              shape_name(default_shape) +
                              "):\n"
                              "  bare   the result alone\n"
                              "  keyed  {\"line\": N, \"result\": ...} or {\"id\": ID, ...}\n"
                              "  merge  the input record with the result added under\n"
                              "         --output-field (an existing key is replaced)";
    for (const ExtraFormat& f : extra_formats)
        format_help +=
            "\n  " + f.name + std::string(f.name.size() < 7 ? 7 - f.name.size() : 1, ' ') + f.help;

    t.section("input and output:")
        .option("--input", "FILE", "JSONL input, one JSON object per line (default: stdin, '-')",
                file_or_stdio(o.input), "FILE | --input FILE")
        .positional([&o](const std::string& v) {
            if (!o.input.empty()) {
                throw UsageError("more than one input file ('" + o.input + "' and '" + v + "')");
            }
            o.input = v == "-" ? "" : v;
        })
        .option("--text", "TEXT", "run one string instead; prints its result alone",
                [&o](const std::string& v) { o.text = v; })
        .option("--output", "PATH", "write here instead of stdout", file_or_stdio(o.output))
        .option("--resume", "",
                "continue an interrupted --output file: its complete lines are\n"
                "kept (a partial last line is cut), as many input lines are\n"
                "skipped, and the rest is appended",
                [&o](const std::string&) { o.resume = true; })
        .option("--text-field", "PATH",
                "where the text is in each record (default: text); a dotted\n"
                "path walks objects, digits index arrays: doc.body, turns.0",
                [&o](const std::string& v) { o.text_field = parse_field_path(v, "--text-field"); })
        .option("--id-field", "PATH",
                "where each record's id is (a string or number); output lines\n"
                "then carry \"id\" instead of \"line\"",
                [&o](const std::string& v) { o.id_field = parse_field_path(v, "--id-field"); })
        .option("--format", "SHAPE", format_help,
                [&o, extra_formats](const std::string& v) {
                    for (const ExtraFormat& f : extra_formats) {
                        if (f.name == v) {
                            o.format = OutputShape::kBare;
                            f.apply();
                            return;
                        }
                    }
                    if (extra_formats.empty()) {
                        o.format = parse_output_shape(v);
                        return;
                    }
                    if (v != "bare" && v != "keyed" && v != "merge") {
                        std::string names = "bare, keyed, merge";
                        for (size_t i = 0; i < extra_formats.size(); ++i) {
                            names += (i + 1 == extra_formats.size() ? " or " : ", ") +
                                     extra_formats[i].name;
                        }
                        throw UsageError("--format must be " + names + ", not '" + v + "'");
                    }
                    o.format = parse_output_shape(v);
                })
        .option("--merge", "", "short for --format merge",
                [&o](const std::string&) { o.format = OutputShape::kMerge; })
        .option("--output-field", "NAME",
                "the result's key in keyed and merge lines (default: result)",
                [&o](const std::string& v) {
                    if (v.empty()) throw UsageError("--output-field needs a non-empty name");
                    o.output_field = v;
                })
        .option("--quiet|-q", "", "no summary line on stderr",
                [&o](const std::string&) { o.quiet = true; });

    t.section("model and engine:")
        .option("--model", "DIR|ID",
                "a GLiNER2 checkpoint folder, a Hugging Face Hub id ORG/NAME[@REV]\n"
                "or an alias (spanguard models), downloaded into the shared\n"
                "Hugging Face cache once (default: $SPANGUARD_MODEL, else\n" +
                    built_in_model_dir() + ")",
                [&o](const std::string& v) { o.model = v; })
        .option("--batch-size", "N",
                "records per encoder call (default 8). Lines are read up to 8\n"
                "batches at a time (at most 8 MiB beyond the first batch), so\n"
                "records of similar length share a call; each such round's\n"
                "lines are written and flushed together",
                [&o](const std::string& v) { o.batch_size = parse_count("--batch-size", v, 1); })
        .option("--threads", "N", "threads for the encoder and heads (default: all cores)",
                [&o](const std::string& v) {
                    o.threads = static_cast<int>(parse_count("--threads", v, 1));
                })
        .option("--max-text-bytes", "N",
                "a text longer than N UTF-8 bytes gets an error record\n"
                "\"text too long: ...\" and is not run (default 1048576; 0 = no\n"
                "limit). An input line longer than max(16 MiB, 8 N + 64 KiB)\n"
                "is read through without being kept (\"line too long\"), so a\n"
                "huge line costs time linear in its size and no memory",
                [&o](const std::string& v) {
                    o.max_text_bytes = parse_count("--max-text-bytes", v, 0);
                })
        .option(
            "--relative-distances", "C",
            "huggingface (default) or microsoft: DeBERTa's bucketing of\n"
            "distances >= 512 tokens",
            [&o](const std::string& c) {
                if (c == "huggingface") {
                    o.model_options.relative_distances =
                        core::RelativeDistanceConvention::kHuggingFace;
                } else if (c == "microsoft") {
                    o.model_options.relative_distances =
                        core::RelativeDistanceConvention::kMicrosoft;
                } else {
                    throw UsageError(
                        "--relative-distances must be huggingface or microsoft, not '" + c + "'");
                }
            })
        .option("--int8", "",
                "int8 encoder GEMMs on weights quantized at load: faster,\n"
                "outputs differ slightly from float32 (default: float32)",
                [&o](const std::string&) { o.model_options.precision = core::Precision::kInt8; })
        .option("--help|-h", "", "show this help", [help](const std::string&) { *help = true; })
        .epilogue(kOutputNotes);
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

}  // namespace spanguard::cli
