// Checkpoints with known classifier outputs for the moderation tests: a copy of the parity
// checkpoint whose classifier ends in a zero weight row, so every label's logit is the final bias
// whatever the input (GLINER2.md §3.5: logit = w2 . relu(W1 h + b1) + b2). Multi-label (sigmoid)
// probabilities are then sigmoid(bias) and softmax ones 1 / labels, exactly.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "schemas_test_support.h"

namespace spanguard::schemas::testing {

namespace detail {

inline std::vector<char> read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Overwrites the F32 tensor `name` of a safetensors image with `values` (little-endian host).
inline void patch_f32(std::vector<char>& image, const std::string& name,
                      const std::vector<float>& values) {
    uint64_t header_size = 0;
    std::memcpy(&header_size, image.data(), sizeof header_size);
    const auto header = nlohmann::json::parse(image.begin() + 8,
                                              image.begin() + 8 + static_cast<long>(header_size));
    const auto& entry = header.at(name);
    if (entry.at("dtype") != "F32") throw std::runtime_error(name + " is not F32");
    const size_t begin = entry.at("data_offsets")[0].get<size_t>();
    const size_t end = entry.at("data_offsets")[1].get<size_t>();
    if (end - begin != values.size() * sizeof(float)) {
        throw std::runtime_error(name + ": " + std::to_string(values.size()) + " values for " +
                                 std::to_string(end - begin) + " bytes");
    }
    std::memcpy(image.data() + 8 + header_size + begin, values.data(), end - begin);
}

}  // namespace detail

// Writes the constant-classifier copy of the tiny_count_lstm_v2 parity checkpoint (hidden size
// 64, so classifier.2 is [1, 128]) into a new folder under the test temp dir; returns its path.
inline std::string write_constant_classifier_checkpoint(const std::string& name, float bias) {
    namespace fs = std::filesystem;
    const fs::path source = parity_dir("tiny_count_lstm_v2");
    const fs::path out = fs::path(::testing::TempDir()) /
                         ("spanguard_moderation_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(out);
    fs::create_directories(out / "encoder_config");
    for (const char* file : {"config.json", "added_tokens.json", "spm.model",
                             "tokenizer_config.json", "encoder_config/config.json"}) {
        fs::copy_file(source / file, out / file);
    }
    std::vector<char> image = detail::read_bytes(source / "model.safetensors");
    detail::patch_f32(image, "classifier.2.weight", std::vector<float>(128, 0.f));
    detail::patch_f32(image, "classifier.2.bias", {bias});
    std::ofstream(out / "model.safetensors", std::ios::binary)
        .write(image.data(), static_cast<std::streamsize>(image.size()));
    return out.string();
}

}  // namespace spanguard::schemas::testing
