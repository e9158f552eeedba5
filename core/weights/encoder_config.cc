// encoder_config/config.json: a Hugging Face DebertaV2Config. Absent keys take that class's
// defaults (so e.g. a config without "relative_attention" means false, as it would for the
// reference), and every setting outside the DeBERTa-v3 form that the engine implements is refused
// by name.
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "core/util/error.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/config_json.h"

namespace spanguard::core {
namespace {

using Json = nlohmann::json;

constexpr int kMaxWidth = 1 << 20;  // any hidden/FFN size or head count
constexpr int kMaxVocab = 1 << 24;
constexpr int kMaxLayers = 1000;

std::string lower_trimmed(std::string text) {
    const auto not_space = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// "p2c|c2p" or ["p2c", "c2p"] -> {"c2p", "p2c"}, the way DebertaV2 normalises both spellings.
std::set<std::string> split_bar_list(const ConfigReader& reader, const Json& root,
                                     std::string_view key) {
    std::set<std::string> items;
    const Json& value = root.at(std::string(key));
    if (value.is_string()) {
        std::stringstream stream(value.get<std::string>());
        std::string item;
        while (std::getline(stream, item, '|'))
            items.insert(lower_trimmed(item));
    } else if (value.is_array()) {
        for (const Json& item : value) {
            if (!item.is_string()) reader.fail(key, "lists a non-string entry " + item.dump());
            items.insert(lower_trimmed(item.get<std::string>()));
        }
    } else {
        reader.fail(key, "is " + value.dump() + ", must be a string like \"p2c|c2p\" or a list");
    }
    return items;
}

void read_dimensions(const ConfigReader& r, EncoderConfig& c) {
    c.hidden_size = r.require_int("hidden_size", 1, kMaxWidth);
    c.num_hidden_layers = r.require_int("num_hidden_layers", 1, kMaxLayers);
    c.num_attention_heads = r.require_int("num_attention_heads", 1, kMaxWidth);
    c.intermediate_size = r.require_int("intermediate_size", 1, kMaxWidth);
    c.vocab_size = r.require_int("vocab_size", 1, kMaxVocab);
    if (c.hidden_size % c.num_attention_heads != 0) {
        r.fail("num_attention_heads", std::to_string(c.num_attention_heads) +
                                          " heads do not divide hidden_size " +
                                          std::to_string(c.hidden_size));
    }
    if (r.has_value("attention_head_size") &&
        r.get_int("attention_head_size", 0, 1, kMaxWidth) != c.head_size()) {
        r.fail("attention_head_size", "differs from hidden_size / num_attention_heads = " +
                                          std::to_string(c.head_size()) + "; not supported");
    }
    if (r.has_value("embedding_size") &&
        r.get_int("embedding_size", 0, 1, kMaxWidth) != c.hidden_size) {
        r.fail("embedding_size", "differs from hidden_size " + std::to_string(c.hidden_size) +
                                     " (an embedding projection); not supported");
    }
    c.pad_token_id = r.get_int("pad_token_id", 0, 0, c.vocab_size - 1);
}

void read_attention(const ConfigReader& r, const Json& root, EncoderConfig& c) {
    c.relative_attention = r.get_bool("relative_attention", false);
    if (!c.relative_attention) {
        r.fail("relative_attention", r.has_value("relative_attention")
                                         ? "is false; spanguard runs DeBERTa-v3, which needs true"
                                         : "is absent (default false); spanguard runs DeBERTa-v3, "
                                           "which needs true");
    }
    c.max_position_embeddings = r.get_int("max_position_embeddings", 512, 1, kMaxWidth);
    c.max_relative_positions = r.get_int("max_relative_positions", -1, -kMaxWidth, kMaxWidth);
    c.position_buckets = r.get_int("position_buckets", -1, -kMaxWidth, kMaxWidth);
    if (c.position_buckets < 2) {
        r.fail("position_buckets",
               "is " + std::to_string(c.position_buckets) +
                   (r.has_value("position_buckets") ? "" : " (absent)") +
                   "; spanguard implements DeBERTa-v3's log-bucketed relative positions, "
                   "which need position_buckets >= 2");
    }
    // The bucket function divides by log((max_position - 1) / mid), mid = position_buckets / 2.
    if (c.relative_positions() - 1 <= c.position_buckets / 2) {
        r.fail("max_relative_positions", "gives a relative range of " +
                                             std::to_string(c.relative_positions()) +
                                             ", which must exceed position_buckets / 2 + 1 = " +
                                             std::to_string(c.position_buckets / 2 + 1));
    }
    c.share_att_key = r.get_bool("share_att_key", false);
    if (!c.share_att_key) {
        r.fail("share_att_key",
               "is false or absent; separate positional projections "
               "(pos_key_proj/pos_query_proj) are not supported");
    }
    if (!r.has_value("pos_att_type")) {
        r.fail("pos_att_type", "is absent; spanguard needs \"p2c|c2p\"");
    }
    if (split_bar_list(r, root, "pos_att_type") != std::set<std::string>{"c2p", "p2c"}) {
        r.fail("pos_att_type", "is " + root.at("pos_att_type").dump() +
                                   "; spanguard supports exactly p2c and c2p together");
    }
    c.pos_att_type = "p2c|c2p";
    c.norm_rel_ebd = lower_trimmed(r.get_string("norm_rel_ebd", "none"));
    const std::set<std::string> norms = r.has_value("norm_rel_ebd")
                                            ? split_bar_list(r, root, "norm_rel_ebd")
                                            : std::set<std::string>{"none"};
    if (!norms.contains("layer_norm")) {
        r.fail("norm_rel_ebd", "is \"" + c.norm_rel_ebd +
                                   "\"; spanguard needs \"layer_norm\" (DeBERTa-v3 normalises "
                                   "the relative embeddings)");
    }
}

void read_embeddings_and_activation(const ConfigReader& r, EncoderConfig& c) {
    c.position_biased_input = r.get_bool("position_biased_input", true);
    if (c.position_biased_input) {
        r.fail("position_biased_input",
               std::string(r.has_value("position_biased_input") ? "is true"
                                                                : "is absent (default true)") +
                   "; absolute position embeddings are not supported (DeBERTa-v3 has none)");
    }
    c.type_vocab_size = r.get_int("type_vocab_size", 0, 0, kMaxVocab);
    if (c.type_vocab_size != 0) {
        r.fail("type_vocab_size", "is " + std::to_string(c.type_vocab_size) +
                                      "; token-type embeddings are not supported (must be 0)");
    }
    if (r.get_int("conv_kernel_size", 0, -kMaxWidth, kMaxWidth) > 0) {
        r.fail("conv_kernel_size", "is set; DeBERTa's convolution layer is not supported");
    }
    c.hidden_act = r.get_string("hidden_act", "gelu");
    if (c.hidden_act != "gelu") {
        r.fail("hidden_act",
               "is \"" + c.hidden_act + "\"; spanguard supports \"gelu\" (the exact erf form)");
    }
    c.layer_norm_eps = r.get_number("layer_norm_eps", 1e-7);
    if (!(c.layer_norm_eps > 0)) r.fail("layer_norm_eps", "must be > 0");
}

EncoderConfig from_json(const Json& root, const std::string& path) {
    const ConfigReader reader(root, path);
    EncoderConfig config;
    config.model_type = reader.get_string("model_type", "");
    if (config.model_type != "deberta-v2") {
        reader.fail("model_type", config.model_type.empty()
                                      ? "is missing; expected \"deberta-v2\""
                                      : "is \"" + config.model_type +
                                            "\"; spanguard runs DeBERTa-v2/v3 backbones "
                                            "(\"deberta-v2\")");
    }
    read_dimensions(reader, config);
    read_attention(reader, root, config);
    read_embeddings_and_activation(reader, config);
    return config;
}

}  // namespace

EncoderConfig parse_encoder_config(const std::string& json_text, const std::string& path) {
    return from_json(parse_json_object(json_text, path), path);
}

EncoderConfig load_encoder_config(const std::string& path) {
    return from_json(read_json_object_file(path), path);
}

}  // namespace spanguard::core
