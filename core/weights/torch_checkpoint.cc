#include "core/weights/torch_checkpoint.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/util/error.h"
#include "core/weights/mapped_file.h"
#include "core/weights/safetensors_header.h"  // quote_for_error
#include "core/weights/tensor_name_table.h"   // shape_to_string

namespace spanguard::core {
namespace {

uint64_t read_le(const std::byte* p, int bytes) {
    uint64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | static_cast<uint8_t>(p[i]);
    return value;
}

std::string as_string(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): tensor names leave
// this reader as std::string and must be as well-formed as the JSON names of safetensors files.
bool is_valid_utf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<uint8_t>(text[i]);
        size_t length;
        uint32_t code;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            length = 2;
            code = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            length = 3;
            code = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            length = 4;
            code = c & 0x07;
        } else {
            return false;
        }
        if (text.size() - i < length) return false;
        for (size_t k = 1; k < length; ++k) {
            const auto next = static_cast<uint8_t>(text[i + k]);
            if ((next & 0xc0) != 0x80) return false;
            code = (code << 6) | (next & 0x3f);
        }
        if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10ffff ||
            (code >= 0xd800 && code <= 0xdfff)) {
            return false;
        }
        i += length;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Zip archive (the subset PyTorch writes: one disk, stored entries, ZIP64 where sizes need it).

constexpr uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr size_t kLocalHeaderSize = 30;
constexpr size_t kCentralHeaderSize = 46;
constexpr size_t kEndSize = 22;
constexpr size_t kZip64EndSize = 56;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kMaxEndComment = 0xffff;
constexpr uint16_t kZip64ExtraId = 0x0001;

struct ZipEntry {
    std::string_view name;
    uint64_t local_header = 0;
    uint64_t size = 0;
    uint64_t compressed_size = 0;
    uint16_t method = 0;
    uint16_t flags = 0;
};

class ZipArchive {
  public:
    ZipArchive(std::span<const std::byte> file, const std::string& path)
        : file_(file), path_(path) {
        parse();
    }

    const std::vector<ZipEntry>& entries() const { return entries_; }

    const ZipEntry* find(std::string_view name) const {
        const auto it = by_name_.find(name);
        return it == by_name_.end() ? nullptr : &entries_[it->second];
    }

    // The bytes of a stored entry, after checking its local header against the central directory.
    std::span<const std::byte> contents(const ZipEntry& entry) const {
        const std::string what = "zip entry " + quote_for_error(entry.name);
        if (entry.flags & 1) fail(what + " is encrypted");
        if (entry.method != 0) {
            fail(what + " is compressed (method " + std::to_string(entry.method) +
                 (entry.method == 8 ? ", deflate" : "") +
                 "); PyTorch stores checkpoint entries uncompressed: re-save the state dict with "
                 "torch.save instead of re-zipping the file");
        }
        if (entry.compressed_size != entry.size) {
            fail(what + " is stored with " + std::to_string(entry.compressed_size) +
                 " bytes but declares " + std::to_string(entry.size) + " uncompressed bytes");
        }
        const uint64_t offset = entry.local_header;
        if (offset > file_.size() || file_.size() - offset < kLocalHeaderSize) {
            fail(what + ": local header at byte " + std::to_string(offset) +
                 " lies outside the file (" + std::to_string(file_.size()) + " bytes)");
        }
        const std::byte* header = file_.data() + offset;
        if (read_le(header, 4) != kLocalHeaderSignature) {
            fail(what + ": no local header at byte " + std::to_string(offset));
        }
        const uint64_t name_length = read_le(header + 26, 2);
        const uint64_t extra_length = read_le(header + 28, 2);
        const uint64_t begin = offset + kLocalHeaderSize + name_length + extra_length;
        if (begin > file_.size() || file_.size() - begin < entry.size) {
            fail(what + ": its " + std::to_string(entry.size) + " bytes at byte " +
                 std::to_string(begin) + " run past the end of the file (" +
                 std::to_string(file_.size()) + " bytes); the file is truncated");
        }
        const std::string_view local_name(reinterpret_cast<const char*>(header + kLocalHeaderSize),
                                          name_length);
        if (local_name != entry.name) {
            fail(what + ": its local header names " + quote_for_error(local_name) +
                 "; the archive is inconsistent");
        }
        return file_.subspan(begin, entry.size);
    }

  private:
    [[noreturn]] void fail(const std::string& message) const {
        throw Error(path_ + ": " + message);
    }

    uint64_t at(uint64_t offset, int bytes) const { return read_le(file_.data() + offset, bytes); }

    void parse() {
        const size_t size = file_.size();
        if (size < kEndSize) {
            fail("not a zip archive (" + std::to_string(size) +
                 " bytes, fewer than an end-of-central-directory record)");
        }
        // The end record is the last 22 bytes plus a comment of up to 64 KiB: search backwards for
        // the last signature whose comment fits in the file.
        const size_t lowest =
            size - kEndSize > kMaxEndComment ? size - kEndSize - kMaxEndComment : 0;
        std::optional<size_t> end;
        for (size_t pos = size - kEndSize + 1; pos-- > lowest;) {
            if (at(pos, 4) == kEndSignature && pos + kEndSize + at(pos + 20, 2) <= size) {
                end = pos;
                break;
            }
        }
        if (!end) {
            fail(
                "not a zip archive (no end-of-central-directory record); the file is truncated or "
                "not a PyTorch checkpoint");
        }
        uint64_t disk = at(*end + 4, 2);
        uint64_t directory_disk = at(*end + 6, 2);
        uint64_t count = at(*end + 10, 2);
        uint64_t directory_size = at(*end + 12, 4);
        uint64_t directory_offset = at(*end + 16, 4);
        uint64_t directory_limit = *end;  // the central directory ends before the end record
        const bool has_locator =
            *end >= kZip64LocatorSize && at(*end - kZip64LocatorSize, 4) == kZip64LocatorSignature;
        if (has_locator) {
            const uint64_t locator = *end - kZip64LocatorSize;
            const uint64_t record = at(locator + 8, 8);
            if (record > locator || locator - record < kZip64EndSize ||
                at(record, 4) != kZip64EndSignature) {
                fail("the ZIP64 end-of-central-directory locator points to byte " +
                     std::to_string(record) + ", where there is no ZIP64 end record");
            }
            disk = at(record + 16, 4);
            directory_disk = at(record + 20, 4);
            count = at(record + 32, 8);
            directory_size = at(record + 40, 8);
            directory_offset = at(record + 48, 8);
            directory_limit = record;
        } else if (count == 0xffff || directory_size == 0xffffffff ||
                   directory_offset == 0xffffffff) {
            fail("the end-of-central-directory record defers to a ZIP64 record that is missing");
        }
        if (disk != 0 || directory_disk != 0) fail("zip archives split over disks are not read");
        if (directory_offset > directory_limit ||
            directory_limit - directory_offset < directory_size) {
            fail("the central directory (" + std::to_string(directory_size) + " bytes at byte " +
                 std::to_string(directory_offset) + ") lies outside the file (" +
                 std::to_string(directory_limit) + " bytes before the end record)");
        }
        if (count > directory_size / kCentralHeaderSize) {
            fail("the central directory declares " + std::to_string(count) + " entries in " +
                 std::to_string(directory_size) + " bytes, room for at most " +
                 std::to_string(directory_size / kCentralHeaderSize));
        }
        entries_.reserve(count);
        by_name_.reserve(count);
        const uint64_t directory_end = directory_offset + directory_size;
        uint64_t pos = directory_offset;
        for (uint64_t i = 0; i < count; ++i) {
            const std::string where = "central directory entry " + std::to_string(i);
            if (directory_end - pos < kCentralHeaderSize || at(pos, 4) != kCentralHeaderSignature) {
                fail(where + " (byte " + std::to_string(pos) + ") is not a central file header");
            }
            ZipEntry entry;
            entry.flags = static_cast<uint16_t>(at(pos + 8, 2));
            entry.method = static_cast<uint16_t>(at(pos + 10, 2));
            entry.compressed_size = at(pos + 20, 4);
            entry.size = at(pos + 24, 4);
            const uint64_t name_length = at(pos + 28, 2);
            const uint64_t extra_length = at(pos + 30, 2);
            const uint64_t comment_length = at(pos + 32, 2);
            const uint64_t entry_disk = at(pos + 34, 2);
            entry.local_header = at(pos + 42, 4);
            const uint64_t variable = name_length + extra_length + comment_length;
            if (directory_end - pos - kCentralHeaderSize < variable) {
                fail(where + " runs past the end of the central directory");
            }
            entry.name = std::string_view(
                reinterpret_cast<const char*>(file_.data() + pos + kCentralHeaderSize),
                name_length);
            read_zip64_extra(pos + kCentralHeaderSize + name_length, extra_length, entry, where);
            if (entry_disk != 0 && entry_disk != 0xffff) {
                fail(where + " lies on another disk");
            }
            if (!by_name_.emplace(entry.name, entries_.size()).second) {
                fail("zip entry " + quote_for_error(entry.name) + " appears twice");
            }
            entries_.push_back(entry);
            pos += kCentralHeaderSize + variable;
        }
    }

    // Sizes and offsets that do not fit 32 bits are 0xffffffff in the header and follow, in this
    // order and only when so marked, in the ZIP64 extra field.
    void read_zip64_extra(uint64_t begin, uint64_t length, ZipEntry& entry,
                          const std::string& where) const {
        uint64_t pos = begin;
        const uint64_t end = begin + length;
        while (end - pos >= 4) {
            const uint64_t id = at(pos, 2);
            const uint64_t field_length = at(pos + 2, 2);
            if (end - pos - 4 < field_length) fail(where + ": malformed extra field");
            if (id == kZip64ExtraId) {
                uint64_t field = pos + 4;
                const uint64_t field_end = field + field_length;
                for (uint64_t* value : {&entry.size, &entry.compressed_size, &entry.local_header}) {
                    if (*value != 0xffffffff) continue;
                    if (field_end - field < 8) fail(where + ": ZIP64 extra field is too short");
                    *value = at(field, 8);
                    field += 8;
                }
            }
            pos += 4 + field_length;
        }
    }

    std::span<const std::byte> file_;
    std::string path_;
    std::vector<ZipEntry> entries_;
    std::unordered_map<std::string_view, size_t> by_name_;
};

// ---------------------------------------------------------------------------------------------
// Pickle opcodes (pickletools' names), all of them so that refusals can say what was found.

enum Opcode : uint8_t {
    kMark = '(',
    kStop = '.',
    kBinInt = 'J',
    kBinInt1 = 'K',
    kBinInt2 = 'M',
    kNone = 'N',
    kBinPersId = 'Q',
    kReduce = 'R',
    kBinUnicode = 'X',
    kAppend = 'a',
    kBuild = 'b',
    kGlobal = 'c',
    kEmptyDict = '}',
    kAppends = 'e',
    kBinGet = 'h',
    kLongBinGet = 'j',
    kEmptyList = ']',
    kBinPut = 'q',
    kLongBinPut = 'r',
    kSetItem = 's',
    kTuple = 't',
    kEmptyTuple = ')',
    kSetItems = 'u',
    kBinFloat = 'G',
    kProto = 0x80,
    kTuple1 = 0x85,
    kTuple2 = 0x86,
    kTuple3 = 0x87,
    kNewTrue = 0x88,
    kNewFalse = 0x89,
    kLong1 = 0x8a,
    kShortBinUnicode = 0x8c,
    kBinUnicode8 = 0x8d,
    kStackGlobal = 0x93,
    kMemoize = 0x94,
    kFrame = 0x95,
};

constexpr std::pair<uint8_t, std::string_view> kOpcodeNames[] = {
    {'(', "MARK"},
    {'.', "STOP"},
    {'0', "POP"},
    {'1', "POP_MARK"},
    {'2', "DUP"},
    {'F', "FLOAT"},
    {'I', "INT"},
    {'J', "BININT"},
    {'K', "BININT1"},
    {'L', "LONG"},
    {'M', "BININT2"},
    {'N', "NONE"},
    {'P', "PERSID"},
    {'Q', "BINPERSID"},
    {'R', "REDUCE"},
    {'S', "STRING"},
    {'T', "BINSTRING"},
    {'U', "SHORT_BINSTRING"},
    {'V', "UNICODE"},
    {'X', "BINUNICODE"},
    {'a', "APPEND"},
    {'b', "BUILD"},
    {'c', "GLOBAL"},
    {'d', "DICT"},
    {'}', "EMPTY_DICT"},
    {'e', "APPENDS"},
    {'g', "GET"},
    {'h', "BINGET"},
    {'i', "INST"},
    {'j', "LONG_BINGET"},
    {'l', "LIST"},
    {']', "EMPTY_LIST"},
    {'o', "OBJ"},
    {'p', "PUT"},
    {'q', "BINPUT"},
    {'r', "LONG_BINPUT"},
    {'s', "SETITEM"},
    {'t', "TUPLE"},
    {')', "EMPTY_TUPLE"},
    {'u', "SETITEMS"},
    {'G', "BINFLOAT"},
    {'B', "BINBYTES"},
    {'C', "SHORT_BINBYTES"},
    {0x80, "PROTO"},
    {0x81, "NEWOBJ"},
    {0x82, "EXT1"},
    {0x83, "EXT2"},
    {0x84, "EXT4"},
    {0x85, "TUPLE1"},
    {0x86, "TUPLE2"},
    {0x87, "TUPLE3"},
    {0x88, "NEWTRUE"},
    {0x89, "NEWFALSE"},
    {0x8a, "LONG1"},
    {0x8b, "LONG4"},
    {0x8c, "SHORT_BINUNICODE"},
    {0x8d, "BINUNICODE8"},
    {0x8e, "BINBYTES8"},
    {0x8f, "EMPTY_SET"},
    {0x90, "ADDITEMS"},
    {0x91, "FROZENSET"},
    {0x92, "NEWOBJ_EX"},
    {0x93, "STACK_GLOBAL"},
    {0x94, "MEMOIZE"},
    {0x95, "FRAME"},
    {0x96, "BYTEARRAY8"},
    {0x97, "NEXT_BUFFER"},
    {0x98, "READONLY_BUFFER"},
};

std::string_view opcode_name(uint8_t op) {
    for (const auto& [code, name] : kOpcodeNames) {
        if (code == op) return name;
    }
    return {};
}

std::string describe_opcode(uint8_t op) {
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string hex = {'0', 'x', kHex[op >> 4], kHex[op & 15]};
    const std::string_view name = opcode_name(op);
    return name.empty() ? "unknown opcode " + hex
                        : "opcode " + std::string(name) + " (" + hex + ")";
}

// The only globals a state dict needs. Storage classes are persistent-id tags giving the dtype;
// the other three are the callables REDUCE may apply.
enum class Callable : uint8_t { kOrderedDict, kRebuildTensor, kRebuildParameter, kStorageType };

struct AllowedGlobal {
    std::string_view module;
    std::string_view name;
    Callable callable;
    DType dtype;  // kStorageType only
};

constexpr std::array<AllowedGlobal, 13> kAllowedGlobals = {{
    {"collections", "OrderedDict", Callable::kOrderedDict, DType::kF32},
    {"torch._utils", "_rebuild_tensor_v2", Callable::kRebuildTensor, DType::kF32},
    {"torch._utils", "_rebuild_parameter", Callable::kRebuildParameter, DType::kF32},
    {"torch", "FloatStorage", Callable::kStorageType, DType::kF32},
    {"torch", "HalfStorage", Callable::kStorageType, DType::kF16},
    {"torch", "BFloat16Storage", Callable::kStorageType, DType::kBF16},
    {"torch", "DoubleStorage", Callable::kStorageType, DType::kF64},
    {"torch", "LongStorage", Callable::kStorageType, DType::kI64},
    {"torch", "IntStorage", Callable::kStorageType, DType::kI32},
    {"torch", "ShortStorage", Callable::kStorageType, DType::kI16},
    {"torch", "CharStorage", Callable::kStorageType, DType::kI8},
    {"torch", "ByteStorage", Callable::kStorageType, DType::kU8},
    {"torch", "BoolStorage", Callable::kStorageType, DType::kBool},
}};

// A pickle value. Containers and everything built by REDUCE live in the machine's object table and
// are referred to by index, so memo references share objects (as in Python) without reference
// counts that cycles could leak.
struct Value {
    enum class Kind : uint8_t { kNone, kBool, kInt, kFloat, kString, kObject };
    Kind kind = Kind::kNone;
    uint32_t object = 0;
    int64_t integer = 0;  // kBool (0 or 1), kInt
    double real = 0;
    std::string_view text;  // kString: points into data.pkl
};

enum class ObjectKind : uint8_t { kTuple, kList, kDict, kOrderedDict, kGlobal, kStorage, kTensor };

struct Object {
    ObjectKind kind;
    std::vector<Value> items;  // tuple/list elements; dict keys and values interleaved
    uint32_t index = 0;        // kGlobal: into kAllowedGlobals; kStorage, kTensor: their tables
};

struct Storage {
    std::string_view key;
    DType dtype;
    uint64_t numel;
    std::span<const std::byte> bytes;
};

struct TensorRecord {
    uint32_t storage;
    uint64_t offset;  // elements
    std::vector<int64_t> shape;
    std::vector<int64_t> stride;
};

// Runs data.pkl on the restricted machine. Every refusal names the byte offset of the opcode.
class Unpickler {
  public:
    static constexpr size_t kMaxObjects = size_t{1} << 22;

    Unpickler(std::span<const std::byte> pickle, std::string context, const ZipArchive& archive,
              std::string prefix)
        : pickle_(pickle),
          context_(std::move(context)),
          archive_(archive),
          prefix_(std::move(prefix)) {}

    Value run() {
        size_t pos = 0;
        while (true) {
            if (pos >= pickle_.size()) fail(pos, "the pickle ends without STOP (truncated)");
            const size_t at = pos;
            const auto op = static_cast<uint8_t>(pickle_[pos++]);
            // Operand bytes of the current opcode: `n` of them, all inside the pickle.
            const auto operand = [&](uint64_t n) {
                if (pickle_.size() - pos < n) {
                    fail(at, std::string(opcode_name(op)) + " needs " + std::to_string(n) +
                                 " more bytes, the pickle has " +
                                 std::to_string(pickle_.size() - pos) + " (truncated)");
                }
                const std::byte* p = pickle_.data() + pos;
                pos += n;
                return p;
            };
            switch (op) {
                case kProto: {
                    const uint8_t protocol = static_cast<uint8_t>(*operand(1));
                    if (protocol < 2 || protocol > 5) {
                        fail(at, "pickle protocol " + std::to_string(protocol) +
                                     " (PyTorch writes 2; 2 to 5 are read)");
                    }
                    break;
                }
                case kFrame:
                    // Framing only groups opcodes for buffered reading; the bytes follow as usual.
                    if (read_le(operand(8), 8) > pickle_.size() - pos) {
                        fail(at, "FRAME longer than the rest of the pickle");
                    }
                    break;
                case kEmptyDict:
                    push_object(at, ObjectKind::kDict, {});
                    break;
                case kEmptyList:
                    push_object(at, ObjectKind::kList, {});
                    break;
                case kEmptyTuple:
                    push_object(at, ObjectKind::kTuple, {});
                    break;
                case kMark:
                    if (marks_.size() >= TorchCheckpoint::kMaxOpenMarks) {
                        fail(at, "more than " + std::to_string(TorchCheckpoint::kMaxOpenMarks) +
                                     " open MARKs");
                    }
                    marks_.push_back(stack_.size());
                    break;
                case kBinPut:
                    memo_put(at, static_cast<uint32_t>(read_le(operand(1), 1)));
                    break;
                case kLongBinPut:
                    memo_put(at, static_cast<uint32_t>(read_le(operand(4), 4)));
                    break;
                case kMemoize:
                    memo_put(at, static_cast<uint32_t>(memo_.size()));
                    break;
                case kBinGet:
                    memo_get(at, static_cast<uint32_t>(read_le(operand(1), 1)));
                    break;
                case kLongBinGet:
                    memo_get(at, static_cast<uint32_t>(read_le(operand(4), 4)));
                    break;
                case kBinInt:
                    push_int(at,
                             static_cast<int32_t>(static_cast<uint32_t>(read_le(operand(4), 4))));
                    break;
                case kBinInt1:
                    push_int(at, static_cast<int64_t>(read_le(operand(1), 1)));
                    break;
                case kBinInt2:
                    push_int(at, static_cast<int64_t>(read_le(operand(2), 2)));
                    break;
                case kLong1: {
                    const uint8_t n = static_cast<uint8_t>(*operand(1));
                    if (n > 8) {
                        fail(at, "LONG1 integer of " + std::to_string(n) +
                                     " bytes does not fit 64 bits");
                    }
                    uint64_t bits = read_le(operand(n), n);
                    // Two's complement over n bytes: extend the sign bit of the last byte.
                    if (n > 0 && n < 8 && (bits >> (8 * n - 1)) != 0)
                        bits |= ~uint64_t{0} << (8 * n);
                    push_int(at, static_cast<int64_t>(bits));
                    break;
                }
                case kBinUnicode:
                    push_string(at, read_le(operand(4), 4), operand);
                    break;
                case kShortBinUnicode:
                    push_string(at, read_le(operand(1), 1), operand);
                    break;
                case kBinUnicode8:
                    push_string(at, read_le(operand(8), 8), operand);
                    break;
                case kNone:
                    push(at, Value{});
                    break;
                case kNewTrue:
                case kNewFalse: {
                    Value v;
                    v.kind = Value::Kind::kBool;
                    v.integer = op == kNewTrue ? 1 : 0;
                    push(at, v);
                    break;
                }
                case kBinFloat: {
                    Value v;
                    v.kind = Value::Kind::kFloat;
                    // Big-endian IEEE double.
                    const std::byte* p = operand(8);
                    uint64_t bits = 0;
                    for (int i = 0; i < 8; ++i)
                        bits = (bits << 8) | static_cast<uint8_t>(p[i]);
                    v.real = std::bit_cast<double>(bits);
                    push(at, v);
                    break;
                }
                case kTuple: {
                    const size_t mark = pop_mark(at);
                    std::vector<Value> items(stack_.begin() + static_cast<ptrdiff_t>(mark),
                                             stack_.end());
                    stack_.resize(mark);
                    push_object(at, ObjectKind::kTuple, std::move(items));
                    break;
                }
                case kTuple1:
                case kTuple2:
                case kTuple3: {
                    const size_t n = op - kTuple1 + 1;
                    require_above_mark(at, n);
                    std::vector<Value> items(stack_.end() - static_cast<ptrdiff_t>(n),
                                             stack_.end());
                    stack_.resize(stack_.size() - n);
                    push_object(at, ObjectKind::kTuple, std::move(items));
                    break;
                }
                case kSetItem: {
                    require_above_mark(at, 3);
                    Object& dict = target(at, stack_.size() - 3, true);
                    dict.items.push_back(stack_[stack_.size() - 2]);
                    dict.items.push_back(stack_.back());
                    stack_.resize(stack_.size() - 2);
                    break;
                }
                case kSetItems: {
                    const size_t mark = pop_mark(at);
                    if ((stack_.size() - mark) % 2 != 0) {
                        fail(at, "SETITEMS with an odd number of values (a key without a value)");
                    }
                    Object& dict = target(at, mark - 1, true);
                    dict.items.insert(dict.items.end(),
                                      stack_.begin() + static_cast<ptrdiff_t>(mark), stack_.end());
                    stack_.resize(mark);
                    break;
                }
                case kAppend: {
                    require_above_mark(at, 2);
                    target(at, stack_.size() - 2, false).items.push_back(stack_.back());
                    stack_.pop_back();
                    break;
                }
                case kAppends: {
                    const size_t mark = pop_mark(at);
                    Object& list = target(at, mark - 1, false);
                    list.items.insert(list.items.end(),
                                      stack_.begin() + static_cast<ptrdiff_t>(mark), stack_.end());
                    stack_.resize(mark);
                    break;
                }
                case kGlobal: {
                    const std::string_view module = read_line(at, pos);
                    const std::string_view name = read_line(at, pos);
                    push_global(at, "GLOBAL", module, name);
                    break;
                }
                case kStackGlobal: {
                    require_above_mark(at, 2);
                    const Value name = stack_.back();
                    const Value module = stack_[stack_.size() - 2];
                    if (module.kind != Value::Kind::kString || name.kind != Value::Kind::kString) {
                        fail(at, "STACK_GLOBAL needs two strings, got " + describe(module) +
                                     " and " + describe(name));
                    }
                    stack_.resize(stack_.size() - 2);
                    push_global(at, "STACK_GLOBAL", module.text, name.text);
                    break;
                }
                case kBinPersId: {
                    require_above_mark(at, 1);
                    const Value id = stack_.back();
                    stack_.pop_back();
                    push(at, persistent_storage(at, id));
                    break;
                }
                case kReduce: {
                    require_above_mark(at, 2);
                    const Value args = stack_.back();
                    const Value callable = stack_[stack_.size() - 2];
                    stack_.resize(stack_.size() - 2);
                    push(at, reduce(at, callable, args));
                    break;
                }
                case kBuild: {
                    require_above_mark(at, 2);
                    const Value state = stack_.back();
                    const Value& built = stack_[stack_.size() - 2];
                    // OrderedDict.__reduce__ passes the instance's attributes (a state dict's
                    // _metadata) as BUILD state; they are plain values and are dropped.
                    if (!is_object(built, ObjectKind::kOrderedDict) ||
                        !(state.kind == Value::Kind::kNone || is_dict(state))) {
                        fail(at, "BUILD of " + describe(built) + " with " + describe(state) +
                                     " is not allowed (only attributes of an OrderedDict are)");
                    }
                    stack_.pop_back();
                    break;
                }
                case kStop: {
                    if (!marks_.empty() || stack_.size() != 1) {
                        fail(at, "STOP with " + std::to_string(stack_.size()) +
                                     " values on the stack and " + std::to_string(marks_.size()) +
                                     " open MARKs (expected exactly one value)");
                    }
                    return stack_.back();
                }
                default:
                    fail(at, describe_opcode(op) +
                                 " is not allowed: a PyTorch state dict needs only plain values, "
                                 "OrderedDict, tensors and storages, and nothing in the file is "
                                 "ever run");
            }
        }
    }

    const Object& object(const Value& v) const { return objects_[v.object]; }
    bool is_object(const Value& v, ObjectKind kind) const {
        return v.kind == Value::Kind::kObject && objects_[v.object].kind == kind;
    }
    bool is_dict(const Value& v) const {
        return is_object(v, ObjectKind::kDict) || is_object(v, ObjectKind::kOrderedDict);
    }
    const std::vector<Storage>& storages() const { return storages_; }
    const std::vector<TensorRecord>& tensors() const { return tensors_; }

    std::string describe(const Value& v) const {
        switch (v.kind) {
            case Value::Kind::kNone:
                return "None";
            case Value::Kind::kBool:
                return v.integer ? "True" : "False";
            case Value::Kind::kInt:
                return "the int " + std::to_string(v.integer);
            case Value::Kind::kFloat:
                return "a float";
            case Value::Kind::kString:
                return "the string " + quote_for_error(v.text, 60);
            case Value::Kind::kObject:
                break;
        }
        const Object& o = objects_[v.object];
        switch (o.kind) {
            case ObjectKind::kTuple:
                return "a tuple of " + std::to_string(o.items.size());
            case ObjectKind::kList:
                return "a list";
            case ObjectKind::kDict:
                return "a dict";
            case ObjectKind::kOrderedDict:
                return "an OrderedDict";
            case ObjectKind::kGlobal: {
                const AllowedGlobal& g = kAllowedGlobals[o.index];
                return std::string(g.module) + "." + std::string(g.name);
            }
            case ObjectKind::kStorage:
                return "a storage";
            case ObjectKind::kTensor:
                return "a tensor";
        }
        return "a value";
    }

  private:
    [[noreturn]] void fail(size_t at, const std::string& message) const {
        throw Error(context_ + " byte " + std::to_string(at) + ": " + message);
    }

    void push(size_t at, const Value& v) {
        if (stack_.size() >= TorchCheckpoint::kMaxStackValues) {
            fail(at, "more than " + std::to_string(TorchCheckpoint::kMaxStackValues) +
                         " values on the pickle stack");
        }
        stack_.push_back(v);
    }

    Value new_object(size_t at, ObjectKind kind, std::vector<Value> items, uint32_t index = 0) {
        if (objects_.size() >= kMaxObjects) {
            fail(at, "more than " + std::to_string(kMaxObjects) + " objects in the pickle");
        }
        objects_.push_back(Object{kind, std::move(items), index});
        Value v;
        v.kind = Value::Kind::kObject;
        v.object = static_cast<uint32_t>(objects_.size() - 1);
        return v;
    }

    void push_object(size_t at, ObjectKind kind, std::vector<Value> items) {
        push(at, new_object(at, kind, std::move(items)));
    }

    void push_int(size_t at, int64_t value) {
        Value v;
        v.kind = Value::Kind::kInt;
        v.integer = value;
        push(at, v);
    }

    template <class Operand>
    void push_string(size_t at, uint64_t length, const Operand& operand) {
        Value v;
        v.kind = Value::Kind::kString;
        v.text = std::string_view(reinterpret_cast<const char*>(operand(length)), length);
        push(at, v);
    }

    // The values above the innermost MARK are the only ones an opcode may consume (as in CPython).
    size_t fence() const { return marks_.empty() ? 0 : marks_.back(); }

    void require_above_mark(size_t at, size_t n) const {
        if (stack_.size() - fence() < n) {
            fail(at, std::string(opcode_name(static_cast<uint8_t>(pickle_[at]))) + " needs " +
                         std::to_string(n) + " values on the stack, there are " +
                         std::to_string(stack_.size() - fence()));
        }
    }

    size_t pop_mark(size_t at) {
        if (marks_.empty()) {
            fail(at,
                 std::string(opcode_name(static_cast<uint8_t>(pickle_[at]))) + " without a MARK");
        }
        const size_t mark = marks_.back();
        marks_.pop_back();
        return mark;
    }

    // The dict (or list) at stack index `index` that SETITEM(S)/APPEND(S) add to.
    Object& target(size_t at, size_t index, bool dict) {
        const std::string_view op = opcode_name(static_cast<uint8_t>(pickle_[at]));
        if (index == static_cast<size_t>(-1) || index < fence() || index >= stack_.size()) {
            fail(at, std::string(op) + " has nothing to add to");
        }
        const Value& v = stack_[index];
        if (dict ? !is_dict(v) : !is_object(v, ObjectKind::kList)) {
            fail(at, std::string(op) + " adds to " + describe(v) + ", not a " +
                         (dict ? "dict" : "list"));
        }
        return objects_[v.object];
    }

    void memo_put(size_t at, uint32_t index) {
        require_above_mark(at, 1);
        const auto it = memo_.find(index);
        if (it != memo_.end()) {
            it->second = stack_.back();
            return;
        }
        if (memo_.size() >= TorchCheckpoint::kMaxMemoEntries) {
            fail(at,
                 "more than " + std::to_string(TorchCheckpoint::kMaxMemoEntries) + " memo entries");
        }
        memo_.emplace(index, stack_.back());
    }

    void memo_get(size_t at, uint32_t index) {
        const auto it = memo_.find(index);
        if (it == memo_.end()) fail(at, "memo entry " + std::to_string(index) + " was never set");
        push(at, it->second);
    }

    std::string_view read_line(size_t at, size_t& pos) const {
        const auto* begin = reinterpret_cast<const char*>(pickle_.data() + pos);
        const size_t left = pickle_.size() - pos;
        const void* newline = std::memchr(begin, '\n', left);
        if (newline == nullptr) fail(at, "GLOBAL without its two newline-terminated names");
        const size_t length = static_cast<size_t>(static_cast<const char*>(newline) - begin);
        pos += length + 1;
        return {begin, length};
    }

    void push_global(size_t at, std::string_view op, std::string_view module,
                     std::string_view name) {
        for (size_t i = 0; i < kAllowedGlobals.size(); ++i) {
            if (kAllowedGlobals[i].module == module && kAllowedGlobals[i].name == name) {
                push(at, new_object(at, ObjectKind::kGlobal, {}, static_cast<uint32_t>(i)));
                return;
            }
        }
        std::string full(module);
        full += ' ';
        full += name;
        fail(at, std::string(op) + " " + quote_for_error(full, 120) +
                     " is not allowed: only collections.OrderedDict, "
                     "torch._utils._rebuild_tensor_v2/_rebuild_parameter and torch storage types "
                     "are, and nothing in the file is ever imported or run");
    }

    const AllowedGlobal* global_of(const Value& v) const {
        return is_object(v, ObjectKind::kGlobal) ? &kAllowedGlobals[object(v).index] : nullptr;
    }

    // ('storage', torch.<Type>Storage, key, location, numel) -> the storage entry's bytes.
    Value persistent_storage(size_t at, const Value& id) {
        const std::string expected =
            "the persistent id must be ('storage', storage type, key, location, element count), "
            "got ";
        if (!is_object(id, ObjectKind::kTuple) || object(id).items.size() != 5) {
            fail(at, expected + describe(id));
        }
        const std::vector<Value>& f = object(id).items;
        const AllowedGlobal* type = global_of(f[1]);
        if (f[0].kind != Value::Kind::kString || f[0].text != "storage" || type == nullptr ||
            type->callable != Callable::kStorageType || f[2].kind != Value::Kind::kString ||
            f[3].kind != Value::Kind::kString || f[4].kind != Value::Kind::kInt ||
            f[4].integer < 0) {
            fail(at, expected + "(" + describe(f[0]) + ", " + describe(f[1]) + ", " +
                         describe(f[2]) + ", " + describe(f[3]) + ", " + describe(f[4]) + ")");
        }
        const std::string_view key = f[2].text;
        const uint64_t numel = static_cast<uint64_t>(f[4].integer);
        const std::string what = "storage " + quote_for_error(key, 60);
        uint32_t index;
        const auto seen = storage_by_key_.find(key);
        if (seen != storage_by_key_.end()) {
            index = seen->second;
            const Storage& s = storages_[index];
            if (s.dtype != type->dtype || s.numel != numel) {
                fail(at, what + " is declared twice, as " + std::to_string(s.numel) + " " +
                             std::string(dtype_name(s.dtype)) + " and as " + std::to_string(numel) +
                             " " + std::string(dtype_name(type->dtype)) + " elements");
            }
        } else {
            const std::string entry_name = prefix_ + "data/" + std::string(key);
            const ZipEntry* entry = archive_.find(entry_name);
            if (entry == nullptr) {
                fail(at, what + " has no entry " + quote_for_error(entry_name, 120) +
                             " in the archive");
            }
            const std::span<const std::byte> bytes = archive_.contents(*entry);
            uint64_t nbytes = 0;
            if (__builtin_mul_overflow(numel, dtype_size(type->dtype), &nbytes) ||
                nbytes != bytes.size()) {
                fail(at, what + " declares " + std::to_string(numel) + " " +
                             std::string(dtype_name(type->dtype)) + " elements, but its entry " +
                             "holds " + std::to_string(bytes.size()) + " bytes");
            }
            index = static_cast<uint32_t>(storages_.size());
            storages_.push_back(Storage{key, type->dtype, numel, bytes});
            storage_by_key_.emplace(key, index);
        }
        return new_object(at, ObjectKind::kStorage, {}, index);
    }

    bool is_empty_dict(const Value& v) const { return is_dict(v) && object(v).items.empty(); }

    // A tuple of ints, each in [minimum, inf), at most kMaxDims long.
    std::vector<int64_t> int_tuple(size_t at, const Value& v, std::string_view what,
                                   int64_t minimum) const {
        if (!is_object(v, ObjectKind::kTuple)) {
            fail(at, "_rebuild_tensor_v2: " + std::string(what) + " is " + describe(v) +
                         ", not a tuple");
        }
        const std::vector<Value>& items = object(v).items;
        if (items.size() > TorchCheckpoint::kMaxDims) {
            fail(at, "_rebuild_tensor_v2: " + std::string(what) + " has " +
                         std::to_string(items.size()) + " dimensions, more than " +
                         std::to_string(TorchCheckpoint::kMaxDims));
        }
        std::vector<int64_t> values;
        values.reserve(items.size());
        for (const Value& item : items) {
            if (item.kind != Value::Kind::kInt || item.integer < minimum) {
                fail(at, "_rebuild_tensor_v2: " + std::string(what) + " holds " + describe(item));
            }
            values.push_back(item.integer);
        }
        return values;
    }

    Value reduce(size_t at, const Value& callable, const Value& args) {
        const AllowedGlobal* global = global_of(callable);
        if (global == nullptr || global->callable == Callable::kStorageType) {
            fail(at, "REDUCE calls " + describe(callable) +
                         ", which is not callable here (only OrderedDict, _rebuild_tensor_v2 and "
                         "_rebuild_parameter are)");
        }
        if (!is_object(args, ObjectKind::kTuple)) {
            fail(at, "REDUCE arguments are " + describe(args) + ", not a tuple");
        }
        // Arity first: a memoized tuple can be passed many times, so it is copied (new objects may
        // move the table) only once known to be short.
        const size_t arity = object(args).items.size();
        const bool arity_ok = global->callable == Callable::kOrderedDict ? arity == 0
                              : global->callable == Callable::kRebuildParameter
                                  ? arity == 3
                                  : arity == 6 || arity == 7;
        if (!arity_ok) {
            fail(at, "REDUCE calls " + describe(callable) + " with " + std::to_string(arity) +
                         " arguments");
        }
        const std::vector<Value> a = object(args).items;
        switch (global->callable) {
            case Callable::kOrderedDict:
                return new_object(at, ObjectKind::kOrderedDict, {});
            case Callable::kRebuildParameter:
                if (!is_object(a[0], ObjectKind::kTensor) || a[1].kind != Value::Kind::kBool ||
                    !is_empty_dict(a[2])) {
                    fail(at,
                         "_rebuild_parameter needs (tensor, requires_grad, no backward hooks), "
                         "got " +
                             describe(args));
                }
                return a[0];
            case Callable::kRebuildTensor:
                return rebuild_tensor(at, a);
            case Callable::kStorageType:
                break;
        }
        fail(at, "REDUCE of an unknown callable");
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks
    // [, metadata]). Contiguity and storage bounds are checked once the tensor has its name.
    Value rebuild_tensor(size_t at, const std::vector<Value>& a) {
        if (!is_object(a[0], ObjectKind::kStorage)) {
            fail(at, "_rebuild_tensor_v2: storage is " + describe(a[0]));
        }
        if (a[1].kind != Value::Kind::kInt || a[1].integer < 0) {
            fail(at, "_rebuild_tensor_v2: storage offset is " + describe(a[1]));
        }
        TensorRecord t;
        t.storage = object(a[0]).index;
        t.offset = static_cast<uint64_t>(a[1].integer);
        t.shape = int_tuple(at, a[2], "size", 0);
        t.stride = int_tuple(at, a[3], "stride", INT64_MIN);
        if (t.stride.size() != t.shape.size()) {
            fail(at, "_rebuild_tensor_v2: size " + shape_to_string(t.shape) + " and stride " +
                         shape_to_string(t.stride) + " differ in length");
        }
        if (a[4].kind != Value::Kind::kBool) {
            fail(at, "_rebuild_tensor_v2: requires_grad is " + describe(a[4]));
        }
        if (!is_empty_dict(a[5])) {
            fail(at, "_rebuild_tensor_v2: backward hooks are " + describe(a[5]) +
                         "; a saved state dict has none");
        }
        // Tensor metadata (conjugate and negative bits) would change what the bytes mean.
        if (a.size() == 7 && a[6].kind != Value::Kind::kNone && !is_empty_dict(a[6])) {
            fail(at, "_rebuild_tensor_v2: tensor metadata " + describe(a[6]) + " is not supported");
        }
        tensors_.push_back(std::move(t));
        return new_object(at, ObjectKind::kTensor, {}, static_cast<uint32_t>(tensors_.size() - 1));
    }

    std::span<const std::byte> pickle_;
    std::string context_;
    const ZipArchive& archive_;
    std::string prefix_;
    std::vector<Value> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint32_t, Value> memo_;
    std::vector<Object> objects_;
    std::vector<Storage> storages_;
    std::unordered_map<std::string_view, uint32_t> storage_by_key_;
    std::vector<TensorRecord> tensors_;
};

// The `<p>/` folder that holds `<p>/data.pkl`: PyTorch names it after the file's stem when saving
// to a path and `archive` when saving to a buffer, so it is found rather than assumed.
std::string find_prefix(const ZipArchive& archive, const std::string& path) {
    constexpr std::string_view kPickle = "/data.pkl";
    std::optional<std::string_view> found;
    for (const ZipEntry& entry : archive.entries()) {
        const std::string_view name = entry.name;
        if (name.size() <= kPickle.size() || !name.ends_with(kPickle)) continue;
        const std::string_view folder = name.substr(0, name.size() - kPickle.size());
        if (folder.find('/') != std::string_view::npos) continue;
        if (found) {
            throw Error(path + ": the archive holds two pickles, " + quote_for_error(*found) +
                        " and " + quote_for_error(name) + "; not a single PyTorch checkpoint");
        }
        found = name;
    }
    if (!found) {
        throw Error(path + ": zip archive without a <folder>/data.pkl entry; not a PyTorch " +
                    "checkpoint");
    }
    return std::string(found->substr(0, found->size() - kPickle.size() + 1));
}

}  // namespace

struct TorchCheckpoint::Impl {
    std::string path;
    std::shared_ptr<const void> owner;
    const MappedFile* mapped = nullptr;  // set by open()
    std::span<const std::byte> file;
    std::vector<TensorInfo> tensors;
};

TorchCheckpoint::TorchCheckpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TorchCheckpoint::TorchCheckpoint(TorchCheckpoint&&) noexcept = default;
TorchCheckpoint& TorchCheckpoint::operator=(TorchCheckpoint&&) noexcept = default;
TorchCheckpoint::~TorchCheckpoint() = default;

TorchCheckpoint TorchCheckpoint::open(const std::string& path) {
    auto file = std::make_shared<const MappedFile>(MappedFile::open(path));
    const std::span<const std::byte> bytes = file->bytes();
    const MappedFile* mapped = file.get();
    TorchCheckpoint checkpoint = from_bytes(bytes, path, std::move(file));
    checkpoint.impl_->mapped = mapped;
    return checkpoint;
}

TorchCheckpoint TorchCheckpoint::from_bytes(std::span<const std::byte> bytes,
                                            const std::string& name,
                                            std::shared_ptr<const void> owner) {
    // The pre-1.6 format is a bare sequence of pickles (starting with PROTO), not a zip archive.
    if (bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == kProto &&
        static_cast<uint8_t>(bytes[1]) <= 5) {
        throw Error(name +
                    ": legacy PyTorch serialization (before 1.6), not the zip format; re-save it "
                    "with a current torch.save");
    }
    const ZipArchive archive(bytes, name);
    const std::string prefix = find_prefix(archive, name);

    if (const ZipEntry* order = archive.find(prefix + "byteorder")) {
        const std::string value = as_string(archive.contents(*order));
        if (value != "little") {
            throw Error(name + ": byte order " + quote_for_error(value, 40) +
                        (value == "big" ? ": big-endian checkpoints are not read" : "") +
                        "; only little-endian checkpoints are read");
        }
    }

    const std::string pickle_name = prefix + "data.pkl";
    const std::span<const std::byte> pickle = archive.contents(*archive.find(pickle_name));
    Unpickler machine(pickle, name + ": " + pickle_name, archive, prefix);
    const Value root = machine.run();
    if (!machine.is_dict(root)) {
        throw Error(name + ": " + pickle_name + " holds " + machine.describe(root) +
                    ", not a state dict (a dict of tensors)");
    }

    auto impl = std::make_unique<Impl>();
    impl->path = name;
    impl->owner = std::move(owner);
    impl->file = bytes;
    const std::vector<Value>& items = machine.object(root).items;
    impl->tensors.reserve(items.size() / 2);
    // Keys are views into data.pkl that memo references can repeat; copying them out is bounded by
    // what a real state dict needs (each key written once).
    size_t name_bytes = 0;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
        const Value& key = items[i];
        const Value& value = items[i + 1];
        if (key.kind != Value::Kind::kString) {
            throw Error(name + ": a state dict key is " + machine.describe(key) +
                        "; keys must be strings");
        }
        name_bytes += key.text.size();
        if (name_bytes > pickle.size()) {
            throw Error(name + ": " + pickle_name +
                        " repeats its state dict keys (their total length exceeds the pickle)");
        }
        const std::string what = name + ": tensor " + quote_for_error(key.text);
        if (!is_valid_utf8(key.text)) throw Error(what + ": the name is not valid UTF-8");
        if (!machine.is_object(value, ObjectKind::kTensor)) {
            throw Error(name + ": state dict entry " + quote_for_error(key.text) + " is " +
                        machine.describe(value) +
                        ", not a tensor (nested dicts and other values are not read)");
        }
        const TensorRecord& record = machine.tensors()[machine.object(value).index];
        const Storage& storage = machine.storages()[record.storage];
        TensorInfo info;
        info.name = std::string(key.text);
        info.dtype = storage.dtype;
        info.shape = record.shape;
        uint64_t numel = 1;
        bool overflow = false;
        for (int64_t dim : record.shape)
            overflow =
                overflow || __builtin_mul_overflow(numel, static_cast<uint64_t>(dim), &numel);
        if (std::find(record.shape.begin(), record.shape.end(), 0) != record.shape.end()) {
            numel = 0;
            overflow = false;
        }
        if (overflow || record.offset > storage.numel || numel > storage.numel - record.offset) {
            throw Error(what + ": shape " + shape_to_string(record.shape) + " at element offset " +
                        std::to_string(record.offset) + " exceeds its storage " +
                        quote_for_error(storage.key, 60) + " of " + std::to_string(storage.numel) +
                        " elements");
        }
        // Row-major contiguity; extents of 1 may carry any stride (PyTorch's own rule).
        if (numel > 0) {
            int64_t expected = 1;
            for (size_t d = record.shape.size(); d-- > 0;) {
                if (record.shape[d] != 1 && record.stride[d] != expected) {
                    throw Error(what + ": stride " + shape_to_string(record.stride) +
                                " for shape " + shape_to_string(record.shape) +
                                " is not contiguous row-major; save tensor.contiguous() instead");
                }
                expected *= record.shape[d];
            }
        }
        const size_t element = dtype_size(storage.dtype);
        info.offset = static_cast<size_t>(storage.bytes.data() - bytes.data()) +
                      static_cast<size_t>(record.offset) * element;
        info.nbytes = static_cast<size_t>(numel) * element;
        impl->tensors.push_back(std::move(info));
    }
    std::sort(impl->tensors.begin(), impl->tensors.end(),
              [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
    for (size_t i = 1; i < impl->tensors.size(); ++i) {
        if (impl->tensors[i - 1].name == impl->tensors[i].name) {
            throw Error(name + ": tensor " + quote_for_error(impl->tensors[i].name) +
                        " appears twice in the state dict");
        }
    }
    return TorchCheckpoint(std::move(impl));
}

const std::string& TorchCheckpoint::path() const {
    return impl_->path;
}

const std::vector<TensorInfo>& TorchCheckpoint::tensors() const {
    return impl_->tensors;
}

const TensorInfo* TorchCheckpoint::find(std::string_view name) const {
    const auto& tensors = impl_->tensors;
    const auto it = std::lower_bound(
        tensors.begin(), tensors.end(), name,
        [](const TensorInfo& t, std::string_view wanted) { return t.name < wanted; });
    return it != tensors.end() && it->name == name ? &*it : nullptr;
}

std::span<const std::byte> TorchCheckpoint::data(const TensorInfo& tensor) const {
    const size_t size = impl_->file.size();
    if (tensor.offset > size || tensor.nbytes > size - tensor.offset) {
        throw Error(impl_->path + ": tensor " + quote_for_error(tensor.name) +
                    " does not lie inside this file");
    }
    return impl_->file.subspan(tensor.offset, tensor.nbytes);
}

std::shared_ptr<const void> TorchCheckpoint::mapping() const {
    return impl_->owner;
}

const MappedFile* TorchCheckpoint::mapped_file() const {
    return impl_->mapped;
}

}  // namespace spanguard::core
