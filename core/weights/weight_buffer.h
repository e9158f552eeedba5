// The float32 storage of one loaded tensor: either owned (converted from F16/BF16, or built in
// memory) or borrowed straight from the checkpoint's read-only file mapping (F32 data that is
// suitably aligned). Borrowing skips the copy and, more importantly, the page faults of fresh
// memory, which dominated load time: copying gliner2-base-v1's 834 MB into new memory took ~1 s on
// the development VM, against ~0.1 s to map and scan the file.
//
// Read-only by design: loaded weights are immutable, and a borrowed buffer points into a PROT_READ
// mapping. Use it like a const std::vector<float>: data(), size(), operator[], begin()/end(), or
// as a std::span<const float>.
//
// Ownership: a borrowed buffer keeps the mapping alive (shared ownership) until the last buffer
// referring to it is gone. Copies of an owned buffer copy the floats; copies of a borrowed one
// share the mapping. Thread safety: immutable; share freely.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "core/weights/mapped_file.h"

namespace spanguard::core {

class WeightBuffer {
  public:
    WeightBuffer() = default;
    WeightBuffer(std::initializer_list<float> values);
    explicit WeightBuffer(const std::vector<float>& values);
    WeightBuffer(size_t count, float value);

    // Owned storage of `count` floats left uninitialized, for a loader that writes every element
    // through mutable_data() before anyone reads it.
    static WeightBuffer uninitialized(size_t count);
    // A view of `count` floats at `data`, which `owner` keeps valid. `file`, when given, is the
    // read-only MappedFile holding `data` (`owner` must keep it alive too): read() then goes
    // through its descriptor.
    static WeightBuffer borrowed(std::shared_ptr<const void> owner, const float* data, size_t count,
                                 const MappedFile* file = nullptr);

    WeightBuffer(const WeightBuffer& other);
    WeightBuffer& operator=(const WeightBuffer& other);
    WeightBuffer(WeightBuffer&& other) noexcept;
    WeightBuffer& operator=(WeightBuffer&& other) noexcept;
    ~WeightBuffer() = default;

    const float* data() const noexcept { return data_; }
    size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    const float* begin() const noexcept { return data_; }
    const float* end() const noexcept { return data_ + size_; }
    const float& operator[](size_t i) const noexcept { return data_[i]; }
    operator std::span<const float>() const noexcept { return {data_, size_}; }

    // Copies elements [first, first + count) into `out`. For a buffer borrowed with its
    // MappedFile this reads the file (MappedFile::read) and touches no page of the mapping: for
    // callers that read a weight once to make their own copy (int8 packing), so the process never
    // pays the mapping's first-touch cost for it. Throws core::Error when the range is outside the
    // buffer or the read fails.
    void read(size_t first, size_t count, float* out) const;
    // read() spread over core::parallel_for threads in 1 MiB pieces, for copies into fresh memory:
    // most of such a copy's time is the first touch of the destination, and those faults scale
    // with threads. Throws like read().
    void read_in_parallel(size_t first, size_t count, float* out) const;

    // True when the floats live in a file mapping rather than in memory of this buffer.
    bool is_borrowed() const noexcept { return owned_ == nullptr && data_ != nullptr; }
    // Writable pointer into an owned buffer; throws core::Error for a borrowed one.
    float* mutable_data();

  private:
    // Storage from the 64-byte-aligned operator new[], released by the matching delete.
    struct AlignedDelete {
        void operator()(float* p) const noexcept;
    };
    std::unique_ptr<float[], AlignedDelete> owned_;
    std::shared_ptr<const void> owner_;  // set for borrowed buffers
    const float* data_ = nullptr;
    size_t size_ = 0;
    const MappedFile* file_ = nullptr;  // for buffers borrowed from a file mapping; owner_ keeps it
};

}  // namespace spanguard::core
