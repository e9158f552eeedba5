// A single-layer bidirectional PyTorch LSTM (gate order i, f, g, o), as GLiNER v1 runs it over the
// word vectors of each text before span or token scoring:
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
//   c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
// from zero states; the reverse direction reads the words last to first. Output row t is
// [forward h_t ; backward h_t]. One text at a time: only its own words go in, so a text's result
// does not depend on the other texts of a batch (PyTorch's packed sequences give the same).
//
// Thread safety: immutable after construction; run() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class LstmDirection {
  public:
    // weight_ih [4H, in], weight_hh [4H, H], biases [4H], rows stacked [i; f; g; o]. Throws
    // core::Error on inconsistent shapes.
    LstmDirection(Matrix weight_ih, Matrix weight_hh, Vector bias_ih, Vector bias_hh);

    int64_t hidden_size() const { return weight_hh_.cols(); }
    int64_t input_size() const { return weight_ih_.cols(); }

    // inputs [T, in] -> states [T, H]; `reverse` steps from row T-1 down to 0 (state row t is
    // still the state after reading input row t).
    Matrix run(const MatrixRef& inputs, bool reverse) const;

  private:
    Matrix weight_ih_;
    Matrix weight_hh_;
    Vector bias_;  // bias_ih + bias_hh, added once per step
};

class BidirectionalLstm {
  public:
    BidirectionalLstm(LstmDirection forward, LstmDirection backward);

    // Reads <prefix>.{weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0} and the same with the
    // `_reverse` suffix; `hidden` is the per-direction size.
    static BidirectionalLstm from_checkpoint(const core::CheckpointWeights& weights,
                                             const std::string& prefix, int64_t input,
                                             int64_t hidden);

    int64_t input_size() const { return forward_.input_size(); }
    int64_t output_size() const { return 2 * forward_.hidden_size(); }

    // inputs [T, in] -> [T, 2H]. Throws core::Error for a wrong width.
    Matrix run(const MatrixRef& inputs) const;

  private:
    LstmDirection forward_;
    LstmDirection backward_;
};

}  // namespace spanguard::heads
