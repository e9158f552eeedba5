// Fuzzes core::parse_safetensors_header, the part of SafetensorsFile::open that reads untrusted
// bytes (open itself only adds the 8-byte length prefix and the mmap).
// Input layout: 8 bytes little-endian data-section size, then the JSON header text.
#include <cstdint>
#include <string>

#include "core/util/error.h"
#include "core/weights/safetensors_header.h"
#include "tests/fuzz/fuzz_support.h"

using namespace spanguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 8) return 0;
    uint64_t data_size = 0;
    for (int i = 7; i >= 0; --i)
        data_size = (data_size << 8) | data[i];
    const std::string_view header = fuzz::as_text(data + 8, size - 8);
    try {
        const core::SafetensorsHeader parsed =
            core::parse_safetensors_header(header, data_size, "fuzz.safetensors");
        // The documented guarantees of a header that parsed: every tensor lies inside the data
        // section, sizes agree with dtype x shape, names are sorted and ranges do not overlap.
        for (size_t i = 0; i < parsed.tensors.size(); ++i) {
            const core::TensorInfo& t = parsed.tensors[i];
            FUZZ_CHECK(t.offset <= data_size && t.nbytes <= data_size - t.offset);
            FUZZ_CHECK(static_cast<uint64_t>(t.numel()) * core::dtype_size(t.dtype) == t.nbytes);
            if (i > 0) FUZZ_CHECK(parsed.tensors[i - 1].name < t.name);
            for (size_t j = 0; j < i; ++j) {
                const core::TensorInfo& u = parsed.tensors[j];
                if (t.nbytes == 0 || u.nbytes == 0) continue;
                FUZZ_CHECK(t.offset + t.nbytes <= u.offset || u.offset + u.nbytes <= t.offset);
            }
        }
        (void)core::quote_for_error(header, 50);
    } catch (const core::Error&) {
    }
    return 0;
}
