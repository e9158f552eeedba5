// Fuzzes core::TorchCheckpoint::from_bytes (TorchCheckpoint::open minus the mmap): the zip reader,
// the restricted unpickler and the tensor layout checks.
// Input layout: one mode byte, then
//   even mode: the whole checkpoint file;
//   odd mode: only data.pkl, which the harness stores in a valid archive beside the storages
//     "0" (64 bytes), "1" (16 bytes) and "2" (empty), so that mutations reach the unpickler
//     instead of mostly breaking zip offsets.
#include <cstdint>
#include <string>
#include <vector>

#include "core/util/error.h"
#include "core/weights/torch_checkpoint.h"
#include "tests/fuzz/fuzz_support.h"

using namespace spanguard;

namespace {

std::string le(uint64_t value, int bytes) {
    std::string out(static_cast<size_t>(bytes), '\0');
    for (int i = 0; i < bytes; ++i)
        out[static_cast<size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

// A zip archive of stored entries (CRC fields zero: the reader does not check them).
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out;
    std::string central;
    for (const auto& [name, data] : entries) {
        const std::string common = le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(data.size(), 4) +
                                   le(data.size(), 4) + le(name.size(), 2) + le(0, 2);
        central += le(0x02014b50, 4) + le(20, 2) + le(20, 2) + common + le(0, 2) + le(0, 2) +
                   le(0, 2) + le(0, 4) + le(out.size(), 4) + name;
        out += le(0x04034b50, 4) + le(20, 2) + common + name + data;
    }
    const size_t directory = out.size();
    out += central;
    out += le(0x06054b50, 4) + le(0, 4) + le(entries.size(), 2) + le(entries.size(), 2) +
           le(central.size(), 4) + le(directory, 4) + le(0, 2);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    std::string file(reinterpret_cast<const char*>(data + 1), size - 1);
    if (data[0] & 1) {
        file = stored_zip({{"archive/data.pkl", file},
                           {"archive/data/0", std::string(64, '\x01')},
                           {"archive/data/1", std::string(16, '\x02')},
                           {"archive/data/2", ""},
                           {"archive/version", "3\n"}});
    }
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(file.data()),
                                           file.size());
    try {
        const core::TorchCheckpoint checkpoint =
            core::TorchCheckpoint::from_bytes(bytes, "fuzz.bin");
        // The documented guarantees of a checkpoint that opened: names sorted and unique, and
        // every tensor's bytes (numel x dtype size) inside the file.
        const std::vector<core::TensorInfo>& tensors = checkpoint.tensors();
        for (size_t i = 0; i < tensors.size(); ++i) {
            const core::TensorInfo& t = tensors[i];
            if (i > 0) FUZZ_CHECK(tensors[i - 1].name < t.name);
            FUZZ_CHECK(t.shape.size() <= core::TorchCheckpoint::kMaxDims);
            for (int64_t dim : t.shape)
                FUZZ_CHECK(dim >= 0);
            FUZZ_CHECK(static_cast<uint64_t>(t.numel()) * core::dtype_size(t.dtype) == t.nbytes);
            FUZZ_CHECK(t.offset <= file.size() && t.nbytes <= file.size() - t.offset);
            const std::span<const std::byte> tensor_bytes = checkpoint.data(t);
            FUZZ_CHECK(tensor_bytes.data() == bytes.data() + t.offset);
            FUZZ_CHECK(checkpoint.find(t.name) == &t);
        }
    } catch (const core::Error&) {
    }
    return 0;
}
