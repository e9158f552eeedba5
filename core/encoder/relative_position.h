// DeBERTa-v2/v3 relative positions: the log-bucket mapping of i - j and the row of the relative
// embedding table that query i uses for key j (GLINER2.md §5 step 3).
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spanguard::core {

// The two implementations of DeBERTa-v2/v3 disagree on distances at or beyond max_position (512 for
// every released v3 backbone), i.e. only for sequences longer than 512 tokens:
// - Hugging Face's port (what the GLiNER2 package runs, GLINER2.md §5) buckets the raw distance, so
//   i - j <= -512 lands on bucket <= -256 and clamps to table row 0;
// - Microsoft's original first clamps i - j to +-(max_position - 1), so i - j <= -512 gets bucket
//   -255, table row 1. (Positive distances agree: both end on row 2 span - 1.)
// The parity goldens were produced with Microsoft's implementation.
enum class RelativeDistanceConvention { kHuggingFace, kMicrosoft };

// How relative distances map to rows of the relative embedding table ([2 * span, H]).
struct RelativePositionScheme {
    int64_t span = 256;          // position_buckets if > 0, else max_relative_positions
    int64_t bucket_size = 256;   // position_buckets; <= 0 turns log bucketing off
    int64_t max_position = 512;  // max_relative_positions (-1 in a config: max_position_embeddings)
    RelativeDistanceConvention convention = RelativeDistanceConvention::kHuggingFace;

    // Throws core::Error for settings the formula cannot evaluate (span < 1, or bucketing with
    // max_position <= bucket_size / 2 + 1, where the log base would be <= 1).
    void validate() const;
};

// make_log_bucket_position for one distance: distances within +-bucket_size/2 stay as they are,
// longer ones are compressed logarithmically so that max_position - 1 lands on
// +-(bucket_size - 1). Returns `relative` unchanged when bucketing is off. Under the
// Microsoft convention `relative` is first clamped to +-(max_position - 1).
// Evaluated in double. Both reference implementations use float32 torch, which gives the same
// buckets for every |relative| < 7464 (GLINER2.md §5); with the v3 settings (256 buckets,
// max_position
// 512) every |relative| >= 512 maps to an edge row of the table anyway, so the precision never
// shows.
int64_t log_bucket_position(int64_t relative, const RelativePositionScheme& scheme);

// Row index into the relative embedding table for distance `relative` = i - j:
// clamp(bucket(relative) + span, 0, 2 span - 1). The same index serves the content->position term
// (query i against position rows) and, because the bucket function is odd, the position->content
// term (key j against position rows, which the reference gathers with -bucket(j - i)).
int64_t relative_embedding_row(int64_t relative, const RelativePositionScheme& scheme);

// relative_embedding_row for every distance a sequence of `length` tokens has: entry
// (i - j) + (length - 1), i.e. 2 length - 1 entries, non-decreasing. Empty for length 0.
std::vector<int32_t> relative_embedding_rows(size_t length, const RelativePositionScheme& scheme);

}  // namespace spanguard::core
