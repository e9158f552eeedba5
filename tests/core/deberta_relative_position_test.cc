// Log-bucket relative positions against the published bucket table of DeBERTa-v3
// (position_buckets 256, max_relative_positions 512), for every distance 0..4096 in both
// directions.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/encoder/relative_position.h"
#include "core/util/error.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(RelativePosition);

namespace spanguard::core {
namespace {

const std::string kTable =
    spanguard::testing::shared_dir() + "/reference/deberta_v3_log_bucket_table.csv";

TEST(RelativePosition, MatchesPublishedBucketTable) {
    std::ifstream in(kTable);
    ASSERT_TRUE(in) << "cannot open " << kTable;
    std::string line;
    std::getline(in, line);
    ASSERT_EQ(line,
              "abs_relative_distance,bucket,c2p_index_for_positive_i_minus_j,"
              "c2p_index_for_negative");
    const RelativePositionScheme scheme{256, 256, 512};
    size_t rows = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::istringstream fields(line);
        char comma = 0;
        int64_t distance = 0, bucket = 0, positive_row = 0, negative_row = 0;
        fields >> distance >> comma >> bucket >> comma >> positive_row >> comma >> negative_row;
        ASSERT_FALSE(fields.fail()) << line;
        ASSERT_EQ(log_bucket_position(distance, scheme), bucket) << "distance " << distance;
        ASSERT_EQ(log_bucket_position(-distance, scheme), -bucket) << "distance -" << distance;
        ASSERT_EQ(relative_embedding_row(distance, scheme), positive_row) << distance;
        ASSERT_EQ(relative_embedding_row(-distance, scheme), negative_row) << distance;
        ++rows;
    }
    EXPECT_EQ(rows, 4097u);
}

// Microsoft's original clamps distances to +-511 first: identical below 512, and from 512 on the
// negative side stops at bucket -255 (row 1) instead of row 0. (The golden test shows this is what
// produced the parity goldens.)
TEST(RelativePosition, MicrosoftConventionClampsDistancesFirst) {
    RelativePositionScheme hf{256, 256, 512};
    RelativePositionScheme ms = hf;
    ms.convention = RelativeDistanceConvention::kMicrosoft;
    for (int64_t d = -511; d <= 511; ++d) {
        ASSERT_EQ(log_bucket_position(d, ms), log_bucket_position(d, hf)) << d;
        ASSERT_EQ(relative_embedding_row(d, ms), relative_embedding_row(d, hf)) << d;
    }
    for (const int64_t d : {512, 513, 600, 935, 4096, 1000000}) {
        EXPECT_EQ(log_bucket_position(d, ms), 255) << d;
        EXPECT_EQ(log_bucket_position(-d, ms), -255) << d;
        EXPECT_EQ(relative_embedding_row(d, ms), 511) << d;
        EXPECT_EQ(relative_embedding_row(-d, ms), 1) << d;
        EXPECT_EQ(relative_embedding_row(-d, hf), 0) << d;
    }
}

TEST(RelativePosition, RowsForASequenceAreIndexedByDistance) {
    const RelativePositionScheme scheme{256, 256, 512};
    const size_t length = 700;
    const std::vector<int32_t> rows = relative_embedding_rows(length, scheme);
    ASSERT_EQ(rows.size(), 2 * length - 1);
    for (int64_t d = -699; d <= 699; ++d) {
        ASSERT_EQ(rows[static_cast<size_t>(d + 699)], relative_embedding_row(d, scheme)) << d;
    }
    EXPECT_EQ(rows.front(), 0);
    EXPECT_EQ(rows.back(), 511);
    EXPECT_TRUE(relative_embedding_rows(0, scheme).empty());
    EXPECT_EQ(relative_embedding_rows(1, scheme), std::vector<int32_t>{256});
}

TEST(RelativePosition, WithoutBucketsDistancesOnlyClamp) {
    const RelativePositionScheme scheme{512, 0, 512};
    EXPECT_EQ(log_bucket_position(1000, scheme), 1000);
    EXPECT_EQ(relative_embedding_row(300, scheme), 812);
    EXPECT_EQ(relative_embedding_row(1000, scheme), 1023);
    EXPECT_EQ(relative_embedding_row(-1000, scheme), 0);
}

TEST(RelativePosition, RejectsDegenerateSchemes) {
    EXPECT_THROW((RelativePositionScheme{0, 0, 512}).validate(), Error);
    EXPECT_THROW((RelativePositionScheme{256, 256, 129}).validate(), Error);
    EXPECT_NO_THROW((RelativePositionScheme{256, 256, 130}).validate());
}

}  // namespace
}  // namespace spanguard::core
