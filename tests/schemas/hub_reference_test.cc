// Which --model arguments name Hub repositories (schemas/hub/hub_reference.h) and where the cache
// keeps them (schemas/hub/hub_cache.h).
#include "schemas/hub/hub_reference.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "schemas/hub/hub_cache.h"
#include "schemas/hub/hub_download.h"

namespace spanguard::schemas::hub {
namespace {

namespace fs = std::filesystem;

TEST(HubReferenceTest, IdsAliasesAndRevisions) {
    auto r = parse_hub_reference("fastino/gliner2-base-v1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repo, "fastino/gliner2-base-v1");
    EXPECT_EQ(r->revision, "main");
    r = parse_hub_reference("acme/model.v2@refs/pr/3");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repo, "acme/model.v2");
    EXPECT_EQ(r->revision, "refs/pr/3");
    r = parse_hub_reference("gliguard@v1.0");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repo, "fastino/gliguard-LLMGuardrails-300M");
    EXPECT_EQ(r->revision, "v1.0");
    EXPECT_EQ(known_model_for_repo("fastino/gliner2-privacy-filter-PII-multi")->redact_preset,
              "pii");
    EXPECT_FALSE(known_model_for_repo("fastino/gliner2-base-v1")->gliner_v1);
    // GLiNER v1 aliases.
    r = parse_hub_reference("gliner-multi-pii");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->repo, "urchade/gliner_multi_pii-v1");
    EXPECT_TRUE(known_model_for_repo(r->repo)->gliner_v1);
    for (const auto& [alias, repo] : std::vector<std::pair<std::string, std::string>>{
             {"gliner-small", "urchade/gliner_small-v2.1"},
             {"gliner-medium", "urchade/gliner_medium-v2.1"},
             {"gliner-large", "urchade/gliner_large-v2.1"},
             {"gliner-multi", "urchade/gliner_multi-v2.1"},
             {"nvidia-gliner-pii", "nvidia/gliner-PII"},
             {"knowledgator-gliner-pii", "knowledgator/gliner-pii-base-v1.0"}}) {
        r = parse_hub_reference(alias);
        ASSERT_TRUE(r) << alias;
        EXPECT_EQ(r->repo, repo);
        EXPECT_TRUE(known_model_for_repo(repo)->gliner_v1) << repo;
    }
    // Not ids: folder-like paths are left to the folder loader.
    EXPECT_FALSE(parse_hub_reference("models/a/b"));
    EXPECT_FALSE(parse_hub_reference("/abs/path"));
    EXPECT_FALSE(parse_hub_reference("./x/y"));
    EXPECT_FALSE(parse_hub_reference("a/../b"));
    EXPECT_FALSE(parse_hub_reference(""));
    EXPECT_THROW(parse_hub_reference("acme/model@"), std::invalid_argument);
    EXPECT_THROW(parse_hub_reference("acme/model@a b"), std::invalid_argument);
    EXPECT_THROW(parse_hub_reference("acme/model@../x"), std::invalid_argument);
}

TEST(HubReferenceTest, AnExistingFolderWinsOverTheHub) {
    const fs::path dir = fs::temp_directory_path() / "spanguard_hub_ref_test";
    fs::create_directories(dir / "acme" / "model");
    const fs::path saved = fs::current_path();
    fs::current_path(dir);
    EXPECT_FALSE(parse_hub_reference("acme/model"));
    EXPECT_EQ(resolve_model("acme/model"), "acme/model");
    fs::current_path(saved);
    fs::remove_all(dir);
}

TEST(HubCacheTest, LayoutOfTheSharedCache) {
    EXPECT_EQ(repo_folder("/c", "fastino/gliner2-base-v1"), "/c/models--fastino--gliner2-base-v1");
    const fs::path cache = fs::temp_directory_path() / "spanguard_hub_cache_test";
    fs::remove_all(cache);
    const std::string commit = "0123456789abcdef0123456789abcdef01234567";
    const fs::path repo = repo_folder(cache.string(), "acme/m");
    fs::create_directories(repo / "refs");
    std::ofstream(repo / "refs" / "main") << commit;
    EXPECT_EQ(cached_commit(cache.string(), "acme/m", "main"), commit);
    EXPECT_EQ(cached_commit(cache.string(), "acme/m", commit), commit);
    EXPECT_FALSE(cached_commit(cache.string(), "acme/m", "dev"));
    fs::create_directories(repo / "blobs");
    fs::create_directories(repo / "snapshots" / commit);
    std::ofstream(repo / "blobs" / "abc") << "12345";
    fs::create_symlink("../../blobs/abc", repo / "snapshots" / commit / "config.json");
    EXPECT_TRUE(complete_snapshot(cache.string(), "acme/m", commit, {"config.json"}));
    EXPECT_FALSE(complete_snapshot(cache.string(), "acme/m", commit, {"config.json", "x"}));
    const auto models = cached_models(cache.string());
    ASSERT_EQ(models.size(), 1u);
    EXPECT_EQ(models[0].repo, "acme/m");
    EXPECT_EQ(models[0].bytes, 5u);
    fs::remove_all(cache);
}

TEST(HubCacheTest, CacheFolderFollowsTheHuggingFaceVariables) {
    setenv("HF_HUB_CACHE", "/x/hub-cache", 1);
    EXPECT_EQ(hub_cache_dir(), "/x/hub-cache");
    unsetenv("HF_HUB_CACHE");
    setenv("HF_HOME", "/y/hf", 1);
    EXPECT_EQ(hub_cache_dir(), "/y/hf/hub");
    unsetenv("HF_HOME");
    setenv("XDG_CACHE_HOME", "/z", 1);
    EXPECT_EQ(hub_cache_dir(), "/z/huggingface/hub");
    unsetenv("XDG_CACHE_HOME");
}

TEST(HubDownloadTest, NeededFilesOfAListing) {
    EXPECT_EQ(needed_files("a/b", {"README.md", "config.json", "encoder_config/config.json",
                                   "model.safetensors", "spm.model", "added_tokens.json",
                                   "tokenizer_config.json"}),
              (std::vector<std::string>{"config.json", "encoder_config/config.json",
                                        "model.safetensors", "spm.model", "added_tokens.json"}));
    EXPECT_EQ(needed_files("a/b", {"config.json", "encoder_config/config.json", "model.safetensors",
                                   "tokenizer.json", "spm.model"})
                  .back(),
              "tokenizer.json");
    try {
        needed_files("a/b", {"config.json", "pytorch_model.bin"});
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(),
                     "a/b is not a GLiNER2 checkpoint: it has no encoder_config/config.json, "
                     "model.safetensors, tokenizer.json (or spm.model) (it has: config.json, "
                     "pytorch_model.bin)");
    }
    try {
        needed_files("a/b", {"README.md"});
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(),
                     "a/b is not a GLiNER2 checkpoint: it has no config.json, "
                     "encoder_config/config.json, model.safetensors, tokenizer.json (or "
                     "spm.model) (it has: README.md); nor a GLiNER v1 one: no gliner_config.json");
    }
}

TEST(HubDownloadTest, NeededFilesOfAGlinerV1Listing) {
    // The layout upstream's save_pretrained writes: the pickle only, both tokenizer forms.
    EXPECT_EQ(needed_files(
                  "a/b", {".gitattributes", "README.md", "added_tokens.json", "gliner_config.json",
                          "pytorch_model.bin", "special_tokens_map.json", "spm.model",
                          "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx"}),
              (std::vector<std::string>{"gliner_config.json", "pytorch_model.bin", "tokenizer.json",
                                        "tokenizer_config.json", "special_tokens_map.json"}));
    // model.safetensors wins over the pickle, as upstream reads it first; spm.model needs its
    // added tokens (the <<ENT>> and <<SEP>> markers).
    EXPECT_EQ(needed_files("a/b", {"gliner_config.json", "model.safetensors", "pytorch_model.bin",
                                   "spm.model", "added_tokens.json", "encoder_config/config.json"}),
              (std::vector<std::string>{"gliner_config.json", "encoder_config/config.json",
                                        "model.safetensors", "spm.model", "added_tokens.json"}));
    try {
        needed_files("a/b", {"gliner_config.json", "README.md"});
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(),
                     "a/b is not a GLiNER v1 checkpoint: it has no model.safetensors (or "
                     "pytorch_model.bin), tokenizer.json (or spm.model) (it has: "
                     "gliner_config.json, README.md)");
    }
    // Both configurations: a GLiNER2 folder (its config.json is what the engine reads).
    EXPECT_EQ(
        needed_files("a/b", {"config.json", "gliner_config.json", "encoder_config/config.json",
                             "model.safetensors", "tokenizer.json"})
            .front(),
        "config.json");
}

}  // namespace
}  // namespace spanguard::schemas::hub
