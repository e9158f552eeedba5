// WeightBuffer: owned and borrowed storage, copy semantics, read-only borrowed data.
#include "core/weights/weight_buffer.h"

#include <gtest/gtest.h>

#include <span>
#include <vector>

#include "tests/core/weights_test_support.h"

namespace spanguard::core {
namespace {

TEST(WeightBufferTest, OwnedConstructionAndCopies) {
    const WeightBuffer a{1.0f, 2.0f, 3.0f};
    EXPECT_EQ(a.size(), 3u);
    EXPECT_FALSE(a.is_borrowed());
    EXPECT_EQ((std::vector<float>(a.begin(), a.end())), (std::vector<float>{1, 2, 3}));
    const WeightBuffer filled(4, 0.5f);
    EXPECT_EQ(filled[3], 0.5f);
    const WeightBuffer from_vector(std::vector<float>{7, 8});
    EXPECT_EQ(from_vector[1], 8.0f);

    WeightBuffer copy = a;  // deep copy
    EXPECT_NE(copy.data(), a.data());
    copy.mutable_data()[0] = 9.0f;
    EXPECT_EQ(a[0], 1.0f);
    EXPECT_EQ(copy[0], 9.0f);

    WeightBuffer moved = std::move(copy);
    EXPECT_EQ(moved[0], 9.0f);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract

    const std::span<const float> view = a;
    EXPECT_EQ(view.size(), 3u);
    EXPECT_TRUE(WeightBuffer().empty());
    EXPECT_TRUE(WeightBuffer::uninitialized(0).empty());
}

TEST(WeightBufferTest, BorrowedKeepsItsOwnerAliveAndIsReadOnly) {
    auto storage = std::make_shared<std::vector<float>>(std::vector<float>{4, 5, 6});
    std::weak_ptr<std::vector<float>> watch = storage;
    WeightBuffer borrowed = WeightBuffer::borrowed(storage, storage->data(), storage->size());
    storage.reset();
    EXPECT_FALSE(watch.expired());  // the buffer holds the owner
    EXPECT_TRUE(borrowed.is_borrowed());
    EXPECT_EQ(borrowed[2], 6.0f);
    WeightBuffer shared = borrowed;  // copies share, not duplicate
    EXPECT_EQ(shared.data(), borrowed.data());
    testing::expect_error([&] { borrowed.mutable_data(); }, {"immutable"});
    borrowed = WeightBuffer();
    EXPECT_FALSE(watch.expired());
    { const WeightBuffer last = std::move(shared); }
    EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace spanguard::core
