// config.json and encoder_config/config.json: the published and newer forms parse to the values
// written in the files; every unsupported or malformed setting is an error naming file and key.
#include "core/weights/checkpoint_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shared_fixtures.h"
#include "tests/core/weights_test_support.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(EncoderConfigTest);
SPANGUARD_SUITE_NEEDS_SHARED(GlinerConfigTest);

namespace spanguard::core {
namespace {

using testing::expect_error;
using testing::shared_path;

std::string read_reference(const std::string& relative) {
    std::ifstream in(shared_path(relative));
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The reconstructed deberta-v3-base encoder config with `key` replaced (or removed when `value` is
// discarded).
std::string base_encoder_with(const std::string& key, const nlohmann::json& value) {
    auto config = nlohmann::json::parse(
        read_reference("reference/encoder_config_deberta-v3-base.reconstructed.json"));
    if (value.is_discarded()) {
        config.erase(key);
    } else {
        config[key] = value;
    }
    return config.dump();
}

std::string base_gliner_with(const std::string& key, const nlohmann::json& value) {
    auto config = nlohmann::json::parse(
        read_reference("reference/gliner2-base-v1_config.reconstructed.json"));
    if (value.is_discarded()) {
        config.erase(key);
    } else {
        config[key] = value;
    }
    return config.dump();
}

const nlohmann::json kRemove = nlohmann::json::value_t::discarded;

TEST(GlinerConfigTest, PublishedBaseConfig) {
    const GlinerConfig c =
        load_gliner_config(shared_path("reference/gliner2-base-v1_config.reconstructed.json"));
    EXPECT_EQ(c.architecture, "span");
    EXPECT_EQ(c.counting_layer, "count_lstm_v2");
    EXPECT_EQ(c.token_pooling, "first");
    EXPECT_EQ(c.model_name, "microsoft/deberta-v3-base");
    EXPECT_EQ(c.span_mode, "markerV0");
    EXPECT_EQ(c.max_width, 8);
    EXPECT_EQ(c.max_len, 0);
}

TEST(GlinerConfigTest, MultiConfig) {
    const GlinerConfig c =
        load_gliner_config(shared_path("reference/gliner2-multi-v1_config.json"));
    EXPECT_EQ(c.counting_layer, "count_lstm");
    EXPECT_EQ(c.model_name, "microsoft/mdeberta-v3-base");
}

TEST(GlinerConfigTest, NewerFormWithSpanHead) {
    const GlinerConfig v2 =
        load_gliner_config(testing::parity_checkpoint("tiny_count_lstm_v2") + "/config.json");
    EXPECT_EQ(v2.architecture, "span");
    EXPECT_EQ(v2.counting_layer, "count_lstm_v2");
    EXPECT_EQ(v2.max_width, 8);
    EXPECT_EQ(v2.max_len, 0);  // null
    const GlinerConfig f16 =
        load_gliner_config(testing::parity_checkpoint("tiny_count_lstm_f16") + "/config.json");
    EXPECT_EQ(f16.counting_layer, "count_lstm");
}

TEST(GlinerConfigTest, MaxWidthPrecedence) {
    // Top-level wins over span_head; span_head is used when the top level has none; else 8.
    EXPECT_EQ(
        parse_gliner_config(R"({"max_width": 5, "span_head": {"max_width": 7}})", "c").max_width,
        5);
    EXPECT_EQ(parse_gliner_config(R"({"span_head": {"max_width": 7}})", "c").max_width, 7);
    EXPECT_EQ(
        parse_gliner_config(R"({"max_width": null, "span_head": {"max_width": 6}})", "c").max_width,
        6);
    EXPECT_EQ(parse_gliner_config("{}", "c").max_width, 8);
    EXPECT_EQ(parse_gliner_config("{}", "c").counting_layer, "count_lstm");
    EXPECT_EQ(parse_gliner_config(R"({"max_len": 384})", "c").max_len, 384);
    EXPECT_EQ(parse_gliner_config(R"({"token_pooling": "mean"})", "c").token_pooling, "mean");
}

TEST(GlinerConfigTest, UnsupportedSettingsNameTheKey) {
    const std::string p = "ckpt/config.json";
    expect_error([&] { parse_gliner_config(base_gliner_with("architecture", "boundary"), p); },
                 {p + ": key 'architecture'", "\"boundary\"", "span"});
    expect_error([&] { parse_gliner_config(R"({"boundary_head": {"budget": 128}})", p); },
                 {p + ": key 'architecture'", "inferred from boundary_head"});
    expect_error([&] { parse_gliner_config(R"({"span_head": {"span_mode": "markerV1"}})", p); },
                 {p + ": key 'span_head.span_mode'", "markerV1"});
    expect_error([&] { parse_gliner_config(R"({"span_mode": "endpoints"})", p); },
                 {p + ": key 'span_mode'"});
    expect_error([&] { parse_gliner_config(base_gliner_with("token_pooling", "last"), p); },
                 {p + ": key 'token_pooling'", "\"last\""});
    expect_error([&] { parse_gliner_config(base_gliner_with("counting_layer", "count_gru"), p); },
                 {p + ": key 'counting_layer'", "count_gru"});
    expect_error([&] { parse_gliner_config(base_gliner_with("max_width", "8"), p); },
                 {p + ": key 'max_width'", "must be an integer"});
    expect_error([&] { parse_gliner_config(base_gliner_with("max_width", 0), p); },
                 {p + ": key 'max_width'", "must be in [1, 4096]"});
    expect_error([&] { parse_gliner_config(base_gliner_with("max_width", 8.5), p); },
                 {p + ": key 'max_width'"});
    expect_error([&] { parse_gliner_config(R"({"span_head": {"max_width": -1}})", p); },
                 {p + ": key 'span_head.max_width'"});
    expect_error([&] { parse_gliner_config(R"({"span_head": [8]})", p); },
                 {p + ": key 'span_head'", "must be an object"});
    expect_error([&] { parse_gliner_config(R"({"max_len": 0})", p); }, {p + ": key 'max_len'"});
    expect_error([&] { parse_gliner_config(base_gliner_with("model_type", "gliner"), p); },
                 {p + ": key 'model_type'"});
    expect_error([&] { parse_gliner_config(R"({"model_name": 3})", p); },
                 {p + ": key 'model_name'", "must be a string"});
}

TEST(GlinerConfigTest, FileErrors) {
    expect_error([] { parse_gliner_config("{\"max_width\": ", "x.json"); },
                 {"x.json: not valid JSON"});
    expect_error([] { parse_gliner_config("[1]", "x.json"); },
                 {"x.json: the top level is an array"});
    expect_error([] { load_gliner_config("/nonexistent/config.json"); },
                 {"/nonexistent/config.json: cannot open"});
}

TEST(EncoderConfigTest, ReconstructedBase) {
    const EncoderConfig c = load_encoder_config(
        shared_path("reference/encoder_config_deberta-v3-base.reconstructed.json"));
    EXPECT_EQ(c.model_type, "deberta-v2");
    EXPECT_EQ(c.hidden_size, 768);
    EXPECT_EQ(c.num_hidden_layers, 12);
    EXPECT_EQ(c.num_attention_heads, 12);
    EXPECT_EQ(c.head_size(), 64);
    EXPECT_EQ(c.intermediate_size, 3072);
    EXPECT_EQ(c.vocab_size, 128011);
    EXPECT_DOUBLE_EQ(c.layer_norm_eps, 1e-7);
    EXPECT_EQ(c.max_position_embeddings, 512);
    EXPECT_EQ(c.max_relative_positions, -1);
    EXPECT_EQ(c.relative_positions(), 512);
    EXPECT_EQ(c.position_buckets, 256);
    EXPECT_EQ(c.rel_embeddings_rows(), 512);
    EXPECT_EQ(c.pos_att_type, "p2c|c2p");
    EXPECT_EQ(c.pad_token_id, 0);
}

TEST(EncoderConfigTest, ParityEncoders) {
    const EncoderConfig v2 = load_encoder_config(testing::parity_checkpoint("tiny_count_lstm_v2") +
                                                 "/encoder_config/config.json");
    EXPECT_EQ(v2.hidden_size, 64);
    EXPECT_EQ(v2.num_attention_heads, 2);
    EXPECT_EQ(v2.num_hidden_layers, 2);
    EXPECT_EQ(v2.intermediate_size, 128);
    const EncoderConfig f16 = load_encoder_config(
        testing::parity_checkpoint("tiny_count_lstm_f16") + "/encoder_config/config.json");
    EXPECT_EQ(f16.num_hidden_layers, 3);
    EXPECT_EQ(f16.intermediate_size, 160);
}

TEST(EncoderConfigTest, AlternativeSpellings) {
    // pos_att_type as a list, in another order and case; norm_rel_ebd with more than one entry;
    // explicit max_relative_positions.
    auto config = nlohmann::json::parse(base_encoder_with("pos_att_type", {"C2P", "p2c"}));
    config["norm_rel_ebd"] = "layer_norm|none";
    config["max_relative_positions"] = 1024;
    const EncoderConfig c = parse_encoder_config(config.dump(), "e");
    EXPECT_EQ(c.relative_positions(), 1024);
    EXPECT_EQ(c.rel_embeddings_rows(), 512);  // buckets decide the rows
}

TEST(EncoderConfigTest, UnsupportedSettingsNameTheKey) {
    const std::string p = "ckpt/encoder_config/config.json";
    const auto expect_key = [&](const std::string& key, const nlohmann::json& value,
                                const std::string& detail) {
        SCOPED_TRACE(key + " = " + value.dump());
        expect_error([&] { parse_encoder_config(base_encoder_with(key, value), p); },
                     {p + ": key '" + key + "'", detail});
    };
    expect_key("relative_attention", false, "is false");
    expect_key("relative_attention", kRemove, "absent (default false)");
    expect_key("hidden_act", "relu", "\"relu\"");
    expect_key("hidden_act", "gelu_new", "gelu");
    expect_key("pos_att_type", "c2p", "exactly p2c and c2p");
    expect_key("pos_att_type", "p2c|c2p|p2p", "exactly p2c and c2p");
    expect_key("pos_att_type", kRemove, "absent");
    expect_key("pos_att_type", 3, "must be a string");
    expect_key("position_buckets", kRemove, "-1 (absent)");
    expect_key("position_buckets", 0, "position_buckets >= 2");
    expect_key("share_att_key", false, "not supported");
    expect_key("norm_rel_ebd", "none", "layer_norm");
    expect_key("norm_rel_ebd", kRemove, "layer_norm");
    expect_key("position_biased_input", true, "is true");
    expect_key("position_biased_input", kRemove, "absent (default true)");
    expect_key("type_vocab_size", 2, "token-type embeddings");
    expect_key("hidden_size", kRemove, "missing (required)");
    expect_key("hidden_size", 768.0, "must be an integer");
    expect_key("hidden_size", -768, "must be in [1,");
    expect_key("num_attention_heads", 7, "do not divide hidden_size 768");
    expect_key("vocab_size", "128011", "must be an integer");
    expect_key("model_type", "bert", "\"bert\"");
    expect_key("model_type", kRemove, "missing");
    expect_key("embedding_size", 128, "embedding projection");
    expect_key("conv_kernel_size", 3, "convolution");
    expect_key("attention_head_size", 32, "not supported");
    expect_key("layer_norm_eps", 0, "must be > 0");
    expect_key("layer_norm_eps", "1e-7", "must be a number");
    expect_key("pad_token_id", 128011, "must be in [0, 128010]");
    expect_key("max_relative_positions", 100, "must exceed position_buckets / 2 + 1");
    expect_key("num_hidden_layers", true, "must be an integer");
}

}  // namespace
}  // namespace spanguard::core
