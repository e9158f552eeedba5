// A Schema written back in the Schema.from_dict request shape (schema_parser.h), so that
// schema_from_dict(schema_to_dict(s)) rebuilds `s`. Lets Python show, compare and serialise schemas
// made with the create_schema() builder. Pure function.
#pragma once

#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"

namespace spanguard::python {

// Sections appear only when non-empty; options equal to their defaults are still written for
// classification tasks (multi_label, cls_threshold, class_act) so the dict reads unambiguously.
schemas::Json schema_to_dict(const schemas::Schema& schema);

// One classification task as a from_dict "classifications" entry ({"task", "labels", ...}).
schemas::Json classification_to_dict(const schemas::ClassificationTask& task);

}  // namespace spanguard::python
