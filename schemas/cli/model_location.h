// Which model folder a command runs when --model is not given: $SPANGUARD_MODEL if set, else the
// shipped model: ../share/spanguard/models/spanguard-small-v1 beside an installed binary
// (`cmake --install`), else data/models/spanguard-small-v1 of the source tree it was built from.
#pragma once

#include <string>

namespace spanguard::cli {

// `given` when non-empty (a folder as given; a Hub id or alias as its cached snapshot, downloaded
// when needed: schemas/hub/hub_download.h), else the default above. Throws UsageError naming where
// the default came from when that folder does not exist.
std::string resolve_model_dir(const std::string& given);

// The folder used when neither --model nor $SPANGUARD_MODEL is given (for --help).
std::string built_in_model_dir();

}  // namespace spanguard::cli
