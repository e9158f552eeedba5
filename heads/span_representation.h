// The "markerV0" span representation (GLINER2.md §3.1): for every start word i and width k < K,
//   r[i, k] = out_project( ReLU( concat(project_start(W)[i], project_end(W)[i + k]) ) )
// with project_start / project_end = MLP(H -> 4H -> H) and out_project = MLP(2H -> 4H -> H).
// Spans that run past the last word (i + k >= N) are computed, as in the reference, with the
// indices (0, 0), i.e. they repeat r[0, 0]; decoding ignores them.
//
// Scoring without the [N * K, H] representations: a span's score against a field vector f is
//   <r[i, k], f> = relu(a_i + b_{i+k}) . (W2^T f) + <b2, f>
// (a, b: the halves of out_project.0 per word; W2, b2: out_project.3), so span_logits() folds
// out_project.3 into the F field vectors once per block and never forms the N*K x 4H x H product.
// compute() still returns the representations themselves (tests, tools).
//
// Thread safety: immutable after construction; every method may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/mlp.h"
#include "heads/tensor.h"

namespace spanguard::heads {

// Per word, the two halves of out_project.0 applied to ReLU(project_start) and ReLU(project_end):
// start (with out_project.0's bias) and end, both [N, 4H]. Span (i, k)'s hidden layer is
// relu(start_i + end_{i+k}).
struct SpanHalves {
    Matrix start;
    Matrix end;
    int64_t words() const { return start.rows(); }
};

class SpanMarkerV0 {
  public:
    // Each MLP has two Linear layers; out_project takes 2H inputs where H is the others' width.
    // Throws core::Error on inconsistent widths or max_width < 1.
    SpanMarkerV0(ReluMlp project_start, ReluMlp project_end, ReluMlp out_project, int max_width);

    // Reads span_rep.span_rep_layer.{project_start,project_end,out_project}.{0,3}.
    static SpanMarkerV0 from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden,
                                        int max_width);
    // The same module under another name: <prefix>.{project_start,project_end,out_project}
    // (GLiNER v1 keeps it at span_rep_layer.span_rep_layer).
    static SpanMarkerV0 from_checkpoint(const core::CheckpointWeights& weights,
                                        const std::string& prefix, int64_t hidden, int max_width);

    int max_width() const { return max_width_; }
    int64_t hidden_size() const { return hidden_; }

    // words: [N, H] word vectors -> [N * K, H], row i * K + k holding span (i, i + k).
    Matrix compute(const MatrixRef& words) const;

    // words: [N, H] -> the per-word halves used by span_logits(). Throws core::Error for a
    // wrong width.
    SpanHalves halves(const MatrixRef& words) const;

    // fields: [F, H] -> logits [F, N * K] row-major, entry (f, i * K + k) = <r[i, k], fields[f]>
    // (within float rounding of compute() followed by the dot product; spans past the last word
    // repeat span (0, 0) exactly). Throws core::Error for a wrong width.
    std::vector<float> span_logits(const SpanHalves& halves, const MatrixRef& fields) const;

  private:
    ReluMlp project_start_;
    ReluMlp project_end_;
    // out_project.0 split by input halves: the start half carries the bias, the end half none.
    Linear out_start_;
    Linear out_end_;
    Linear out_second_;  // out_project.3
    int max_width_ = 0;
    int64_t hidden_ = 0;
};

}  // namespace spanguard::heads
