// `_spanguard.GlinerV1Model`: spanguard::schemas::V1Model (schemas/gliner_v1/v1_model.h), a GLiNER
// v1 checkpoint, for Python. Inputs are converted with the GIL held, predict() runs with the GIL
// released (the model is immutable, so threads may share it), and results come back as plain
// dicts in upstream's key order: {"start", "end", "text", "label", "score"}, offsets in code
// points so that they index the Python str.
#include <pybind11/stl.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/util/error.h"
#include "python/binding/bindings.h"
#include "schemas/gliner_v1/v1_model.h"
#include "schemas/hub/hub_download.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/error.h"

namespace spanguard::python {

namespace {

core::Precision precision_from(const std::string& name) {
    if (name == "fp32") return core::Precision::kFloat32;
    if (name == "int8") return core::Precision::kInt8;
    throw schemas::RequestError("precision", "expected \"fp32\" or \"int8\", got \"" + name + "\"");
}

core::RelativeDistanceConvention distances_from(const std::string& name) {
    if (name == "huggingface") return core::RelativeDistanceConvention::kHuggingFace;
    if (name == "microsoft") return core::RelativeDistanceConvention::kMicrosoft;
    throw schemas::RequestError("relative_distances",
                                "expected \"huggingface\" or \"microsoft\", got \"" + name + "\"");
}

schemas::V1Model load(const std::string& path, const std::string& precision,
                      const std::string& relative_distances, const std::string& cache_dir,
                      const std::string& token, bool local_files_only) {
    schemas::V1ModelOptions options;
    options.precision = precision_from(precision);
    options.relative_distances = distances_from(relative_distances);
    schemas::hub::HubOptions hub;
    hub.cache_dir = cache_dir;
    hub.token = token;
    hub.offline = local_files_only;
    try {
        py::gil_scoped_release release;
        // A Hub id or alias is fetched into the shared cache first, as for GLiNER2 models.
        const std::string folder = schemas::hub::resolve_model(path, hub);
        std::error_code error;
        if (!std::filesystem::is_directory(folder, error)) {
            throw core::Error(folder +
                              ": no such checkpoint folder (nor a Hub id ORG/NAME or a "
                              "known alias)");
        }
        if (!schemas::is_gliner_v1_folder(folder)) {
            throw core::Error(folder +
                              ": not a GLiNER v1 checkpoint (no gliner_config.json, or a "
                              "config.json beside it); load GLiNER2 checkpoints with "
                              "spanguard.GLiNER2.from_pretrained");
        }
        return schemas::V1Model::load(folder, options);
    } catch (const std::exception& e) {
        // core::Error, tokenizer::TokenizerError and the Hub client's errors all mean "this model
        // cannot be used", as for GLiNER2 loads.
        raise_load_error(e.what());
    }
}

py::dict entity_dict(const schemas::V1Entity& e) {
    py::dict d;
    d["start"] = e.start;
    d["end"] = e.end;
    d["text"] = py::str(e.text);
    d["label"] = py::str(e.label);
    d["score"] = static_cast<double>(e.score);
    return d;
}

py::list predict(const schemas::V1Model& model, py::handle texts, py::handle labels,
                 double threshold, bool flat_ner, bool multi_label, size_t batch_size,
                 bool deduplicate_labels, bool truncate, size_t window_overlap) {
    const std::vector<std::string> inputs = utf8_list_from_python(texts, "texts");
    const std::vector<std::string> types = utf8_list_from_python(labels, "labels");
    schemas::V1PredictOptions options;
    options.threshold = threshold;
    options.flat_ner = flat_ner;
    options.multi_label = multi_label;
    options.batch_size = batch_size;
    options.deduplicate_labels = deduplicate_labels;
    options.long_text = truncate ? schemas::LongText::kTruncate : schemas::LongText::kWindows;
    options.window_overlap = window_overlap;
    std::vector<schemas::V1Result> results;
    try {
        py::gil_scoped_release release;
        results = model.predict(inputs, types, options);
    } catch (const tokenizer::TokenizerError& e) {
        // A label or text the tokenizer refuses is a bad request, as RequestError is.
        throw py::value_error(e.what());
    }
    py::list out(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
        py::list entities(results[i].entities.size());
        for (size_t k = 0; k < results[i].entities.size(); ++k)
            entities[k] = entity_dict(results[i].entities[k]);
        py::dict result;
        result["entities"] = std::move(entities);
        result["warnings"] = py::cast(results[i].warnings);
        out[i] = std::move(result);
    }
    return out;
}

}  // namespace

void register_gliner_v1(py::module_& m) {
    py::class_<schemas::V1Model>(m, "GlinerV1Model",
                                 "A loaded GLiNER v1 checkpoint. Immutable; share one across "
                                 "threads. Use spanguard.GLiNER.")
        .def_static("load", &load, py::arg("path"), py::arg("precision") = "fp32",
                    py::arg("relative_distances") = "huggingface", py::arg("cache_dir") = "",
                    py::arg("token") = "", py::arg("local_files_only") = false)
        .def("predict", &predict, py::arg("texts"), py::arg("labels"), py::arg("threshold") = 0.5,
             py::arg("flat_ner") = true, py::arg("multi_label") = false, py::arg("batch_size") = 8,
             py::arg("deduplicate_labels") = true, py::arg("truncate") = false,
             py::arg("window_overlap") = 64)
        .def_property_readonly("max_len",
                               [](const schemas::V1Model& model) { return model.config().max_len; })
        .def_property_readonly(
            "max_width", [](const schemas::V1Model& model) { return model.config().max_width; })
        .def_property_readonly(
            "span_mode", [](const schemas::V1Model& model) { return model.config().span_mode; })
        .def_property_readonly(
            "hidden_size", [](const schemas::V1Model& model) { return model.config().hidden_size; })
        .def_property_readonly("directory", &schemas::V1Model::directory);
}

}  // namespace spanguard::python
