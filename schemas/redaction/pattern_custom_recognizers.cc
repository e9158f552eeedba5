// User recognizers from JSON (RecognizerSet::from_json, pattern_recognizers.h): regex patterns
// with scores and context words, and deny-lists of exact terms.
#include <string>

#include "schemas/redaction/pattern_recognizer_set.h"
#include "schemas/redaction/pii_entity_types.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

double read_score(const Json& value, const std::string& path) {
    return schemas::read_threshold(value, path, "score");
}

std::vector<std::string> read_words(const Json& value, const std::string& path) {
    if (!value.is_array()) {
        throw RequestError(path, "must be a list of strings, got " + schemas::describe_type(value));
    }
    std::vector<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
        std::string word = schemas::read_name(value[i], index_path(path, i), "word");
        for (char& c : word)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.push_back(std::move(word));
    }
    return out;
}

patterns::Recognizer read_recognizer(const Json& value, const std::string& path) {
    if (!value.is_object()) {
        throw RequestError(path,
                           "recognizer must be an object, got " + schemas::describe_type(value));
    }
    schemas::reject_unknown_keys(
        value, path,
        {"name", "entity_type", "supported_entity", "supported_language", "patterns", "context",
         "deny_list", "deny_list_score", "case_sensitive"});
    patterns::Recognizer r;
    if (!value.contains("name")) throw RequestError(path, "missing \"name\"");
    r.name = schemas::read_name(value.at("name"), key_path(path, "name"), "name");
    const bool has_type = value.contains("entity_type");
    if (has_type == value.contains("supported_entity")) {
        throw RequestError(path,
                           "recognizer \"" + r.name +
                               "\": give \"entity_type\" (or Presidio's \"supported_entity\")");
    }
    const char* type_key = has_type ? "entity_type" : "supported_entity";
    r.entity_type = canonical_entity_type(
        schemas::read_name(value.at(type_key), key_path(path, type_key), type_key));
    const bool case_sensitive =
        value.contains("case_sensitive") &&
        schemas::read_bool(value.at("case_sensitive"), key_path(path, "case_sensitive"),
                           "case_sensitive");
    if (value.contains("patterns")) {
        const std::string list_path = key_path(path, "patterns");
        const Json& list = value.at("patterns");
        if (!list.is_array()) throw RequestError(list_path, "must be a list of pattern objects");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string p = index_path(list_path, i);
            const Json& spec = list[i];
            if (!spec.is_object()) throw RequestError(p, "pattern must be an object");
            schemas::reject_unknown_keys(spec, p, {"name", "regex", "score"});
            if (!spec.contains("regex")) throw RequestError(p, "missing \"regex\"");
            const std::string regex =
                schemas::read_string(spec.at("regex"), key_path(p, "regex"), "regex");
            if (regex.empty()) throw RequestError(key_path(p, "regex"), "regex must not be empty");
            patterns::Pattern pattern;
            pattern.name = spec.contains("name")
                               ? schemas::read_name(spec.at("name"), key_path(p, "name"), "name")
                               : "pattern" + std::to_string(i);
            pattern.regex = patterns::compile(regex, case_sensitive, r.name, key_path(p, "regex"));
            pattern.score =
                spec.contains("score") ? read_score(spec.at("score"), key_path(p, "score")) : 0.5;
            r.patterns.push_back(std::move(pattern));
        }
    }
    if (value.contains("deny_list")) {
        const std::string p = key_path(path, "deny_list");
        const std::vector<std::string> terms = read_words(value.at("deny_list"), p);
        if (terms.empty()) throw RequestError(p, "deny_list must not be empty");
        std::string alternation;
        for (const std::string& t : terms) {
            alternation += (alternation.empty() ? "" : "|") + RE2::QuoteMeta(t);
        }
        patterns::Pattern pattern;
        pattern.name = "deny_list";
        // Deny-list terms are matched whatever their case (the words were lower-cased above).
        pattern.regex = patterns::compile("(?:" + alternation + ")", false, r.name, p);
        pattern.score =
            value.contains("deny_list_score")
                ? read_score(value.at("deny_list_score"), key_path(path, "deny_list_score"))
                : 1.0;
        r.patterns.push_back(std::move(pattern));
    }
    if (r.patterns.empty()) {
        throw RequestError(path,
                           "recognizer \"" + r.name + "\" has neither patterns nor a deny_list");
    }
    if (value.contains("context"))
        r.context = read_words(value.at("context"), key_path(path, "context"));
    return r;
}

}  // namespace

std::shared_ptr<const RecognizerSet> RecognizerSet::from_json(const Json& value,
                                                              const std::string& path) {
    const Json* list = &value;
    std::string list_path = path;
    if (value.is_object()) {
        schemas::reject_unknown_keys(value, path, {"recognizers"});
        if (!value.contains("recognizers")) throw RequestError(path, "missing \"recognizers\"");
        list = &value.at("recognizers");
        list_path = key_path(path, "recognizers");
    }
    if (!list->is_array()) {
        throw RequestError(list_path,
                           "must be a list of recognizers, got " + schemas::describe_type(*list));
    }
    auto impl = std::make_unique<Impl>();
    std::set<std::string> names;
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string p = index_path(list_path, i);
        patterns::Recognizer r = read_recognizer((*list)[i], p);
        if (!names.insert(r.name).second) {
            throw RequestError(key_path(p, "name"),
                               "recognizer \"" + r.name + "\" is defined twice");
        }
        impl->recognizers.push_back(std::move(r));
    }
    return std::shared_ptr<const RecognizerSet>(new RecognizerSet(std::move(impl)));
}

}  // namespace spanguard::schemas
