// The GRU recurrence of the count embedding (GLINER2.md §3.3), against a hand-worked example and a
// scalar re-implementation.
#include "heads/gru.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "core/util/error.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/linear.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

// H = 1, two steps. The expected states follow from the PyTorch GRU equations by hand
// (evaluated with Python's math module):
//   r = σ(0.5x + 0.1 + 0.2h + 0.0), z = σ(-0.25x + 0.0 + 0.4h + 0.3),
//   n = tanh(1.0x - 0.1 + r(-0.6h + 0.2)), h' = (1 - z)n + zh;  h0 = 0.5, x = 1, then -2.
TEST(Gru, HandWorkedTwoSteps) {
    Matrix w_ih(3, 1), w_hh(3, 1);
    w_ih << 0.5f, -0.25f, 1.0f;
    w_hh << 0.2f, 0.4f, -0.6f;
    Vector b_ih(3), b_hh(3);
    b_ih << 0.1f, 0.0f, -0.1f;
    b_hh << 0.0f, 0.3f, 0.2f;
    const Gru gru(w_ih, w_hh, b_ih, b_hh);
    Matrix inputs(2, 1);
    inputs << 1.0f, -2.0f;
    Matrix initial(1, 1);
    initial << 0.5f;
    const Matrix states = gru.run_shared_inputs(inputs, initial);
    ASSERT_EQ(states.rows(), 2);
    EXPECT_NEAR(states(0, 0), 0.5797628934042129, 1e-6);
    EXPECT_NEAR(states(1, 0), 0.17182040271877214, 1e-6);
}

// Loaded layers hold their own copies of the weights: they stay valid after the CheckpointWeights
// is gone.
TEST(Gru, LoadedLayersOutliveTheCheckpoint) {
    using core::WeightBuffer;
    using core::WeightTensor;
    std::vector<std::pair<std::string, WeightTensor>> tensors;
    tensors.push_back({"g.weight_ih_l0", WeightTensor{{6, 3}, WeightBuffer(18, 0.25f)}});
    tensors.push_back({"g.weight_hh_l0", WeightTensor{{6, 2}, WeightBuffer(12, -0.5f)}});
    tensors.push_back({"g.bias_ih_l0", WeightTensor{{6}, WeightBuffer(6, 0.1f)}});
    tensors.push_back({"g.bias_hh_l0", WeightTensor{{6}, WeightBuffer(6, 0.2f)}});
    tensors.push_back({"l.weight", WeightTensor{{2, 3}, WeightBuffer({1, 2, 3, 4, 5, 6})}});
    tensors.push_back({"l.bias", WeightTensor{{2}, WeightBuffer({0.5f, -0.5f})}});
    auto weights = std::make_unique<core::CheckpointWeights>(
        core::CheckpointWeights::from_tensors(std::move(tensors), core::CountingLayer::kCountLstm));
    const Linear linear = Linear::from_checkpoint(*weights, "l", 3, 2);
    const Gru gru = Gru::from_checkpoint(*weights, "g", 3, 2);
    weights.reset();

    Matrix x(1, 3);
    x << 1.0f, 0.0f, -1.0f;
    const Matrix y = linear.apply(x);
    EXPECT_FLOAT_EQ(y(0, 0), 1.0f - 3.0f + 0.5f);
    EXPECT_FLOAT_EQ(y(0, 1), 4.0f - 6.0f - 0.5f);
    Matrix initial = Matrix::Zero(1, 2);
    const Matrix states = gru.run_shared_inputs(x, initial);
    // r, z, n from the constant weights: input gates 0.25 * (1 + 0 - 1) + 0.1, state 0.
    const float z = 1.0f / (1.0f + std::exp(-(0.1f + 0.2f)));
    const float n = std::tanh(0.1f + 0.2f / (1.0f + std::exp(-(0.1f + 0.2f))));
    EXPECT_NEAR(states(0, 0), (1.0f - z) * n, 1e-6);
}

TEST(Gru, MatchesScalarRecurrenceForEveryBatchEntry) {
    std::mt19937 rng(7);
    const int64_t h = 5, steps = 4, batch = 3;
    const Matrix w_ih = testing::random_matrix(rng, 3 * h, h);
    const Matrix w_hh = testing::random_matrix(rng, 3 * h, h);
    const Vector b_ih = testing::random_vector(rng, 3 * h);
    const Vector b_hh = testing::random_vector(rng, 3 * h);
    const Gru gru(w_ih, w_hh, b_ih, b_hh);
    const Matrix inputs = testing::random_matrix(rng, steps, h, 1.0f);
    const Matrix initial = testing::random_matrix(rng, batch, h, 1.0f);
    const Matrix states = gru.run_shared_inputs(inputs, initial);
    ASSERT_EQ(states.rows(), steps * batch);

    const testing::Mat x = testing::to_mat(inputs);
    for (int64_t b = 0; b < batch; ++b) {
        std::vector<double> state = testing::to_mat(initial)[b];
        for (int64_t t = 0; t < steps; ++t) {
            state = testing::gru_step(w_ih, w_hh, b_ih, b_hh, x[t], state);
            for (int64_t j = 0; j < h; ++j)
                EXPECT_NEAR(states(t * batch + b, j), state[j], 1e-5) << "t=" << t << " b=" << b;
        }
    }
}

TEST(Gru, ZeroStepsGiveNoStates) {
    std::mt19937 rng(1);
    const Gru gru(testing::random_matrix(rng, 6, 2), testing::random_matrix(rng, 6, 2),
                  testing::random_vector(rng, 6), testing::random_vector(rng, 6));
    EXPECT_EQ(gru.run_shared_inputs(Matrix(0, 2), Matrix::Ones(3, 2)).rows(), 0);
}

TEST(Gru, RejectsInconsistentShapes) {
    std::mt19937 rng(1);
    EXPECT_THROW(Gru(testing::random_matrix(rng, 6, 2), testing::random_matrix(rng, 5, 2),
                     testing::random_vector(rng, 6), testing::random_vector(rng, 6)),
                 core::Error);
    const Gru gru(testing::random_matrix(rng, 6, 2), testing::random_matrix(rng, 6, 2),
                  testing::random_vector(rng, 6), testing::random_vector(rng, 6));
    EXPECT_THROW(gru.run_shared_inputs(Matrix::Ones(1, 3), Matrix::Ones(1, 2)), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
