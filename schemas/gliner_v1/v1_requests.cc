#include "schemas/gliner_v1/v1_requests.h"

#include <algorithm>

#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {

std::vector<std::string> v1_entity_types(const Schema& schema, const std::string& path) {
    const std::string what = path.empty() ? std::string("schema") : path;
    if (!schema.structures.empty() || !schema.relations.empty() ||
        !schema.classifications.empty()) {
        throw RequestError(what,
                           "a GLiNER v1 model extracts entity types only (no structures, "
                           "relations or classifications)");
    }
    if (schema.entities.empty()) throw RequestError(what, "give at least one entity type");
    std::vector<std::string> out;
    for (size_t i = 0; i < schema.entities.size(); ++i) {
        const EntityType& e = schema.entities[i];
        const std::string at = key_path(key_path(path, "entities"), e.name);
        if (e.description) {
            throw RequestError(at, "a GLiNER v1 model takes no entity descriptions");
        }
        if (e.threshold) {
            throw RequestError(at,
                               "a GLiNER v1 model takes one threshold for all entity types, "
                               "not one per type");
        }
        out.push_back(e.name);
    }
    return out;
}

std::vector<BlockResult> v1_blocks(const Schema& schema, const V1Result& result) {
    EntitiesResult entities;
    entities.gate_open = true;
    for (const EntityType& type : schema.entities) {
        EntityValue value;
        value.name = type.name;
        value.dtype = type.dtype;
        for (const V1Entity& e : result.entities) {
            if (e.label != type.name) continue;
            value.spans.push_back(SpanMatch{e.text, e.score, e.start, e.end});
        }
        std::stable_sort(
            value.spans.begin(), value.spans.end(),
            [](const SpanMatch& a, const SpanMatch& b) { return a.confidence > b.confidence; });
        if (type.dtype == ValueType::kStr && value.spans.size() > 1) value.spans.resize(1);
        entities.types.push_back(std::move(value));
    }
    return {BlockResult{"entities", std::move(entities)}};
}

}  // namespace spanguard::schemas
