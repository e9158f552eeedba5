// Count-conditioned field embeddings (GLINER2.md §3.3): from a block's field vectors F [M, H] and
// its
// predicted count C, one vector per (instance t < C, field m). All variants start with the same
// GRU recurrence (count_steps.h); they differ in how they mix its states with F.
//
// Thread safety: implementations are immutable after construction; compute() may run on many
// threads at once.
#pragma once

#include <cstdint>
#include <memory>

#include "core/weights/checkpoint_weights.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class CountEmbedding {
  public:
    virtual ~CountEmbedding() = default;

    // fields: [M, H]. count >= 0 is capped at max_count() as in the reference. Returns
    // [min(count, max_count) * M, H], row t * M + m for instance t and field m. Instance t depends
    // only on GRU steps 0..t, so a smaller count gives a prefix of the rows of a larger one.
    // Throws core::Error for a negative count or a width other than H.
    virtual Matrix compute(const MatrixRef& fields, int count) const = 0;

    virtual int max_count() const = 0;
};

// Builds the variant that the checkpoint's weights hold (CheckpointWeights::counting_layer()).
std::unique_ptr<CountEmbedding> make_count_embedding(const core::CheckpointWeights& weights,
                                                     int64_t hidden);

}  // namespace spanguard::heads
