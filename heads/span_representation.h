// The "markerV0" span representation (spec §3.1): for every start word i and width k < K,
//   r[i, k] = out_project( ReLU( concat(project_start(W)[i], project_end(W)[i + k]) ) )
// with project_start / project_end = MLP(H -> 4H -> H) and out_project = MLP(2H -> 4H -> H).
// Spans that run past the last word (i + k >= N) are computed, as in the reference, with the
// indices (0, 0), i.e. they repeat r[0, 0]; decoding ignores them.
//
// Thread safety: immutable after construction; compute() may run on many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/weights/checkpoint_weights.h"
#include "heads/mlp.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class SpanMarkerV0 {
  public:
    // Each MLP has two Linear layers; out_project takes 2H inputs where H is the others' width.
    // Throws core::Error on inconsistent widths or max_width < 1.
    SpanMarkerV0(ReluMlp project_start, ReluMlp project_end, ReluMlp out_project, int max_width);

    // Reads span_rep.span_rep_layer.{project_start,project_end,out_project}.{0,3}.
    static SpanMarkerV0 from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden,
                                        int max_width);

    int max_width() const { return max_width_; }
    int64_t hidden_size() const { return hidden_; }

    // words: [N, H] word vectors -> [N * K, H], row i * K + k holding span (i, i + k).
    Matrix compute(const MatrixRef& words) const;

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
