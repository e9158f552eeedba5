// Task-layer requests on a GLiNER v1 model: a GLiNER v1 checkpoint answers entity types only, with
// one threshold, so a Schema for it may hold entities and nothing else. Model (schemas/model.h)
// uses these to serve extract, redact and the server's entity calls from a v1 folder with the
// same result shapes as a GLiNER2 one (output_format.h).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "schemas/decoding/decode_results.h"
#include "schemas/gliner_v1/v1_model.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

// The entity type names of `schema`, in order. Throws RequestError at `path` for structures,
// relations, classifications, descriptions or per-type thresholds (none of which a GLiNER v1
// prompt can carry), or no entity types at all.
std::vector<std::string> v1_entity_types(const Schema& schema, const std::string& path);

// The decoded blocks of one text, as the GLiNER2 decoder gives them: one entities block with
// every requested type, its spans in confidence order (`str` types keep the best one).
std::vector<BlockResult> v1_blocks(const Schema& schema, const V1Result& result);

}  // namespace spanguard::schemas
