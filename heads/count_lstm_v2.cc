#include "heads/count_lstm_v2.h"

#include <string>
#include <utility>

#include "core/util/error.h"

namespace spanguard::heads {
namespace {
// Hard-coded in the reference (GLINER2.md §1.2): the inner transformer's size.
constexpr int64_t kModelWidth = 128;
constexpr int64_t kFeedForward = 256;
constexpr int kHeads = 4;
constexpr int kLayers = 2;
constexpr float kLayerNormEps = 1e-5f;  // PyTorch's TransformerEncoderLayer default
}  // namespace

CountLstmV2::CountLstmV2(CountSteps steps, Linear in_projector,
                         std::vector<TransformerEncoderLayer> layers, ReluMlp out_projector)
    : steps_(std::move(steps)),
      in_projector_(std::move(in_projector)),
      layers_(std::move(layers)),
      out_projector_(std::move(out_projector)) {
    const int64_t h = steps_.hidden_size();
    const int64_t d = in_projector_.out_features();
    SPANGUARD_THROW_IF_NOT(
        in_projector_.in_features() == h && out_projector_.in_features() == d + h &&
            out_projector_.out_features() == h,
        "count_lstm_v2: projector widths do not fit hidden size " + std::to_string(h));
}

CountLstmV2 CountLstmV2::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden) {
    const std::string prefix = "count_embed.transformer.";
    std::vector<TransformerEncoderLayer> layers;
    for (int i = 0; i < kLayers; ++i) {
        layers.push_back(TransformerEncoderLayer::from_checkpoint(
            weights, prefix + "transformer.layers." + std::to_string(i), kModelWidth, kFeedForward,
            kHeads, kLayerNormEps));
    }
    return CountLstmV2(
        CountSteps::from_checkpoint(weights, "count_embed", hidden),
        Linear::from_checkpoint(weights, prefix + "in_projector", hidden, kModelWidth),
        std::move(layers),
        ReluMlp::from_checkpoint(weights, prefix + "out_projector", {0, 2, 4},
                                 {kModelWidth + hidden, hidden, hidden, hidden}));
}

Matrix CountLstmV2::compute(const MatrixRef& fields, int count) const {
    Matrix mixed = steps_.run(fields, count);
    const Eigen::Index m = fields.rows();
    const Eigen::Index h = fields.cols();
    if (mixed.rows() == 0) return Matrix(0, h);
    for (Eigen::Index row = 0; row < mixed.rows(); ++row)
        mixed.row(row) += fields.row(row % m);

    // Each instance is one "batch" entry whose sequence is its M fields.
    Matrix z = in_projector_.apply(mixed);
    for (const TransformerEncoderLayer& layer : layers_)
        z = layer.apply(z, m);

    Matrix joined(mixed.rows(), z.cols() + h);
    joined.leftCols(z.cols()) = z;
    joined.rightCols(h) = mixed;
    return out_projector_.apply(joined);
}

}  // namespace spanguard::heads
