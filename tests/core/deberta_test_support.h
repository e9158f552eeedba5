// Shared fixtures of the DeBERTa encoder tests: the two parity checkpoints (weights + encoder
// config, loaded once per process) and their upstream goldens.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/encoder/deberta_encoder.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/head_tensor_names.h"
#include "shared_fixtures.h"

namespace spanguard::core::encoder_testing {

inline std::string parity_dir() {
    return spanguard::testing::shared_dir() + "/reference/parity";
}

struct EncoderFixture {
    EncoderConfig config;
    CheckpointWeights weights;
    // Both borrow `weights`, so they live beside them. `encoder` uses the default (Hugging Face)
    // relative-distance convention, `microsoft` the one the goldens were produced with.
    std::unique_ptr<DebertaEncoder> encoder;
    std::unique_ptr<DebertaEncoder> microsoft;
};

inline const EncoderFixture& encoder_fixture(const std::string& name) {
    static std::unordered_map<std::string, std::unique_ptr<EncoderFixture>> cache;
    auto& slot = cache[name];
    if (!slot) {
        const std::string folder = parity_dir() + "/" + name;
        slot = std::make_unique<EncoderFixture>();
        slot->config = load_encoder_config(folder + "/encoder_config/config.json");
        slot->weights = heads::load_checkpoint_weights(folder, slot->config);
        slot->encoder = std::make_unique<DebertaEncoder>(slot->weights, slot->config);
        DebertaEncoderOptions options;
        options.relative_distances = RelativeDistanceConvention::kMicrosoft;
        slot->microsoft = std::make_unique<DebertaEncoder>(slot->weights, slot->config, options);
    }
    return *slot;
}

// One recorded encoder invocation of the upstream reference.
struct GoldenCall {
    size_t batch = 0;
    size_t length = 0;
    std::vector<int32_t> input_ids;       // batch x length
    std::vector<int32_t> attention_mask;  // batch x length
    std::vector<float> hidden;            // batch x length x H (rounded to 7 decimals upstream)
    size_t hidden_size = 0;
    std::string label;  // "case <i> (<api>) call <j>"
};

inline std::vector<GoldenCall> parse_golden_calls(const std::string& name) {
    const std::string path = parity_dir() + "/" + name + ".golden.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    const nlohmann::json golden = nlohmann::json::parse(in);
    std::vector<GoldenCall> calls;
    const auto& cases = golden.at("cases");
    for (size_t c = 0; c < cases.size(); ++c) {
        const auto& encoder_calls = cases[c].at("encoder_calls");
        for (size_t k = 0; k < encoder_calls.size(); ++k) {
            const auto& call = encoder_calls[k];
            GoldenCall g;
            g.label = "case " + std::to_string(c) + " (" + cases[c].at("api").get<std::string>() +
                      ") call " + std::to_string(k);
            const auto& ids = call.at("input_ids");
            const auto& mask = call.at("attention_mask");
            const auto& states = call.at("last_hidden_state");
            g.batch = ids.size();
            g.length = g.batch ? ids[0].size() : 0;
            g.hidden_size = g.batch && g.length ? states[0][0].size() : 0;
            for (size_t b = 0; b < g.batch; ++b) {
                for (size_t t = 0; t < g.length; ++t) {
                    g.input_ids.push_back(ids.at(b).at(t).get<int32_t>());
                    g.attention_mask.push_back(mask.at(b).at(t).get<int32_t>());
                    for (const auto& v : states.at(b).at(t))
                        g.hidden.push_back(v.get<float>());
                }
            }
            calls.push_back(std::move(g));
        }
    }
    return calls;
}

// Parsed once per process (the files are ~3 MB each).
inline const std::vector<GoldenCall>& golden_calls(const std::string& name) {
    static std::unordered_map<std::string, std::vector<GoldenCall>> cache;
    auto found = cache.find(name);
    if (found == cache.end()) found = cache.emplace(name, parse_golden_calls(name)).first;
    return found->second;
}

}  // namespace spanguard::core::encoder_testing
