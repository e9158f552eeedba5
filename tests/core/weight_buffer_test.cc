// WeightBuffer: owned and borrowed storage, copy semantics, read-only borrowed data.
#include "core/weights/weight_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "core/weights/mapped_file.h"
#include "core/weights/tensor_name_table.h"
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

TEST(WeightBufferTest, ParallelReadCopiesEveryPieceAndChecksTheRange) {
    constexpr size_t kCount = (size_t{1} << 18) * 3 + 77;  // three whole 1 MiB pieces and a tail
    std::vector<float> values(kCount);
    for (size_t i = 0; i < kCount; ++i)
        values[i] = static_cast<float>(i % 4099) - 2000.0f;
    const WeightBuffer buffer(values);
    std::vector<float> out(kCount - 5, -1.0f);
    buffer.read_in_parallel(5, kCount - 5, out.data());
    for (size_t i = 0; i < out.size(); ++i)
        ASSERT_EQ(out[i], values[i + 5]) << "element " << i;
    testing::expect_error([&] { buffer.read_in_parallel(6, kCount - 5, out.data()); },
                          {"outside a buffer of " + std::to_string(kCount)});
}

TEST(MappedFileTest, ReadCopiesARangeThroughTheDescriptor) {
    const testing::TempDir dir;
    const std::string path = dir.file("bytes.bin");
    std::string content;
    for (int i = 0; i < 10000; ++i)
        content += static_cast<char>(i * 7 % 251);
    testing::write_bytes(path, content);
    const MappedFile file = MappedFile::open(path);
    const std::span<const std::byte> range = file.bytes().subspan(4093, 5000);
    std::vector<std::byte> out(range.size());
    file.read(range, out);
    EXPECT_TRUE(std::equal(range.begin(), range.end(), out.begin()));
    std::vector<std::byte> outside(16);
    testing::expect_error(
        [&] {
            file.read({range.data() + 9990, 16}, outside);
        },
        {"bytes.bin", "outside the mapped file"});
    testing::expect_error([&] { file.read(range.subspan(0, 8), outside); },
                          {"outside the mapped file"});
}

// The load checks every value without faulting the mapping in: a process pays for first
// touching a mapped page only when it reads the weight (on the development VM that first touch,
// not the check, was most of a base checkpoint's load time).
TEST(WeightBufferTest, LoadingChecksValuesWithoutMappingThemIn) {
    const testing::TempDir dir;
    const std::string path = dir.file("model.safetensors");
    constexpr size_t kCount = size_t{1} << 21;  // 8 MiB of F32
    std::string data(kCount * sizeof(float), '\0');
    for (size_t i = 0; i < kCount; ++i) {
        const float v = static_cast<float>(i % 1013) * 0.25f;
        std::memcpy(data.data() + i * sizeof(float), &v, sizeof v);
    }
    // Header padded to a multiple of 8, so the data section is float-aligned and borrowed.
    std::string header = R"({"w":{"dtype":"F32","shape":[)" + std::to_string(kCount) +
                         R"(],"data_offsets":[0,)" + std::to_string(data.size()) + "]}}";
    header.append((8 - header.size() % 8) % 8, ' ');
    testing::write_bytes(path, testing::safetensors_bytes(header, data));
    const auto load = [&] {
        return CheckpointWeights::load_with_table(dir.path(), {{"w", {int64_t{kCount}}}}, "test");
    };
    const CheckpointWeights weights = load();
    const WeightBuffer& w = weights.get("w").data;
    ASSERT_TRUE(w.is_borrowed());
    // Reading the header maps its page, and the kernel may map a whole large folio with it (2 MiB
    // seen); the 8 MiB of values must not be.
    EXPECT_LT(testing::resident_kib_of_mapping(w.data()), 4096);
    EXPECT_EQ(w[kCount - 1], static_cast<float>((kCount - 1) % 1013) * 0.25f);

    // A NaN is still found, and named, without the mapping.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(data.data() + 1234567 * sizeof(float), &nan, sizeof nan);
    testing::write_bytes(path, testing::safetensors_bytes(header, data));
    testing::expect_error(
        [&] {
            CheckpointWeights::load_with_table(dir.path(), {{"w", {int64_t{kCount}}}}, "t");
        },
        {"tensor 'w': element 1234567 [1234567] is NaN"});
}

}  // namespace
}  // namespace spanguard::core
