// `gliner_config.json` of a GLiNER v1 checkpoint folder (the layout of urchade/gliner_* and the
// models fine-tuned from them), with the encoder's DeBERTa configuration it embeds.
//
// What spanguard runs: a uni-encoder (no labels_encoder), no decoder or relation layers, no
// fused encoder layers and no post-fusion, span_mode markerV0 or token_level, the "whitespace"
// word splitter (the regex \w+(?:[-_]\w+)*|\S), first-sub-token pooling and entity-type vectors
// taken at the <<ENT>> tokens (embed_ent_token). Anything else is an error naming the key and
// its value, never a silent substitute.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "core/weights/checkpoint_config.h"

namespace spanguard::core {

struct GlinerV1Config {
    std::string span_mode = "markerV0";  // or "token_level"
    int max_width = 12;
    int max_len = 384;      // words per text the model was trained on (upstream truncates)
    int hidden_size = 512;  // after the optional projection of the encoder's output
    bool has_rnn = true;
    int class_token_index = -1;  // the id of ent_token
    std::string ent_token = "<<ENT>>";
    std::string sep_token = "<<SEP>>";
    EncoderConfig encoder;
    std::string encoder_source;  // where the encoder configuration was read, for messages
};

// Reads DIR/gliner_config.json; the encoder configuration comes from its `encoder_config`
// object, else from DIR/encoder_config/config.json, else, for a model_name naming a published
// DeBERTa-v3 backbone (microsoft/deberta-v3-{xsmall,small,base,large}, mdeberta-v3-base), from
// that backbone's published sizes; gliner_config.json's vocab_size (the resized embeddings) wins
// over the encoder's. Throws core::Error naming the file and key.
GlinerV1Config load_gliner_v1_config(const std::string& dir);

// The same on JSON text; `dir` locates a separate encoder configuration and names the source.
GlinerV1Config parse_gliner_v1_config(const std::string& json_text, const std::string& dir);

}  // namespace spanguard::core
