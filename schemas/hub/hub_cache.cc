#include "schemas/hub/hub_cache.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

namespace spanguard::schemas::hub {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

bool is_commit(const std::string& revision) {
    static const std::regex hex40("[0-9a-f]{40}");
    return std::regex_match(revision, hex40);
}

}  // namespace

std::string hub_cache_dir() {
    if (std::string v = env("HF_HUB_CACHE"); !v.empty()) return v;
    if (std::string v = env("HUGGINGFACE_HUB_CACHE"); !v.empty()) return v;
    if (std::string v = env("HF_HOME"); !v.empty()) return (fs::path(v) / "hub").string();
    std::string base = env("XDG_CACHE_HOME");
    if (base.empty())
        base = (fs::path(env("HOME").empty() ? "." : env("HOME")) / ".cache").string();
    return (fs::path(base) / "huggingface" / "hub").string();
}

std::string repo_folder(const std::string& cache, const std::string& repo) {
    std::string name = "models--";
    for (char c : repo) {
        if (c == '/') {
            name += "--";
        } else {
            name += c;
        }
    }
    return (fs::path(cache) / name).string();
}

std::optional<std::string> cached_commit(const std::string& cache, const std::string& repo,
                                         const std::string& revision) {
    if (is_commit(revision)) return revision;
    std::ifstream in(fs::path(repo_folder(cache, repo)) / "refs" / revision);
    std::string commit((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!commit.empty() && (commit.back() == '\n' || commit.back() == ' '))
        commit.pop_back();
    if (!in.good() && commit.empty()) return std::nullopt;
    if (!is_commit(commit)) return std::nullopt;
    return commit;
}

std::optional<std::string> complete_snapshot(const std::string& cache, const std::string& repo,
                                             const std::string& commit,
                                             const std::vector<std::string>& files) {
    const fs::path snapshot = fs::path(repo_folder(cache, repo)) / "snapshots" / commit;
    std::error_code error;
    if (!fs::is_directory(snapshot, error)) return std::nullopt;
    for (const std::string& f : files) {
        if (!fs::is_regular_file(snapshot / f, error)) return std::nullopt;
    }
    return snapshot.string();
}

std::vector<CachedModel> cached_models(const std::string& cache) {
    std::vector<CachedModel> out;
    std::error_code error;
    if (!fs::is_directory(cache, error)) return out;
    std::set<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(cache, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory(error) && name.rfind("models--", 0) == 0)
            folders.insert(entry.path());
    }
    for (const fs::path& folder : folders) {
        CachedModel m;
        const std::string id = folder.filename().string().substr(8);
        const size_t sep = id.find("--");
        m.repo = sep == std::string::npos ? id : id.substr(0, sep) + "/" + id.substr(sep + 2);
        for (const char* sub : {"refs", "snapshots"}) {
            std::set<std::string> names;
            for (const auto& e : fs::directory_iterator(folder / sub, error))
                names.insert(e.path().filename().string());
            m.revisions.insert(m.revisions.end(), names.begin(), names.end());
        }
        for (const auto& e : fs::directory_iterator(folder / "blobs", error)) {
            if (e.is_regular_file(error)) m.bytes += e.file_size(error);
        }
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace spanguard::schemas::hub
