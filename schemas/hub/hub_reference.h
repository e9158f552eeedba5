// Which model a --model argument names: a local folder, a Hugging Face Hub repository id
// ("ORG/NAME", "ORG/NAME@REVISION") or a short alias of a published model ("gliner2-base",
// "gliner-multi-pii").
//
// An argument that names an existing path is always a folder, so a folder called "org/name" in
// the working directory wins over the Hub. Aliases are resolved to their repository ids.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spanguard::schemas::hub {

struct HubReference {
    std::string repo;               // "fastino/gliner2-base-v1"
    std::string revision = "main";  // branch, tag or 40-hex commit
};

// The published model families spanguard runs, by short alias.
struct KnownModel {
    std::string alias;  // "gliner2-base"
    std::string repo;   // "fastino/gliner2-base-v1"
    std::string about;  // one line for `spanguard models`
    // The preset a command picks for it when the user names none: "pii" for redact, "" = none.
    std::string redact_preset;
    // A GLiNER v1 checkpoint (gliner_config.json; schemas/gliner_v1/v1_model.h): entity types
    // only, read by spanguard.GLiNER in Python.
    bool gliner_v1 = false;
};
const std::vector<KnownModel>& known_models();

// nullopt when `argument` is an existing path, or is neither an alias nor shaped like a
// repository id. Throws std::invalid_argument for an id with an empty or malformed revision
// ("org/name@").
std::optional<HubReference> parse_hub_reference(const std::string& argument);

// The known model whose repository is `repo` (case-sensitive), if any.
const KnownModel* known_model_for_repo(const std::string& repo);

}  // namespace spanguard::schemas::hub
