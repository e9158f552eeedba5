#include "heads/span_representation.h"

#include <algorithm>
#include <utility>

#include "core/kernels/gemm.h"
#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::heads {
namespace {

// Start words per GEMM block: bounds the [words * K, 4H] scratch matrix (about 3 MB at H = 768).
constexpr size_t kWordsPerBlock = 32;

// ReLU acts element-wise on concat(start, end), so out_project.0 splits into a start half and an
// end half that are applied once per word instead of once per span (GLINER2.md §3.1).
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
    return from_checkpoint(weights, "span_rep.span_rep_layer", hidden, max_width);
}

SpanMarkerV0 SpanMarkerV0::from_checkpoint(const core::CheckpointWeights& weights,
                                           const std::string& prefix, int64_t hidden,
                                           int max_width) {
    const int64_t h = hidden;
    return SpanMarkerV0(
        ReluMlp::from_checkpoint(weights, prefix + ".project_start", {0, 3}, {h, 4 * h, h}),
        ReluMlp::from_checkpoint(weights, prefix + ".project_end", {0, 3}, {h, 4 * h, h}),
        ReluMlp::from_checkpoint(weights, prefix + ".out_project", {0, 3}, {2 * h, 4 * h, h}),
        max_width);
}

SpanHalves SpanMarkerV0::halves(const MatrixRef& words) const {
    SPANGUARD_THROW_IF_NOT(words.cols() == hidden_, "span representation: word vectors have " +
                                                        std::to_string(words.cols()) +
                                                        " columns, expected " +
                                                        std::to_string(hidden_));
    // Per word: the start half (with the layer's bias) and the end half of out_project.0.
    Matrix start = project_start_.apply(words);
    Matrix end = project_end_.apply(words);
    relu_in_place(start);
    relu_in_place(end);
    return SpanHalves{out_start_.apply(start), out_end_.apply(end)};
}

namespace {

// Rows [first_word, last_word) x K of the spans' hidden layer, relu(start_i + end_{i+k}), into
// `block` ([rows, 4H]); spans past the last word use (0, 0) as the reference gathers them.
void span_hidden_rows(const SpanHalves& halves, size_t first_word, size_t last_word, size_t k_max,
                      Matrix& block) {
    const size_t n = static_cast<size_t>(halves.words());
    block.resize(static_cast<Eigen::Index>((last_word - first_word) * k_max), halves.start.cols());
    for (size_t i = first_word; i < last_word; ++i) {
        for (size_t k = 0; k < k_max; ++k) {
            const auto row = static_cast<Eigen::Index>((i - first_word) * k_max + k);
            const bool valid = i + k < n;
            const auto s = static_cast<Eigen::Index>(valid ? i : 0);
            const auto e = static_cast<Eigen::Index>(valid ? i + k : 0);
            block.row(row) = (halves.start.row(s) + halves.end.row(e)).cwiseMax(0.0f);
        }
    }
}

}  // namespace

std::vector<float> SpanMarkerV0::span_logits(const SpanHalves& halves,
                                             const MatrixRef& fields) const {
    SPANGUARD_THROW_IF_NOT(fields.cols() == hidden_,
                           "span scoring: field vectors have " + std::to_string(fields.cols()) +
                               " columns, expected " + std::to_string(hidden_));
    SPANGUARD_THROW_IF_NOT(halves.start.cols() == out_start_.out_features() &&
                               halves.end.rows() == halves.start.rows() &&
                               halves.end.cols() == halves.start.cols(),
                           "span scoring: span halves were not built by this layer");
    const size_t n = static_cast<size_t>(halves.words());
    const size_t k_max = static_cast<size_t>(max_width_);
    const size_t spans = n * k_max;
    const auto f_count = static_cast<size_t>(fields.rows());
    std::vector<float> logits(f_count * spans);
    if (logits.empty()) return logits;
    // out_project.3 folded into the fields: [F, 4H] and one offset per field.
    const Matrix folded = fields * out_second_.weight();
    const Vector offsets = fields * out_second_.bias();

    core::parallel_for(n, 4, [&](size_t first_word, size_t last_word) {
        Matrix hidden_block;
        for (size_t block = first_word; block < last_word; block += kWordsPerBlock) {
            const size_t block_end = std::min(last_word, block + kWordsPerBlock);
            span_hidden_rows(halves, block, block_end, k_max, hidden_block);
            const size_t first_span = block * k_max;
            const auto rows = static_cast<int64_t>(hidden_block.rows());
            core::gemm_nt(folded.data(), folded.outerStride(), hidden_block.data(),
                          hidden_block.outerStride(), logits.data() + first_span,
                          static_cast<int64_t>(spans), folded.rows(), rows, folded.cols(), nullptr);
            for (size_t f = 0; f < f_count; ++f) {
                float* row = logits.data() + f * spans + first_span;
                for (int64_t r = 0; r < rows; ++r)
                    row[r] += offsets[static_cast<Eigen::Index>(f)];
            }
        }
    });
    // Spans past the end repeat span (0, 0); copy its value so they are bit-equal to it.
    for (size_t f = 0; f < f_count; ++f) {
        float* row = logits.data() + f * spans;
        for (size_t i = n > k_max ? n - k_max : 0; i < n; ++i) {
            for (size_t k = n - i; k < k_max; ++k)
                row[i * k_max + k] = row[0];
        }
    }
    return logits;
}

Matrix SpanMarkerV0::compute(const MatrixRef& words) const {
    const SpanHalves parts = halves(words);
    const size_t n = static_cast<size_t>(words.rows());
    const size_t k_max = static_cast<size_t>(max_width_);
    Matrix spans(static_cast<Eigen::Index>(n * k_max), hidden_);
    if (n == 0) return spans;

    core::parallel_for(n, 4, [&](size_t first_word, size_t last_word) {
        Matrix hidden_block;
        for (size_t block = first_word; block < last_word; block += kWordsPerBlock) {
            const size_t block_end = std::min(last_word, block + kWordsPerBlock);
            span_hidden_rows(parts, block, block_end, k_max, hidden_block);
            const auto rows = hidden_block.rows();
            auto out = spans.middleRows(static_cast<Eigen::Index>(block * k_max), rows);
            const Matrix& weight = out_second_.weight();
            core::gemm_nt(hidden_block.data(), hidden_block.outerStride(), weight.data(),
                          weight.outerStride(), out.data(), out.outerStride(), rows, weight.rows(),
                          weight.cols(), out_second_.bias().data());
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
