#include "schemas/schema/field_spec.h"

#include <unordered_set>
#include <vector>

#include "schemas/prompt/python_whitespace.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

// Python str.split(sep): every occurrence, left to right, empty pieces kept.
std::vector<std::string_view> split_all(std::string_view text, std::string_view sep) {
    std::vector<std::string_view> parts;
    size_t begin = 0;
    while (true) {
        const size_t at = text.find(sep, begin);
        if (at == std::string_view::npos) break;
        parts.push_back(text.substr(begin, at - begin));
        begin = at + sep.size();
    }
    parts.push_back(text.substr(begin));
    return parts;
}

void check_choices(const std::vector<std::string>& choices, const std::string& path) {
    if (choices.empty()) throw RequestError(path, "choices must contain at least one option");
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < choices.size(); ++i) {
        if (python_strip(choices[i]).empty()) {
            throw RequestError(index_path(path, i), "choice must not be empty");
        }
        if (!seen.insert(choices[i]).second) {
            throw RequestError(index_path(path, i), "duplicate choice '" + choices[i] + "'");
        }
    }
}

ValueType read_dtype(const Json& value, const std::string& path) {
    const std::string dtype = read_string(value, path, "dtype");
    if (dtype == "list") return ValueType::kList;
    if (dtype == "str") return ValueType::kStr;
    throw RequestError(path, "dtype must be \"list\" or \"str\", got \"" + dtype + "\"");
}

RegexValidator parse_validator(const Json& spec, const std::string& path) {
    if (!spec.is_object()) {
        throw RequestError(path, "validator must be an object, got " + describe_type(spec));
    }
    reject_unknown_keys(spec, path, {"pattern", "mode", "exclude", "case_insensitive"});
    RegexValidator v;
    if (!spec.contains("pattern")) throw RequestError(path, "validator needs a 'pattern'");
    v.pattern = read_string(spec["pattern"], key_path(path, "pattern"), "pattern");
    if (spec.contains("mode") && !spec["mode"].is_null()) {
        const std::string mode_path = key_path(path, "mode");
        const std::string mode = read_string(spec["mode"], mode_path, "mode");
        if (mode == "full") {
            v.mode = RegexValidator::Mode::kFull;
        } else if (mode == "partial") {
            v.mode = RegexValidator::Mode::kPartial;
        } else {
            throw RequestError(mode_path,
                               "mode must be \"full\" or \"partial\", got \"" + mode + "\"");
        }
    }
    if (spec.contains("exclude")) {
        v.exclude = read_bool(spec["exclude"], key_path(path, "exclude"), "exclude");
    }
    if (spec.contains("case_insensitive")) {
        v.case_insensitive = read_bool(spec["case_insensitive"], key_path(path, "case_insensitive"),
                                       "case_insensitive");
    }
    return v;
}

StructureField parse_field_object(const Json& spec, const std::string& path) {
    reject_unknown_keys(spec, path,
                        {"name", "dtype", "choices", "description", "threshold", "validators",
                         "cardinality", "exclusive"});
    StructureField field;
    if (!spec.contains("name")) throw RequestError(path, "field needs a 'name'");
    field.name = read_name(spec["name"], key_path(path, "name"), "field name");

    if (spec.contains("dtype") && !spec["dtype"].is_null()) {
        field.dtype = read_dtype(spec["dtype"], key_path(path, "dtype"));
    }
    if (spec.contains("choices") && !spec["choices"].is_null()) {
        const std::string choices_path = key_path(path, "choices");
        const Json& choices = spec["choices"];
        if (!choices.is_array()) {
            throw RequestError(
                choices_path, "choices must be an array of strings, got " + describe_type(choices));
        }
        for (size_t i = 0; i < choices.size(); ++i) {
            field.choices.push_back(read_string(choices[i], index_path(choices_path, i), "choice"));
        }
        check_choices(field.choices, choices_path);
    }
    if (spec.contains("description") && !spec["description"].is_null()) {
        std::string description =
            read_string(spec["description"], key_path(path, "description"), "description");
        if (!description.empty()) field.description = std::move(description);
    }
    if (spec.contains("threshold") && !spec["threshold"].is_null()) {
        field.threshold =
            read_threshold(spec["threshold"], key_path(path, "threshold"), "threshold");
    }
    if (spec.contains("validators") && !spec["validators"].is_null()) {
        const std::string validators_path = key_path(path, "validators");
        const Json& validators = spec["validators"];
        if (!validators.is_array()) {
            throw RequestError(validators_path,
                               "validators must be an array, got " + describe_type(validators));
        }
        for (size_t i = 0; i < validators.size(); ++i) {
            field.validators.push_back(
                parse_validator(validators[i], index_path(validators_path, i)));
        }
    }
    if (spec.contains("cardinality") && !spec["cardinality"].is_null()) {
        const std::string cardinality_path = key_path(path, "cardinality");
        const std::string c = read_string(spec["cardinality"], cardinality_path, "cardinality");
        if (c != "optional_one" && c != "required_one" && c != "zero_or_more" &&
            c != "one_or_more") {
            throw RequestError(cardinality_path,
                               "cardinality must be one of optional_one, required_one, "
                               "zero_or_more, one_or_more; got \"" +
                                   c + "\"");
        }
    }
    if (spec.contains("exclusive")) {
        read_bool(spec["exclusive"], key_path(path, "exclusive"), "exclusive");
    }
    return field;
}

}  // namespace

StructureField parse_field_spec_string(std::string_view spec, const std::string& path) {
    if (auto bad = tokenizer::utf8::find_invalid(spec)) {
        throw RequestError(
            path, "field spec is not valid UTF-8 (byte offset " + std::to_string(*bad) + ")");
    }
    const std::vector<std::string_view> parts = split_all(spec, "::");
    StructureField field;
    field.name = std::string(parts[0]);
    if (python_strip(field.name).empty()) throw RequestError(path, "field name must not be empty");

    bool dtype_given = false;
    std::string description;
    for (size_t i = 1; i < parts.size(); ++i) {
        const std::string_view part = parts[i];
        if (part == "str" || part == "list") {
            field.dtype = part == "str" ? ValueType::kStr : ValueType::kList;
            dtype_given = true;
        } else if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
            field.choices.clear();
            for (auto choice : split_all(part.substr(1, part.size() - 2), "|")) {
                field.choices.emplace_back(python_strip(choice));
            }
            // Named like the object form's key, so both forms report e.g. "...choices[1]".
            check_choices(field.choices, key_path(path, "choices"));
            // A choice field answers with one choice unless the spec asked for a list first.
            if (!dtype_given) field.dtype = ValueType::kStr;
        } else {
            description = std::string(part);
        }
    }
    if (!description.empty()) field.description = std::move(description);
    return field;
}

StructureField parse_field_spec(const Json& spec, const std::string& path) {
    if (spec.is_string()) {
        return parse_field_spec_string(read_string(spec, path, "field spec"), path);
    }
    if (spec.is_object()) return parse_field_object(spec, path);
    throw RequestError(path,
                       "field spec must be a string or an object, got " + describe_type(spec));
}

}  // namespace spanguard::schemas
