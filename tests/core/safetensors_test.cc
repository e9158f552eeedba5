// SafetensorsFile: well-formed files read back exactly, every malformed or hostile file is refused
// with a message naming the file and the tensor/field, and the parity checkpoints decode
// bit-for-bit like numpy does.
#include "core/weights/safetensors.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "shared_fixtures.h"
#include "tests/core/weights_test_support.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(ParityCheckpointDecodeTest);

namespace spanguard::core {
namespace {

using testing::expect_error;
using testing::float_bytes;
using testing::safetensors_bytes;
using testing::SafetensorsWriter;
using testing::TempDir;
using testing::write_bytes;

std::string u16_bytes(std::initializer_list<uint16_t> values) {
    std::string bytes;
    for (uint16_t v : values) {
        bytes += static_cast<char>(v & 0xff);
        bytes += static_cast<char>(v >> 8);
    }
    return bytes;
}

class SafetensorsTest : public ::testing::Test {
  protected:
    // Writes `bytes` as model.safetensors and opens it.
    SafetensorsFile open_bytes(const std::string& bytes) {
        write_bytes(path(), bytes);
        return SafetensorsFile::open(path());
    }
    // Expects opening `bytes` to fail with a message naming the file and containing `parts`.
    void expect_open_error(const std::string& bytes, std::initializer_list<std::string> parts) {
        write_bytes(path(), bytes);
        expect_error([&] { SafetensorsFile::open(path()); }, {path() + ": "});
        expect_error([&] { SafetensorsFile::open(path()); }, parts);
    }
    std::string path() const { return dir_.file("model.safetensors"); }

    TempDir dir_;
};

TEST_F(SafetensorsTest, ReadsTensorsMetadataAndAllThreeFloatFormats) {
    SafetensorsWriter writer;
    writer.add("b.f32", "F32", {2, 2}, float_bytes({1.5f, -2.0f, 0.0f, 3.25f}))
        .add("a.f16", "F16", {3}, u16_bytes({0x3c00, 0xc000, 0x0001}))  // 1, -2, 2^-24
        .add("c.bf16", "BF16", {2}, u16_bytes({0x3f80, 0x4049}))        // 1, 3.140625
        .add("d.i64", "I64", {1}, std::string(8, '\0'))
        .add("e.empty", "F32", {0, 5}, "")
        .metadata(R"({"format":"pt","note":"x"})");
    const SafetensorsFile file = open_bytes(writer.bytes());

    ASSERT_EQ(file.tensors().size(), 5u);
    EXPECT_EQ(file.tensors()[0].name, "a.f16");  // sorted by name
    EXPECT_EQ(file.tensors()[4].name, "e.empty");
    EXPECT_EQ(file.metadata().at("format"), "pt");
    EXPECT_EQ(file.metadata().size(), 2u);
    EXPECT_EQ(file.find("missing"), nullptr);

    const TensorInfo* f32 = file.find("b.f32");
    ASSERT_NE(f32, nullptr);
    EXPECT_EQ(f32->dtype, DType::kF32);
    EXPECT_EQ(f32->shape, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(f32->nbytes, 16u);
    EXPECT_EQ(file.to_float(*f32), (std::vector<float>{1.5f, -2.0f, 0.0f, 3.25f}));
    EXPECT_EQ(file.to_float(*file.find("a.f16")),
              (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
    EXPECT_EQ(file.to_float(*file.find("c.bf16")), (std::vector<float>{1.0f, 3.140625f}));
    EXPECT_TRUE(file.to_float(*file.find("e.empty")).empty());
    expect_error([&] { file.to_float(*file.find("d.i64")); },
                 {"tensor 'd.i64' has dtype I64", "F32, F16 or BF16"});
}

TEST_F(SafetensorsTest, UnalignedDataIsReadCorrectly) {
    // A 1-byte U8 tensor first puts the F32 tensor at an odd offset.
    SafetensorsWriter writer;
    writer.add("a", "U8", {1}, "x").add("b", "F32", {2}, float_bytes({0.25f, -7.5f}));
    const SafetensorsFile file = open_bytes(writer.bytes());
    EXPECT_EQ(file.find("b")->offset, 1u);
    EXPECT_EQ(file.to_float(*file.find("b")), (std::vector<float>{0.25f, -7.5f}));
}

TEST_F(SafetensorsTest, TruncatedFiles) {
    expect_open_error("", {"truncated: 0 bytes"});
    expect_open_error("abc", {"truncated: 3 bytes"});
    // A valid file cut in the middle of its data section.
    SafetensorsWriter writer;
    writer.add("w", "F32", {4}, float_bytes({1, 2, 3, 4}));
    const std::string full = writer.bytes();
    expect_open_error(full.substr(0, full.size() - 3),
                      {"tensor 'w'", "data_offsets [0, 16] exceed the data section (13 bytes)"});
}

TEST_F(SafetensorsTest, HeaderLengthBeyondTheFile) {
    expect_open_error(testing::le_u64(1000) + "{}",
                      {"header length 1000 exceeds the file (2 bytes"});
    expect_open_error(testing::le_u64(~uint64_t{0}) + "{}",
                      {"header length 18446744073709551615 exceeds the file"});
}

TEST_F(SafetensorsTest, HeaderLengthAboveTheCapIsRefusedBeforeParsing) {
    // A sparse 120 MB file (no disk blocks) whose header claims 110 MB.
    write_bytes(path(), testing::le_u64(110'000'000) + "{");
    ASSERT_EQ(::truncate(path().c_str(), 120'000'000), 0);
    expect_error([&] { SafetensorsFile::open(path()); },
                 {path(), "header length 110000000 exceeds the 100000000-byte limit"});
}

TEST_F(SafetensorsTest, HeaderThatIsNotJson) {
    expect_open_error(safetensors_bytes("{not json", ""), {"header is not valid JSON"});
    expect_open_error(safetensors_bytes("[1, 2]", ""), {"does not start with '{'"});
    expect_open_error(safetensors_bytes("", ""), {"does not start with '{'"});
    expect_open_error(safetensors_bytes("{\"a\": 1} trailing", ""), {"header is not valid JSON"});
    expect_open_error(safetensors_bytes("{\"a\": \"\xff\"}", ""), {"header is not valid JSON"});
}

TEST_F(SafetensorsTest, EntriesOfTheWrongForm) {
    expect_open_error(safetensors_bytes(R"({"w": 5})", ""), {"tensor 'w': entry is an integer"});
    expect_open_error(safetensors_bytes(R"({"w": {"dtype": "F32", "shape": []}})", ""),
                      {"tensor 'w': missing field 'data_offsets'"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [], "data_offsets": [0, 4], "x": 1}})",
                          "abcd"),
        {"tensor 'w': unexpected field 'x'"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}})", "abcd"),
        {"tensor 'w': dtype is an integer, must be a string"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": 1, "data_offsets": [0, 4]}})", "abcd"),
        {"tensor 'w': shape is an integer, must be an array"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}})", "abcd"),
        {"tensor 'w': data_offsets is an array of 1 elements, must be [begin, end]"});
    expect_open_error(
        safetensors_bytes(R"({"__metadata__": {"a": 1}})", ""),
        {"header field '__metadata__': value of 'a' is an integer, must be a string"});
    expect_open_error(safetensors_bytes(R"({"__metadata__": [1]})", ""),
                      {"header field '__metadata__' is an array"});
}

TEST_F(SafetensorsTest, UnknownDtype) {
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "Q4_K", "shape": [2], "data_offsets": [0, 2]}})",
                          "ab"),
        {"tensor 'w': unknown dtype 'Q4_K'"});
}

TEST_F(SafetensorsTest, BadShapeEntries) {
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [2, -1], "data_offsets": [0, 8]}})",
                          std::string(8, '\0')),
        {"tensor 'w': shape[1] is -1, must be non-negative"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}})",
                          std::string(8, '\0')),
        {"tensor 'w': shape[0] is a non-integer number"});
    expect_open_error(
        safetensors_bytes(
            R"({"w": {"dtype": "F32", "shape": [99999999999999999999], "data_offsets": [0, 8]}})",
            std::string(8, '\0')),
        {"tensor 'w': shape[0] is a non-integer number"});
}

TEST_F(SafetensorsTest, ShapeProductOverflow) {
    // 2^32 x 2^32 x 16 elements: the element count itself overflows 64 bits.
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16],
                                "data_offsets": [0, 4]}})",
                          "abcd"),
        {"tensor 'w': shape [4294967296, 4294967296, 16] has more elements than 64 bits can "
         "count"});
    // 2^62 elements fit, but not 2^64 bytes of F32.
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [4611686018427387904],
                                "data_offsets": [0, 4]}})",
                          "abcd"),
        {"tensor 'w': shape [4611686018427387904] of F32 is more bytes than 64 bits can count"});
    // A zero dimension makes any product empty, even after an overflowing partial product.
    const SafetensorsFile file = open_bytes(safetensors_bytes(
        R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16, 0],
                  "data_offsets": [0, 0]}})",
        ""));
    EXPECT_EQ(file.find("w")->nbytes, 0u);
    EXPECT_EQ(file.find("w")->numel(), 0);
}

TEST_F(SafetensorsTest, OffsetsOutOfRange) {
    expect_open_error(
        safetensors_bytes(R"({"encoder.x": {"dtype": "F32", "shape": [999999997],
                                      "data_offsets": [10, 4000000000]}})",
                          std::string(16, '\0')),
        {"tensor 'encoder.x': data_offsets [10, 4000000000] exceed the data section (16 bytes)"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})",
                          std::string(16, '\0')),
        {"tensor 'w': data_offsets [8, 4] end before they begin"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})",
                          std::string(16, '\0')),
        {"tensor 'w': data_offsets [0, 16] hold 16 bytes, but shape [3] of F32 needs 12"});
    expect_open_error(
        safetensors_bytes(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}})",
                          std::string(16, '\0')),
        {"tensor 'w': data_offsets[0] is -4, must be non-negative"});
}

TEST_F(SafetensorsTest, DeclaredSizeFarBeyondTheFileIsNeverAllocated) {
    // 2^40 floats (4 TiB) declared in a 40-byte file: must be refused before any allocation (an
    // attempt would throw std::bad_alloc or std::length_error, which expect_error reports).
    expect_open_error(
        safetensors_bytes(R"({"huge": {"dtype": "F32", "shape": [1099511627776],
                                 "data_offsets": [0, 4398046511104]}})",
                          std::string(8, '\0')),
        {"tensor 'huge': data_offsets [0, 4398046511104] exceed the data section (8 bytes)"});
}

TEST_F(SafetensorsTest, OverlappingRanges) {
    expect_open_error(
        safetensors_bytes(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
                          std::string(12, '\0')),
        {"tensors 'a' [0, 8] and 'b' [4, 12] overlap"});
    // Same range twice (aliasing) is an overlap too.
    expect_open_error(
        safetensors_bytes(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                             "b": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})",
                          std::string(8, '\0')),
        {"overlap"});
}

TEST_F(SafetensorsTest, DuplicateKeysAndDeepNesting) {
    expect_open_error(
        safetensors_bytes(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                             "a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
                          std::string(8, '\0')),
        {"header lists 'a' twice"});
    expect_open_error(safetensors_bytes(R"({"a": {"dtype": "F32", "dtype": "F16", "shape": [1],
                                   "data_offsets": [0, 4]}})",
                                        std::string(4, '\0')),
                      {"header entry has the field 'dtype' twice"});
    expect_open_error(safetensors_bytes("{\"a\": " + std::string(100000, '[') + "}", ""),
                      {"nests JSON containers deeper"});
}

TEST_F(SafetensorsTest, NonFiniteWeightsAreNamedWithTheirIndex) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    SafetensorsWriter writer;
    writer.add("f32", "F32", {2, 3}, float_bytes({0, 1, 2, 3, nan, 5}))
        .add("f16", "F16", {3}, u16_bytes({0x3c00, 0x3c00, 0xfc00}))  // -Inf last
        .add("bf16", "BF16", {1}, u16_bytes({0x7f80}))                // +Inf
        .add("huge_finite", "F32", {1}, float_bytes({std::numeric_limits<float>::max()}));
    const SafetensorsFile file = open_bytes(writer.bytes());
    expect_error([&] { file.to_float(*file.find("f32")); },
                 {path(), "tensor 'f32': element 4 [1, 1] is NaN"});
    expect_error([&] { file.to_float(*file.find("f16")); },
                 {"tensor 'f16': element 2 [2] is -Inf"});
    expect_error([&] { file.to_float(*file.find("bf16")); },
                 {"tensor 'bf16': element 0 [0] is +Inf"});
    EXPECT_EQ(file.to_float(*file.find("huge_finite"))[0], std::numeric_limits<float>::max());
    (void)inf;
}

TEST_F(SafetensorsTest, LongHostileNamesAreCutInMessages) {
    const std::string name(100000, 'n');
    expect_open_error(safetensors_bytes("{\"" + name +
                                            "\": {\"dtype\": \"X\", \"shape\": [], "
                                            "\"data_offsets\": [0, 0]}}",
                                        ""),
                      {"(99800 more bytes)", "unknown dtype 'X'"});
}

TEST_F(SafetensorsTest, MissingFileAndDirectory) {
    expect_error([&] { SafetensorsFile::open(dir_.file("absent.safetensors")); },
                 {"absent.safetensors: cannot open"});
    expect_error([&] { SafetensorsFile::open(dir_.path()); }, {"not a regular file"});
}

TEST_F(SafetensorsTest, BytesOfAForeignTensorAreRefused) {
    SafetensorsWriter writer;
    writer.add("w", "F32", {1}, float_bytes({1}));
    const SafetensorsFile file = open_bytes(writer.bytes());
    TensorInfo foreign = *file.find("w");
    foreign.offset = 100;
    expect_error([&] { file.bytes(foreign); }, {"does not lie inside"});
}

// Every tensor of both parity checkpoints, decoded here and by numpy from the raw file (Python's
// own JSON parser reads the header), must agree bit for bit.
class ParityCheckpointDecodeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ParityCheckpointDecodeTest, EveryTensorMatchesNumpyBitForBit) {
    const std::string file_path = testing::parity_checkpoint(GetParam()) + "/model.safetensors";
    TempDir dir;
    const std::string dump = dir.file("numpy.f32");
    const std::string script =
        "import json, struct, sys, numpy as np\n"
        "raw = open(sys.argv[1], 'rb').read()\n"
        "n = struct.unpack('<Q', raw[:8])[0]\n"
        "header = json.loads(raw[8:8 + n]); data = raw[8 + n:]\n"
        "kinds = {'F32': '<f4', 'F16': '<f2', 'BF16': None}\n"
        "with open(sys.argv[2], 'wb') as out:\n"
        "    for name in sorted(k for k in header if k != '__metadata__'):\n"
        "        e = header[name]; b, end = e['data_offsets']\n"
        "        a = np.frombuffer(data[b:end], dtype=kinds[e['dtype']]).astype(np.float32)\n"
        "        out.write(a.tobytes())\n"
        "        print(name, a.size)\n";
    const std::string script_path = dir.file("dump.py");
    testing::write_text(script_path, script);
    const std::string listing = testing::run_command(std::string(testing::kPython) + " " +
                                                     script_path + " " + file_path + " " + dump);

    const SafetensorsFile file = SafetensorsFile::open(file_path);
    std::ifstream in(dump, std::ios::binary);
    std::string expected_names;
    size_t compared = 0;
    for (const TensorInfo& tensor : file.tensors()) {
        const std::vector<float> ours = file.to_float(tensor);
        std::vector<float> theirs(ours.size());
        in.read(reinterpret_cast<char*>(theirs.data()),
                static_cast<std::streamsize>(theirs.size() * sizeof(float)));
        ASSERT_TRUE(in) << "numpy dump ended early at " << tensor.name;
        ASSERT_EQ(std::memcmp(ours.data(), theirs.data(), ours.size() * sizeof(float)), 0)
            << tensor.name << " differs from numpy";
        expected_names += tensor.name + " " + std::to_string(ours.size()) + "\n";
        compared += ours.size();
    }
    EXPECT_EQ(in.peek(), std::char_traits<char>::eof()) << "numpy dumped more values";
    EXPECT_EQ(listing, expected_names);  // same tensors, same order, same sizes
    EXPECT_GT(compared, 8'000'000u);
}

INSTANTIATE_TEST_SUITE_P(Parity, ParityCheckpointDecodeTest,
                         ::testing::Values("tiny_count_lstm_v2", "tiny_count_lstm_f16"));

}  // namespace
}  // namespace spanguard::core
