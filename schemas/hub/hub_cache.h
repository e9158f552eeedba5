// The Hugging Face cache layout, shared with huggingface_hub and every tool built on it:
//   <cache>/models--ORG--NAME/refs/<revision>        the commit a branch or tag points to
//   <cache>/models--ORG--NAME/snapshots/<commit>/<f> symlink to ../../blobs/<etag>
//   <cache>/models--ORG--NAME/blobs/<etag>           the file's bytes (etag: sha256 for LFS files)
//   <cache>/.locks/models--ORG--NAME/<etag>.lock     held while a blob is written
// <cache> is $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub. A model another tool downloaded is used as it is, and what spanguard
// downloads is seen by the others.
// Thread safety: functions on the file system; concurrent writers coordinate through the locks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spanguard::schemas::hub {

std::string hub_cache_dir();

// "<cache>/models--ORG--NAME".
std::string repo_folder(const std::string& cache, const std::string& repo);

// The commit `revision` stands for in the cache: the revision itself when it is a 40-hex commit,
// else the content of refs/<revision>; nullopt when unknown.
std::optional<std::string> cached_commit(const std::string& cache, const std::string& repo,
                                         const std::string& revision);

// The snapshot folder of `commit` when it holds every one of `files` (as readable files, links
// followed); nullopt otherwise.
std::optional<std::string> complete_snapshot(const std::string& cache, const std::string& repo,
                                             const std::string& commit,
                                             const std::vector<std::string>& files);

// What the cache holds, for `spanguard models`.
struct CachedModel {
    std::string repo;
    std::vector<std::string> revisions;  // refs/* names and snapshot commits
    uint64_t bytes = 0;                  // sum of the blobs
};
std::vector<CachedModel> cached_models(const std::string& cache);

}  // namespace spanguard::schemas::hub
