// DeBERTa's disentangled self-attention for one layer, after the Q/K/V projections (GLINER2.md §5
// step
// 4):
//   score(i, j) = Q_i.K_j + Q_i.Kr[row(i - j)] + K_j.Qr[row(i - j)]      (content, c2p, p2c)
// with the 1/sqrt(3d) scale already folded into Q and Qr by the caller, then XSoftmax over keys
// with the attention mask, then probabilities times V. Work is split per (sequence, head) with
// core::parallel_for; scratch is allocated per chunk of that work, never per element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/tensor/matrix.h"

namespace spanguard::core {

struct AttentionBatch {
    size_t batch = 0;
    size_t length = 0;                      // T: every sequence is padded to it
    std::span<const int32_t> mask;          // batch x length, 1 = real token, 0 = padding
    std::span<const size_t> valid_lengths;  // per sequence: 1 + index of its last real token (or 0)
    // relative_embedding_rows(length): entry (i - j) + (length - 1) is the positional row of (i,
    // j).
    std::span<const int32_t> relative_rows;
};

// `query` (pre-scaled), `key`, `value`: [batch * length, heads * head_size], row b * length + t.
// `pos_query_t` (pre-scaled) and `pos_key_t`: the relative embeddings projected through the
// layer's query and key projections, transposed: [heads * head_size, 2 span]. Writes the
// concatenated heads into `context`
// ([batch * length, heads * head_size]) for rows t < valid_lengths[b]: rows of padding (mask 0) get
// zeros, as the reference's fully masked probability rows give; rows at or beyond the valid length
// are left untouched (the caller zeroes them once).
void disentangled_attention(const RowMatrix& query, const RowMatrix& key, const RowMatrix& value,
                            const RowMatrix& pos_query_t, const RowMatrix& pos_key_t, int heads,
                            const AttentionBatch& batch, RowMatrix& context);

}  // namespace spanguard::core
