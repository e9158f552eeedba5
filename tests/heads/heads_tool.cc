// Driver for tests/python/test_heads_vs_torch.py: loads a checkpoint's heads, runs them on hidden
// states and positions given as JSON on stdin, and writes every score as JSON on stdout, so that
// the test can compare them with the PyTorch reference heads.
//
// Input:  {"checkpoint": folder,
//          "sequences": [{"hidden": [[H floats] x T], "text_positions": [..],
//                         "span_blocks": [[P, field, ...], ...],
//                         "classification_blocks": [[P, label, ...], ...],
//                         "count_embeddings": [{"fields": [positions], "count": c}, ...]}, ...]}
//         ("count_embeddings" is optional: it runs the count embedding alone with a given count,
//         which the goldens' small predicted counts would otherwise leave untested.)
// Output: {"hidden_size": H, "max_width": K,
//          "sequences": [{"span_blocks": [{"count_logits": [20], "predicted_count": c,
//                                          "instances": c, "probabilities": [C*M*N*K]}],
//                         "classification_blocks": [{"logits": [M]}],
//                         "count_embeddings": [{"rows": C*M, "values": [C*M*H]}]}]}
// Exit status 1 with the error on stderr for any failure.
#include <cstddef>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/gather.h"
#include "heads/gliner_heads.h"
#include "heads/head_tensor_names.h"

namespace {

using spanguard::heads::GlinerHeads;
using spanguard::heads::Matrix;
using Json = nlohmann::json;

Matrix read_hidden(const Json& rows, int64_t width) {
    Matrix hidden(static_cast<Eigen::Index>(rows.size()), width);
    for (size_t r = 0; r < rows.size(); ++r) {
        if (static_cast<int64_t>(rows[r].size()) != width)
            throw std::runtime_error("hidden row " + std::to_string(r) + " has " +
                                     std::to_string(rows[r].size()) + " values, expected " +
                                     std::to_string(width));
        for (int64_t c = 0; c < width; ++c)
            hidden(static_cast<Eigen::Index>(r), c) = rows[r][static_cast<size_t>(c)].get<float>();
    }
    return hidden;
}

Json run_sequence(const GlinerHeads& heads, const Json& sequence) {
    const Matrix hidden = read_hidden(sequence.at("hidden"), heads.hidden_size());
    const auto text_positions = sequence.at("text_positions").get<std::vector<size_t>>();
    Json out = {{"span_blocks", Json::array()}, {"classification_blocks", Json::array()}};
    const auto grid = heads.span_grid(hidden, text_positions);
    for (const Json& block : sequence.at("span_blocks")) {
        const auto markers = block.get<std::vector<size_t>>();
        const auto scores = heads.score_span_block(hidden, grid, markers);
        out["span_blocks"].push_back(
            {{"count_logits",
              std::vector<float>(scores.count_logits.data(),
                                 scores.count_logits.data() + scores.count_logits.size())},
             {"predicted_count", scores.predicted_count},
             {"instances", scores.instances},
             {"probabilities", scores.probabilities}});
    }
    for (const Json& block : sequence.at("classification_blocks")) {
        const auto markers = block.get<std::vector<size_t>>();
        const auto logits = heads.classification_logits(hidden, markers);
        out["classification_blocks"].push_back(
            {{"logits", std::vector<float>(logits.data(), logits.data() + logits.size())}});
    }
    out["count_embeddings"] = Json::array();
    for (const Json& request : sequence.value("count_embeddings", Json::array())) {
        const auto positions = request.at("fields").get<std::vector<size_t>>();
        const Matrix fields = spanguard::heads::gather_rows(hidden, positions, "field position");
        const Matrix vectors =
            heads.count_embedding().compute(fields, request.at("count").get<int>());
        out["count_embeddings"].push_back(
            {{"rows", vectors.rows()},
             {"values", std::vector<float>(vectors.data(), vectors.data() + vectors.size())}});
    }
    return out;
}

}  // namespace

int main() {
    try {
        const Json request = Json::parse(std::cin);
        const std::string folder = request.at("checkpoint").get<std::string>();
        const auto encoder =
            spanguard::core::load_encoder_config(folder + "/encoder_config/config.json");
        const auto config = spanguard::core::load_gliner_config(folder + "/config.json");
        const auto weights = spanguard::heads::load_checkpoint_weights(folder, encoder);
        const GlinerHeads heads =
            GlinerHeads::from_checkpoint(weights, encoder.hidden_size, config.max_width);
        Json out = {{"hidden_size", heads.hidden_size()},
                    {"max_width", heads.max_width()},
                    {"sequences", Json::array()}};
        for (const Json& sequence : request.at("sequences"))
            out["sequences"].push_back(run_sequence(heads, sequence));
        std::cout << out.dump() << '\n';
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "heads_tool: " << error.what() << '\n';
        return 1;
    }
}
