#include "core/weights/config_json.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <utility>

#include "core/util/error.h"

namespace spanguard::core {
namespace {

using Json = nlohmann::json;

std::string describe(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::string:
            return "the string " + value.dump();
        case Json::value_t::boolean:
            return value.get<bool>() ? "true" : "false";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return value.dump();
        default:
            return "an unsupported JSON value";
    }
}

}  // namespace

Json parse_json_object(const std::string& text, const std::string& path) {
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& e) {
        throw Error(path + ": not valid JSON (at byte " + std::to_string(e.byte) +
                    "): " + e.what());
    } catch (const Json::out_of_range& e) {
        // A number beyond double's range (e.g. 1e400) is out_of_range, not parse_error.
        throw Error(path + ": not valid JSON: " + e.what());
    }
    if (!root.is_object()) {
        throw Error(path + ": the top level is " + describe(root) + ", must be a JSON object");
    }
    return root;
}

Json read_json_object_file(const std::string& path, size_t max_bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    std::string text;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<size_t>(in.gcount()));
        if (text.size() > max_bytes) {
            throw Error(path + ": larger than " + std::to_string(max_bytes) +
                        " bytes; not a configuration file");
        }
    }
    if (in.bad()) throw Error(path + ": read error");
    return parse_json_object(text, path);
}

ConfigReader::ConfigReader(const Json& object, const std::string& path, std::string context)
    : object_(object), path_(path), context_(std::move(context)) {}

const Json* ConfigReader::find(std::string_view key) const {
    const auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
}

bool ConfigReader::has(std::string_view key) const {
    return find(key) != nullptr;
}

bool ConfigReader::has_value(std::string_view key) const {
    const Json* value = find(key);
    return value != nullptr && !value->is_null();
}

void ConfigReader::fail(std::string_view key, const std::string& problem) const {
    throw Error(path_ + ": key '" + context_ + std::string(key) + "': " + problem);
}

int ConfigReader::get_int(std::string_view key, int fallback, int min, int max) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_number_integer()) fail(key, "is " + describe(*value) + ", must be an integer");
    // Unsigned values beyond int64 saturate; any of them is out of range anyway.
    const int64_t number =
        value->is_number_unsigned() && value->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
            ? INT64_MAX
            : value->get<int64_t>();
    if (number < min || number > max) {
        fail(key, "is " + value->dump() + ", must be in [" + std::to_string(min) + ", " +
                      std::to_string(max) + "]");
    }
    return static_cast<int>(number);
}

int ConfigReader::require_int(std::string_view key, int min, int max) const {
    if (!has_value(key)) fail(key, "is missing (required)");
    return get_int(key, 0, min, max);
}

double ConfigReader::get_number(std::string_view key, double fallback) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_number()) fail(key, "is " + describe(*value) + ", must be a number");
    const double number = value->get<double>();
    if (!std::isfinite(number)) fail(key, "is not finite");
    return number;
}

bool ConfigReader::get_bool(std::string_view key, bool fallback) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_boolean()) fail(key, "is " + describe(*value) + ", must be true or false");
    return value->get<bool>();
}

std::string ConfigReader::get_string(std::string_view key, const std::string& fallback) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return fallback;
    if (!value->is_string()) fail(key, "is " + describe(*value) + ", must be a string");
    return value->get<std::string>();
}

const Json* ConfigReader::get_object(std::string_view key) const {
    const Json* value = find(key);
    if (value == nullptr || value->is_null()) return nullptr;
    if (!value->is_object()) fail(key, "is " + describe(*value) + ", must be an object");
    return value;
}

}  // namespace spanguard::core
