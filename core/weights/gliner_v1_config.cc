#include "core/weights/gliner_v1_config.h"

#include <filesystem>

#include "core/util/error.h"
#include "core/weights/config_json.h"

namespace spanguard::core {

namespace {

constexpr int kMaxWidthLimit = 128;
constexpr int kMaxLenLimit = 1 << 20;
constexpr int kMaxHidden = 1 << 16;

// The published DeBERTa-v3 backbones GLiNER v1 models are built on, for gliner_config.json files
// that name their encoder by model_name only (upstream fetches its config.json from the Hub).
// Sizes from each model's config.json on huggingface.co; all share the v3 attention settings of
// EncoderConfig's defaults. The vocabulary size comes from gliner_config.json (the embeddings
// were resized for the added tokens).
struct KnownBackbone {
    const char* name;
    int hidden, layers, heads, ffn, vocab;
};
constexpr KnownBackbone kKnownBackbones[] = {
    {"microsoft/deberta-v3-xsmall", 384, 12, 6, 1536, 128100},
    {"microsoft/deberta-v3-small", 768, 6, 12, 3072, 128100},
    {"microsoft/deberta-v3-base", 768, 12, 12, 3072, 128100},
    {"microsoft/deberta-v3-large", 1024, 24, 16, 4096, 128100},
    {"microsoft/mdeberta-v3-base", 768, 12, 12, 3072, 251000},
};

const KnownBackbone* known_backbone(const std::string& name) {
    for (const KnownBackbone& b : kKnownBackbones)
        if (name == b.name) return &b;
    return nullptr;
}

GlinerV1Config from_json(const nlohmann::json& root, const std::string& path,
                         const std::string& dir) {
    const ConfigReader r(root, path);
    GlinerV1Config c;
    // Settings whose code paths spanguard does not have: refuse them by name.
    if (r.has_value("labels_encoder")) {
        r.fail("labels_encoder", "is " + root.at("labels_encoder").dump() +
                                     ": bi-encoder GLiNER models are not supported (only "
                                     "uni-encoder models, labels_encoder null)");
    }
    for (const char* key : {"labels_decoder", "decoder_mode", "relations_layer"}) {
        if (r.has_value(key)) {
            r.fail(key, "is " + root.at(key).dump() +
                            ": GLiNER models with a decoder or relation layers are not supported");
        }
    }
    if (r.get_bool("fuse_layers", false)) {
        r.fail("fuse_layers", "is true: fused encoder layers are not supported");
    }
    const std::string fusion = r.get_string("post_fusion_schema", "");
    if (!fusion.empty()) {
        r.fail("post_fusion_schema",
               "is \"" + fusion + "\": post-fusion layers are not supported (only \"\")");
    }
    c.span_mode = r.get_string("span_mode", "markerV0");
    if (c.span_mode != "markerV0" && c.span_mode != "token_level") {
        r.fail("span_mode",
               "is \"" + c.span_mode + "\": spanguard runs markerV0 and token_level GLiNER models");
    }
    const std::string splitter = r.get_string("words_splitter_type", "whitespace");
    if (splitter != "whitespace") {
        r.fail("words_splitter_type", "is \"" + splitter +
                                          "\": only the \"whitespace\" splitter (the regex "
                                          "\\w+(?:[-_]\\w+)*|\\S) is supported");
    }
    const std::string pooling = r.get_string("subtoken_pooling", "first");
    if (pooling != "first") {
        r.fail("subtoken_pooling", "is \"" + pooling + "\": only \"first\" is supported");
    }
    if (!r.get_bool("embed_ent_token", true)) {
        r.fail("embed_ent_token",
               "is false: only entity-type vectors taken at the <<ENT>> "
               "tokens (embed_ent_token true) are supported");
    }
    c.max_width = r.get_int("max_width", 12, 1, kMaxWidthLimit);
    c.max_len = r.get_int("max_len", 384, 1, kMaxLenLimit);
    c.hidden_size = r.get_int("hidden_size", 512, 2, kMaxHidden);
    c.has_rnn = r.get_bool("has_rnn", true);
    c.ent_token = r.get_string("ent_token", "<<ENT>>");
    c.sep_token = r.get_string("sep_token", "<<SEP>>");
    c.class_token_index = r.get_int("class_token_index", -1, -1, 1 << 30);
    if (const nlohmann::json* encoder = r.get_object("encoder_config")) {
        c.encoder = parse_encoder_config(encoder->dump(), path + " (encoder_config)");
        c.encoder_source = path + " (encoder_config)";
    } else if (std::filesystem::exists(dir + "/encoder_config/config.json")) {
        const std::string separate = dir + "/encoder_config/config.json";
        c.encoder = load_encoder_config(separate);
        c.encoder_source = separate;
    } else {
        const std::string model_name = r.get_string("model_name", "");
        const KnownBackbone* backbone = known_backbone(model_name);
        if (backbone == nullptr) {
            r.fail("encoder_config",
                   "is absent, there is no encoder_config/config.json and "
                   "model_name \"" +
                       model_name +
                       "\" is not a DeBERTa-v3 backbone spanguard knows: the "
                       "encoder's configuration is needed (spanguard never "
                       "downloads while loading)");
        }
        c.encoder.hidden_size = backbone->hidden;
        c.encoder.num_hidden_layers = backbone->layers;
        c.encoder.num_attention_heads = backbone->heads;
        c.encoder.intermediate_size = backbone->ffn;
        c.encoder.vocab_size = backbone->vocab;
        c.encoder_source = "the published configuration of " + model_name;
    }
    // Upstream resizes the embeddings to gliner_config.json's vocab_size (the added tokens).
    const int vocab = r.get_int("vocab_size", -1, -1, 1 << 24);
    if (vocab > 0) c.encoder.vocab_size = vocab;
    return c;
}

}  // namespace

GlinerV1Config parse_gliner_v1_config(const std::string& json_text, const std::string& dir) {
    const std::string path = dir + "/gliner_config.json";
    return from_json(parse_json_object(json_text, path), path, dir);
}

GlinerV1Config load_gliner_v1_config(const std::string& dir) {
    const std::string path = dir + "/gliner_config.json";
    return from_json(read_json_object_file(path), path, dir);
}

}  // namespace spanguard::core
