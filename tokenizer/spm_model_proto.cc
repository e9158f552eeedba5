#include "tokenizer/spm_model_proto.h"

#include <cstdint>
#include <cstring>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {
namespace {

// Protobuf wire types.
enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

const char* wire_type_name(uint32_t wire_type) {
    switch (wire_type) {
        case kVarint:
            return "varint";
        case kFixed64:
            return "64-bit";
        case kLengthDelimited:
            return "length-delimited";
        case 3:
            return "start-group";
        case 4:
            return "end-group";
        case kFixed32:
            return "32-bit";
        default:
            return "invalid";
    }
}

// One field as found on the wire. For a length-delimited field `data` is its payload and
// `payload_offset` its offset in the file; for the others `value` is the raw number.
struct Field {
    uint32_t number;
    uint32_t wire_type;
    size_t offset;  // of the tag, in the file
    uint64_t value;
    std::string_view data;
    size_t payload_offset;
};

// Reads the fields of one message, all within [begin, end) of the file, checking every bound.
class MessageReader {
  public:
    // `message` names the message in errors; `index` is its position when it is one element of
    // a repeated field (SIZE_MAX otherwise). The name is only formatted when an error is thrown.
    MessageReader(std::string_view file, size_t begin, size_t end, const std::string& source,
                  const char* message, size_t index = SIZE_MAX)
        : file_(file), pos_(begin), end_(end), source_(source), message_(message), index_(index) {}

    bool next(Field& field) {
        if (pos_ >= end_) return false;
        field.offset = pos_;
        const uint64_t tag = varint("field tag");
        field.wire_type = static_cast<uint32_t>(tag & 7);
        const uint64_t number = tag >> 3;
        if (number == 0 || number > 536870911) {
            fail(field.offset, "invalid field number " + std::to_string(number));
        }
        field.number = static_cast<uint32_t>(number);
        field.value = 0;
        field.data = {};
        switch (field.wire_type) {
            case kVarint:
                field.value = varint("varint value");
                break;
            case kFixed64:
                field.value = fixed(8);
                break;
            case kFixed32:
                field.value = fixed(4);
                break;
            case kLengthDelimited: {
                const size_t length_offset = pos_;
                const uint64_t length = varint("length");
                if (length > end_ - pos_) {
                    fail(length_offset, "field " + std::to_string(number) + " declares " +
                                            std::to_string(length) + " bytes but only " +
                                            std::to_string(end_ - pos_) + " remain");
                }
                field.payload_offset = pos_;
                field.data = file_.substr(pos_, static_cast<size_t>(length));
                pos_ += static_cast<size_t>(length);
                break;
            }
            default:
                fail(field.offset, std::string("field ") + std::to_string(number) +
                                       " has unsupported wire type " +
                                       std::to_string(field.wire_type) + " (" +
                                       wire_type_name(field.wire_type) + ")");
        }
        return true;
    }

    [[noreturn]] void fail(size_t offset, const std::string& what) const {
        std::string message = message_;
        if (index_ != SIZE_MAX) message += "[" + std::to_string(index_) + "]";
        throw TokenizerError(source_ + ": invalid SentencePiece model: " + what + " in " + message +
                             " at byte offset " + std::to_string(offset));
    }

    // Throws unless `field` has the wire type its declaration implies.
    void expect(const Field& field, uint32_t wire_type, const char* name) const {
        if (field.wire_type == wire_type) return;
        fail(field.offset, std::string("field ") + name + " (" + std::to_string(field.number) +
                               ") has wire type " + std::to_string(field.wire_type) + " (" +
                               wire_type_name(field.wire_type) + "), expected " +
                               std::to_string(wire_type) + " (" + wire_type_name(wire_type) + ")");
    }

  private:
    uint64_t varint(const char* what) {
        const size_t start = pos_;
        uint64_t result = 0;
        for (int i = 0; i < 10; ++i) {
            if (pos_ >= end_) fail(start, std::string("truncated ") + what);
            const auto byte = static_cast<unsigned char>(file_[pos_++]);
            // The tenth byte may only carry the top bit of a 64-bit value.
            if (i == 9 && byte > 1)
                fail(start, std::string("overlong ") + what + " (over 64 bits)");
            result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
            if ((byte & 0x80) == 0) return result;
        }
        fail(start, std::string("overlong ") + what + " (more than 10 bytes)");
    }

    uint64_t fixed(size_t bytes) {
        if (end_ - pos_ < bytes) {
            fail(pos_, "truncated " + std::to_string(8 * bytes) + "-bit value (" +
                           std::to_string(end_ - pos_) + " bytes left)");
        }
        uint64_t result = 0;
        for (size_t i = 0; i < bytes; ++i) {
            result |= static_cast<uint64_t>(static_cast<unsigned char>(file_[pos_ + i])) << (8 * i);
        }
        pos_ += bytes;
        return result;
    }

    std::string_view file_;
    size_t pos_;
    size_t end_;
    const std::string& source_;
    const char* message_;
    size_t index_;
};

// int32 and enum fields are varints whose low 32 bits are the (two's complement) value.
int32_t as_int32(uint64_t value) {
    return static_cast<int32_t>(static_cast<uint32_t>(value & 0xFFFFFFFFu));
}

float as_float(uint64_t value) {
    const auto bits = static_cast<uint32_t>(value);
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

MessageReader sub_reader(std::string_view file, const Field& field, const std::string& source,
                         const char* message, size_t index = SIZE_MAX) {
    return MessageReader(file, field.payload_offset, field.payload_offset + field.data.size(),
                         source, message, index);
}

void parse_piece(std::string_view file, const Field& outer, const std::string& source, size_t index,
                 Piece& piece) {
    MessageReader reader = sub_reader(file, outer, source, "ModelProto.pieces", index);
    Field f;
    while (reader.next(f)) {
        switch (f.number) {
            case 1:
                reader.expect(f, kLengthDelimited, "piece");
                piece.text.assign(f.data);
                break;
            case 2:
                reader.expect(f, kFixed32, "score");
                piece.score = as_float(f.value);
                break;
            case 3: {
                reader.expect(f, kVarint, "type");
                const int32_t type = as_int32(f.value);
                if (type < 1 || type > 6) {
                    reader.fail(f.offset, "unknown piece type " + std::to_string(type));
                }
                piece.type = static_cast<PieceType>(type);
                break;
            }
            default:
                break;
        }
    }
}

void parse_trainer_spec(std::string_view file, const Field& outer, const std::string& source,
                        SpmTrainerSpec& spec) {
    MessageReader reader = sub_reader(file, outer, source, "TrainerSpec");
    Field f;
    while (reader.next(f)) {
        switch (f.number) {
            case 3:
                reader.expect(f, kVarint, "model_type");
                spec.model_type = as_int32(f.value);
                if (spec.model_type != 1) {
                    const char* names[] = {"", "UNIGRAM", "BPE", "WORD", "CHAR"};
                    const std::string name = spec.model_type >= 2 && spec.model_type <= 4
                                                 ? names[spec.model_type]
                                                 : "unknown";
                    reader.fail(f.offset, "model_type " + std::to_string(spec.model_type) + " (" +
                                              name + ") is not supported, only UNIGRAM (1) is");
                }
                break;
            case 24:
                reader.expect(f, kVarint, "treat_whitespace_as_suffix");
                spec.treat_whitespace_as_suffix = f.value != 0;
                break;
            case 35:
                reader.expect(f, kVarint, "byte_fallback");
                spec.byte_fallback = f.value != 0;
                break;
            case 40:
                reader.expect(f, kVarint, "unk_id");
                spec.unk_id = as_int32(f.value);
                break;
            default:
                break;
        }
    }
}

void parse_normalizer_spec(std::string_view file, const Field& outer, const std::string& source,
                           SpmNormalizerSpec& spec) {
    MessageReader reader = sub_reader(file, outer, source, "NormalizerSpec");
    Field f;
    while (reader.next(f)) {
        switch (f.number) {
            case 1:
                reader.expect(f, kLengthDelimited, "name");
                spec.name.assign(f.data);
                break;
            case 2:
                reader.expect(f, kLengthDelimited, "precompiled_charsmap");
                spec.precompiled_charsmap.assign(f.data);
                break;
            case 3:
                reader.expect(f, kVarint, "add_dummy_prefix");
                spec.add_dummy_prefix = f.value != 0;
                break;
            case 4:
                reader.expect(f, kVarint, "remove_extra_whitespaces");
                spec.remove_extra_whitespaces = f.value != 0;
                break;
            case 5:
                reader.expect(f, kVarint, "escape_whitespaces");
                spec.escape_whitespaces = f.value != 0;
                break;
            default:
                break;
        }
    }
}

}  // namespace

SpmModel parse_spm_model(std::string_view bytes, std::string_view source_name) {
    const std::string source(source_name);
    SpmModel model;
    MessageReader reader(bytes, 0, bytes.size(), source, "ModelProto");
    Field f;
    while (reader.next(f)) {
        switch (f.number) {
            case 1:
                reader.expect(f, kLengthDelimited, "pieces");
                model.pieces.emplace_back();
                parse_piece(bytes, f, source, model.pieces.size() - 1, model.pieces.back());
                break;
            case 2:
                reader.expect(f, kLengthDelimited, "trainer_spec");
                parse_trainer_spec(bytes, f, source, model.trainer);
                break;
            case 3:
                reader.expect(f, kLengthDelimited, "normalizer_spec");
                parse_normalizer_spec(bytes, f, source, model.normalizer);
                break;
            default:  // self_test_data, denormalizer_spec and anything newer: not needed
                break;
        }
    }
    if (model.pieces.empty()) {
        throw TokenizerError(source + ": invalid SentencePiece model: no pieces (" +
                             std::to_string(bytes.size()) + " bytes read)");
    }
    return model;
}

}  // namespace spanguard::tokenizer
