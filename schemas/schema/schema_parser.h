// Builds a Schema from the JSON request shapes of the reference API (GLINER2.md §4.7b). Every
// function
// throws RequestError naming the offending value's path, e.g.
//   "classifications[1].labels[3]: label must be a string, got a number"
//   "entities.person.threshold: threshold must be within [0, 1], got 1.5"
//   "tasks.aspects.mutli_label: unknown key (expected one of: labels, multi_label, ...)"
//
// Shapes (each function also accepts everything the reference accepts for that entry point,
// within the checks listed under "Rejected"):
//   extract_entities   ["person", ...] | "person" | {"person": "description" | null |
//                      {"description": ..., "threshold": 0.7, "dtype": "list"|"str"}, ...}
//   classify_text      {"task": ["a", "b"] | {"label": "description", ...} |
//                       {"labels": [...] | {label: description},
//                        "multi_label": bool, "cls_threshold": 0.5,
//                        "examples": [["input", "output"], ...], "prompt": "...",
//                        "class_act": "auto"|"sigmoid"|"softmax"}, ...}
//   extract_json       {"structure": [field_spec, ...], ...}        (field_spec.h)
//   extract_relations  ["works_for", ...] | "works_for" |
//                      {"works_for": "description" | null | {"description": ..., "threshold": ...}}
//   Schema.from_dict   {"entities": <extract_entities shape>,
//                       "structures": {"name": {"fields": [field_spec, ...]}, ...},
//                       "classifications": [{"task": "name", <classify_text task options>}, ...],
//                       "relations": <extract_relations shape>}
//
// Rejected everywhere: unknown keys, empty lists/objects of names or labels, empty (or whitespace
// only) names, duplicate names within one list, non-string names, thresholds outside [0, 1],
// values of the wrong type, strings that are not valid UTF-8.
//
// Deliberate differences from the reference, which is more permissive in ways that only produce
// garbage prompts or silently drop options: the checks above apply to every entry point (the
// reference validates only in Schema.from_dict, and even there ignores unknown keys, so a typo
// such as "mutli_label" went unnoticed); entity/relation configs other than a string, object or
// null, unknown `dtype`/`class_act` values and examples that are not [string, string] pairs are
// errors; from_dict's classifications honour `cls_threshold`, `examples`, `prompt`, `class_act`
// and label descriptions (the reference's from_dict drops them) and take a single label (its
// from_dict requires two); a null description means "no description" (the reference would print
// "None"). Examples whose output is not a label are accepted and left out of the prompt, as in the
// reference.
//
// Requests must be nlohmann::ordered_json so declaration order survives parsing.
#pragma once

#include <string>

#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

Schema schema_from_entity_types(const Json& entity_types, const std::string& path = "entities");
Schema schema_from_classification_tasks(const Json& tasks, const std::string& path = "tasks");
Schema schema_from_structures(const Json& structures, const std::string& path = "structures");
Schema schema_from_relation_types(const Json& relation_types,
                                  const std::string& path = "relations");
// `path` prefixes every section's path ("" gives "entities", "classifications[0]", ...).
Schema schema_from_dict(const Json& schema, const std::string& path = "");

}  // namespace spanguard::schemas
