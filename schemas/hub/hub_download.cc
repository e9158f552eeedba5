#include "schemas/hub/hub_download.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>

#include "schemas/hub/hub_cache.h"
#include "schemas/hub/hub_http.h"

namespace spanguard::schemas::hub {
namespace {

namespace fs = std::filesystem;

struct Settings {
    std::string endpoint;
    std::string token;
    bool offline = false;
    std::string cache;
    bool progress = false;
};

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

bool env_true(const char* name) {
    std::string v = env(name);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    return v == "1" || v == "true" || v == "yes" || v == "on";
}

Settings settings_for(const HubOptions& options) {
    Settings s;
    s.endpoint = env("HF_ENDPOINT");
    if (s.endpoint.empty()) s.endpoint = "https://huggingface.co";
    while (!s.endpoint.empty() && s.endpoint.back() == '/')
        s.endpoint.pop_back();
    s.token = options.token;
    if (s.token.empty()) s.token = env("HF_TOKEN");
    if (s.token.empty()) s.token = env("HUGGING_FACE_HUB_TOKEN");
    s.offline = options.offline || env_true("HF_HUB_OFFLINE");
    s.cache = options.cache_dir.empty() ? hub_cache_dir() : options.cache_dir;
    s.progress = isatty(STDERR_FILENO) != 0;
    return s;
}

std::string named(const HubReference& r) {
    return r.revision == "main" ? r.repo : r.repo + "@" + r.revision;
}

// The message for an HTTP error answer about `what` (the repository, a revision, a file).
[[noreturn]] void throw_http_error(const HttpResponse& response, const Settings& s,
                                   const HubReference& r, const std::string& what) {
    const auto code_header = response.headers.find("x-error-code");
    const std::string code = code_header == response.headers.end() ? "" : code_header->second;
    const std::string where = " on " + s.endpoint;
    if (response.status == 401) {
        if (!s.token.empty()) {
            throw std::runtime_error(named(r) + ": 401 Unauthorized" + where +
                                     ": the token in HF_TOKEN was not accepted for " + r.repo);
        }
        throw std::runtime_error(named(r) + ": 401 Unauthorized" + where + ": " + r.repo +
                                 " does not exist, or is private or gated; if you have access, "
                                 "set HF_TOKEN to an access token");
    }
    if (response.status == 403) {
        throw std::runtime_error(named(r) + ": 403 Forbidden" + where +
                                 ": your token has no access to " + r.repo +
                                 " (a gated model must be accepted on its page first)");
    }
    if (response.status == 404) {
        if (code == "RevisionNotFound") {
            throw std::runtime_error(named(r) + ": no revision '" + r.revision + "' in " + r.repo +
                                     where);
        }
        if (code == "EntryNotFound") {
            throw std::runtime_error(named(r) + ": no file " + what + " in " + r.repo + where);
        }
        throw std::runtime_error(named(r) + ": no repository " + r.repo + where);
    }
    throw std::runtime_error(named(r) + ": " + what + ": HTTP " + std::to_string(response.status) +
                             where);
}

// "W/\"abc\"" -> "abc".
std::string clean_etag(std::string etag) {
    if (etag.rfind("W/", 0) == 0) etag.erase(0, 2);
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"')
        etag = etag.substr(1, etag.size() - 2);
    return etag;
}

bool is_sha256(const std::string& text) {
    static const std::regex hex64("[0-9a-f]{64}");
    return std::regex_match(text, hex64);
}

std::string file_sha256(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(in.gcount()));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

// An exclusive advisory lock on a file (flock, as huggingface_hub's file locks), held while alive.
class FileLock {
  public:
    explicit FileLock(const fs::path& path) {
        fs::create_directories(path.parent_path());
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw std::runtime_error("cannot create the lock file " + path.string());
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) throw std::runtime_error("cannot lock " + path.string());
        }
    }
    ~FileLock() {
        if (fd_ >= 0) ::close(fd_);  // closing releases the lock
    }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int fd_ = -1;
};

void write_atomically(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    const fs::path temporary = path.string() + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) throw std::runtime_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, path);
}

// Draws "model.safetensors  42%  12.3 / 29.1 MB" on the terminal.
std::function<void(uint64_t, uint64_t)> progress_bar(const Settings& s, const std::string& file,
                                                     uint64_t already, uint64_t total) {
    if (!s.progress) return nullptr;
    return [file, already, total](uint64_t now, uint64_t) {
        const double done = static_cast<double>(already + now);
        if (total > 0) {
            std::fprintf(stderr, "\r%s  %3.0f%%  %.1f / %.1f MB", file.c_str(),
                         100.0 * done / static_cast<double>(total), done / 1e6,
                         static_cast<double>(total) / 1e6);
        } else {
            std::fprintf(stderr, "\r%s  %.1f MB", file.c_str(), done / 1e6);
        }
        std::fflush(stderr);
    };
}

struct RemoteFile {
    std::string name;
    std::string etag;
    uint64_t size = 0;  // 0 when the server did not say
};

// Downloads one blob (under its lock) unless the cache has it; returns its path.
fs::path ensure_blob(const Settings& s, const HubReference& r, const std::string& commit,
                     const RemoteFile& file) {
    const fs::path folder = repo_folder(s.cache, r.repo);
    const fs::path blob = folder / "blobs" / file.etag;
    std::error_code error;
    if (fs::is_regular_file(blob, error)) return blob;
    const fs::path lock_path =
        fs::path(s.cache) / ".locks" / folder.filename() / (file.etag + ".lock");
    FileLock lock(lock_path);
    if (fs::is_regular_file(blob, error)) return blob;  // another process finished it meanwhile
    fs::create_directories(blob.parent_path());
    const fs::path partial = blob.string() + ".incomplete";
    const std::string url = s.endpoint + "/" + r.repo + "/resolve/" + commit + "/" + file.name;

    std::string last_problem;
    for (int attempt = 0; attempt < 4; ++attempt) {
        const uint64_t have = fs::exists(partial, error) ? fs::file_size(partial, error) : 0;
        if (file.size > 0 && have == file.size) break;  // a previous attempt got every byte
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(partial.c_str(), "ab"),
                                                            std::fclose);
        if (!out) throw std::runtime_error("cannot write " + partial.string());
        HttpRequest request;
        request.url = url;
        request.token = s.token;
        request.sink = out.get();
        if (have > 0) request.range_from = have;
        request.progress = progress_bar(s, file.name, have, file.size);
        const HttpResponse response = http_request(request);
        out.reset();
        if (s.progress) std::fputc('\n', stderr);
        if (response.status == 200 && have > 0) {
            // The server ignored the Range request and sent the whole file after our part.
            fs::remove(partial, error);
            last_problem = "the server does not resume downloads";
            continue;
        }
        if (response.status >= 400 && response.status != 416) {
            fs::remove(partial, error);
            throw_http_error(response, s, r, file.name);
        }
        if (response.transport_error.empty()) break;
        last_problem = response.transport_error;
        if (!response.connected && attempt > 0) break;
    }
    const uint64_t got = fs::exists(partial, error) ? fs::file_size(partial, error) : 0;
    if (file.size > 0 && got != file.size) {
        throw std::runtime_error(
            named(r) + ": downloading " + file.name + " stopped at " + std::to_string(got) +
            " of " + std::to_string(file.size) + " bytes (" +
            (last_problem.empty() ? "no reason given" : last_problem) + "); run again to resume");
    }
    if (is_sha256(file.etag)) {
        const std::string actual = file_sha256(partial);
        if (actual != file.etag) {
            fs::remove(partial, error);
            throw std::runtime_error(named(r) + ": checksum mismatch for " + file.name +
                                     ": expected sha256 " + file.etag + ", got " + actual +
                                     "; the download was discarded");
        }
    }
    fs::rename(partial, blob);
    return blob;
}

void link_into_snapshot(const fs::path& snapshot, const std::string& name, const fs::path& blob) {
    const fs::path target = snapshot / name;
    std::error_code error;
    if (fs::is_regular_file(target, error)) return;
    fs::create_directories(target.parent_path());
    fs::remove(target, error);  // a dangling link
    const fs::path relative = fs::relative(blob, target.parent_path());
    fs::create_symlink(relative, target, error);
    if (error && !fs::is_regular_file(target)) {
        // A file system without symbolic links gets a copy, as huggingface_hub does.
        fs::copy_file(blob, target, fs::copy_options::overwrite_existing);
    }
}

// What a cached snapshot must hold, without a file list: a GLiNER2 or a GLiNER v1 checkpoint, with
// either weights file (v1) and the tokenizer in either of its two forms.
std::optional<std::string> cached_checkpoint(const Settings& s, const HubReference& r) {
    const auto commit = cached_commit(s.cache, r.repo, r.revision);
    if (!commit) return std::nullopt;
    const std::vector<std::vector<std::string>> bases = {
        {"config.json", "encoder_config/config.json", "model.safetensors"},
        {"gliner_config.json", "model.safetensors"},
        {"gliner_config.json", "pytorch_model.bin"},
    };
    for (const std::vector<std::string>& base : bases) {
        for (const char* tokenizer : {"tokenizer.json", "spm.model"}) {
            std::vector<std::string> files = base;
            files.emplace_back(tokenizer);
            if (auto snapshot = complete_snapshot(s.cache, r.repo, *commit, files)) {
                return snapshot;
            }
        }
    }
    return std::nullopt;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

// The tokenizer in one of the two forms the folder loader reads, or a note of its absence.
void add_tokenizer(const std::set<std::string>& present, std::vector<std::string>& files,
                   std::vector<std::string>& missing) {
    if (present.count("tokenizer.json") != 0) {
        files.push_back("tokenizer.json");
    } else if (present.count("spm.model") != 0) {
        files.push_back("spm.model");
        if (present.count("added_tokens.json") != 0) files.push_back("added_tokens.json");
    } else {
        missing.push_back("tokenizer.json (or spm.model)");
    }
}

std::vector<std::string> needed_v1_files(const std::string& repo,
                                         const std::vector<std::string>& listing,
                                         const std::set<std::string>& present) {
    std::vector<std::string> files = {"gliner_config.json"};
    std::vector<std::string> missing;
    // Read only when gliner_config.json carries no encoder_config
    // (core/weights/gliner_v1_config.h).
    if (present.count("encoder_config/config.json") != 0) {
        files.push_back("encoder_config/config.json");
    }
    // Upstream reads model.safetensors when a repository has both; many published v1 models have
    // only the pickle, which the engine reads as data (core/weights/checkpoint_weights.h).
    if (present.count("model.safetensors") != 0) {
        files.push_back("model.safetensors");
    } else if (present.count("pytorch_model.bin") != 0) {
        files.push_back("pytorch_model.bin");
    } else {
        missing.push_back("model.safetensors (or pytorch_model.bin)");
    }
    add_tokenizer(present, files, missing);
    for (const char* f : {"tokenizer_config.json", "special_tokens_map.json"}) {
        if (present.count(f) != 0) files.push_back(f);
    }
    if (!missing.empty()) {
        throw std::runtime_error(repo + " is not a GLiNER v1 checkpoint: it has no " +
                                 joined(missing) + " (it has: " + joined(listing) + ")");
    }
    return files;
}

}  // namespace

std::vector<std::string> needed_files(const std::string& repo,
                                      const std::vector<std::string>& listing) {
    const std::set<std::string> present(listing.begin(), listing.end());
    if (present.count("gliner_config.json") != 0 && present.count("config.json") == 0) {
        return needed_v1_files(repo, listing, present);
    }
    std::vector<std::string> files;
    std::vector<std::string> missing;
    for (const char* f : {"config.json", "encoder_config/config.json", "model.safetensors"}) {
        (present.count(f) != 0 ? files : missing).push_back(f);
    }
    add_tokenizer(present, files, missing);
    if (!missing.empty()) {
        const std::string has = listing.empty() ? "no files" : joined(listing);
        throw std::runtime_error(repo + " is not a GLiNER2 checkpoint: it has no " +
                                 joined(missing) + " (it has: " + has + ")" +
                                 (present.count("config.json") == 0
                                      ? "; nor a GLiNER v1 one: no gliner_config.json"
                                      : ""));
    }
    return files;
}

std::string fetch_model(const HubReference& r, const HubOptions& options) {
    const Settings s = settings_for(options);
    if (s.offline) {
        if (auto snapshot = cached_checkpoint(s, r)) return *snapshot;
        const std::string why = options.offline ? "local files only" : "HF_HUB_OFFLINE is set";
        throw std::runtime_error(named(r) + ": " + why + " and the model is not in the cache (" +
                                 s.cache + "); download it once without " +
                                 (options.offline ? "that" : "HF_HUB_OFFLINE"));
    }
    HttpRequest info;
    info.url = s.endpoint + "/api/models/" + r.repo + "/revision/" + url_escape(r.revision);
    info.token = s.token;
    const HttpResponse listing = http_request(info);
    if (listing.status == 0) {
        // No answer: the cache serves, as it does offline.
        if (auto snapshot = cached_checkpoint(s, r)) return *snapshot;
        throw std::runtime_error(named(r) + ": cannot reach " + s.endpoint + " (" +
                                 listing.transport_error + ") and the model is not in the cache (" +
                                 s.cache + ")");
    }
    if (listing.status != 200) throw_http_error(listing, s, r, "the repository");
    const nlohmann::json body = nlohmann::json::parse(listing.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("sha") ||
        !body["sha"].is_string()) {
        throw std::runtime_error(named(r) + ": " + s.endpoint +
                                 " answered the revision lookup with something that is not "
                                 "the Hub's JSON");
    }
    const std::string commit = body["sha"].get<std::string>();
    if (!std::regex_match(commit, std::regex("[0-9a-f]{40}"))) {
        throw std::runtime_error(named(r) + ": the revision lookup gave no commit hash");
    }
    std::vector<std::string> names;
    if (body.contains("siblings") && body["siblings"].is_array()) {
        for (const auto& sibling : body["siblings"]) {
            if (sibling.is_object() && sibling.contains("rfilename") &&
                sibling["rfilename"].is_string()) {
                names.push_back(sibling["rfilename"].get<std::string>());
            }
        }
    }
    const std::vector<std::string> files = needed_files(r.repo, names);
    const fs::path folder = repo_folder(s.cache, r.repo);
    const fs::path snapshot = folder / "snapshots" / commit;
    for (const std::string& name : files) {
        std::error_code error;
        if (fs::is_regular_file(snapshot / name, error)) continue;
        HttpRequest head;
        head.url = s.endpoint + "/" + r.repo + "/resolve/" + commit + "/" + name;
        head.head = true;
        head.follow_redirects = false;
        head.token = s.token;
        const HttpResponse meta = http_request(head);
        if (meta.status == 0) {
            throw std::runtime_error(named(r) + ": cannot reach " + s.endpoint + " (" +
                                     meta.transport_error + ")");
        }
        if (meta.status >= 400) throw_http_error(meta, s, r, name);
        RemoteFile file{name, "", 0};
        for (const char* key : {"x-linked-etag", "etag"}) {
            if (auto it = meta.headers.find(key); it != meta.headers.end() && file.etag.empty()) {
                file.etag = clean_etag(it->second);
            }
        }
        for (const char* key : {"x-linked-size", "content-length"}) {
            if (auto it = meta.headers.find(key); it != meta.headers.end() && file.size == 0) {
                file.size = std::strtoull(it->second.c_str(), nullptr, 10);
            }
        }
        if (file.etag.empty() || file.etag.find('/') != std::string::npos ||
            file.etag.find("..") != std::string::npos) {
            throw std::runtime_error(named(r) + ": the server gave no usable ETag for " + name);
        }
        link_into_snapshot(snapshot, name, ensure_blob(s, r, commit, file));
    }
    if (r.revision != commit) write_atomically(folder / "refs" / r.revision, commit);
    return snapshot.string();
}

std::string resolve_model(const std::string& argument, const HubOptions& options) {
    std::optional<HubReference> reference;
    try {
        reference = parse_hub_reference(argument);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());
    }
    return reference ? fetch_model(*reference, options) : argument;
}

}  // namespace spanguard::schemas::hub
