// `_spanguard.Model`: spanguard::schemas::Model (schemas/model.h) for Python. Inputs are converted
// to C++ values with the GIL held; the engine then runs with the GIL released, so other Python
// threads keep running and may call the same model at once (it is immutable); results come back as
// plain dict/list/str/float objects in the engine's key order.
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "python/binding/bindings.h"
#include "schemas/hub/hub_download.h"
#include "schemas/model.h"
#include "schemas/prompt/input_text.h"
#include "schemas/schema/request_error.h"

namespace spanguard::python {

namespace {

using schemas::Json;
using schemas::Schema;

py::list python_list(const std::vector<Json>& results) {
    py::list out(results.size());
    for (size_t i = 0; i < results.size(); ++i)
        out[i] = python_from_json(results[i]);
    return out;
}

// One Schema for every text, or a list with one per text. Copied, so that a schema another
// thread changes through the builder cannot change under a running call.
std::vector<Schema> schemas_from_python(py::handle value, size_t texts, bool& single) {
    if (py::isinstance<Schema>(value)) {
        single = true;
        return {value.cast<Schema>()};
    }
    single = false;
    if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) {
        throw schemas::RequestError("schema", "expected a Schema or a list of Schema");
    }
    std::vector<Schema> out;
    for (const auto& item : py::reinterpret_borrow<py::sequence>(value)) {
        if (!py::isinstance<Schema>(item)) {
            throw schemas::RequestError("schemas[" + std::to_string(out.size()) + "]",
                                        "expected a Schema");
        }
        out.push_back(item.cast<Schema>());
    }
    if (out.size() != texts) {
        throw schemas::RequestError("schemas", std::to_string(out.size()) + " schemas for " +
                                                   std::to_string(texts) + " texts");
    }
    return out;
}

schemas::Model load(const std::string& path, const std::string& relative_distances,
                    const std::string& precision) {
    schemas::ModelOptions options;
    if (precision == "fp32") {
        options.precision = core::Precision::kFloat32;
    } else if (precision == "int8") {
        options.precision = core::Precision::kInt8;
    } else {
        throw schemas::RequestError("precision",
                                    "expected \"fp32\" or \"int8\", got \"" + precision + "\"");
    }
    if (relative_distances == "huggingface") {
        options.relative_distances = core::RelativeDistanceConvention::kHuggingFace;
    } else if (relative_distances == "microsoft") {
        options.relative_distances = core::RelativeDistanceConvention::kMicrosoft;
    } else {
        throw schemas::RequestError(
            "relative_distances",
            "expected \"huggingface\" or \"microsoft\", got \"" + relative_distances + "\"");
    }
    try {
        py::gil_scoped_release release;
        // A Hub id or alias is fetched into the shared cache first (schemas/hub/hub_download.h).
        return schemas::Model::load(schemas::hub::resolve_model(path), options);
    } catch (const std::exception& e) {
        raise_load_error(e.what());
    }
}

py::object extract(const schemas::Model& model, py::handle text, const Schema& schema,
                   double threshold, bool include_confidence, bool include_spans,
                   std::optional<size_t> max_len) {
    const std::string input = utf8_from_python(text, "text");
    const Schema owned = schema;
    schemas::ExtractOptions options;
    options.threshold = threshold;
    options.include_confidence = include_confidence;
    options.include_spans = include_spans;
    options.max_len = max_len;
    Json result;
    {
        py::gil_scoped_release release;
        result = model.extract(input, owned, options);
    }
    return python_from_json(result);
}

py::list extract_batch(const schemas::Model& model, py::handle texts, py::handle schema,
                       size_t batch_size, double threshold, bool include_confidence,
                       bool include_spans, std::optional<size_t> max_len) {
    const std::vector<std::string> inputs = utf8_list_from_python(texts, "texts");
    bool single = false;
    const std::vector<Schema> schemas = schemas_from_python(schema, inputs.size(), single);
    schemas::ExtractOptions options;
    options.threshold = threshold;
    options.include_confidence = include_confidence;
    options.include_spans = include_spans;
    options.batch_size = batch_size;
    options.max_len = max_len;
    std::vector<Json> results;
    {
        py::gil_scoped_release release;
        results = single ? model.extract_batch(inputs, schemas[0], options)
                         : model.extract_batch(inputs, schemas, options);
    }
    return python_list(results);
}

schemas::LongTextOptions long_options(size_t chunk_size, size_t chunk_overlap, size_t batch_size,
                                      double threshold, bool include_confidence,
                                      bool include_spans) {
    schemas::LongTextOptions options;
    options.chunk_size = chunk_size;
    options.chunk_overlap = chunk_overlap;
    options.batch_size = batch_size;
    options.threshold = threshold;
    options.include_confidence = include_confidence;
    options.include_spans = include_spans;
    return options;
}

py::object extract_long(const schemas::Model& model, py::handle text, const Schema& schema,
                        size_t chunk_size, size_t chunk_overlap, size_t batch_size,
                        double threshold, bool include_confidence, bool include_spans) {
    const std::string input = utf8_from_python(text, "text");
    const Schema owned = schema;
    const schemas::LongTextOptions options = long_options(
        chunk_size, chunk_overlap, batch_size, threshold, include_confidence, include_spans);
    Json result;
    {
        py::gil_scoped_release release;
        result = model.extract_long(input, owned, options);
    }
    return python_from_json(result);
}

py::list extract_batch_long(const schemas::Model& model, py::handle texts, py::handle schema,
                            size_t chunk_size, size_t chunk_overlap, size_t batch_size,
                            double threshold, bool include_confidence, bool include_spans) {
    const std::vector<std::string> inputs = utf8_list_from_python(texts, "texts");
    bool single = false;
    const std::vector<Schema> schemas = schemas_from_python(schema, inputs.size(), single);
    const schemas::LongTextOptions options = long_options(
        chunk_size, chunk_overlap, batch_size, threshold, include_confidence, include_spans);
    std::vector<Json> results;
    {
        py::gil_scoped_release release;
        results = single ? model.extract_batch_long(inputs, schemas[0], options)
                         : model.extract_batch_long(inputs, schemas, options);
    }
    return python_list(results);
}

// [{task: {label: probability, ...}, ...} per text], labels and tasks in schema order.
py::list classification_probabilities(const schemas::Model& model, py::handle texts,
                                      const Schema& schema, size_t batch_size) {
    const std::vector<std::string> inputs = utf8_list_from_python(texts, "texts");
    const Schema owned = schema;
    std::vector<std::vector<schemas::TaskProbabilities>> results;
    {
        py::gil_scoped_release release;
        results = model.classification_probabilities(inputs, owned, batch_size);
    }
    py::list out(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
        py::dict tasks;
        for (const schemas::TaskProbabilities& t : results[i]) {
            py::dict labels;
            for (size_t l = 0; l < t.labels.size() && l < t.probabilities.size(); ++l) {
                labels[py::str(t.labels[l])] = static_cast<double>(t.probabilities[l]);
            }
            tasks[py::str(t.task)] = std::move(labels);
        }
        out[i] = std::move(tasks);
    }
    return out;
}

}  // namespace

void register_model(py::module_& m) {
    py::class_<schemas::Model>(m, "Model",
                               "A loaded GLiNER2 checkpoint. Immutable; share one across threads.")
        .def_static("load", &load, py::arg("path"), py::arg("relative_distances") = "huggingface",
                    py::arg("precision") = "fp32")
        .def("extract", &extract, py::arg("text"), py::arg("schema"), py::arg("threshold") = 0.5,
             py::arg("include_confidence") = false, py::arg("include_spans") = false,
             py::arg("max_len") = py::none())
        .def("extract_batch", &extract_batch, py::arg("texts"), py::arg("schema"),
             py::arg("batch_size") = 8, py::arg("threshold") = 0.5,
             py::arg("include_confidence") = false, py::arg("include_spans") = false,
             py::arg("max_len") = py::none())
        .def("extract_long", &extract_long, py::arg("text"), py::arg("schema"),
             py::arg("chunk_size") = schemas::kDefaultChunkSize,
             py::arg("chunk_overlap") = schemas::kDefaultChunkOverlap, py::arg("batch_size") = 8,
             py::arg("threshold") = 0.5, py::arg("include_confidence") = false,
             py::arg("include_spans") = false)
        .def("extract_batch_long", &extract_batch_long, py::arg("texts"), py::arg("schema"),
             py::arg("chunk_size") = schemas::kDefaultChunkSize,
             py::arg("chunk_overlap") = schemas::kDefaultChunkOverlap, py::arg("batch_size") = 8,
             py::arg("threshold") = 0.5, py::arg("include_confidence") = false,
             py::arg("include_spans") = false)
        .def("classification_probabilities", &classification_probabilities, py::arg("texts"),
             py::arg("schema"), py::arg("batch_size") = 8)
        .def_property_readonly("directory", &schemas::Model::directory)
        .def_property_readonly("hidden_size", &schemas::Model::hidden_size);

    m.def(
        "end_of_text_rule",
        [](py::handle text) {
            return schemas::apply_end_of_text_rule(utf8_from_python(text, "text"));
        },
        py::arg("text"),
        "The text as the model sees it: '.' appended unless it ends in . ! or ? (spec 2.2). "
        "Span offsets of the single-pass calls index this text.");
    m.def("set_num_threads", &core::set_num_threads, py::arg("n"),
          "Threads the engine uses per call (0 or less: OpenMP's default, all cores).");
    m.def("num_threads", &core::num_threads);
    // The shipped model in the source tree this module was built from (a wheel carries its own
    // copy, which spanguard.load() prefers).
    m.def("source_tree_model_dir", [] { return std::string(SPANGUARD_SOURCE_TREE_MODEL); });
}

}  // namespace spanguard::python
