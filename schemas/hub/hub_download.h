// Resolving a --model argument to a local checkpoint folder, downloading a Hub repository into the
// shared cache (hub_cache.h) when needed.
//
// Download (libcurl, from $HF_ENDPOINT, default https://huggingface.co):
//   1. GET /api/models/ORG/NAME/revision/REV: the commit and the file list;
//   2. per file the checkpoint needs (needed_files(): a GLiNER2 or a GLiNER v1 folder):
//      HEAD /ORG/NAME/resolve/COMMIT/FILE for its ETag (X-Linked-Etag for LFS files) and size; a
//      blob already in the cache is reused;
//   3. else, under the blob's lock, GET (redirects followed) into blobs/<etag>.incomplete, resumed
//      with a Range request when a previous attempt left one; an LFS file's sha256 must equal its
//      ETag (a mismatch deletes the file and is an error); then renamed into place, so a partial
//      file is never visible under its final name, and linked from the snapshot.
// $HF_TOKEN (or $HUGGING_FACE_HUB_TOKEN) is sent as a Bearer token. $HF_HUB_OFFLINE=1 uses the
// cache only. When the endpoint cannot be reached, a complete cached snapshot of the revision is
// used. A progress bar is drawn on stderr when it is a terminal.
//
// Errors (std::runtime_error) say what failed: an unknown repository or revision, a missing file,
// 401 without (or with a rejected) token, a checksum mismatch, no network in offline mode.
// Thread safety: safe to call from several threads and processes at once (blob locks).
#pragma once

#include <string>
#include <vector>

#include "schemas/hub/hub_reference.h"

namespace spanguard::schemas::hub {

// Per-call settings for callers that take them as arguments (Python's from_pretrained(cache_dir=,
// token=, local_files_only=)); what is left empty or false comes from the environment.
struct HubOptions {
    std::string cache_dir;  // instead of HF_HUB_CACHE / HF_HOME
    std::string token;      // instead of HF_TOKEN
    bool offline = false;   // as HF_HUB_OFFLINE=1
};

// A local folder as given; a Hub id or alias as the folder of its cached snapshot, downloaded
// first when needed.
std::string resolve_model(const std::string& argument, const HubOptions& options = {});

// The snapshot folder of `reference` (downloading what is missing).
std::string fetch_model(const HubReference& reference, const HubOptions& options = {});

// The files of a repository listing that the checkpoint needs, or an error naming what is
// missing. A listing with gliner_config.json and no config.json is a GLiNER v1 checkpoint:
// gliner_config.json (+ encoder_config/config.json when listed), model.safetensors or else
// pytorch_model.bin, tokenizer.json or else spm.model (+ added_tokens.json), and
// tokenizer_config.json / special_tokens_map.json when listed, so that the snapshot is also a
// folder upstream's GLiNER.from_pretrained can read. Anything else is read as GLiNER2:
// config.json, encoder_config/config.json, model.safetensors, tokenizer.json or else spm.model
// (+ added_tokens.json).
std::vector<std::string> needed_files(const std::string& repo,
                                      const std::vector<std::string>& listing);

}  // namespace spanguard::schemas::hub
