// `spanguard models`: the published model families by alias, and what the shared Hugging Face
// cache holds (hub_cache.h). `spanguard models --fetch ID` downloads one without running it.
#include <cstdio>
#include <string>

#include "schemas/cli/commands.h"
#include "schemas/cli/option_table.h"
#include "schemas/hub/hub_cache.h"
#include "schemas/hub/hub_download.h"
#include "schemas/hub/hub_reference.h"

namespace spanguard::cli {
namespace {

constexpr const char* kUsage =
    "usage: spanguard models [--fetch ID]\n"
    "\n"
    "Lists the published GLiNER2 and GLiNER v1 models by alias (any command's --model takes an\n"
    "alias, a Hub id ORG/NAME[@REVISION] or a folder) and the models in the Hugging Face cache.\n"
    "Environment: HF_HOME / HF_HUB_CACHE (cache), HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE=1.\n"
    "\n";

struct Options {
    std::string fetch;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("options:")
        .option("--fetch", "ID", "download a model (alias, ORG/NAME[@REV]) and print its folder",
                [&o](const std::string& v) { o.fetch = v; })
        .option("--help|-h", "", "show this help", [help](const std::string&) { *help = true; });
}

void finish(Options&) {}

std::string human_size(uint64_t bytes) {
    char text[32];
    if (bytes >= (uint64_t{1} << 30)) {
        std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
    } else {
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    }
    return text;
}

}  // namespace

int run_models(const Args& args) {
    Options options;
    if (const auto status = read_command_line("models", args, declare, finish, kUsage, &options)) {
        return *status;
    }
    if (!options.fetch.empty()) {
        const auto reference = schemas::hub::parse_hub_reference(options.fetch);
        if (!reference) {
            std::fprintf(stderr, "spanguard models: '%s' is not a Hub id or alias\n",
                         options.fetch.c_str());
            return 2;
        }
        std::printf("%s\n", schemas::hub::fetch_model(*reference).c_str());
        return 0;
    }
    std::printf("published models (alias -> Hugging Face repository):\n");
    bool any_v1 = false;
    for (const auto& m : schemas::hub::known_models()) {
        std::printf("  %-24s %-42s %s\n", m.alias.c_str(), m.repo.c_str(), m.about.c_str());
        any_v1 = any_v1 || m.gliner_v1;
    }
    if (any_v1) {
        std::printf(
            "GLiNER v1 models find entity types only; in Python: "
            "spanguard.GLiNER.from_pretrained(ALIAS).\n");
    }
    const std::string cache = schemas::hub::hub_cache_dir();
    const auto cached = schemas::hub::cached_models(cache);
    std::printf("\nin the cache %s:\n", cache.c_str());
    if (cached.empty()) std::printf("  (nothing)\n");
    for (const auto& m : cached) {
        std::string revisions;
        for (const auto& r : m.revisions)
            revisions += (revisions.empty() ? "" : ", ") + r.substr(0, 12);
        std::printf("  %-42s %9s  %s\n", m.repo.c_str(), human_size(m.bytes).c_str(),
                    revisions.c_str());
    }
    return 0;
}

}  // namespace spanguard::cli
