#include "schemas/schema/json_values.h"

#include <cmath>
#include <sstream>

#include "schemas/prompt/python_whitespace.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {

std::string describe_type(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::string:
            return "a string";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return "a number";
        default:
            return "an unsupported value";
    }
}

std::string read_string(const Json& value, const std::string& path, std::string_view what) {
    if (!value.is_string()) {
        throw RequestError(path,
                           std::string(what) + " must be a string, got " + describe_type(value));
    }
    std::string text = value.get<std::string>();
    // nlohmann's parser rejects invalid UTF-8, but a request built in code may still carry it.
    if (auto bad = tokenizer::utf8::find_invalid(text)) {
        throw RequestError(path, std::string(what) + " is not valid UTF-8 (byte offset " +
                                     std::to_string(*bad) + ")");
    }
    return text;
}

std::string read_name(const Json& value, const std::string& path, std::string_view what) {
    std::string name = read_string(value, path, what);
    if (python_strip(name).empty()) {
        throw RequestError(path, std::string(what) + " must not be empty");
    }
    return name;
}

bool read_bool(const Json& value, const std::string& path, std::string_view what) {
    if (!value.is_boolean()) {
        throw RequestError(
            path, std::string(what) + " must be true or false, got " + describe_type(value));
    }
    return value.get<bool>();
}

double read_threshold(const Json& value, const std::string& path, std::string_view what) {
    if (!value.is_number()) {
        throw RequestError(path,
                           std::string(what) + " must be a number, got " + describe_type(value));
    }
    const double t = value.get<double>();
    if (!(t >= 0.0 && t <= 1.0)) {  // also rejects NaN
        std::ostringstream message;
        message << what << " must be within [0, 1], got " << value.dump();
        throw RequestError(path, message.str());
    }
    return t;
}

void reject_unknown_keys(const Json& object, const std::string& path,
                         std::initializer_list<std::string_view> allowed) {
    for (const auto& item : object.items()) {
        bool known = false;
        for (auto key : allowed)
            known = known || item.key() == key;
        if (known) continue;
        std::string expected;
        for (auto key : allowed) {
            if (!expected.empty()) expected += ", ";
            expected += key;
        }
        throw RequestError(key_path(path, item.key()),
                           "unknown key (expected one of: " + expected + ")");
    }
}

}  // namespace spanguard::schemas
