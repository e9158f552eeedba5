// Conversions between Python values and nlohmann::ordered_json. Requests go Python -> JSON so the
// engine's parsers (schema_parser.h, redaction.h, moderation.h) see exactly the shapes the CLI
// sees; results come back JSON -> plain Python objects with their key order.
#include <Python.h>

#include <cstdint>
#include <string>
#include <vector>

#include "python/binding/bindings.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::python {

namespace {

// Deep enough for any request; stops a self-referencing list from recursing without end.
constexpr int kMaxDepth = 64;

std::string type_name(py::handle value) {
    return std::string(Py_TYPE(value.ptr())->tp_name);
}

schemas::Json convert(py::handle value, const std::string& path, int depth) {
    if (depth > kMaxDepth) {
        throw schemas::RequestError(path, "nested more than 64 levels deep");
    }
    PyObject* object = value.ptr();
    if (object == Py_None) return nullptr;
    // bool before int: True is an int in Python but a boolean in JSON.
    if (PyBool_Check(object)) return object == Py_True;
    if (PyLong_Check(object)) {
        int overflow = 0;
        const long long n = PyLong_AsLongLongAndOverflow(object, &overflow);
        if (overflow != 0) throw schemas::RequestError(path, "integer out of range");
        if (n == -1 && PyErr_Occurred()) throw py::error_already_set();
        return static_cast<std::int64_t>(n);
    }
    if (PyFloat_Check(object)) return PyFloat_AS_DOUBLE(object);
    if (PyUnicode_Check(object)) return utf8_from_python(value, path, "string");
    if (PyDict_Check(object)) {
        schemas::Json out = schemas::Json::object();
        for (const auto& [key, item] : py::reinterpret_borrow<py::dict>(value)) {
            if (!PyUnicode_Check(key.ptr())) {
                throw schemas::RequestError(path, "keys must be strings, got " + type_name(key) +
                                                      " " + py::repr(key).cast<std::string>());
            }
            std::string name = utf8_from_python(key, path, "key");
            const std::string item_path = path.empty() ? name : schemas::key_path(path, name);
            out[name] = convert(item, item_path, depth + 1);
        }
        return out;
    }
    if (PyList_Check(object) || PyTuple_Check(object)) {
        schemas::Json out = schemas::Json::array();
        size_t i = 0;
        for (const auto& item : py::reinterpret_borrow<py::sequence>(value)) {
            out.push_back(convert(item, schemas::index_path(path, i), depth + 1));
            ++i;
        }
        return out;
    }
    throw schemas::RequestError(
        path, "expected None, a bool, number, string, list or dict, got " + type_name(value));
}

}  // namespace

schemas::Json json_from_python(py::handle value, const std::string& path) {
    return convert(value, path, 0);
}

py::object python_from_json(const schemas::Json& value) {
    switch (value.type()) {
        case schemas::Json::value_t::null:
            return py::none();
        case schemas::Json::value_t::boolean:
            return py::bool_(value.get<bool>());
        case schemas::Json::value_t::number_integer:
            return py::int_(value.get<std::int64_t>());
        case schemas::Json::value_t::number_unsigned:
            return py::int_(value.get<std::uint64_t>());
        case schemas::Json::value_t::number_float:
            return py::float_(value.get<double>());
        case schemas::Json::value_t::string:
            return py::str(value.get_ref<const std::string&>());
        case schemas::Json::value_t::array: {
            py::list out(value.size());
            size_t i = 0;
            for (const auto& item : value)
                out[i++] = python_from_json(item);
            return out;
        }
        case schemas::Json::value_t::object: {
            py::dict out;
            for (const auto& [key, item] : value.items())
                out[py::str(key)] = python_from_json(item);
            return out;
        }
        case schemas::Json::value_t::binary:
        case schemas::Json::value_t::discarded:
            break;
    }
    throw std::logic_error("python_from_json: the engine produced a binary or discarded value");
}

std::string utf8_from_python(py::handle value, const std::string& path, const char* what) {
    if (!PyUnicode_Check(value.ptr())) {
        throw schemas::RequestError(
            path, std::string(what) + " must be a string, got " + type_name(value));
    }
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (data == nullptr) {
        // Only a lone surrogate (e.g. from surrogateescape decoding) makes a str unencodable.
        py::error_already_set error;
        std::string where;
        if (error.matches(PyExc_UnicodeEncodeError)) {
            where = " (lone surrogate at code point " +
                    py::str(error.value().attr("start")).cast<std::string>() + ")";
        }
        throw schemas::RequestError(path,
                                    std::string(what) + " cannot be encoded as UTF-8" + where);
    }
    return std::string(data, static_cast<size_t>(size));
}

std::vector<std::string> utf8_list_from_python(py::handle value, const std::string& path) {
    if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) {
        throw schemas::RequestError(path, "must be a list of strings, got " + type_name(value));
    }
    std::vector<std::string> out;
    size_t i = 0;
    for (const auto& item : py::reinterpret_borrow<py::sequence>(value)) {
        out.push_back(utf8_from_python(item, schemas::index_path(path, i)));
        ++i;
    }
    return out;
}

}  // namespace spanguard::python
