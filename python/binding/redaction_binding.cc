// PII redaction (schemas/redaction/redaction.h) for Python: requests arrive as Python values in the
// JSON forms of redaction.h (operators {"email": {"type": "mask", ...}}), results leave as
// {"text": ..., "items": [...]} dicts; offsets are code points, so they index Python strings.
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "python/binding/bindings.h"
#include "schemas/model.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::python {

namespace {

using schemas::Json;

schemas::ValidationMode validation_mode(const std::string& name) {
    if (name == "off") return schemas::ValidationMode::kOff;
    if (name == "annotate") return schemas::ValidationMode::kAnnotate;
    if (name == "reject") return schemas::ValidationMode::kReject;
    throw schemas::RequestError(
        "validate", "expected \"off\", \"annotate\" or \"reject\", got \"" + name + "\"");
}

schemas::RedactRequest make_request(py::handle labels, py::handle operators, double threshold,
                                    const std::string& validate, bool include_original) {
    schemas::RedactRequest request;
    if (!labels.is_none()) request.labels = utf8_list_from_python(labels, "labels");
    if (!operators.is_none()) {
        schemas::operators_from_json(json_from_python(operators, "operators"), request,
                                     "operators");
    }
    request.threshold = threshold;
    request.validation = validation_mode(validate);
    request.include_original = include_original;
    return request;
}

// The detector options of redact() / redact_batch() (redaction.h), as the Python layer passes
// them: recognizers ("model", "patterns"), entity types, custom recognizers (JSON form), phone
// regions and model windows.
void add_detectors(schemas::RedactRequest& request, py::handle recognizers, py::handle entity_types,
                   py::handle custom_recognizers, py::handle default_region, size_t chunk_size,
                   size_t chunk_overlap) {
    if (!recognizers.is_none()) {
        request.use_model = false;
        request.use_patterns = false;
        for (const std::string& r : utf8_list_from_python(recognizers, "recognizers")) {
            if (r == "model") {
                request.use_model = true;
            } else if (r == "patterns") {
                request.use_patterns = true;
            } else {
                throw schemas::RequestError(
                    "recognizers", "expected \"model\" and/or \"patterns\", got \"" + r + "\"");
            }
        }
    }
    if (!entity_types.is_none()) {
        request.entity_types = utf8_list_from_python(entity_types, "entity_types");
    }
    if (!custom_recognizers.is_none()) {
        request.custom_recognizers = schemas::RecognizerSet::from_json(
            json_from_python(custom_recognizers, "custom_recognizers"), "custom_recognizers");
    }
    if (!default_region.is_none()) {
        request.pattern_options.phone_regions =
            utf8_list_from_python(default_region, "default_region");
    }
    request.chunk_size = chunk_size;
    request.chunk_overlap = chunk_overlap;
}

// Raw key bytes: bytes as given, a str as its UTF-8 encoding.
std::string key_bytes(py::handle key) {
    if (PyBytes_Check(key.ptr())) return std::string(py::reinterpret_borrow<py::bytes>(key));
    return utf8_from_python(key, "key", "key");
}

py::object redact(const schemas::Model& model, py::handle text, py::handle labels,
                  py::handle operators, double threshold, const std::string& validate,
                  bool include_original, py::handle recognizers, py::handle entity_types,
                  py::handle custom_recognizers, py::handle default_region, size_t chunk_size,
                  size_t chunk_overlap) {
    const std::string input = utf8_from_python(text, "text");
    schemas::RedactRequest request =
        make_request(labels, operators, threshold, validate, include_original);
    add_detectors(request, recognizers, entity_types, custom_recognizers, default_region,
                  chunk_size, chunk_overlap);
    Json result;
    {
        py::gil_scoped_release release;
        result = to_json(spanguard::schemas::redact(model, input, request));
    }
    return python_from_json(result);
}

py::list redact_batch(const schemas::Model& model, py::handle texts, py::handle labels,
                      py::handle operators, double threshold, const std::string& validate,
                      bool include_original, size_t batch_size, py::handle recognizers,
                      py::handle entity_types, py::handle custom_recognizers,
                      py::handle default_region, size_t chunk_size, size_t chunk_overlap) {
    const std::vector<std::string> inputs = utf8_list_from_python(texts, "texts");
    schemas::RedactRequest request =
        make_request(labels, operators, threshold, validate, include_original);
    add_detectors(request, recognizers, entity_types, custom_recognizers, default_region,
                  chunk_size, chunk_overlap);
    std::vector<Json> results;
    {
        py::gil_scoped_release release;
        for (const schemas::RedactionResult& r :
             spanguard::schemas::redact_batch(model, inputs, request, batch_size)) {
            results.push_back(to_json(r));
        }
    }
    py::list out(results.size());
    for (size_t i = 0; i < results.size(); ++i)
        out[i] = python_from_json(results[i]);
    return out;
}

// Caller-supplied spans [{"entity_type", "start", "end", "score"}] (no model).
py::object redact_spans(py::handle text, py::handle spans, py::handle operators,
                        const std::string& validate, bool include_original) {
    const std::string input = utf8_from_python(text, "text");
    const Json list = json_from_python(spans, "spans");
    if (!list.is_array()) throw schemas::RequestError("spans", "must be a list of span objects");
    std::vector<schemas::DetectedSpan> detected;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string path = schemas::index_path("spans", i);
        const Json& s = list[i];
        if (!s.is_object()) throw schemas::RequestError(path, "span must be an object");
        schemas::reject_unknown_keys(s, path, {"entity_type", "start", "end", "score"});
        for (const char* key : {"entity_type", "start", "end"}) {
            if (!s.contains(key))
                throw schemas::RequestError(path, std::string("needs '") + key + "'");
        }
        schemas::DetectedSpan span;
        span.entity_type =
            schemas::read_name(s["entity_type"], path + ".entity_type", "entity_type");
        for (const char* key : {"start", "end"}) {
            if (!s[key].is_number_integer() || s[key].get<std::int64_t>() < 0) {
                throw schemas::RequestError(path + "." + key,
                                            std::string(key) + " must be a non-negative integer");
            }
        }
        span.start = s["start"].get<size_t>();
        span.end = s["end"].get<size_t>();
        span.score = s.contains("score")
                         ? schemas::read_threshold(s["score"], path + ".score", "score")
                         : 1.0;
        detected.push_back(std::move(span));
    }
    const schemas::RedactRequest request =
        make_request(py::none(), operators, 0.5, validate, include_original);
    Json result;
    {
        py::gil_scoped_release release;
        result = to_json(spanguard::schemas::redact_spans(input, detected, request));
    }
    return python_from_json(result);
}

std::string deanonymize(py::handle text, py::handle items, py::handle key) {
    const std::string input = utf8_from_python(text, "text");
    const std::vector<schemas::RedactedItem> parsed =
        schemas::items_from_json(json_from_python(items, "items"));
    const std::string raw_key = key_bytes(key);
    py::gil_scoped_release release;
    return spanguard::schemas::deanonymize(input, parsed, raw_key);
}

}  // namespace

void register_redaction(py::module_& m) {
    m.def("redact", &redact, py::arg("model"), py::arg("text"), py::arg("labels"),
          py::arg("operators") = py::none(), py::arg("threshold") = 0.5,
          py::arg("validate") = "off", py::arg("include_original") = false,
          py::arg("recognizers") = py::none(), py::arg("entity_types") = py::none(),
          py::arg("custom_recognizers") = py::none(), py::arg("default_region") = py::none(),
          py::arg("chunk_size") = schemas::kRedactChunkSize,
          py::arg("chunk_overlap") = schemas::kRedactChunkOverlap);
    m.def("redact_batch", &redact_batch, py::arg("model"), py::arg("texts"), py::arg("labels"),
          py::arg("operators") = py::none(), py::arg("threshold") = 0.5,
          py::arg("validate") = "off", py::arg("include_original") = false,
          py::arg("batch_size") = 8, py::arg("recognizers") = py::none(),
          py::arg("entity_types") = py::none(), py::arg("custom_recognizers") = py::none(),
          py::arg("default_region") = py::none(), py::arg("chunk_size") = schemas::kRedactChunkSize,
          py::arg("chunk_overlap") = schemas::kRedactChunkOverlap);
    m.def(
        "redaction_to_presidio",
        [](py::handle result) {
            const Json r = json_from_python(result, "result");
            if (!r.is_object() || !r.contains("text") || !r.contains("items")) {
                throw schemas::RequestError("result", "expected a redaction result {text, items}");
            }
            schemas::RedactionResult parsed;
            parsed.text = schemas::read_string(r.at("text"), "result.text", "text");
            parsed.items = schemas::items_from_json(r.at("items"), "result.items");
            return python_from_json(schemas::to_presidio_json(parsed));
        },
        py::arg("result"));
    m.def(
        "pii_preset_entity_types",
        [](const std::string& name) { return schemas::pii_preset_entity_types(name); },
        py::arg("name"));
    m.def("redact_spans", &redact_spans, py::arg("text"), py::arg("spans"),
          py::arg("operators") = py::none(), py::arg("validate") = "off",
          py::arg("include_original") = false);
    m.def("deanonymize", &deanonymize, py::arg("text"), py::arg("items"), py::arg("key"));
    m.def(
        "pii_preset", [](const std::string& name) { return schemas::pii_preset(name); },
        py::arg("name"));
    m.def("pii_preset_names", &schemas::pii_preset_names);
}

}  // namespace spanguard::python
