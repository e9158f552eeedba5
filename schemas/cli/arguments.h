// What the `spanguard` subcommands share: option values (counts, probabilities, lists), JSON
// arguments given inline or as a file, and JSONL input records. The options themselves are read
// by each command's option table (option_table.h).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/cli/commands.h"
#include "schemas/schema/json_values.h"

namespace spanguard::cli {

// A command-line mistake: the command prints it with its usage and exits with status 2.
class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "--name N": an integer >= minimum, else UsageError naming the option and the value.
size_t parse_count(const std::string& option, const std::string& value, size_t minimum);
// "--name X": a number in [0, 1], else UsageError.
double parse_probability(const std::string& option, const std::string& value);
// "a,b,c" -> {"a", "b", "c"} (items trimmed of spaces); UsageError for an empty item.
std::vector<std::string> parse_list(const std::string& option, const std::string& value);

// The whole contents of a file; throws "cannot open <what> '<path>'" when unreadable.
std::string read_file(const std::string& path, const std::string& what);

// The text of a JSON argument: the argument itself when it starts with '{' or '[', else the
// contents of the file it names. `where` receives how messages should name it ("--schema" or
// "--schema file 'x.json'").
std::string json_argument_text(const std::string& arg, const std::string& option,
                               std::string* where);

// json_argument_text() parsed (key order kept). Throws "<where>: invalid JSON: ..." naming the
// option or the file.
schemas::Json parse_json_argument(const std::string& arg, const std::string& option,
                                  std::string* where);

// An object {"token": id, ...} (an added_tokens.json), inline or as a file. Throws naming the
// option and the offending token.
std::vector<std::pair<std::string, int32_t>> parse_token_ids(const std::string& arg,
                                                             const std::string& option);

// nlohmann's messages start with "[json.exception.parse_error.101] "; the id helps nobody.
std::string without_exception_id(const char* what);

// One JSONL input record: its "text", or why the line has none (invalid UTF-8, naming the byte;
// invalid JSON; not an object with a "text" string). A trailing '\r' is ignored.
struct TextRecord {
    std::optional<std::string> text;
    std::string error;  // set when `text` is empty
};
TextRecord read_text_record(std::string_view line);

// {"error": "line N: message"} as one JSON line (without the newline).
std::string error_record(size_t line_number, const std::string& message);

}  // namespace spanguard::cli
