#include "heads/count_lstm_moe.h"

#include <utility>

#include "core/kernels/gelu.h"
#include "core/util/error.h"
#include "heads/weight_loading.h"

namespace spanguard::heads {
namespace {

// Hard-coded in the reference: 4 experts of inner width 2H.
constexpr int64_t kExperts = 4;

}  // namespace

CountLstmMoe::CountLstmMoe(CountSteps steps, Linear router_hidden, Linear router_out,
                           std::vector<Matrix> w1, Matrix b1, std::vector<Matrix> w2, Matrix b2)
    : steps_(std::move(steps)),
      router_hidden_(std::move(router_hidden)),
      router_out_(std::move(router_out)),
      w1_(std::move(w1)),
      b1_(std::move(b1)),
      w2_(std::move(w2)),
      b2_(std::move(b2)) {
    const int64_t h = steps_.hidden_size();
    const auto experts = static_cast<int64_t>(w1_.size());
    bool ok = experts >= 1 && static_cast<int64_t>(w2_.size()) == experts &&
              router_hidden_.in_features() == h && router_hidden_.out_features() == h &&
              router_out_.in_features() == h && router_out_.out_features() == experts &&
              b1_.rows() == experts && b2_.rows() == experts && b2_.cols() == h;
    for (int64_t e = 0; ok && e < experts; ++e) {
        ok = w1_[e].rows() == h && w1_[e].cols() == b1_.cols() && w2_[e].rows() == b1_.cols() &&
             w2_[e].cols() == h;
    }
    SPANGUARD_THROW_IF_NOT(
        ok, "count_lstm_moe: expert or router shapes do not fit hidden size " + std::to_string(h));
}

CountLstmMoe CountLstmMoe::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden) {
    const int64_t inner = 2 * hidden;
    return CountLstmMoe(CountSteps::from_checkpoint(weights, "count_embed", hidden),
                        Linear::from_checkpoint(weights, "count_embed.router.0", hidden, hidden),
                        Linear::from_checkpoint(weights, "count_embed.router.2", hidden, kExperts),
                        load_stacked(weights, "count_embed.w1", kExperts, hidden, inner),
                        load_matrix(weights, "count_embed.b1", kExperts, inner),
                        load_stacked(weights, "count_embed.w2", kExperts, inner, hidden),
                        load_matrix(weights, "count_embed.b2", kExperts, hidden));
}

Matrix CountLstmMoe::compute(const MatrixRef& fields, int count) const {
    const Matrix states = steps_.run(fields, count);
    Matrix gates = router_hidden_.apply(states);
    core::gelu_erf_inplace(gates);
    gates = router_out_.apply(gates);
    for (Eigen::Index r = 0; r < gates.rows(); ++r) {
        auto row = gates.row(r);
        row.array() = (row.array() - row.maxCoeff()).exp();
        row /= row.sum();
    }

    Matrix out = Matrix::Zero(states.rows(), states.cols());
    Matrix inner(states.rows(), b1_.cols());
    Matrix expert(states.rows(), states.cols());
    for (size_t e = 0; e < w1_.size(); ++e) {
        const auto index = static_cast<Eigen::Index>(e);
        inner.noalias() = states * w1_[e];
        inner.rowwise() += b1_.row(index);
        core::gelu_erf_inplace(inner);
        expert.noalias() = inner * w2_[e];
        expert.rowwise() += b2_.row(index);
        out += (expert.array().colwise() * gates.col(index).array()).matrix();
    }
    return out;
}

}  // namespace spanguard::heads
