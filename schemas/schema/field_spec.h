// Structure field specs of the reference's extract_json request (GLINER2.md §4.7b):
//
//   "name"                        a list field
//   "name::str::the order id"     parts after the name, each one of
//                                   str | list        the dtype
//                                   [a|b|c]           choices (stripped); they make the dtype `str`
//                                                     unless a dtype part came before them
//                                   anything else     the description (the last one wins; an empty
//                                                     one means none)
//   {"name": ..., "dtype": "str"|"list", "choices": [...], "description": ...,
//    "threshold": 0.4, "validators": [{"pattern": ..., "mode": "full"|"partial",
//                                      "exclude": false, "case_insensitive": true}]}
//
// In the object form choices do not change the dtype (default `list`), as in the reference.
// `cardinality` and `exclusive` (record-decoding hints of the boundary architecture) are accepted
// and checked but have no effect on span models.
#pragma once

#include <string>
#include <string_view>

#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

// `spec` is a string or an object; `path` names it in errors ("structures.order[2]").
StructureField parse_field_spec(const Json& spec, const std::string& path);

// The string form alone.
StructureField parse_field_spec_string(std::string_view spec, const std::string& path);

}  // namespace spanguard::schemas
