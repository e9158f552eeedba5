// WeightBuffer: owned and borrowed storage, copy semantics, read-only borrowed data.
#include "core/weights/weight_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "core/weights/mapped_file.h"
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

// Resident kilobytes of the mapping that contains `address`, from /proc/self/smaps.
int64_t resident_kib_of_mapping(const void* address) {
    std::ifstream smaps("/proc/self/smaps");
    const auto where = reinterpret_cast<uintptr_t>(address);
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        uintptr_t begin = 0, end = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> begin >> dash >> end && dash == '-' && end > begin) {
            inside = where >= begin && where < end;  // a mapping's header line
        } else if (inside && line.rfind("Rss:", 0) == 0) {
            return std::strtoll(line.c_str() + 4, nullptr, 10);
        }
    }
    return -1;
}

TEST(WeightBufferTest, ReleasingAFileMappingKeepsValuesAndDropsResidentPages) {
    const testing::TempDir dir;
    const std::string path = dir.file("values.bin");
    constexpr size_t kCount = size_t{1} << 20;  // 4 MiB: many whole pages
    {
        std::vector<float> values(kCount);
        for (size_t i = 0; i < kCount; ++i)
            values[i] = static_cast<float>(i % 9973) * 0.5f;
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(values.data()),
                  static_cast<std::streamsize>(kCount * sizeof(float)));
    }
    auto file = std::make_shared<MappedFile>(MappedFile::open(path));
    const auto* floats = reinterpret_cast<const float*>(file->bytes().data());
    const WeightBuffer buffer =
        WeightBuffer::borrowed(file, floats, kCount, WeightBuffer::Backing::kReadOnlyFileMapping);
    double sum = 0;
    for (float v : buffer)
        sum += v;  // faults every page in
    const int64_t before = resident_kib_of_mapping(floats);
    ASSERT_GE(before, 3 * 1024);
    // A range (its count clamped to the buffer) releases about its share; one past the end,
    // nothing.
    buffer.release_resident_pages(kCount, 1);
    EXPECT_GE(resident_kib_of_mapping(floats), before - 8);
    buffer.release_resident_pages(kCount / 2, kCount);
    const int64_t half = resident_kib_of_mapping(floats);
    EXPECT_LT(half, before * 3 / 4);
    EXPECT_GT(half, before / 4);
    buffer.release_resident_pages();
    EXPECT_LT(resident_kib_of_mapping(floats), before / 4);
    double again = 0;
    for (size_t i = 0; i < kCount; ++i) {
        ASSERT_EQ(buffer[i], static_cast<float>(i % 9973) * 0.5f) << "element " << i;
        again += buffer[i];
    }
    EXPECT_EQ(again, sum);
}

TEST(WeightBufferTest, ReleasingOrdinaryMemoryIsANoOp) {
    // Dropping pages of anonymous memory would zero them: only file mappings may be released.
    constexpr size_t kCount = size_t{1} << 20;
    auto storage = std::make_shared<std::vector<float>>(kCount, 2.5f);
    const WeightBuffer borrowed = WeightBuffer::borrowed(storage, storage->data(), kCount);
    borrowed.release_resident_pages();
    const WeightBuffer owned(kCount, 1.5f);
    owned.release_resident_pages();
    for (size_t i = 0; i < kCount; i += 1024) {
        ASSERT_EQ(borrowed[i], 2.5f);
        ASSERT_EQ(owned[i], 1.5f);
    }
}

}  // namespace
}  // namespace spanguard::core
