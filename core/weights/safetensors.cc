#include "core/weights/safetensors.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/util/error.h"
#include "core/weights/float_decode.h"
#include "core/weights/mapped_file.h"
#include "core/weights/safetensors_header.h"

namespace spanguard::core {
namespace {

struct DTypeEntry {
    DType dtype;
    std::string_view name;
    size_t size;
};

constexpr std::array<DTypeEntry, 15> kDTypes = {{
    {DType::kF32, "F32", 4},
    {DType::kF16, "F16", 2},
    {DType::kBF16, "BF16", 2},
    {DType::kF64, "F64", 8},
    {DType::kI64, "I64", 8},
    {DType::kI32, "I32", 4},
    {DType::kI16, "I16", 2},
    {DType::kI8, "I8", 1},
    {DType::kU8, "U8", 1},
    {DType::kBool, "BOOL", 1},
    {DType::kU16, "U16", 2},
    {DType::kU32, "U32", 4},
    {DType::kU64, "U64", 8},
    {DType::kF8E4M3, "F8_E4M3", 1},
    {DType::kF8E5M2, "F8_E5M2", 1},
}};

const DTypeEntry& entry_for(DType dtype) {
    for (const DTypeEntry& entry : kDTypes) {
        if (entry.dtype == dtype) return entry;
    }
    throw Error("unknown DType value " + std::to_string(static_cast<int>(dtype)));
}

uint64_t read_le_u64(const std::byte* p) {
    uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<uint8_t>(p[i]);
    return value;
}

}  // namespace

std::string_view dtype_name(DType dtype) {
    return entry_for(dtype).name;
}

size_t dtype_size(DType dtype) {
    return entry_for(dtype).size;
}

std::optional<DType> parse_dtype(std::string_view name) {
    for (const DTypeEntry& entry : kDTypes) {
        if (entry.name == name) return entry.dtype;
    }
    return std::nullopt;
}

int64_t TensorInfo::numel() const {
    // A zero extent first: validated shapes may have huge other extents whose product alone
    // would overflow (the header parser accepts [2^32, 2^32, 0]).
    if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
    int64_t n = 1;
    for (int64_t dim : shape)
        n *= dim;
    return n;
}

struct SafetensorsFile::Impl {
    std::string path;
    std::shared_ptr<const MappedFile> file;
    const std::byte* data = nullptr;  // start of the data section inside the mapping
    size_t data_size = 0;
    SafetensorsHeader header;
};

SafetensorsFile::SafetensorsFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->file = std::make_shared<const MappedFile>(MappedFile::open(path));
    const std::span<const std::byte> bytes = impl->file->bytes();
    if (bytes.size() < 8) {
        throw Error(path + ": truncated: " + std::to_string(bytes.size()) +
                    " bytes, fewer than the 8-byte header length that starts a safetensors file");
    }
    const uint64_t header_length = read_le_u64(bytes.data());
    const uint64_t available = bytes.size() - 8;
    if (header_length > available) {
        throw Error(path + ": header length " + std::to_string(header_length) +
                    " exceeds the file (" + std::to_string(available) +
                    " bytes after the length field); the file is truncated or not safetensors");
    }
    if (header_length > kMaxHeaderBytes) {
        throw Error(path + ": header length " + std::to_string(header_length) + " exceeds the " +
                    std::to_string(kMaxHeaderBytes) + "-byte limit");
    }
    const auto* header_begin = reinterpret_cast<const char*>(bytes.data() + 8);
    const std::string_view header_text(header_begin, static_cast<size_t>(header_length));
    if (header_text.empty() || header_text.front() != '{') {
        throw Error(path + ": header does not start with '{'; not a safetensors file");
    }
    impl->data = bytes.data() + 8 + header_length;
    impl->data_size = static_cast<size_t>(available - header_length);
    impl->header = parse_safetensors_header(header_text, impl->data_size, path);
    return SafetensorsFile(std::move(impl));
}

const std::string& SafetensorsFile::path() const {
    return impl_->path;
}

const std::vector<TensorInfo>& SafetensorsFile::tensors() const {
    return impl_->header.tensors;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
    const auto& tensors = impl_->header.tensors;
    const auto it = std::lower_bound(
        tensors.begin(), tensors.end(), name,
        [](const TensorInfo& t, std::string_view wanted) { return t.name < wanted; });
    return it != tensors.end() && it->name == name ? &*it : nullptr;
}

const std::map<std::string, std::string>& SafetensorsFile::metadata() const {
    return impl_->header.metadata;
}

size_t SafetensorsFile::data_size() const {
    return impl_->data_size;
}

std::shared_ptr<const void> SafetensorsFile::mapping() const {
    return impl_->file;
}

const MappedFile& SafetensorsFile::mapped_file() const {
    return *impl_->file;
}

std::span<const std::byte> SafetensorsFile::bytes(const TensorInfo& tensor) const {
    if (tensor.offset > impl_->data_size || tensor.nbytes > impl_->data_size - tensor.offset) {
        throw Error(impl_->path + ": tensor " + quote_for_error(tensor.name) +
                    " does not lie inside this file's data section");
    }
    return {impl_->data + tensor.offset, tensor.nbytes};
}

std::vector<float> SafetensorsFile::to_float(const TensorInfo& tensor) const {
    if (!decodes_to_float(tensor.dtype)) {
        throw Error(impl_->path + ": tensor " + quote_for_error(tensor.name) + " has dtype " +
                    std::string(dtype_name(tensor.dtype)) + "; weights must be F32, F16 or BF16");
    }
    const std::span<const std::byte> source = bytes(tensor);
    std::vector<float> values(source.size() / dtype_size(tensor.dtype));
    const size_t bad =
        decode_to_float_checked(tensor.dtype, source.data(), values.size(), values.data());
    if (bad != values.size()) {
        throw Error(non_finite_message(impl_->path, tensor, bad, values[bad]));
    }
    return values;
}

}  // namespace spanguard::core
