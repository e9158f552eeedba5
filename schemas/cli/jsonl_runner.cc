#include "schemas/cli/jsonl_runner.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "schemas/cli/line_reader.h"
#include "schemas/cli/output_file.h"
#include "schemas/cli/progress.h"
#include "schemas/cli/record_fields.h"
#include "schemas/schema/request_limits.h"

namespace spanguard::cli {

namespace {

// Lines are kept up to this many bytes: room for a text at --max-text-bytes even when every byte
// is written as a 6-byte \u escape, plus the record's other fields.
size_t line_limit(size_t max_text_bytes) {
    if (max_text_bytes == 0) return 0;
    constexpr size_t kOtherFields = size_t{1} << 16;
    if (max_text_bytes > (std::numeric_limits<size_t>::max() - kOtherFields) / 8) return 0;
    return std::max(size_t{16} << 20, 8 * max_text_bytes + kOtherFields);
}

constexpr size_t kBatchesPerRound = 8;
constexpr size_t kRoundBytes = size_t{8} << 20;

std::string dump(const schemas::Json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// One input line of the batch being assembled.
struct Slot {
    size_t line = 0;
    std::optional<schemas::Json> id;
    std::optional<schemas::Json> record;  // kept for --format merge
    bool added = false;                   // handed to the command
    std::string error;
};

class Writer {
  public:
    Writer(const BatchOptions& options, OutputFile& out) : options_(options), out_(out) {}

    void write(Slot& slot, const RecordOutcome& outcome) {
        if (!outcome.result) {
            write_error(slot, outcome.error);
            return;
        }
        switch (options_.shape) {
            case OutputShape::kBare:
                out_.write_line(dump(*outcome.result));
                break;
            case OutputShape::kKeyed: {
                schemas::Json line = schemas::Json::object();
                if (slot.id) {
                    line["id"] = *slot.id;
                } else {
                    line["line"] = slot.line;
                }
                line[options_.output_field] = *outcome.result;
                out_.write_line(dump(line));
                break;
            }
            case OutputShape::kMerge: {
                schemas::Json& record = *slot.record;
                record[options_.output_field] = *outcome.result;
                out_.write_line(dump(record));
                break;
            }
        }
    }

    void write_error(const Slot& slot, const std::string& message) {
        schemas::Json line = schemas::Json::object();
        if (options_.shape == OutputShape::kBare) {
            line["error"] = "line " + std::to_string(slot.line) + ": " + message;
        } else {
            line["line"] = slot.line;
            if (slot.id) line["id"] = *slot.id;
            line["error"] = message;
        }
        out_.write_line(dump(line));
    }

  private:
    const BatchOptions& options_;
    OutputFile& out_;
};

class InputFile {
  public:
    explicit InputFile(const std::string& path) {
        if (path.empty()) {
            file_ = stdin;
            name_ = "stdin";
        } else {
            file_ = std::fopen(path.c_str(), "rb");
            if (file_ == nullptr) {
                throw std::runtime_error("cannot open input '" + path +
                                         "': " + std::strerror(errno));
            }
            owned_ = true;
            name_ = "input '" + path + "'";
        }
        struct stat st {};
        if (::fstat(::fileno(file_), &st) == 0 && S_ISREG(st.st_mode)) {
            size_ = static_cast<uint64_t>(st.st_size);
        }
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile() {
        if (owned_) std::fclose(file_);
    }

    std::FILE* file() const { return file_; }
    const std::string& name() const { return name_; }
    std::optional<uint64_t> size() const { return size_; }

  private:
    std::FILE* file_ = nullptr;
    bool owned_ = false;
    std::string name_;
    std::optional<uint64_t> size_;
};

// Reads the record of one line into `slot` and offers it to the command.
void take_line(const BatchOptions& options, const std::string& line, size_t length, size_t limit,
               Slot& slot, BatchCommand& command) {
    if (limit > 0 && length > limit) {
        slot.error = "line too long: " + schemas::with_thousands(length) +
                     " bytes, over the limit of " + schemas::with_thousands(limit) +
                     " bytes that --max-text-bytes " +
                     schemas::with_thousands(options.max_text_bytes) + " implies";
        return;
    }
    try {
        schemas::Json record = parse_record(line);
        if (options.id_field) slot.id = read_id_field(record, *options.id_field);
        if (options.shape == OutputShape::kMerge && !record.is_object()) {
            throw InputError("--format merge needs each line to be a JSON object, got " +
                             schemas::describe_type(record));
        }
        command.add(record);
        slot.added = true;
        if (options.shape == OutputShape::kMerge) slot.record = std::move(record);
    } catch (const InputError& e) {
        slot.error = e.what();
    }
}

}  // namespace

int run_jsonl(const std::string& command_name, const BatchOptions& options, BatchCommand& command) {
    InputFile input(options.input);
    size_t already_done = 0;
    OutputFile out = options.resume ? OutputFile::open_for_resume(options.output, &already_done)
                                    : OutputFile::open(options.output);
    const size_t limit = line_limit(options.max_text_bytes);
    LineReader reader(input.file(), limit);

    std::string line;
    size_t length = 0;
    size_t line_number = 0;
    // --resume: the output's complete lines answer the first input lines (one line each).
    while (line_number < already_done && reader.next(&line, &length))
        ++line_number;
    if (line_number < already_done) {
        if (reader.failed()) {
            throw std::runtime_error("error reading " + input.name() + " after line " +
                                     std::to_string(line_number));
        }
        throw std::runtime_error("--resume: " + out.name() + " already has " +
                                 std::to_string(already_done) + " lines but " + input.name() +
                                 " has only " + std::to_string(line_number) +
                                 " (is it the same input?)");
    }

    const bool show_progress = !options.quiet && ::isatty(STDERR_FILENO) != 0;
    Progress progress(show_progress, "spanguard " + command_name, input.size(),
                      reader.bytes_read());
    Writer writer(options, out);
    size_t records = 0;
    size_t errors = 0;
    // One round: up to kBatchesPerRound batches of lines, which the engine regroups by length
    // into encoder calls of --batch-size (schemas::plan_batches): in file order, each call of a
    // mixed-length file pads every record to the longest of its neighbours. Beyond the first batch
    // a round also stops at kRoundBytes of lines, so memory stays near one batch's worth.
    const size_t round_lines = options.batch_size * kBatchesPerRound;
    std::vector<Slot> batch;
    bool more = true;
    while (more) {
        batch.clear();
        size_t round_bytes = 0;
        while (batch.size() < round_lines &&
               (batch.size() < options.batch_size || round_bytes < kRoundBytes) &&
               (more = reader.next(&line, &length))) {
            Slot& slot = batch.emplace_back();
            slot.line = ++line_number;
            round_bytes += length;
            take_line(options, line, length, limit, slot, command);
        }
        if (batch.empty()) break;
        const std::vector<RecordOutcome> outcomes = command.run();
        size_t next_outcome = 0;
        for (Slot& slot : batch) {
            if (slot.added) {
                const RecordOutcome& outcome = outcomes.at(next_outcome++);
                if (!outcome.result) ++errors;
                writer.write(slot, outcome);
            } else {
                ++errors;
                writer.write_error(slot, slot.error);
            }
        }
        records += batch.size();
        // Each round reaches the file whole before the next one starts (see output_file.h).
        out.flush();
        progress.update(records, reader.bytes_read());
    }
    progress.finish();
    const bool read_failed = reader.failed();
    if (read_failed) {
        std::fprintf(stderr, "spanguard %s: error reading %s after line %zu\n",
                     command_name.c_str(), input.name().c_str(), line_number);
    }
    if (!options.quiet) {
        std::fprintf(stderr, "spanguard %s: %zu records, %zu ok, %zu errors", command_name.c_str(),
                     records, records - errors, errors);
        if (options.resume) {
            std::fprintf(stderr, " (resumed after %zu lines already in %s)", already_done,
                         out.name().c_str());
        }
        std::fputc('\n', stderr);
    }
    return errors > 0 || read_failed ? 1 : 0;
}

int run_single(const std::string& command_name, const schemas::Json& record,
               BatchCommand& command) {
    std::string error;
    try {
        command.add(record);
        std::vector<RecordOutcome> outcomes = command.run();
        if (outcomes.at(0).result) {
            const std::string text = dump(*outcomes[0].result);
            std::fwrite(text.data(), 1, text.size(), stdout);
            std::fputc('\n', stdout);
            if (std::fflush(stdout) != 0) {
                std::fprintf(stderr, "spanguard %s: error writing stdout\n", command_name.c_str());
                return 1;
            }
            return 0;
        }
        error = outcomes[0].error;
    } catch (const InputError& e) {
        error = e.what();
    }
    std::fprintf(stderr, "spanguard %s: error: %s\n", command_name.c_str(), error.c_str());
    return 1;
}

}  // namespace spanguard::cli
