// The two configuration files of a GLiNER2 checkpoint folder: `config.json` (GLiNER2 extractor
// settings, both the published 236-byte form and the newer form with `span_head`/`architecture`)
// and `encoder_config/config.json` (the DeBERTa-v2/v3 backbone). Spec §1.2-§1.3.
//
// The struct defaults are the deberta-v3-base / gliner2-base-v1 values. The loaders do NOT fall
// back to them: a key absent from the file takes the default of the reference implementation
// (Hugging Face DebertaV2Config / GLiNER2 ExtractorConfig), and a value spanguard cannot run is an
// error rather than a silent substitute.
#pragma once

#include <string>

namespace spanguard::core {

struct EncoderConfig {
    std::string model_type = "deberta-v2";
    int hidden_size = 768;
    int num_hidden_layers = 12;
    int num_attention_heads = 12;
    int intermediate_size = 3072;
    std::string hidden_act = "gelu";
    double layer_norm_eps = 1e-7;
    int max_position_embeddings = 512;
    int max_relative_positions = -1;  // -1: use max_position_embeddings
    int position_buckets = 256;
    bool relative_attention = true;
    bool share_att_key = true;
    bool position_biased_input = false;
    std::string pos_att_type = "p2c|c2p";
    std::string norm_rel_ebd = "layer_norm";
    int type_vocab_size = 0;
    int vocab_size = 128011;
    int pad_token_id = 0;
    int head_size() const { return hidden_size / num_attention_heads; }
    // The `max_position` of DeBERTa's log-bucket function (GLINER2.md §5 step 3):
    // max_relative_positions,
    // or max_position_embeddings when that is < 1 (512 for every released backbone).
    int relative_positions() const {
        return max_relative_positions < 1 ? max_position_embeddings : max_relative_positions;
    }
    // Rows of encoder.encoder.rel_embeddings.weight: 2 x position_buckets (512 for v3), the
    // Hugging Face rule when buckets are on (the loader requires position_buckets > 0).
    int rel_embeddings_rows() const {
        return 2 * (position_buckets > 0 ? position_buckets : relative_positions());
    }
};

struct GlinerConfig {
    std::string architecture = "span";  // "boundary" checkpoints are rejected by the loader
    std::string model_name;
    std::string counting_layer = "count_lstm";  // as written; the loader trusts the weight keys
    std::string token_pooling = "first";
    std::string span_mode = "markerV0";
    int max_width = 8;
    int max_len = 0;  // 0: no word cap
};

// Throw core::Error naming the file and the offending key (wrong type, out-of-range value, an
// unsupported setting such as pos_att_type without c2p/p2c or hidden_act other than gelu).
//
// load_gliner_config: max_width comes from the top-level key, else span_head.max_width, else 8 (the
// reference's precedence); architecture defaults to "span" ("boundary" when a boundary_head
// section is present, as the reference infers) and must be "span"; span_mode must be markerV0;
// token_pooling first/mean/max; counting_layer one of the three variants; max_len null or >= 1.
//
// load_encoder_config: model_type "deberta-v2"; hidden_size, num_hidden_layers,
// num_attention_heads, intermediate_size and vocab_size are required; the remaining keys default
// as in Hugging Face's DebertaV2Config, and spanguard runs only the DeBERTa-v3 form: gelu,
// relative_attention true, position_buckets > 0, share_att_key true, pos_att_type {p2c, c2p},
// norm_rel_ebd with layer_norm, position_biased_input false, type_vocab_size 0, no embedding_size
// other than hidden_size, no conv_kernel_size, and hidden_size divisible by num_attention_heads.
GlinerConfig load_gliner_config(const std::string& path);
EncoderConfig load_encoder_config(const std::string& path);

// The same checks on JSON text already in memory; `path` only names it in errors.
GlinerConfig parse_gliner_config(const std::string& json_text, const std::string& path);
EncoderConfig parse_encoder_config(const std::string& json_text, const std::string& path);

}  // namespace spanguard::core
