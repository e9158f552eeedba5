// The JSONL batch loop shared by the model-running commands: read lines -> parse records -> hand
// each round of lines to the command -> write one output line per input line, in input order,
// flushing each round. A round is up to 8 batches (--batch-size lines each) so that the engine can
// group records of similar length into one encoder call; beyond its first batch it stops at 8 MiB
// of lines. Memory is bounded by that, whatever the input's size.
//
// A command implements BatchCommand: add() takes one record's inputs (or throws InputError, and
// that record becomes an error record), run() runs everything added since the last run() and
// returns one outcome per add(), in order. Lines that fail before add() (bad JSON, bad UTF-8,
// over the size limit, unreadable id) never reach the command.
//
// Not thread-safe: one runner drives one command; the engine parallelises inside run().
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schemas/cli/batch_options.h"
#include "schemas/schema/json_values.h"

namespace spanguard::cli {

// One record's result, or the message of its error record.
struct RecordOutcome {
    std::optional<schemas::Json> result;
    std::string error;
};

class BatchCommand {
  public:
    virtual ~BatchCommand() = default;
    // Takes the record's inputs; throws InputError (and keeps nothing) when they cannot be read.
    virtual void add(const schemas::Json& record) = 0;
    // Runs every input added since the last call; one outcome per add(), in order.
    virtual std::vector<RecordOutcome> run() = 0;
};

// Runs `inputs` as one batch call; when that throws (one bad input fails the whole call), runs
// them one at a time so the others still get results and the bad one gets its own message.
template <class Input, class BatchCall, class OneCall>
std::vector<RecordOutcome> run_with_fallback(const std::vector<Input>& inputs, BatchCall batch,
                                             OneCall one) {
    std::vector<RecordOutcome> outcomes(inputs.size());
    if (inputs.empty()) return outcomes;
    try {
        auto results = batch(inputs);
        for (size_t i = 0; i < outcomes.size(); ++i)
            outcomes[i].result = std::move(results[i]);
        return outcomes;
    } catch (const std::exception&) {
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
        try {
            outcomes[i].result = one(inputs[i]);
        } catch (const std::exception& e) {
            outcomes[i].error = e.what();
        }
    }
    return outcomes;
}

// The JSONL mode. Returns the exit status: 0 when every record succeeded, 1 when any became an
// error record (or on an I/O problem, reported on stderr). Throws for input/output files that
// cannot be opened.
int run_jsonl(const std::string& command_name, const BatchOptions& options, BatchCommand& command);

// The --text mode: runs `record` (the record --text stands for) and prints its result alone on
// stdout; an error goes to stderr and gives status 1.
int run_single(const std::string& command_name, const schemas::Json& record, BatchCommand& command);

}  // namespace spanguard::cli
