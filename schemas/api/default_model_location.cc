// Model::default_directory: where the shipped model is, seen from the library itself, so a
// program linked against an installed libspanguard finds the model installed beside it.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "spanguard/spanguard.h"

// Set by schemas/CMakeLists.txt to the source tree's data/models/spanguard-small-v1.
#ifndef SPANGUARD_SOURCE_MODEL
#define SPANGUARD_SOURCE_MODEL "data/models/spanguard-small-v1"
#endif

namespace spanguard {
namespace {

// The file this code was loaded from: libspanguard.so, or the executable it is linked into.
std::filesystem::path own_file() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&own_file), &info) != 0 && info.dli_fname != nullptr) {
        std::error_code error;
        const auto path = std::filesystem::canonical(info.dli_fname, error);
        if (!error) return path;
    }
    return {};
}

}  // namespace

std::string Model::default_directory() {
    if (const char* env = std::getenv("SPANGUARD_MODEL"); env != nullptr && *env != '\0') {
        return env;
    }
    const std::filesystem::path self = own_file();
    if (!self.empty()) {
        // <prefix>/lib/libspanguard.so, <prefix>/bin/<program> and
        // <prefix>/lib/<multiarch>/libspanguard.so all lead to <prefix>/share/spanguard/models.
        for (const std::filesystem::path& prefix :
             {self.parent_path().parent_path(), self.parent_path().parent_path().parent_path()}) {
            const auto installed = prefix / "share" / "spanguard" / "models" / "spanguard-small-v1";
            std::error_code error;
            if (std::filesystem::is_regular_file(installed / "config.json", error)) {
                return installed.string();
            }
        }
    }
    return SPANGUARD_SOURCE_MODEL;
}

}  // namespace spanguard
