#include "schemas/cli/model_location.h"

#include <cstdlib>
#include <filesystem>

#include "schemas/cli/arguments.h"
#include "schemas/hub/hub_download.h"

// Set by schemas/CMakeLists.txt to the source tree's data/models/spanguard-small-v1.
#ifndef SPANGUARD_DEFAULT_MODEL
#define SPANGUARD_DEFAULT_MODEL "data/models/spanguard-small-v1"
#endif

namespace spanguard::cli {

std::string built_in_model_dir() {
    // An installed binary finds the model the install put beside it, wherever the prefix is.
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        const std::filesystem::path installed = exe.parent_path().parent_path() / "share" /
                                                "spanguard" / "models" / "spanguard-small-v1";
        if (std::filesystem::is_regular_file(installed / "config.json", error)) {
            return installed.string();
        }
    }
    return SPANGUARD_DEFAULT_MODEL;
}

std::string resolve_model_dir(const std::string& given) {
    if (!given.empty()) return schemas::hub::resolve_model(given);
    std::error_code ignored;
    if (const char* env = std::getenv("SPANGUARD_MODEL"); env != nullptr && *env != '\0') {
        if (schemas::hub::parse_hub_reference(env)) return schemas::hub::resolve_model(env);
        if (!std::filesystem::is_directory(env, ignored)) {
            throw UsageError("--model DIR is required: no --model given, and SPANGUARD_MODEL='" +
                             std::string(env) + "' is not a folder");
        }
        return env;
    }
    const std::string dir = built_in_model_dir();
    // config.json rather than the folder: the folder exists while the model is still being made.
    if (!std::filesystem::is_regular_file(dir + "/config.json", ignored)) {
        throw UsageError(
            "--model DIR is required: no --model given, SPANGUARD_MODEL is not set, "
            "and the default model '" +
            dir + "' does not exist (no config.json)");
    }
    return dir;
}

}  // namespace spanguard::cli
