// The `_spanguard` extension module. The Python package `spanguard` (python/spanguard/) wraps it;
// users import that, not this.
#include "python/binding/bindings.h"

PYBIND11_MODULE(_spanguard, m) {
    m.doc() = "spanguard C++ engine bindings (use the `spanguard` package)";
    spanguard::python::register_errors(m);
    spanguard::python::register_schema(m);
    spanguard::python::register_model(m);
    spanguard::python::register_redaction(m);
    spanguard::python::register_moderation(m);
    spanguard::python::register_gliner_v1(m);
}
