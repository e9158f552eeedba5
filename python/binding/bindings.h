// Shared pieces of the `_spanguard` extension module: one register_* function per binding file,
// conversions between Python objects and the engine's JSON values, and the error mapping.
//
// Every binding converts its Python inputs to C++ values first (with the GIL held), then releases
// the GIL around the engine call (py::gil_scoped_release), then converts the result back. The
// engine objects are immutable or pure functions, so any number of Python threads may call in.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <string>
#include <vector>

#include "schemas/schema/json_values.h"

namespace spanguard::python {

namespace py = pybind11;

void register_errors(py::module_& m);
void register_schema(py::module_& m);
void register_model(py::module_& m);
void register_redaction(py::module_& m);
void register_moderation(py::module_& m);
void register_gliner_v1(py::module_& m);

// Python value -> JSON: None, bool, int, float, str, dict with str keys (order kept), list and
// tuple. Anything else, a non-string key or nesting deeper than 64 levels raises a
// schemas::RequestError naming `path` (mapped to ValueError).
schemas::Json json_from_python(py::handle value, const std::string& path);

// JSON -> plain Python dict / list / str / int / float / bool / None, key order kept.
py::object python_from_json(const schemas::Json& value);

// A Python str as UTF-8. Raises RequestError naming `path` for a non-str (or a str that cannot be
// encoded, i.e. one holding a lone surrogate, naming its code point index).
std::string utf8_from_python(py::handle value, const std::string& path, const char* what = "text");

// A list or tuple of str. `path` names the sequence ("texts"); items are named path[i].
std::vector<std::string> utf8_list_from_python(py::handle value, const std::string& path);

// Raises spanguard.LoadError (an OSError subclass) with `message`.
[[noreturn]] void raise_load_error(const std::string& message);

}  // namespace spanguard::python
