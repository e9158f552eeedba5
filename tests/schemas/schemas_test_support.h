// Shared fixtures of the schemas tests: the parity checkpoints' tokenizer, loaded once, and the
// schemas the parity README names by placeholder.
#pragma once

#include <stdexcept>
#include <string>

#include "schemas/prompt/checkpoint_tokenizer.h"
#include "schemas/schema/schema_parser.h"
#include "shared_fixtures.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::schemas::testing {

inline std::string parity_dir(const std::string& checkpoint) {
    return spanguard::testing::shared_dir() + "/reference/parity/" + checkpoint;
}

// The parity checkpoints' tokenizer: the real DeBERTa-v3 spm.model with the GLiNER2 markers at
// 128001..128010, the same files (byte for byte) as data/tokenizers/deberta-v3, which the
// repository ships.
inline const tokenizer::Tokenizer& parity_tokenizer() {
    static const tokenizer::Tokenizer tok = load_checkpoint_tokenizer(
        std::string(SPANGUARD_SOURCE_DIR) + "/data/tokenizers/deberta-v3");
    return tok;
}

// "SCHEMA_COMBINED" and "SCHEMA_ENTS" of shared/reference/parity/README.md, in the Schema.from_dict
// form. (The structure comes first in the reference's block order whatever the key order here.)
inline Json parity_schema_placeholder(const std::string& name) {
    if (name == "SCHEMA_COMBINED") {
        return Json::parse(R"({
            "entities": ["person", "company", "location"],
            "classifications": [{"task": "topic", "labels": ["business", "sports", "science"]}],
            "relations": ["works_for"],
            "structures": {"profile": {"fields": [{"name": "name", "dtype": "str"},
                                                  {"name": "role", "dtype": "str"},
                                                  {"name": "employer", "dtype": "list"}]}}})");
    }
    if (name == "SCHEMA_ENTS") {
        return Json::parse(R"({"entities": ["person", "organization", "city", "year"]})");
    }
    throw std::runtime_error("unknown schema placeholder " + name);
}

}  // namespace spanguard::schemas::testing
