// Typed reads of values in a JSON request, each failing with a RequestError that names the value's
// path and what was expected ("tasks.sentiment.multi_label: multi_label must be true or false, got
// a string"). Shared by the schema and field-spec parsers.
//
// Requests are nlohmann::ordered_json: key order is part of a schema's meaning (GLINER2.md §2.4),
// and
// the default nlohmann::json would sort keys.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace spanguard::schemas {

using Json = nlohmann::ordered_json;

// "a string", "a number", "an object", ... for messages.
std::string describe_type(const Json& value);

// A string that is valid UTF-8. `what` names the value in the message ("label", "description").
std::string read_string(const Json& value, const std::string& path, std::string_view what);

// A string that is not empty or only whitespace (Python str.strip()).
std::string read_name(const Json& value, const std::string& path, std::string_view what);

bool read_bool(const Json& value, const std::string& path, std::string_view what);

// A number in [0, 1].
double read_threshold(const Json& value, const std::string& path, std::string_view what);

// Throws for the first key of `object` that is not in `allowed`.
void reject_unknown_keys(const Json& object, const std::string& path,
                         std::initializer_list<std::string_view> allowed);

}  // namespace spanguard::schemas
