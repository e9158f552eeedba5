// The recurrence every count-embedding variant shares (GLINER2.md §3.3): a GRU run for C steps
// over the
// rows 0..C-1 of a learned position table, batched over the fields, each field's vector being its
// own initial state. Step t's states are the fields' vectors for instance t.
//
// Thread safety: immutable after construction; run() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "core/weights/checkpoint_weights.h"
#include "heads/gru.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class CountSteps {
  public:
    // positions: [max_count, H] (nn.Embedding rows); the GRU maps H -> H.
    CountSteps(Matrix positions, Gru gru);

    // Reads <prefix>.pos_embedding.weight [20, H] and <prefix>.gru.*.
    static CountSteps from_checkpoint(const core::CheckpointWeights& weights,
                                      const std::string& prefix, int64_t hidden);

    int max_count() const { return static_cast<int>(positions_.rows()); }
    int64_t hidden_size() const { return gru_.hidden_size(); }
    // min(count, max_count); throws core::Error for a negative count.
    int instances(int count) const;

    // fields: [M, H] -> [instances(count) * M, H], row t * M + m.
    Matrix run(const MatrixRef& fields, int count) const;

  private:
    Matrix positions_;
    Gru gru_;
};

}  // namespace spanguard::heads
