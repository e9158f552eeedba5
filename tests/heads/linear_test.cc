// heads::Linear on a column slice of a larger weight, read in place through a row stride: the same
// outputs as the same columns copied into a layer of their own (the span head splits its first
// out_project layer this way instead of copying ~19 MB at load).
#include "heads/linear.h"

#include <gtest/gtest.h>

#include <random>

#include "core/util/error.h"
#include "heads_test_support.h"

namespace spanguard::heads {
namespace {

using testing::random_matrix;
using testing::random_vector;

TEST(Linear, ColumnSliceReadsTheWeightInPlace) {
    std::mt19937 rng(11);
    const Linear whole(random_matrix(rng, 9, 14), random_vector(rng, 9));
    const Vector bias = random_vector(rng, 9);
    const Matrix x = random_matrix(rng, 5, 6);
    for (int64_t first : {0, 3, 8}) {
        const Linear slice = whole.input_columns(first, 6, bias);
        EXPECT_EQ(slice.weight().data(), whole.weight().data() + first);  // no copy
        EXPECT_EQ(slice.in_features(), 6);
        const Linear copied(WeightMatrix::copy_of(whole.weight().middleCols(first, 6)), bias);
        const Matrix got = slice.apply(x);
        const Matrix want = copied.apply(x);
        ASSERT_EQ(got.rows(), 5);
        ASSERT_EQ(got.cols(), 9);
        EXPECT_EQ(got, want) << "first column " << first;
    }
    EXPECT_THROW(whole.input_columns(10, 6, bias), core::Error);
}

}  // namespace
}  // namespace spanguard::heads
