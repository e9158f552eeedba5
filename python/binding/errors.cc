// Error mapping: schemas::RequestError (a bad request: schema, text, option) becomes ValueError
// with the engine's message, which already names the offending value's path; load failures become
// spanguard.LoadError. Other C++ exceptions keep pybind11's default mapping (RuntimeError, ...).
#include <Python.h>

#include <string>

#include "python/binding/bindings.h"
#include "schemas/schema/request_error.h"

namespace spanguard::python {

namespace {

// Owned by the module object (set as its attribute), which outlives every call into it.
PyObject* g_load_error = nullptr;

}  // namespace

void raise_load_error(const std::string& message) {
    PyErr_SetString(g_load_error, message.c_str());
    throw py::error_already_set();
}

void register_errors(py::module_& m) {
    // OSError: a checkpoint that cannot be loaded is, to callers, a file that cannot be used, and
    // `except OSError` is what code around from_pretrained already catches.
    g_load_error = PyErr_NewExceptionWithDoc(
        "spanguard.LoadError",
        "A checkpoint folder could not be loaded (missing or invalid file); the message names the "
        "file and the problem.",
        PyExc_OSError, nullptr);
    if (g_load_error == nullptr) throw py::error_already_set();
    m.attr("LoadError") = py::reinterpret_borrow<py::object>(g_load_error);

    py::register_exception_translator([](std::exception_ptr error) {
        try {
            if (error) std::rethrow_exception(error);
        } catch (const schemas::RequestError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        }
    });
}

}  // namespace spanguard::python
