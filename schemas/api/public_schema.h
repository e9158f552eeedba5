// Private to the public API's implementation: what a spanguard::Schema holds.
#pragma once

#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"
#include "spanguard/spanguard.h"

namespace spanguard {

// The request as JSON (the shape Schema::from_json reads, kept for to_json and for rebuilding
// after each builder call) and its parsed, validated form.
struct Schema::Impl {
    schemas::Json request = schemas::Json::object();
    schemas::Schema parsed;
};

}  // namespace spanguard
