#include "schemas/cli/arguments.h"

#include <climits>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "schemas/schema/request_limits.h"
#include "tokenizer/utf8.h"

namespace spanguard::cli {

size_t parse_count(const std::string& option, const std::string& value, size_t minimum) {
    size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || value.empty() || value[0] == '-' || n < minimum) {
        throw UsageError(option + " needs an integer >= " + std::to_string(minimum) + ", not '" +
                         value + "'");
    }
    return static_cast<size_t>(n);
}

double parse_probability(const std::string& option, const std::string& value) {
    size_t used = 0;
    double x = -1.0;
    try {
        x = std::stod(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || !(x >= 0.0 && x <= 1.0)) {
        throw UsageError(option + " needs a number in [0, 1], not '" + value + "'");
    }
    return x;
}

std::vector<std::string> parse_list(const std::string& option, const std::string& value) {
    std::vector<std::string> items;
    size_t begin = 0;
    while (true) {
        const size_t comma = value.find(',', begin);
        std::string item =
            value.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
        const size_t first = item.find_first_not_of(' ');
        const size_t last = item.find_last_not_of(' ');
        item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
        if (item.empty()) {
            throw UsageError(option + " needs a comma-separated list of names, not '" + value +
                             "'");
        }
        items.push_back(std::move(item));
        if (comma == std::string::npos) break;
        begin = comma + 1;
    }
    return items;
}

std::string read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + what + " '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + what + " '" + path + "'");
    return buffer.str();
}

std::string json_argument_text(const std::string& arg, const std::string& option,
                               std::string* where) {
    const size_t first = arg.find_first_not_of(" \t\r\n");
    const bool is_inline = first != std::string::npos && (arg[first] == '{' || arg[first] == '[');
    if (is_inline) {
        *where = option;
        return arg;
    }
    *where = option + " file '" + arg + "'";
    return read_file(arg, option + " file");
}

schemas::Json parse_json_argument(const std::string& arg, const std::string& option,
                                  std::string* where) {
    const std::string text = json_argument_text(arg, option, where);
    // Requests nest a few levels; refusing absurd depth up front keeps every consumer's recursion
    // bounded (schemas/schema/request_limits.h).
    schemas::check_json_depth(text, schemas::RequestLimits{}, *where);
    try {
        return schemas::Json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(*where + ": invalid JSON: " + without_exception_id(e.what()));
    }
}

std::vector<std::pair<std::string, int32_t>> parse_token_ids(const std::string& arg,
                                                             const std::string& option) {
    std::string where;
    const std::string text = json_argument_text(arg, option, &where);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {  // also out_of_range: a number like 1e400
        throw std::runtime_error(where + ": invalid JSON: " + without_exception_id(e.what()));
    }
    if (!j.is_object()) {
        throw std::runtime_error(where + ": expected a JSON object {\"token\": id, ...}");
    }
    std::vector<std::pair<std::string, int32_t>> tokens;
    for (const auto& [token, id] : j.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
            throw std::runtime_error(where + ": the id of '" + token +
                                     "' must be an integer in [0, 2^31), not " + id.dump());
        }
        tokens.emplace_back(token, static_cast<int32_t>(id.get<int64_t>()));
    }
    return tokens;
}

std::string without_exception_id(const char* what) {
    std::string_view s = what;
    if (!s.empty() && s[0] == '[') {
        if (const size_t close = s.find("] "); close != std::string_view::npos)
            s.remove_prefix(close + 2);
    }
    return std::string(s);
}

TextRecord read_text_record(std::string_view line) {
    TextRecord record;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Checked before parsing so the error names the byte, not a JSON column.
    if (const auto bad = tokenizer::utf8::find_invalid(line)) {
        record.error = "invalid UTF-8 at byte offset " + std::to_string(*bad) + " of the line";
        return record;
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
        record.error = "invalid JSON: " + without_exception_id(e.what());
        return record;
    }
    const auto it = j.is_object() ? j.find("text") : j.end();
    if (!j.is_object() || it == j.end() || !it->is_string()) {
        record.error = "expected a JSON object with a \"text\" string";
        return record;
    }
    record.text = it->get<std::string>();
    return record;
}

std::string error_record(size_t line_number, const std::string& message) {
    const nlohmann::json record = {
        {"error", "line " + std::to_string(line_number) + ": " + message}};
    return record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace spanguard::cli
