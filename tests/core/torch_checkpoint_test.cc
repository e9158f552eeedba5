// TorchCheckpoint: PyTorch zip checkpoints read back exactly (hand-built ones, files written by a
// real torch.save, and the GLiNER v1 reference checkpoint against its safetensors twin), while code
// that a pickle would run (os.system, eval, INST/OBJ/NEWOBJ, ...) and every malformed archive,
// pickle or tensor layout is refused naming the file, the data.pkl offset or the tensor.
#include "core/weights/torch_checkpoint.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/head_tensor_names.h"
#include "shared_fixtures.h"
#include "tests/core/weights_test_support.h"

// Compares with checkpoints from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(TorchCheckpointReferenceTest);

namespace spanguard::core {
namespace {

using testing::expect_error;
using testing::float_bytes;
using testing::TempDir;
using testing::write_bytes;
using namespace std::string_literals;

std::string le(uint64_t value, int bytes) {
    std::string out(static_cast<size_t>(bytes), '\0');
    for (int i = 0; i < bytes; ++i)
        out[static_cast<size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xff);
    return out;
}

std::string op(uint8_t code) {
    return std::string(1, static_cast<char>(code));
}

bool exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

// Pickle protocol 2 pieces, written as PyTorch's pickler writes a state dict.
namespace pk {

std::string str(std::string_view s) {
    return "X" + le(s.size(), 4) + std::string(s);
}

std::string integer(int64_t v) {
    if (v >= 0 && v < 256) return "K" + le(static_cast<uint64_t>(v), 1);
    if (v >= INT32_MIN && v <= INT32_MAX) return "J" + le(static_cast<uint64_t>(v), 4);
    return op(0x8a) + le(8, 1) + le(static_cast<uint64_t>(v), 8);  // LONG1
}

std::string global(std::string_view module, std::string_view name) {
    return "c" + std::string(module) + "\n" + std::string(name) + "\n";
}

std::string ints(const std::vector<int64_t>& values) {
    std::string out = "(";
    for (int64_t v : values)
        out += integer(v);
    return out + "t";
}

std::vector<int64_t> row_major(const std::vector<int64_t>& shape) {
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;)
        strides[d - 1] = strides[d] * shape[d];
    return strides;
}

std::string storage_id(std::string_view type, std::string_view key, int64_t numel) {
    return "(" + str("storage") + global("torch", type) + str(key) + str("cpu") + integer(numel) +
           "tQ";
}

std::string empty_ordered_dict() {
    return global("collections", "OrderedDict") + ")R";
}

std::string tensor(std::string_view type, std::string_view key, int64_t numel, int64_t offset,
                   const std::vector<int64_t>& shape,
                   std::optional<std::vector<int64_t>> stride = {}) {
    return global("torch._utils", "_rebuild_tensor_v2") + "(" + storage_id(type, key, numel) +
           integer(offset) + ints(shape) + ints(stride.value_or(row_major(shape))) + op(0x89) +
           empty_ordered_dict() + "tR";
}

std::string parameter(const std::string& tensor_pickle) {
    return global("torch._utils", "_rebuild_parameter") + "(" + tensor_pickle + op(0x88) +
           empty_ordered_dict() + "tR";
}

// {name: value, ...} as EMPTY_DICT MARK ... SETITEMS STOP.
std::string state_dict(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string out = op(0x80) + op(2) + "}(";
    for (const auto& [name, value] : entries)
        out += str(name) + value;
    return out + "u.";
}

}  // namespace pk

struct ZipMember {
    std::string name;
    std::string data;
    uint16_t method = 0;
    uint16_t flags = 0;
    std::optional<std::string> local_name = {};  // another name in the local header
};

uint32_t crc32(std::string_view data) {
    uint32_t crc = 0xffffffff;
    for (char c : data) {
        crc ^= static_cast<uint8_t>(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

// A zip archive of stored members; with `zip64`, every size and offset goes through ZIP64 extra
// fields and a ZIP64 end record, as writers do for files over 4 GiB.
std::string zip_bytes(const std::vector<ZipMember>& members, bool zip64 = false) {
    std::string out;
    std::string central;
    for (const ZipMember& m : members) {
        const uint64_t offset = out.size();
        const std::string local_name = m.local_name.value_or(m.name);
        const std::string sizes = zip64 ? le(0xffffffff, 4) + le(0xffffffff, 4)
                                        : le(m.data.size(), 4) + le(m.data.size(), 4);
        const std::string local_extra =
            zip64 ? le(1, 2) + le(16, 2) + le(m.data.size(), 8) + le(m.data.size(), 8) : "";
        out += le(0x04034b50, 4) + le(20, 2) + le(m.flags, 2) + le(m.method, 2) + le(0, 4) +
               le(crc32(m.data), 4) + sizes + le(local_name.size(), 2) + le(local_extra.size(), 2) +
               local_name + local_extra + m.data;
        const std::string extra = zip64 ? le(1, 2) + le(24, 2) + le(m.data.size(), 8) +
                                              le(m.data.size(), 8) + le(offset, 8)
                                        : "";
        central += le(0x02014b50, 4) + le(20, 2) + le(20, 2) + le(m.flags, 2) + le(m.method, 2) +
                   le(0, 4) + le(crc32(m.data), 4) + sizes + le(m.name.size(), 2) +
                   le(extra.size(), 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) +
                   le(zip64 ? 0xffffffff : offset, 4) + m.name + extra;
    }
    const uint64_t directory_offset = out.size();
    out += central;
    const uint64_t n = members.size();
    if (zip64) {
        const uint64_t record = out.size();
        out += le(0x06064b50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4) +
               le(n, 8) + le(n, 8) + le(central.size(), 8) + le(directory_offset, 8);
        out += le(0x07064b50, 4) + le(0, 4) + le(record, 8) + le(1, 4);
        out += le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(0xffff, 2) + le(0xffff, 2) +
               le(0xffffffff, 4) + le(0xffffffff, 4) + le(0, 2);
    } else {
        out += le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(n, 2) + le(n, 2) +
               le(central.size(), 4) + le(directory_offset, 4) + le(0, 2);
    }
    return out;
}

using Storages = std::vector<std::pair<std::string, std::string>>;  // key, bytes

std::vector<ZipMember> checkpoint_members(const std::string& pickle, const Storages& storages) {
    std::vector<ZipMember> members = {{"archive/data.pkl", pickle}};
    for (const auto& [key, bytes] : storages)
        members.push_back({"archive/data/" + key, bytes});
    members.push_back({"archive/version", "3\n"});
    return members;
}

std::string checkpoint_bytes(const std::string& pickle, const Storages& storages = {},
                             bool zip64 = false) {
    return zip_bytes(checkpoint_members(pickle, storages), zip64);
}

std::string as_string(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

class TorchCheckpointTest : public ::testing::Test {
  protected:
    TorchCheckpoint open_bytes(const std::string& bytes) {
        write_bytes(path(), bytes);
        return TorchCheckpoint::open(path());
    }
    // Expects opening `bytes` to fail with a message naming the file and containing `parts`.
    void expect_open_error(const std::string& bytes, std::initializer_list<std::string> parts) {
        write_bytes(path(), bytes);
        expect_error([&] { TorchCheckpoint::open(path()); }, {path() + ": "});
        expect_error([&] { TorchCheckpoint::open(path()); }, parts);
    }
    // A pickle run inside an otherwise valid checkpoint with one 16-byte storage "0".
    void expect_pickle_error(const std::string& pickle, std::initializer_list<std::string> parts) {
        expect_open_error(checkpoint_bytes(pickle, {{"0", float_bytes({1, 2, 3, 4})}}), parts);
    }
    std::string path() const { return dir_.file("pytorch_model.bin"); }

    TempDir dir_;
};

TEST_F(TorchCheckpointTest, HandBuiltStateDictReadsBack) {
    const std::string f32 = float_bytes({1.5f, -2.0f, 0.0f, 3.25f, 8.0f, 9.0f});
    const std::string f16 = le(0x3c00, 2) + le(0xc000, 2) + le(0x0001, 2);
    const std::string pickle = pk::state_dict({
        {"b.matrix", pk::tensor("FloatStorage", "0", 6, 0, {2, 2})},
        {"a.half", pk::tensor("HalfStorage", "1", 3, 0, {3})},
        {"c.tail", pk::tensor("FloatStorage", "0", 6, 4, {2})},  // same storage, offset 4
        {"d.scalar", pk::tensor("FloatStorage", "0", 6, 5, {})},
        {"e.empty", pk::tensor("FloatStorage", "0", 6, 6, {0, 3})},
        {"f.param", pk::parameter(pk::tensor("FloatStorage", "0", 6, 1, {1, 3, 1}, {{7, 1, 9}}))},
    });
    const TorchCheckpoint file = open_bytes(checkpoint_bytes(pickle, {{"0", f32}, {"1", f16}}));

    ASSERT_EQ(file.tensors().size(), 6u);
    EXPECT_EQ(file.tensors()[0].name, "a.half");  // sorted by name
    EXPECT_EQ(file.path(), path());
    EXPECT_NE(file.mapping(), nullptr);
    EXPECT_EQ(file.find("missing"), nullptr);

    const TensorInfo* matrix = file.find("b.matrix");
    ASSERT_NE(matrix, nullptr);
    EXPECT_EQ(matrix->dtype, DType::kF32);
    EXPECT_EQ(matrix->shape, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(matrix->nbytes, 16u);
    EXPECT_EQ(as_string(file.data(*matrix)), f32.substr(0, 16));
    EXPECT_EQ(file.find("a.half")->dtype, DType::kF16);
    EXPECT_EQ(as_string(file.data(*file.find("a.half"))), f16);
    EXPECT_EQ(as_string(file.data(*file.find("c.tail"))), f32.substr(16, 8));
    EXPECT_EQ(file.find("d.scalar")->shape, std::vector<int64_t>{});
    EXPECT_EQ(as_string(file.data(*file.find("d.scalar"))), f32.substr(20, 4));
    EXPECT_EQ(file.find("e.empty")->nbytes, 0u);
    // Strides of extent-1 dimensions do not matter (as in PyTorch's is_contiguous).
    EXPECT_EQ(as_string(file.data(*file.find("f.param"))), f32.substr(4, 12));

    TensorInfo outside = *matrix;
    outside.offset = 1u << 30;
    expect_error([&] { file.data(outside); }, {"tensor 'b.matrix' does not lie inside"});
}

TEST_F(TorchCheckpointTest, OrderedDictWithMetadataAndZip64Archives) {
    // OrderedDict state dict, _metadata given by BUILD (as module.state_dict() pickles), in a
    // ZIP64 archive.
    const std::string metadata = "}" + pk::str("_metadata") + pk::empty_ordered_dict() + "(" +
                                 pk::str("") + "}" + pk::str("version") + pk::integer(1) + "su" +
                                 "s";
    const std::string pickle = op(0x80) + op(2) + pk::empty_ordered_dict() + "(" + pk::str("w") +
                               pk::tensor("BFloat16Storage", "0", 2, 0, {2}) + "u" + metadata +
                               "b.";
    const TorchCheckpoint file =
        open_bytes(checkpoint_bytes(pickle, {{"0", le(0x3f80, 2) + le(0x4049, 2)}}, true));
    ASSERT_EQ(file.tensors().size(), 1u);
    EXPECT_EQ(file.tensors()[0].dtype, DType::kBF16);
    EXPECT_EQ(as_string(file.data(file.tensors()[0])), le(0x3f80, 2) + le(0x4049, 2));
}

TEST_F(TorchCheckpointTest, InMemoryCheckpoints) {
    const std::string bytes = checkpoint_bytes(
        pk::state_dict({{"w", pk::tensor("LongStorage", "0", 1, 0, {1})}}), {{"0", le(42, 8)}});
    const auto* data = reinterpret_cast<const std::byte*>(bytes.data());
    const TorchCheckpoint file = TorchCheckpoint::from_bytes({data, bytes.size()}, "memory");
    EXPECT_EQ(file.path(), "memory");
    EXPECT_EQ(file.tensors()[0].dtype, DType::kI64);
    EXPECT_EQ(as_string(file.data(file.tensors()[0])), le(42, 8));
    EXPECT_EQ(file.mapping(), nullptr);
}

// The classic code-running pickles: refused at the GLOBAL, before anything could be called.
TEST_F(TorchCheckpointTest, OsSystemIsRefusedAndNeverRun) {
    const std::string marker = dir_.file("pwned");
    const std::string evil =
        pk::global("os", "system") + pk::str("touch " + marker) + op(0x85) + "R";
    // As the whole pickle, then hidden as a state dict value after a valid tensor.
    expect_pickle_error(op(0x80) + op(2) + evil + ".",
                        {"archive/data.pkl byte 2: GLOBAL 'os system' is not allowed",
                         "nothing in the file is ever imported or run"});
    const std::string valid = pk::tensor("FloatStorage", "0", 4, 0, {4});
    const std::string pickle = pk::state_dict({{"w", valid}, {"x", evil}});
    const size_t at = pickle.find("cos\n");
    expect_pickle_error(pickle, {"byte " + std::to_string(at) + ": GLOBAL 'os system'"});
    EXPECT_FALSE(exists(marker));
}

TEST_F(TorchCheckpointTest, EveryOtherGlobalIsRefused) {
    const std::vector<std::pair<std::string, std::string>> globals = {
        {"builtins", "eval"},
        {"builtins", "exec"},
        {"__builtin__", "eval"},
        {"posix", "system"},
        {"nt", "system"},
        {"subprocess", "Popen"},
        {"subprocess", "check_output"},
        {"builtins", "getattr"},
        {"builtins", "__import__"},
        {"torch", "load"},
        {"torch._utils", "_rebuild_tensor"},
        {"numpy.core.multiarray", "_reconstruct"},
        {"collections", "OrderedDict2"},
        {"torch ", "FloatStorage"},
        {"torch.storage", "_load_from_bytes"}};
    for (const auto& [module, name] : globals) {
        const std::string pickle =
            op(0x80) + op(2) + pk::global(module, name) + pk::str("1+1") + op(0x85) + "R.";
        expect_pickle_error(pickle, {"GLOBAL '" + module + " " + name + "' is not allowed"});
    }
    // STACK_GLOBAL (protocol 4) goes through the same allow-list.
    const std::string stacked = op(0x80) + op(4) + pk::str("builtins") + pk::str("eval") +
                                op(0x93) + pk::str("1+1") + op(0x85) + "R.";
    expect_pickle_error(stacked, {"byte 24: STACK_GLOBAL 'builtins eval' is not allowed"});
}

TEST_F(TorchCheckpointTest, ObjectConstructingOpcodesAreRefused) {
    const std::string proto = op(0x80) + op(2);
    expect_pickle_error(proto + "(iposix\nsystem\n" + pk::str("true") + ".",
                        {"byte 3: opcode INST (0x69) is not allowed"});
    expect_pickle_error(proto + "(" + pk::global("collections", "OrderedDict") + "o.",
                        {"opcode OBJ (0x6f) is not allowed"});
    expect_pickle_error(proto + pk::global("collections", "OrderedDict") + ")" + op(0x81) + ".",
                        {"opcode NEWOBJ (0x81) is not allowed"});
    expect_pickle_error(proto + op(0x82) + op(1) + ".", {"byte 2: opcode EXT1 (0x82)"});
    expect_pickle_error(proto + op(0x83) + le(1, 2) + ".", {"opcode EXT2 (0x83)"});
    expect_pickle_error(proto + "Pstorage\n.", {"opcode PERSID (0x50)"});
    expect_pickle_error(proto + "]" + op(0x94) + "2.", {"opcode DUP (0x32)"});
    expect_pickle_error(proto + op(0xff) + ".", {"unknown opcode 0xff"});
    expect_pickle_error("S'text'\np0\n.", {"byte 0: opcode STRING (0x53)"});
    // Allowed globals are still only called as a state dict needs.
    expect_pickle_error(proto + pk::global("torch", "FloatStorage") + ")R.",
                        {"REDUCE calls torch.FloatStorage, which is not callable here"});
    expect_pickle_error(proto + "}" + pk::integer(1) + "R.", {"REDUCE calls a dict"});
    expect_pickle_error(proto + pk::global("collections", "OrderedDict") + pk::ints({1}) + "R.",
                        {"REDUCE calls collections.OrderedDict with 1 arguments"});
    expect_pickle_error(proto + "}" + op(0x4e) + "b.", {"BUILD of a dict with None"});
    expect_pickle_error(proto + pk::tensor("FloatStorage", "0", 4, 0, {4}) + "}b.",
                        {"BUILD of a tensor"});
    // Persistent ids other than storages.
    expect_pickle_error(proto + "(" + pk::str("module") + pk::str("os") + "tQ.",
                        {"the persistent id must be ('storage', storage type, key, location"});
    expect_pickle_error(proto + "(" + pk::str("storage") + pk::global("torch", "_utils") + ".",
                        {"GLOBAL 'torch _utils' is not allowed"});
    expect_pickle_error(proto + pk::str("0") + "Q.", {"got the string '0'"});
}

TEST_F(TorchCheckpointTest, PythonWrittenPicklesOfRefusedKinds) {
    // Bytes pickle.dumps(protocol=2) writes for `class E: __reduce__ = lambda s: (eval, ("1",))`
    // and for a plain set, which a state dict never holds.
    const std::string eval = op(0x80) + op(2) +
                             "cbuiltins\neval\nq\x00X\x01\x00\x00\x00"
                             "1"s +
                             op(0x85) + "q\x01Rq\x02.";
    expect_pickle_error(eval, {"byte 2: GLOBAL 'builtins eval' is not allowed"});
    const std::string set = op(0x80) + op(2) +
                            "c__builtin__\nset\nq\x00]q\x01K\x01"
                            "a"s +
                            op(0x85) + "q\x02Rq\x03.";
    expect_pickle_error(set, {"GLOBAL '__builtin__ set' is not allowed"});
}

TEST_F(TorchCheckpointTest, MalformedPickles) {
    const std::string proto = op(0x80) + op(2);
    expect_pickle_error(proto + "}", {"byte 3: the pickle ends without STOP"});
    expect_pickle_error(proto + "X" + le(0xffffffff, 4) + "abc.",
                        {"byte 2: BINUNICODE needs 4294967295 more bytes, the pickle has 4"});
    expect_pickle_error(proto + op(0x8d) + le(~uint64_t{0}, 8) + ".", {"BINUNICODE8 needs"});
    expect_pickle_error(proto + op(0x8a) + op(9) + std::string(9, '\x01') + ".",
                        {"LONG1 integer of 9 bytes does not fit 64 bits"});
    expect_pickle_error(proto + "h\x07.", {"memo entry 7 was never set"});
    expect_pickle_error(proto + "j" + le(123456789, 4) + ".", {"memo entry 123456789"});
    expect_pickle_error(proto + "q\x00."s, {"BINPUT needs 1 values on the stack, there are 0"});
    expect_pickle_error(proto + "t.", {"TUPLE without a MARK"});
    expect_pickle_error(proto + "N(" + op(0x86) + ".", {"TUPLE2 needs 2 values"});
    expect_pickle_error(proto + "}(" + pk::str("k") + "u" + "N.",
                        {"SETITEMS with an odd number of values"});
    expect_pickle_error(proto + "](" + pk::str("k") + pk::str("v") + "u.",
                        {"SETITEMS adds to a list, not a dict"});
    expect_pickle_error(proto + "}" + pk::str("v") + "a.", {"APPEND adds to a dict, not a list"});
    expect_pickle_error(proto + "N" + pk::str("k") + pk::str("v") + "s.",
                        {"SETITEM adds to None, not a dict"});
    expect_pickle_error(proto + "}N.", {"STOP with 2 values on the stack"});
    expect_pickle_error(proto + "}(.", {"1 open MARKs"});
    expect_pickle_error(op(0x80) + op(6) + "}.", {"pickle protocol 6"});
    expect_pickle_error(proto + op(0x95) + le(1000, 8) + "}.", {"FRAME longer than the rest"});
    expect_pickle_error(proto + "cos", {"GLOBAL without its two newline-terminated names"});
    // Limits: open MARKs, and values on the stack (one byte each).
    expect_pickle_error(proto + std::string(TorchCheckpoint::kMaxOpenMarks + 1, '(') + ".",
                        {"more than 4096 open MARKs"});
    expect_pickle_error(proto + std::string(TorchCheckpoint::kMaxStackValues + 1, 'N') + ".",
                        {"more than 1048576 values on the pickle stack"});
}

TEST_F(TorchCheckpointTest, ValuesThatAreNotAFlatStateDict) {
    const std::string proto = op(0x80) + op(2);
    const std::string tensor = pk::tensor("FloatStorage", "0", 4, 0, {4});
    expect_pickle_error(proto + "].", {"archive/data.pkl holds a list, not a state dict"});
    expect_pickle_error(pk::state_dict({{"model", "}"}}),
                        {"state dict entry 'model' is a dict, not a tensor (nested dicts"});
    expect_pickle_error(pk::state_dict({{"step", pk::integer(3)}}),
                        {"state dict entry 'step' is the int 3, not a tensor"});
    expect_pickle_error(proto + "}(" + pk::integer(1) + tensor + "u.",
                        {"a state dict key is the int 1; keys must be strings"});
    expect_pickle_error(pk::state_dict({{"w", tensor}, {"w", tensor}}),
                        {"tensor 'w' appears twice in the state dict"});
    expect_pickle_error(pk::state_dict({{"bad\xff", tensor}}), {"the name is not valid UTF-8"});
    expect_pickle_error(pk::state_dict({{"w", pk::parameter(pk::str("x"))}}),
                        {"_rebuild_parameter needs (tensor, requires_grad, no backward hooks)"});
    // A key repeated through the memo more often than the pickle could hold distinct keys.
    std::string repeated =
        proto + "}(" + pk::str(std::string(100, 'k')) + "q\x01" + tensor + "q\x02";
    for (int i = 0; i < 10; ++i)
        repeated += "h\x01h\x02";
    expect_pickle_error(repeated + "u.", {"repeats its state dict keys"});
}

TEST_F(TorchCheckpointTest, TensorLayoutsAndStorageBounds) {
    const Storages storage = {{"0", float_bytes({1, 2, 3, 4})}};
    const auto expect_tensor_error = [&](const std::string& tensor,
                                         std::initializer_list<std::string> parts) {
        expect_open_error(checkpoint_bytes(pk::state_dict({{"t", tensor}}), storage), parts);
    };
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, {2, 2}, {{1, 2}}),
                        {"tensor 't': stride [1, 2] for shape [2, 2] is not contiguous row-major"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, {5}),
                        {"tensor 't': shape [5] at element offset 0 exceeds its storage '0' of 4"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 3, {2}),
                        {"shape [2] at element offset 3 exceeds"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 9, {0}), {"element offset 9 exceeds"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, {int64_t{1} << 40, int64_t{1} << 40}),
                        {"shape [1099511627776, 1099511627776] at element offset 0 exceeds"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, {2, 2}, {{2}}),
                        {"size [2, 2] and stride [2] differ in length"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, {-1}, {{1}}),
                        {"_rebuild_tensor_v2: size holds the int -1"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 4, 0, std::vector<int64_t>(65, 1)),
                        {"size has 65 dimensions, more than 64"});
    // The storage itself: its entry must exist and hold exactly numel elements.
    expect_tensor_error(pk::tensor("FloatStorage", "9", 4, 0, {4}),
                        {"storage '9' has no entry 'archive/data/9' in the archive"});
    expect_tensor_error(pk::tensor("FloatStorage", "0", 3, 0, {3}),
                        {"storage '0' declares 3 F32 elements, but its entry holds 16 bytes"});
    expect_tensor_error(pk::tensor("DoubleStorage", "0", int64_t{1} << 61, 0, {1}),
                        {"declares 2305843009213693952 F64 elements"});
    expect_open_error(checkpoint_bytes(pk::state_dict({
                                           {"a", pk::tensor("FloatStorage", "0", 4, 0, {4})},
                                           {"b", pk::tensor("HalfStorage", "0", 8, 0, {8})},
                                       }),
                                       storage),
                      {"storage '0' is declared twice, as 4 F32 and as 8 F16 elements"});
}

TEST_F(TorchCheckpointTest, MalformedArchives) {
    const std::string pickle = pk::state_dict({{"w", pk::tensor("FloatStorage", "0", 4, 0, {4})}});
    const Storages storage = {{"0", float_bytes({1, 2, 3, 4})}};
    const std::string valid = checkpoint_bytes(pickle, storage);
    ASSERT_EQ(open_bytes(valid).tensors().size(), 1u);

    expect_open_error("", {"not a zip archive (0 bytes"});
    expect_open_error("not a pickle, not a zip archive either",
                      {"not a zip archive (no end-of-central-directory record)"});
    expect_open_error(op(0x80) + op(2) + op(0x8a) + op(10) + "legacy",
                      {"legacy PyTorch serialization (before 1.6)"});
    // Truncated: the end record is gone, or entries run past the end.
    expect_open_error(valid.substr(0, valid.size() - 10), {"no end-of-central-directory record"});
    std::string shortened = valid;
    shortened.erase(60, 40);  // inside data.pkl's bytes: every later offset now points too far
    expect_open_error(shortened, {"central directory"});
    // Central directory outside the file, or declaring more entries than it has room for.
    std::string moved = valid;
    moved.replace(moved.size() - 6, 4, le(0x7fffffff, 4));
    expect_open_error(moved, {"the central directory (", ") lies outside the file"});
    std::string counted = valid;
    counted.replace(counted.size() - 12, 2, le(1000, 2));
    expect_open_error(counted, {"declares 1000 entries in"});
    std::string deferred = valid;
    deferred.replace(deferred.size() - 12, 2, le(0xffff, 2));
    expect_open_error(deferred, {"defers to a ZIP64 record that is missing"});
    std::string locator = checkpoint_bytes(pickle, storage, true);
    locator.replace(locator.size() - 22 - 12, 8, le(12345678, 8));
    expect_open_error(locator, {"ZIP64 end-of-central-directory locator points to byte 12345678"});
    std::string local = valid;
    local.replace(0, 4, "XXXX");
    expect_open_error(local, {"zip entry 'archive/data.pkl': no local header at byte 0"});

    // Entries: compressed, encrypted, duplicated, renamed locally, missing data.pkl.
    auto members = checkpoint_members(pickle, storage);
    members[1].method = 8;
    expect_open_error(zip_bytes(members),
                      {"zip entry 'archive/data/0' is compressed (method 8, deflate)",
                       "PyTorch stores checkpoint entries uncompressed"});
    members = checkpoint_members(pickle, storage);
    members[0].flags = 1;
    expect_open_error(zip_bytes(members), {"zip entry 'archive/data.pkl' is encrypted"});
    members = checkpoint_members(pickle, storage);
    members.push_back(members[1]);
    expect_open_error(zip_bytes(members), {"zip entry 'archive/data/0' appears twice"});
    members = checkpoint_members(pickle, storage);
    members[0].local_name = "archive/data.pkX";
    expect_open_error(zip_bytes(members), {"its local header names 'archive/data.pkX'"});
    expect_open_error(zip_bytes({{"archive/version", "3\n"}}),
                      {"zip archive without a <folder>/data.pkl entry"});
    expect_open_error(zip_bytes({{"a/data.pkl", pickle}, {"b/data.pkl", pickle}}),
                      {"the archive holds two pickles"});

    // Byte order.
    members = checkpoint_members(pickle, storage);
    members.push_back({"archive/byteorder", "little"});
    EXPECT_EQ(open_bytes(zip_bytes(members)).tensors().size(), 1u);
    members.back().data = "big";
    expect_open_error(zip_bytes(members),
                      {"byte order 'big': big-endian checkpoints are not read"});
    members.back().data = "middle";
    expect_open_error(zip_bytes(members), {"byte order 'middle'"});
}

// Files written by a real torch.save (skipped where /usr/bin/python3 has no torch).
constexpr const char* kTorchScript = R"PY(
import io, json, os, sys
import torch

out = sys.argv[1]
names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
         torch.uint8: "U8", torch.bool: "BOOL"}

def raw(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes().hex()

expected = {}
def save(name, state, **kwargs):
    torch.save(state, os.path.join(out, name), **kwargs)
    expected[name] = {k: {"dtype": names[v.dtype], "shape": list(v.shape), "hex": raw(v)}
                      for k, v in state.items()}

torch.manual_seed(0)
shared = torch.arange(10, dtype=torch.float32) * 0.5
plain = {
    "f32": torch.randn(3, 4), "f16": torch.randn(5).half(), "bf16": torch.randn(2, 3).bfloat16(),
    "i64": torch.arange(-3, 4), "i32": torch.tensor([1, -2], dtype=torch.int32),
    "i16": torch.tensor([7], dtype=torch.int16), "i8": torch.tensor([-8], dtype=torch.int8),
    "u8": torch.tensor([200], dtype=torch.uint8), "f64": torch.tensor([1e300], dtype=torch.float64),
    "bool": torch.tensor([True, False, True]), "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 4), "view_a": shared[2:6], "view_b": shared[5:], "whole": shared,
    "row": torch.arange(12.0).reshape(3, 4)[1], "unit": torch.arange(6.0).reshape(1, 6, 1),
}
save("plain.bin", plain)
model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LayerNorm(3), torch.nn.Embedding(5, 2))
save("module.bin", model.state_dict())
save("parameters.bin", model.state_dict(keep_vars=True))
save("protocol4.bin", plain, pickle_protocol=4)
buffer = io.BytesIO()
torch.save(plain, buffer)
open(os.path.join(out, "buffer.bin"), "wb").write(buffer.getvalue())
expected["buffer.bin"] = expected["plain.bin"]

torch.save({"t": torch.arange(12.0).reshape(3, 4).t()}, os.path.join(out, "transposed.bin"))
torch.save({"model": {"w": torch.ones(2)}}, os.path.join(out, "nested.bin"))
class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + os.path.join(out, "pwned"),))
torch.save({"w": torch.ones(1), "x": Evil()}, os.path.join(out, "evil.bin"))
json.dump(expected, open(os.path.join(out, "expected.json"), "w"))
)PY";

bool python_has_torch() {
    const std::string command = std::string(testing::kPython) + " -c 'import torch' 2>/dev/null";
    return std::system(command.c_str()) == 0;
}

TEST(TorchCheckpointSaveFilesTest, ReadBackExactlyAndRefusalsHold) {
    if (!python_has_torch()) GTEST_SKIP() << testing::kPython << " has no torch";
    TempDir dir;
    testing::write_text(dir.file("make.py"), kTorchScript);
    testing::run_command(std::string(testing::kPython) + " " + dir.file("make.py") + " " +
                         dir.path());
    std::ifstream in(dir.file("expected.json"));
    const nlohmann::json expected = nlohmann::json::parse(in);
    ASSERT_EQ(expected.size(), 5u);
    for (const auto& [file_name, tensors] : expected.items()) {
        SCOPED_TRACE(file_name);
        const TorchCheckpoint file = TorchCheckpoint::open(dir.file(file_name));
        ASSERT_EQ(file.tensors().size(), tensors.size());
        for (const auto& [name, want] : tensors.items()) {
            const TensorInfo* info = file.find(name);
            ASSERT_NE(info, nullptr) << name;
            EXPECT_EQ(dtype_name(info->dtype), want["dtype"].get<std::string>()) << name;
            EXPECT_EQ(info->shape, want["shape"].get<std::vector<int64_t>>()) << name;
            std::ostringstream hex;
            for (std::byte b : file.data(*info))
                hex << "0123456789abcdef"[static_cast<uint8_t>(b) >> 4]
                    << "0123456789abcdef"[static_cast<uint8_t>(b) & 15];
            EXPECT_EQ(hex.str(), want["hex"].get<std::string>()) << name;
        }
    }
    // A few values spelled out, independent of the hex round trip.
    const TorchCheckpoint plain = TorchCheckpoint::open(dir.file("plain.bin"));
    float view[4];
    std::memcpy(view, plain.data(*plain.find("view_a")).data(), sizeof view);
    EXPECT_EQ(std::vector<float>(view, view + 4), (std::vector<float>{1.0f, 1.5f, 2.0f, 2.5f}));
    int64_t ints[7];
    std::memcpy(ints, plain.data(*plain.find("i64")).data(), sizeof ints);
    EXPECT_EQ(ints[0], -3);
    EXPECT_EQ(ints[6], 3);
    // F32 data starts at PyTorch's 64-byte record alignment, so the loader can lend it in place.
    EXPECT_EQ(plain.find("f32")->offset % 64, 0u);

    expect_error([&] { TorchCheckpoint::open(dir.file("transposed.bin")); },
                 {"transposed.bin: tensor 't': stride [1, 4] for shape [4, 3] is not contiguous"});
    expect_error([&] { TorchCheckpoint::open(dir.file("nested.bin")); },
                 {"state dict entry 'model' is a dict, not a tensor"});
    expect_error([&] { TorchCheckpoint::open(dir.file("evil.bin")); },
                 {"evil/data.pkl byte", "GLOBAL 'posix system' is not allowed"});
    EXPECT_FALSE(exists(dir.file("pwned")));
}

TEST(TorchCheckpointReferenceTest, GlinerV1BinMatchesItsSafetensors) {
    const std::string folder = testing::shared_path("reference/parity_v1/token_v1");
    const TorchCheckpoint bin = TorchCheckpoint::open(folder + "/pytorch_model.bin");
    const SafetensorsFile safetensors = SafetensorsFile::open(folder + "/model.safetensors");
    ASSERT_EQ(bin.tensors().size(), safetensors.tensors().size());
    EXPECT_EQ(bin.tensors().size(), 70u);
    for (size_t i = 0; i < bin.tensors().size(); ++i) {
        const TensorInfo& a = bin.tensors()[i];
        const TensorInfo& b = safetensors.tensors()[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.dtype, b.dtype) << a.name;
        EXPECT_EQ(a.shape, b.shape) << a.name;
        ASSERT_EQ(a.nbytes, b.nbytes) << a.name;
        EXPECT_EQ(std::memcmp(bin.data(a).data(), safetensors.bytes(b).data(), a.nbytes), 0)
            << a.name;
    }
}

// A GLiNER2 checkpoint folder whose weights are only a pytorch_model.bin (written by torch.save
// from the F16 parity checkpoint) loads exactly like the original model.safetensors.
TEST(TorchCheckpointReferenceTest, CheckpointFolderWithOnlyPytorchBinLoads) {
    if (!python_has_torch()) GTEST_SKIP() << testing::kPython << " has no torch";
    const std::string source = testing::parity_checkpoint("tiny_count_lstm_f16");
    TempDir dir;
    testing::write_text(dir.file("convert.py"), R"PY(
import json, struct, sys
import numpy, torch
source, target = sys.argv[1], sys.argv[2]
data = open(source, "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
state = {}
for name, entry in header.items():
    if name == "__metadata__":
        continue
    begin, end = entry["data_offsets"]
    assert entry["dtype"] == "F16"
    values = numpy.frombuffer(data[8 + n + begin:8 + n + end], dtype=numpy.float16)
    state[name] = torch.from_numpy(values.copy()).reshape(entry["shape"])
torch.save(state, target)
)PY");
    testing::run_command(std::string(testing::kPython) + " " + dir.file("convert.py") + " " +
                         source + "/model.safetensors " + dir.file("pytorch_model.bin"));
    const EncoderConfig encoder = load_encoder_config(source + "/encoder_config/config.json");
    const CheckpointWeights expected = heads::load_checkpoint_weights(source, encoder);
    const CheckpointWeights loaded = heads::load_checkpoint_weights(dir.path(), encoder);
    EXPECT_EQ(loaded.counting_layer(), expected.counting_layer());
    ASSERT_EQ(loaded.names(), expected.names());
    for (const std::string& name : expected.names()) {
        const WeightTensor& a = loaded.get(name);
        const WeightTensor& b = expected.get(name);
        EXPECT_EQ(a.shape, b.shape) << name;
        ASSERT_EQ(a.data.size(), b.data.size()) << name;
        EXPECT_EQ(std::memcmp(a.data.data(), b.data.data(), a.data.size() * 4), 0) << name;
    }
    // load_file picks the reader by extension.
    EXPECT_EQ(CheckpointWeights::load_file(dir.file("pytorch_model.bin"), encoder,
                                           heads::expected_head_tensors)
                  .size(),
              expected.size());
}

}  // namespace
}  // namespace spanguard::core
