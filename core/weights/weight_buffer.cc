#include "core/weights/weight_buffer.h"

#include <algorithm>
#include <cstdint>
#include <new>
#include <string>
#include <utility>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::core {

namespace {
constexpr std::align_val_t kAlignment{64};
}  // namespace

void WeightBuffer::AlignedDelete::operator()(float* p) const noexcept {
    ::operator delete[](p, kAlignment);
}

WeightBuffer WeightBuffer::uninitialized(size_t count) {
    WeightBuffer buffer;
    if (count == 0) return buffer;
    // Cache-line aligned, so that vector loads of a row never straddle two lines; left
    // uninitialized (no zero-fill pass over memory the loader overwrites anyway).
    buffer.owned_.reset(static_cast<float*>(::operator new[](count * sizeof(float), kAlignment)));
    buffer.data_ = buffer.owned_.get();
    buffer.size_ = count;
    return buffer;
}

WeightBuffer WeightBuffer::borrowed(std::shared_ptr<const void> owner, const float* data,
                                    size_t count, const MappedFile* file) {
    WeightBuffer buffer;
    if (count == 0) return buffer;
    buffer.owner_ = std::move(owner);
    buffer.data_ = data;
    buffer.size_ = count;
    buffer.file_ = file;
    return buffer;
}

void WeightBuffer::read(size_t first, size_t count, float* out) const {
    if (first > size_ || count > size_ - first) {
        throw Error("WeightBuffer::read: elements [" + std::to_string(first) + ", +" +
                    std::to_string(count) + ") outside a buffer of " + std::to_string(size_));
    }
    if (count == 0) return;
    const auto* bytes = reinterpret_cast<const std::byte*>(data_ + first);
    if (file_ != nullptr) {
        file_->read({bytes, count * sizeof(float)},
                    {reinterpret_cast<std::byte*>(out), count * sizeof(float)});
    } else {
        std::copy_n(data_ + first, count, out);
    }
}

void WeightBuffer::read_in_parallel(size_t first, size_t count, float* out) const {
    if (first > size_ || count > size_ - first) {
        read(first, count, out);  // the same error, before any thread starts
        return;
    }
    constexpr size_t kPiece = size_t{1} << 18;  // 1 MiB of float32
    parallel_for((count + kPiece - 1) / kPiece, 1, [&](size_t begin, size_t end) {
        const size_t from = begin * kPiece;
        const size_t to = std::min(count, end * kPiece);
        read(first + from, to - from, out + from);
    });
}

WeightBuffer::WeightBuffer(std::initializer_list<float> values)
    : WeightBuffer(uninitialized(values.size())) {
    std::copy(values.begin(), values.end(), owned_.get());
}

WeightBuffer::WeightBuffer(const std::vector<float>& values)
    : WeightBuffer(uninitialized(values.size())) {
    std::copy(values.begin(), values.end(), owned_.get());
}

WeightBuffer::WeightBuffer(size_t count, float value) : WeightBuffer(uninitialized(count)) {
    std::fill_n(owned_.get(), count, value);
}

WeightBuffer::WeightBuffer(const WeightBuffer& other) {
    if (other.owned_ != nullptr) {
        *this = uninitialized(other.size_);
        std::copy(other.begin(), other.end(), owned_.get());
    } else {
        owner_ = other.owner_;
        data_ = other.data_;
        size_ = other.size_;
        file_ = other.file_;
    }
}

WeightBuffer& WeightBuffer::operator=(const WeightBuffer& other) {
    if (this != &other) *this = WeightBuffer(other);
    return *this;
}

WeightBuffer::WeightBuffer(WeightBuffer&& other) noexcept
    : owned_(std::move(other.owned_)),
      owner_(std::move(other.owner_)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      file_(std::exchange(other.file_, nullptr)) {}

WeightBuffer& WeightBuffer::operator=(WeightBuffer&& other) noexcept {
    if (this == &other) return *this;
    owned_ = std::move(other.owned_);
    owner_ = std::move(other.owner_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    file_ = std::exchange(other.file_, nullptr);
    return *this;
}

float* WeightBuffer::mutable_data() {
    if (is_borrowed()) {
        throw Error("WeightBuffer: a tensor borrowed from a read-only file mapping is immutable");
    }
    return owned_.get();
}

}  // namespace spanguard::core
