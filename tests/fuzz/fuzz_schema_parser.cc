// Fuzzes the schema parsers (schemas/schema/schema_parser.h): the input is parsed as JSON (ordered,
// as requests are), handed to one entry point chosen by the JSON value's shape, and an accepted
// schema is turned into prompt tokens (build_task_blocks, build_choice_prefix, linearize).
#include <cstdint>
#include <string>
#include <vector>

#include "schemas/prompt/prompt_builder.h"
#include "schemas/schema/json_values.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "tests/fuzz/fuzz_support.h"

using namespace spanguard;

namespace {

schemas::Schema parse_schema(const schemas::Json& j) {
    // {"entities"|"classifications"|"structures"|"relations": ...} goes to schema_from_dict as
    // well as to the section parser of its first key's kind, so every entry point is reached.
    if (j.is_object() && !j.empty()) {
        const std::string& key = j.begin().key();
        const schemas::Json& value = j.begin().value();
        try {
            if (key == "e") (void)schemas::schema_from_entity_types(value);
            if (key == "c") (void)schemas::schema_from_classification_tasks(value);
            if (key == "s") (void)schemas::schema_from_structures(value);
            if (key == "r") (void)schemas::schema_from_relation_types(value);
        } catch (const schemas::RequestError&) {
        }
    }
    return schemas::schema_from_dict(j);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    schemas::Json j;
    try {
        j = schemas::Json::parse(fuzz::as_text(data, size));
    } catch (const schemas::Json::exception&) {
        return 0;
    }
    try {
        const schemas::Schema schema = parse_schema(j);
        const std::vector<schemas::TaskBlock> blocks = schemas::build_task_blocks(schema);
        const std::vector<std::string> prefix = schemas::build_choice_prefix(schema);
        const std::vector<std::string> tokens = schemas::linearize(blocks, prefix);
        // Every block appears in the linearised sequence, with "[SEP_TEXT]" after them.
        size_t block_tokens = 0;
        for (const auto& b : blocks)
            block_tokens += b.tokens.size();
        FUZZ_CHECK(tokens.size() >= block_tokens + 1 + prefix.size());
    } catch (const schemas::RequestError&) {
    }
    return 0;
}
