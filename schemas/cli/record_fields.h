// Reading a command's inputs out of one JSONL record: the line parsed as JSON (after a UTF-8 check
// that names the byte), values found by a dotted field path ("meta.body", "turns.0.text"), and the
// messages that become the line's error record when something is missing or of the wrong type.
//
// Units: byte offsets and sizes are UTF-8 bytes of the line or text. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/schema/json_values.h"

namespace spanguard::cli {

// A record lacks what the command needs, or holds it in the wrong shape: the record becomes an
// error record with this message, the other records still run.
class InputError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A dotted path into a record. Each component is an object key; on an array a component made only
// of digits is an index instead. Keys that contain '.' cannot be named.
struct FieldPath {
    std::string text;               // as given, for messages ("meta.body")
    std::vector<std::string> keys;  // {"meta", "body"}
};
// Throws UsageError (naming `option`) for an empty path or an empty component ("a..b", ".a").
FieldPath parse_field_path(const std::string& text, const std::string& option);

// The value at `path`, or nullptr when some component is absent (or indexes a non-container).
const schemas::Json* find_field(const schemas::Json& record, const FieldPath& path);

// A line parsed as a record. Throws InputError: "invalid UTF-8 at byte offset N of the line",
// "invalid JSON: ...". A trailing '\r' (CRLF input) is ignored.
schemas::Json parse_record(std::string_view line);

// The string at `path`. Throws InputError when the record is not an object, the field is missing
// or not a string, or when max_bytes > 0 and the string is longer than max_bytes UTF-8 bytes
// (the message names the size and the --max-text-bytes limit).
std::string read_text_field(const schemas::Json& record, const FieldPath& path, size_t max_bytes);
// As read_text_field, but an absent field (or a record that is not an object) gives nullopt.
std::optional<std::string> read_optional_text_field(const schemas::Json& record,
                                                    const FieldPath& path, size_t max_bytes);

// The id at `path`: a string or a number, returned as is. Throws InputError when missing or of
// another type.
schemas::Json read_id_field(const schemas::Json& record, const FieldPath& path);

// An object holding `value` at `path` (nested objects for dotted paths): the record that --text
// stands for.
schemas::Json record_with_field(const FieldPath& path, schemas::Json value);

}  // namespace spanguard::cli
