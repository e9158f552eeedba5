// Paths that name a value inside a JSON request in error messages: `entities.person.threshold`,
// `classifications[1].labels[3]`, `entities["order id"]` (keys that are not plain identifiers are
// quoted, so every path reads back unambiguously).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spanguard::schemas {

// `parent.key`, or `parent["key"]` when the key holds anything but ASCII letters, digits and '_'.
std::string key_path(std::string_view parent, std::string_view key);
// `parent[index]`.
std::string index_path(std::string_view parent, size_t index);

}  // namespace spanguard::schemas
