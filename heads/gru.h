// A single-layer PyTorch GRU (gate order r, z, n), run over an input sequence for a batch of
// independent hidden states (GLINER2.md §3.3):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))      h' = (1 − z) ⊙ n + z ⊙ h
//
// Thread safety: immutable after construction; run() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class Gru {
  public:
    // weight_ih [3H, in], weight_hh [3H, H], biases [3H], rows stacked [r; z; n]. Throws
    // core::Error on inconsistent shapes.
    Gru(Matrix weight_ih, Matrix weight_hh, Vector bias_ih, Vector bias_hh);

    // Reads <prefix>.{weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0}.
    static Gru from_checkpoint(const core::CheckpointWeights& weights, const std::string& prefix,
                               int64_t input, int64_t hidden);

    int64_t hidden_size() const { return weight_hh_.cols(); }
    int64_t input_size() const { return weight_ih_.cols(); }

    // inputs: [T, in], the same input row for every batch entry at step t; initial: [B, H], one
    // state per batch entry. Returns [T * B, H]: row t * B + b is entry b's state after step t.
    Matrix run_shared_inputs(const MatrixRef& inputs, const MatrixRef& initial) const;

  private:
    Matrix weight_ih_;
    Matrix weight_hh_;
    Vector bias_ih_;
    Vector bias_hh_;
};

}  // namespace spanguard::heads
