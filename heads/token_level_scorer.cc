#include "heads/token_level_scorer.h"

#include <utility>

#include "core/kernels/gemm.h"
#include "core/util/error.h"

namespace spanguard::heads {

TokenLevelScorer::TokenLevelScorer(Linear proj_token, Linear proj_label, ReluMlp out_mlp)
    : proj_token_(std::move(proj_token)),
      proj_label_(std::move(proj_label)),
      out_mlp_(std::move(out_mlp)) {
    const int64_t h = proj_token_.in_features();
    SPANGUARD_THROW_IF_NOT(
        proj_token_.out_features() == 2 * h && proj_label_.in_features() == h &&
            proj_label_.out_features() == 2 * h && out_mlp_.in_features() == 3 * h &&
            out_mlp_.out_features() == 3 && out_mlp_.layers().size() == 2,
        "token-level scorer: expected proj_token/proj_label " + std::to_string(h) + " -> " +
            std::to_string(2 * h) + " and a two-layer out_mlp " + std::to_string(3 * h) + " -> 3");
}

TokenLevelScorer TokenLevelScorer::from_checkpoint(const core::CheckpointWeights& weights,
                                                   const std::string& prefix, int64_t hidden) {
    const int64_t inner = weights.get(prefix + ".out_mlp.0.weight").rows();
    return TokenLevelScorer(
        Linear::from_checkpoint(weights, prefix + ".proj_token", hidden, 2 * hidden),
        Linear::from_checkpoint(weights, prefix + ".proj_label", hidden, 2 * hidden),
        ReluMlp::from_checkpoint(weights, prefix + ".out_mlp", {0, 3}, {3 * hidden, inner, 3}));
}

std::vector<float> TokenLevelScorer::score(const MatrixRef& words, const MatrixRef& types) const {
    const Eigen::Index h = proj_token_.in_features();
    SPANGUARD_THROW_IF_NOT(
        words.cols() == h && types.cols() == h,
        "token-level scorer: word and type vectors must have " + std::to_string(h) + " columns");
    const Eigen::Index n_words = words.rows();
    const Eigen::Index n_types = types.rows();
    std::vector<float> out(static_cast<size_t>(n_words * n_types * 3));
    if (n_words == 0 || n_types == 0) return out;
    const Matrix t = proj_token_.apply(words);  // [W, 2H]
    const Matrix l = proj_label_.apply(types);  // [C, 2H]
    const Linear& first = out_mlp_.layers()[0];
    const Linear& last = out_mlp_.layers()[1];
    const Matrix& w1 = first.weight();  // [inner, 3H]: blocks for t0, l0 and t1 ⊙ l1
    const Eigen::Index inner = w1.rows();
    // Per word: W1[:, :H] t0 + b1; per type: W1[:, H:2H] l0.
    const Matrix word_part =
        (t.leftCols(h) * w1.leftCols(h).transpose()).rowwise() + first.bias().transpose();
    const Matrix type_part = l.leftCols(h) * w1.middleCols(h, h).transpose();
    // Per pair (row w * C + c): t1_w ⊙ l1_c, then one product with W1[:, 2H:].
    Matrix products(n_words * n_types, h);
    for (Eigen::Index w = 0; w < n_words; ++w) {
        for (Eigen::Index c = 0; c < n_types; ++c) {
            products.row(w * n_types + c) =
                t.row(w).rightCols(h).cwiseProduct(l.row(c).rightCols(h));
        }
    }
    const Matrix w1_product = w1.rightCols(h);  // contiguous for the GEMM
    Matrix hidden(n_words * n_types, inner);
    core::gemm_nt(products.data(), products.outerStride(), w1_product.data(),
                  w1_product.outerStride(), hidden.data(), hidden.outerStride(), n_words * n_types,
                  inner, h, nullptr);
    for (Eigen::Index w = 0; w < n_words; ++w) {
        for (Eigen::Index c = 0; c < n_types; ++c) {
            auto row = hidden.row(w * n_types + c);
            row = (row + word_part.row(w) + type_part.row(c)).cwiseMax(0.0f);
        }
    }
    const Matrix logits = last.apply(hidden);  // [W * C, 3]
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        for (int k = 0; k < 3; ++k)
            out[static_cast<size_t>(r * 3 + k)] = logits(r, k);
    }
    return out;
}

}  // namespace spanguard::heads
