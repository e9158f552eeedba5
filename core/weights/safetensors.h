// Read-only view of a `.safetensors` file, memory-mapped and fully validated before any tensor is
// handed out: the header length is bounded by the file, every dtype is known, shape x dtype size
// equals the byte range, and ranges lie inside the data section without overlapping. Nothing is
// ever allocated in proportion to sizes the file declares, only to what it actually contains.
//
// File layout: 8-byte little-endian header length N, N bytes of JSON header
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__":
// {..}}, then the data section; offsets are bytes from the start of the data section.
//
// Thread safety: immutable after open(); share freely. The mapping lives as long as the object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/weights/mapped_file.h"

namespace spanguard::core {

// The dtypes of the safetensors format (enumerators after kBool were added later; the existing
// values keep their numbers).
enum class DType {
    kF32,
    kF16,
    kBF16,
    kF64,
    kI64,
    kI32,
    kI16,
    kI8,
    kU8,
    kBool,
    kU16,
    kU32,
    kU64,
    kF8E4M3,
    kF8E5M2
};

// "F32", "F16", ... as written in safetensors headers.
std::string_view dtype_name(DType dtype);
// Bytes per element.
size_t dtype_size(DType dtype);
// The dtype for a header spelling ("F32", "BF16", "F8_E4M3", ...); nullopt when unknown.
std::optional<DType> parse_dtype(std::string_view name);

struct TensorInfo {
    std::string name;
    DType dtype;
    std::vector<int64_t> shape;
    size_t offset = 0;  // bytes, from the start of the data section
    size_t nbytes = 0;
    int64_t numel() const;
};

class SafetensorsFile {
  public:
    // Header lengths above this are rejected before anything is parsed (the same limit as the
    // reference safetensors library).
    static constexpr uint64_t kMaxHeaderBytes = 100'000'000;

    // Throws core::Error naming the file and what is wrong (and the tensor, where one is at fault).
    static SafetensorsFile open(const std::string& path);

    const std::string& path() const;
    // Sorted by name.
    const std::vector<TensorInfo>& tensors() const;
    const TensorInfo* find(std::string_view name) const;  // nullptr when absent
    // The optional "__metadata__" string map of the header (empty when absent).
    const std::map<std::string, std::string>& metadata() const;
    // Bytes after the header (where data_offsets point).
    size_t data_size() const;
    // The raw bytes of `tensor` inside the mapping; valid while this object (or a mapping() handle)
    // lives. No alignment is guaranteed (the format does not require any). Throws if `tensor` does
    // not fit this file.
    std::span<const std::byte> bytes(const TensorInfo& tensor) const;
    // Shared ownership of the file mapping: holding it keeps every bytes() span valid after this
    // object is gone (CheckpointWeights lends F32 tensors straight from the mapping this way).
    std::shared_ptr<const void> mapping() const;
    // The mapped file itself, for reading bytes() ranges through its descriptor
    // (MappedFile::read) without touching the mapping.
    const MappedFile& mapped_file() const;
    // Converts F32/F16/BF16 data to float32 (row-major, exact); throws for other dtypes or
    // non-finite values, naming the tensor and the first bad element. (CheckpointWeights uses a
    // faster parallel path into uninitialized buffers; this one is for single tensors.)
    std::vector<float> to_float(const TensorInfo& tensor) const;

    SafetensorsFile(SafetensorsFile&&) noexcept;
    SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
    ~SafetensorsFile();

  private:
    struct Impl;
    explicit SafetensorsFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace spanguard::core
