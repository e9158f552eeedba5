#include "core/weights/safetensors_header.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "core/util/error.h"

namespace spanguard::core {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kMetadataKey = "__metadata__";

// Deepest container a valid header has: the shape / data_offsets arrays inside a tensor entry
// (top-level object = depth 0, entry = 1, its arrays = 2). Anything deeper is rejected while
// parsing, so a hostile header cannot build deep trees.
constexpr int kMaxContainerDepth = 2;

std::string describe_json_type(const Json& value) {
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
            return "an integer";
        case Json::value_t::number_float:
            return "a non-integer number";
        default:
            return "an unsupported JSON value";
    }
}

// Reads a JSON integer that must be >= 0. Integers beyond uint64 arrive as floats from the JSON
// parser and are reported as non-integers.
bool read_unsigned(const Json& value, uint64_t& out, std::string& problem) {
    if (value.is_number_unsigned()) {
        out = value.get<uint64_t>();
        return true;
    }
    if (value.is_number_integer()) {
        problem = "is " + std::to_string(value.get<int64_t>()) + ", must be non-negative";
        return false;
    }
    problem = "is " + describe_json_type(value) + ", must be a non-negative integer";
    return false;
}

class HeaderParser {
  public:
    HeaderParser(uint64_t data_size, const std::string& file)
        : data_size_(data_size), file_(file) {}

    SafetensorsHeader parse(std::string_view json_text) {
        const Json root = parse_json(json_text);
        if (!root.is_object()) {
            fail("header is " + describe_json_type(root) + ", must be a JSON object");
        }
        SafetensorsHeader header;
        header.tensors.reserve(root.size());
        for (const auto& [key, value] : root.items()) {
            if (key == kMetadataKey) {
                header.metadata = parse_metadata(value);
            } else {
                header.tensors.push_back(parse_tensor(key, value));
            }
        }
        check_no_overlap(header.tensors);
        // nlohmann's object is key-sorted already; sort anyway so the order is a stated property.
        std::sort(header.tensors.begin(), header.tensors.end(),
                  [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
        return header;
    }

  private:
    [[noreturn]] void fail(const std::string& message) const {
        throw Error(file_ + ": " + message);
    }

    [[noreturn]] void fail_tensor(const std::string& name, const std::string& message) const {
        fail("tensor " + quote_for_error(name) + ": " + message);
    }

    Json parse_json(std::string_view text) {
        // The callback sees every key and container as it is read: it rejects duplicate keys
        // (which a map would silently collapse, hiding a second byte range) and deep nesting.
        std::set<std::string> top_keys;
        std::set<std::string> entry_keys;
        const Json::parser_callback_t check = [&](int depth, Json::parse_event_t event,
                                                  Json& parsed) {
            if (event == Json::parse_event_t::object_start ||
                event == Json::parse_event_t::array_start) {
                if (depth > kMaxContainerDepth) {
                    fail("header nests JSON containers deeper than a safetensors header can");
                }
                if (depth == 1) entry_keys.clear();
            } else if (event == Json::parse_event_t::key) {
                const std::string& key = parsed.get_ref<const std::string&>();
                if (depth == 1 && !top_keys.insert(key).second) {
                    fail("header lists " + quote_for_error(key) + " twice");
                }
                if (depth == 2 && !entry_keys.insert(key).second) {
                    fail("header entry has the field " + quote_for_error(key) + " twice");
                }
            }
            return true;
        };
        try {
            return Json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/true,
                               /*ignore_comments=*/false);
        } catch (const Json::parse_error& e) {
            fail("header is not valid JSON (at header byte " + std::to_string(e.byte) +
                 "): " + e.what());
        } catch (const Json::out_of_range& e) {
            // A number beyond double's range (e.g. 1e400): nlohmann reports it as out_of_range,
            // not parse_error.
            fail(std::string("header holds a number out of range: ") + e.what());
        }
    }

    std::map<std::string, std::string> parse_metadata(const Json& value) const {
        if (!value.is_object()) {
            fail("header field '__metadata__' is " + describe_json_type(value) +
                 ", must be an object of strings");
        }
        std::map<std::string, std::string> metadata;
        for (const auto& [key, entry] : value.items()) {
            if (!entry.is_string()) {
                fail("header field '__metadata__': value of " + quote_for_error(key) + " is " +
                     describe_json_type(entry) + ", must be a string");
            }
            metadata.emplace(key, entry.get<std::string>());
        }
        return metadata;
    }

    TensorInfo parse_tensor(const std::string& name, const Json& entry) const {
        if (!entry.is_object()) {
            fail_tensor(name, "entry is " + describe_json_type(entry) +
                                  ", must be an object with dtype, shape and data_offsets");
        }
        for (const auto& [field, unused] : entry.items()) {
            if (field != "dtype" && field != "shape" && field != "data_offsets") {
                fail_tensor(name, "unexpected field " + quote_for_error(field) +
                                      " (a safetensors entry has dtype, shape and data_offsets)");
            }
        }
        for (const char* field : {"dtype", "shape", "data_offsets"}) {
            if (!entry.contains(field))
                fail_tensor(name, std::string("missing field '") + field + "'");
        }

        TensorInfo info;
        info.name = name;
        info.dtype = parse_dtype_field(name, entry["dtype"]);
        const uint64_t numel = parse_shape(name, entry["shape"], info.shape);
        uint64_t nbytes = 0;
        if (__builtin_mul_overflow(numel, static_cast<uint64_t>(dtype_size(info.dtype)), &nbytes)) {
            fail_tensor(name, "shape " + shape_text(info.shape) + " of " +
                                  std::string(dtype_name(info.dtype)) +
                                  " is more bytes than 64 bits can count");
        }
        const auto [begin, end] = parse_offsets(name, entry["data_offsets"]);
        if (end - begin != nbytes) {
            fail_tensor(name, "data_offsets [" + std::to_string(begin) + ", " +
                                  std::to_string(end) + "] hold " + std::to_string(end - begin) +
                                  " bytes, but shape " + shape_text(info.shape) + " of " +
                                  std::string(dtype_name(info.dtype)) + " needs " +
                                  std::to_string(nbytes));
        }
        info.offset = static_cast<size_t>(begin);
        info.nbytes = static_cast<size_t>(nbytes);
        return info;
    }

    DType parse_dtype_field(const std::string& name, const Json& value) const {
        if (!value.is_string()) {
            fail_tensor(name, "dtype is " + describe_json_type(value) + ", must be a string");
        }
        const auto dtype = parse_dtype(value.get_ref<const std::string&>());
        if (!dtype) {
            fail_tensor(name,
                        "unknown dtype " + quote_for_error(value.get_ref<const std::string&>()));
        }
        return *dtype;
    }

    // Fills `shape` and returns the element count, refusing counts that overflow 64 bits.
    uint64_t parse_shape(const std::string& name, const Json& value,
                         std::vector<int64_t>& shape) const {
        if (!value.is_array()) {
            fail_tensor(name, "shape is " + describe_json_type(value) + ", must be an array");
        }
        shape.reserve(value.size());
        uint64_t numel = 1;
        bool overflow = false;
        for (size_t i = 0; i < value.size(); ++i) {
            uint64_t dim = 0;
            std::string problem;
            if (!read_unsigned(value[i], dim, problem)) {
                fail_tensor(name, "shape[" + std::to_string(i) + "] " + problem);
            }
            if (dim > static_cast<uint64_t>(INT64_MAX)) {
                fail_tensor(name, "shape[" + std::to_string(i) + "] is " + std::to_string(dim) +
                                      ", larger than any tensor can be");
            }
            shape.push_back(static_cast<int64_t>(dim));
            overflow = overflow || __builtin_mul_overflow(numel, dim, &numel);
        }
        // A zero dimension anywhere makes the product 0 even if a partial product overflowed.
        if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
        if (overflow) {
            fail_tensor(name,
                        "shape " + shape_text(shape) + " has more elements than 64 bits can count");
        }
        return numel;
    }

    std::pair<uint64_t, uint64_t> parse_offsets(const std::string& name, const Json& value) const {
        if (!value.is_array() || value.size() != 2) {
            fail_tensor(name,
                        "data_offsets is " + describe_json_type(value) +
                            (value.is_array() ? " of " + std::to_string(value.size()) + " elements"
                                              : std::string()) +
                            ", must be [begin, end]");
        }
        uint64_t begin = 0;
        uint64_t end = 0;
        std::string problem;
        if (!read_unsigned(value[0], begin, problem)) {
            fail_tensor(name, "data_offsets[0] " + problem);
        }
        if (!read_unsigned(value[1], end, problem)) {
            fail_tensor(name, "data_offsets[1] " + problem);
        }
        const std::string range = "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
        if (begin > end) fail_tensor(name, "data_offsets " + range + " end before they begin");
        if (end > data_size_) {
            fail_tensor(name, "data_offsets " + range + " exceed the data section (" +
                                  std::to_string(data_size_) + " bytes)");
        }
        return {begin, end};
    }

    void check_no_overlap(const std::vector<TensorInfo>& tensors) const {
        std::vector<const TensorInfo*> by_offset;
        by_offset.reserve(tensors.size());
        for (const TensorInfo& t : tensors)
            by_offset.push_back(&t);
        std::sort(by_offset.begin(), by_offset.end(), [](const TensorInfo* a, const TensorInfo* b) {
            return a->offset != b->offset ? a->offset < b->offset : a->nbytes < b->nbytes;
        });
        for (size_t i = 1; i < by_offset.size(); ++i) {
            const TensorInfo& previous = *by_offset[i - 1];
            const TensorInfo& current = *by_offset[i];
            if (current.offset < previous.offset + previous.nbytes) {
                fail("tensors " + quote_for_error(previous.name) + " " + range_text(previous) +
                     " and " + quote_for_error(current.name) + " " + range_text(current) +
                     " overlap");
            }
        }
    }

    static std::string range_text(const TensorInfo& t) {
        return "[" + std::to_string(t.offset) + ", " + std::to_string(t.offset + t.nbytes) + "]";
    }

    static std::string shape_text(const std::vector<int64_t>& shape) {
        std::string text = "[";
        for (size_t i = 0; i < shape.size(); ++i) {
            if (i > 0) text += ", ";
            text += std::to_string(shape[i]);
        }
        return text + "]";
    }

    uint64_t data_size_;
    const std::string& file_;
};

}  // namespace

SafetensorsHeader parse_safetensors_header(std::string_view json_text, uint64_t data_size,
                                           const std::string& file) {
    return HeaderParser(data_size, file).parse(json_text);
}

std::string quote_for_error(std::string_view text, size_t max_chars) {
    std::string out = "'";
    const size_t shown = std::min(text.size(), max_chars);
    for (size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += "'";
    if (shown < text.size()) {
        out += " (" + std::to_string(text.size() - shown) + " more bytes)";
    }
    return out;
}

}  // namespace spanguard::core
