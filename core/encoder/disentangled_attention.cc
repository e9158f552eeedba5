#include "core/encoder/disentangled_attention.h"

#include <algorithm>

#include "core/kernels/gemm.h"
#include "core/kernels/softmax.h"
#include "core/parallel/parallel_for.h"

namespace spanguard::core {
namespace {

// scores(i, j) += c2p(i, r) + p2c(j, r) with r = rows[i - j] - first_row, for query rows that are
// not padding. Tiled so that the p2c rows of one tile of keys stay in cache: walking j across a
// whole row would touch a different row of p2c (hundreds of bytes apart) for every key.
template <typename Scores, typename Positions>
void add_relative_scores(Scores& scores, const Positions& c2p, const Positions& p2c,
                         const int32_t* rows, int32_t first_row, std::span<const int32_t> keys) {
    constexpr Eigen::Index kTile = 64;
    const Eigen::Index n = scores.rows();
    for (Eigen::Index i0 = 0; i0 < n; i0 += kTile) {
        const Eigen::Index i1 = std::min(n, i0 + kTile);
        for (Eigen::Index j0 = 0; j0 < n; j0 += kTile) {
            const Eigen::Index j1 = std::min(n, j0 + kTile);
            for (Eigen::Index i = i0; i < i1; ++i) {
                if (keys[static_cast<size_t>(i)] == 0) continue;
                float* row = scores.row(i).data();
                const float* c_row = c2p.row(i).data();
                const int32_t* rel = rows + i;  // rel[-j] is the row of (i, j)
                for (Eigen::Index j = j0; j < j1; ++j) {
                    const Eigen::Index r = rel[-j] - first_row;
                    row[j] += c_row[r] + p2c(j, r);
                }
            }
        }
    }
}

}  // namespace

void disentangled_attention(const RowMatrix& query, const RowMatrix& key, const RowMatrix& value,
                            const RowMatrix& pos_query_t, const RowMatrix& pos_key_t, int heads,
                            const AttentionBatch& batch, RowMatrix& context) {
    const Eigen::Index head_size = query.cols() / heads;
    const size_t length = batch.length;
    const size_t max_valid =
        batch.valid_lengths.empty()
            ? 0
            : *std::max_element(batch.valid_lengths.begin(), batch.valid_lengths.end());
    if (max_valid == 0) return;
    // Positional rows are non-decreasing in i - j, so one sequence of valid length L only touches
    // the contiguous rows between row(-(L - 1)) and row(L - 1); the projections are taken against
    // that window alone, not the whole [2 span] table.
    const auto window_of = [&](size_t valid, int32_t& first) {
        first = batch.relative_rows[length - valid];
        return static_cast<Eigen::Index>(batch.relative_rows[length + valid - 2] - first + 1);
    };
    int32_t unused = 0;
    const Eigen::Index max_window = window_of(max_valid, unused);

    parallel_for(batch.batch * static_cast<size_t>(heads), 1, [&](size_t begin, size_t end) {
        // Scratch for this chunk, sized once for the longest sequence.
        RowMatrix scores(static_cast<Eigen::Index>(max_valid),
                         static_cast<Eigen::Index>(max_valid));
        RowMatrix c2p(static_cast<Eigen::Index>(max_valid), max_window);
        RowMatrix p2c(static_cast<Eigen::Index>(max_valid), max_window);
        RowMatrix key_t(head_size, static_cast<Eigen::Index>(max_valid));
        for (size_t task = begin; task < end; ++task) {
            const size_t b = task / static_cast<size_t>(heads);
            const auto h = static_cast<Eigen::Index>(task % static_cast<size_t>(heads));
            const size_t valid = batch.valid_lengths[b];
            if (valid == 0) continue;
            const auto n = static_cast<Eigen::Index>(valid);
            const auto base = static_cast<Eigen::Index>(b * length);
            const Eigen::Index col = h * head_size;
            int32_t first_row = 0;
            const Eigen::Index window = window_of(valid, first_row);

            const auto q = query.block(base, col, n, head_size);
            const auto k = key.block(base, col, n, head_size);
            const auto v = value.block(base, col, n, head_size);
            auto s = scores.topLeftCorner(n, n);
            auto c = c2p.topLeftCorner(n, window);
            auto p = p2c.topLeftCorner(n, window);
            // Head dimension d = 64 is short, so the score products use the broadcast kernel
            // (gemm_nn) on k-major right operands: K's head slice transposed here (d x n), the
            // positional tables transposed once at load.
            const int64_t ld = query.cols();
            auto kt = key_t.topLeftCorner(head_size, n);
            kt.noalias() = k.transpose();
            gemm_nn(q.data(), ld, kt.data(), kt.outerStride(), s.data(), s.outerStride(), n, n,
                    head_size, nullptr);
            gemm_nn(q.data(), ld, pos_key_t.row(col).data() + first_row, pos_key_t.cols(), c.data(),
                    c.outerStride(), n, window, head_size, nullptr);
            gemm_nn(k.data(), ld, pos_query_t.row(col).data() + first_row, pos_query_t.cols(),
                    p.data(), p.outerStride(), n, window, head_size, nullptr);

            const std::span<const int32_t> keys = batch.mask.subspan(b * length, valid);
            // relative_rows index of (i, j) is i - j + length - 1.
            add_relative_scores(s, c, p, batch.relative_rows.data() + (length - 1), first_row,
                                keys);
            for (Eigen::Index i = 0; i < n; ++i) {
                float* row = s.row(i).data();
                if (keys[static_cast<size_t>(i)] == 0) {
                    std::fill(row, row + n, 0.0f);  // padding query: all-zero probabilities
                    continue;
                }
                masked_softmax(std::span<float>(row, valid), keys);
            }
            gemm_nn(s.data(), s.outerStride(), v.data(), ld, context.row(base).data() + col,
                    context.cols(), n, head_size, n, nullptr);
        }
    });
}

}  // namespace spanguard::core
