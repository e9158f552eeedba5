#include "heads/span_representation.h"

#include <algorithm>
#include <utility>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::heads {
namespace {

// Start words per GEMM block: bounds the [words * K, 4H] scratch matrix (about 3 MB at H = 768).
constexpr size_t kWordsPerBlock = 32;

// ReLU acts element-wise on concat(start, end), so out_project.0 splits into a start half and an
// end half that are applied once per word instead of once per span (spec §3.1).
Linear split_half(const ReluMlp& out_project, bool start) {
    SPANGUARD_THROW_IF_NOT(out_project.layers().size() == 2,
                           "span representation: out_project must have two linear layers");
    const Linear& first = out_project.layers().front();
    SPANGUARD_THROW_IF_NOT(first.in_features() % 2 == 0,
                           "span representation: out_project takes an odd width " +
                               std::to_string(first.in_features()));
    const Eigen::Index half = first.in_features() / 2;
    if (start) return Linear(first.weight().leftCols(half), first.bias());
    return Linear(first.weight().rightCols(half), Vector::Zero(first.out_features()));
}

}  // namespace

SpanMarkerV0::SpanMarkerV0(ReluMlp project_start, ReluMlp project_end, ReluMlp out_project,
                           int max_width)
    : project_start_(std::move(project_start)),
      project_end_(std::move(project_end)),
      out_start_(split_half(out_project, true)),
      out_end_(split_half(out_project, false)),
      out_second_(out_project.layers().back()),
      max_width_(max_width),
      hidden_(project_start_.in_features()) {
    SPANGUARD_THROW_IF_NOT(
        max_width_ >= 1,
        "span representation: max_width must be at least 1, got " + std::to_string(max_width_));
    SPANGUARD_THROW_IF_NOT(
        project_start_.out_features() == hidden_ && project_end_.in_features() == hidden_ &&
            project_end_.out_features() == hidden_ && out_start_.in_features() == hidden_ &&
            out_second_.out_features() == hidden_,
        "span representation: layer widths do not fit hidden size " + std::to_string(hidden_));
}

SpanMarkerV0 SpanMarkerV0::from_checkpoint(const core::CheckpointWeights& weights, int64_t hidden,
                                           int max_width) {
    const std::string prefix = "span_rep.span_rep_layer.";
    const int64_t h = hidden;
    return SpanMarkerV0(
        ReluMlp::from_checkpoint(weights, prefix + "project_start", {0, 3}, {h, 4 * h, h}),
        ReluMlp::from_checkpoint(weights, prefix + "project_end", {0, 3}, {h, 4 * h, h}),
        ReluMlp::from_checkpoint(weights, prefix + "out_project", {0, 3}, {2 * h, 4 * h, h}),
        max_width);
}

Matrix SpanMarkerV0::compute(const MatrixRef& words) const {
    SPANGUARD_THROW_IF_NOT(words.cols() == hidden_, "span representation: word vectors have " +
                                                        std::to_string(words.cols()) +
                                                        " columns, expected " +
                                                        std::to_string(hidden_));
    const size_t n = static_cast<size_t>(words.rows());
    const size_t k_max = static_cast<size_t>(max_width_);
    Matrix spans(static_cast<Eigen::Index>(n * k_max), hidden_);
    if (n == 0) return spans;

    // Per word: the start half (with the layer's bias) and the end half of out_project.0.
    Matrix start = project_start_.apply(words);
    Matrix end = project_end_.apply(words);
    relu_in_place(start);
    relu_in_place(end);
    const Matrix start_part = out_start_.apply(start);
    const Matrix end_part = out_end_.apply(end);

    const Eigen::Index inner = out_start_.out_features();
    core::parallel_for(n, 4, [&](size_t first_word, size_t last_word) {
        Matrix hidden_block;
        for (size_t block = first_word; block < last_word; block += kWordsPerBlock) {
            const size_t block_end = std::min(last_word, block + kWordsPerBlock);
            const auto rows = static_cast<Eigen::Index>((block_end - block) * k_max);
            hidden_block.resize(rows, inner);
            for (size_t i = block; i < block_end; ++i) {
                for (size_t k = 0; k < k_max; ++k) {
                    const auto row = static_cast<Eigen::Index>((i - block) * k_max + k);
                    const bool valid = i + k < n;
                    const auto s = static_cast<Eigen::Index>(valid ? i : 0);
                    const auto e = static_cast<Eigen::Index>(valid ? i + k : 0);
                    hidden_block.row(row) = (start_part.row(s) + end_part.row(e)).cwiseMax(0.0f);
                }
            }
            auto out = spans.middleRows(static_cast<Eigen::Index>(block * k_max), rows);
            out.noalias() = hidden_block * out_second_.weight().transpose();
            out.rowwise() += out_second_.bias().transpose();
        }
    });
    // The reference gathers (0, 0) for spans past the end; copy that row so they are bit-equal
    // to it whatever path the GEMM took for their rows.
    for (size_t i = n > k_max ? n - k_max : 0; i < n; ++i) {
        for (size_t k = n - i; k < k_max; ++k) {
            spans.row(static_cast<Eigen::Index>(i * k_max + k)) = spans.row(0);
        }
    }
    return spans;
}

}  // namespace spanguard::heads
