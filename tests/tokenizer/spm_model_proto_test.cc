// The hand-written ModelProto reader: the real spm.model, proto2 defaults, unknown fields, and
// every kind of malformed input it must reject with a message naming the file and byte offset.
#include "tokenizer/spm_model_proto.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "tokenizer/error.h"

namespace spanguard::tokenizer {
namespace {

std::string read_spm_model() {
    std::ifstream in(std::string(SPANGUARD_SOURCE_DIR) + "/data/tokenizers/deberta-v3/spm.model",
                     std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A minimal protobuf writer for building test inputs.
std::string varint(uint64_t v) {
    std::string out;
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
    return out;
}
std::string tag(uint32_t field, uint32_t wire_type) {
    return varint((uint64_t{field} << 3) | wire_type);
}
std::string bytes_field(uint32_t field, const std::string& payload) {
    return tag(field, 2) + varint(payload.size()) + payload;
}
std::string varint_field(uint32_t field, uint64_t v) {
    return tag(field, 0) + varint(v);
}
std::string float_field(uint32_t field, float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    std::string out = tag(field, 5);
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
    return out;
}
std::string piece(const std::string& text, float score, int type) {
    return bytes_field(1, bytes_field(1, text) + float_field(2, score) +
                              varint_field(3, static_cast<uint64_t>(type)));
}

// Expects parse_spm_model to throw a TokenizerError containing every fragment.
void expect_error(const std::string& bytes, std::initializer_list<std::string> fragments) {
    try {
        parse_spm_model(bytes, "test.model");
        FAIL() << "no error; expected one containing '" << *fragments.begin() << "'";
    } catch (const TokenizerError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("test.model"), std::string::npos) << message;
        for (const auto& f : fragments)
            EXPECT_NE(message.find(f), std::string::npos) << message;
    }
}

TEST(SpmModelProto, ReadsTheRealModel) {
    // Expected values read with Python's sentencepiece_model_pb2 from the same file.
    const SpmModel m = parse_spm_model(read_spm_model(), "spm.model");
    ASSERT_EQ(m.pieces.size(), 128000u);
    EXPECT_EQ(m.pieces[0].text, "[PAD]");
    EXPECT_EQ(m.pieces[0].type, PieceType::kControl);
    EXPECT_EQ(m.pieces[3].text, "[UNK]");
    EXPECT_EQ(m.pieces[3].type, PieceType::kUnknown);
    EXPECT_EQ(m.pieces[4].text, "<0x00>");
    EXPECT_EQ(m.pieces[4].type, PieceType::kByte);
    EXPECT_EQ(m.pieces[259].text, "<0xFF>");
    EXPECT_EQ(m.pieces[5365].text, "\xE2\x96\x81Hello");
    EXPECT_EQ(m.pieces[5365].type, PieceType::kNormal);
    EXPECT_FLOAT_EQ(m.pieces[5365].score, -10.96396255493164f);
    EXPECT_EQ(m.pieces[127999].text, "\xEC\x96\xBB");
    EXPECT_FLOAT_EQ(m.pieces[127999].score, -24.518644332885742f);
    EXPECT_EQ(m.trainer.model_type, 1);
    EXPECT_EQ(m.trainer.unk_id, 3);
    EXPECT_TRUE(m.trainer.byte_fallback);
    EXPECT_FALSE(m.trainer.treat_whitespace_as_suffix);
    EXPECT_EQ(m.normalizer.name, "nmt_nfkc");
    EXPECT_EQ(m.normalizer.precompiled_charsmap.size(), 237539u);
    EXPECT_TRUE(m.normalizer.add_dummy_prefix);
    EXPECT_TRUE(m.normalizer.remove_extra_whitespaces);
    // Absent from the file: the proto2 default (true) applies.
    EXPECT_TRUE(m.normalizer.escape_whitespaces);
}

TEST(SpmModelProto, AbsentFieldsTakeProto2Defaults) {
    const SpmModel m =
        parse_spm_model(piece("<unk>", 0, 2) + bytes_field(1, bytes_field(1, "a")), "t");
    ASSERT_EQ(m.pieces.size(), 2u);
    EXPECT_EQ(m.pieces[1].type, PieceType::kNormal);
    EXPECT_EQ(m.pieces[1].score, 0.0f);
    EXPECT_EQ(m.trainer.model_type, 1);
    EXPECT_EQ(m.trainer.unk_id, 0);
    EXPECT_FALSE(m.trainer.byte_fallback);
    EXPECT_TRUE(m.normalizer.add_dummy_prefix);
    EXPECT_TRUE(m.normalizer.remove_extra_whitespaces);
    EXPECT_TRUE(m.normalizer.escape_whitespaces);
    EXPECT_TRUE(m.normalizer.precompiled_charsmap.empty());
}

TEST(SpmModelProto, ReadsSettingsAndSkipsUnknownFields) {
    const std::string unknown = varint_field(99, 7) + tag(98, 1) + std::string(8, 'x') +
                                tag(97, 5) + std::string(4, 'y') + bytes_field(96, "zzz");
    const std::string trainer = unknown + varint_field(3, 1) + varint_field(35, 1) +
                                varint_field(24, 1) +
                                varint_field(40, 0xFFFFFFFFFFFFFFFFull);  // unk_id = -1, 10 bytes
    const std::string normalizer = bytes_field(1, "identity") + varint_field(3, 0) +
                                   varint_field(4, 0) + varint_field(5, 0) +
                                   bytes_field(2, std::string("\0\1", 2)) + unknown;
    const std::string model = unknown + piece("a", -1.5f, 1) + bytes_field(2, trainer) +
                              bytes_field(3, normalizer) + bytes_field(4, "self test") +
                              bytes_field(5, bytes_field(1, "denorm")) + piece("b", -2.0f, 4);
    const SpmModel m = parse_spm_model(model, "t");
    ASSERT_EQ(m.pieces.size(), 2u);
    EXPECT_EQ(m.pieces[0].text, "a");
    EXPECT_EQ(m.pieces[0].score, -1.5f);
    EXPECT_EQ(m.pieces[1].type, PieceType::kUserDefined);
    EXPECT_TRUE(m.trainer.byte_fallback);
    EXPECT_TRUE(m.trainer.treat_whitespace_as_suffix);
    EXPECT_EQ(m.trainer.unk_id, -1);
    EXPECT_EQ(m.normalizer.name, "identity");
    EXPECT_EQ(m.normalizer.precompiled_charsmap, std::string("\0\1", 2));
    EXPECT_FALSE(m.normalizer.add_dummy_prefix);
    EXPECT_FALSE(m.normalizer.remove_extra_whitespaces);
    EXPECT_FALSE(m.normalizer.escape_whitespaces);
}

TEST(SpmModelProto, RepeatedSubMessagesMergeAndLaterValuesWin) {
    const std::string model =
        piece("a", 0, 2) + bytes_field(2, varint_field(35, 1) + varint_field(40, 4)) +
        bytes_field(2, varint_field(40, 5)) + bytes_field(3, varint_field(3, 0)) +
        bytes_field(3, varint_field(4, 0));
    const SpmModel m = parse_spm_model(model, "t");
    EXPECT_TRUE(m.trainer.byte_fallback);
    EXPECT_EQ(m.trainer.unk_id, 5);
    EXPECT_FALSE(m.normalizer.add_dummy_prefix);
    EXPECT_FALSE(m.normalizer.remove_extra_whitespaces);
}

TEST(SpmModelProto, RejectsNonUnigramModels) {
    expect_error(piece("a", 0, 2) + bytes_field(2, varint_field(3, 2)),
                 {"model_type 2 (BPE) is not supported", "TrainerSpec", "byte offset 14"});
    expect_error(piece("a", 0, 2) + bytes_field(2, varint_field(3, 4)), {"model_type 4 (CHAR)"});
    expect_error(piece("a", 0, 2) + bytes_field(2, varint_field(3, 17)),
                 {"model_type 17 (unknown)"});
}

TEST(SpmModelProto, RejectsTruncatedFiles) {
    const std::string real = read_spm_model();
    // Cut inside the first piece's payload, inside the charsmap, and inside a tag/length.
    expect_error(real.substr(0, 5), {"declares", "remain", "byte offset 1"});
    expect_error(real.substr(0, real.size() - 1000), {"declares", "byte offset"});
    expect_error(std::string("\x0A", 1), {"truncated length", "byte offset 1"});
    expect_error(std::string("\x0A\x80", 2), {"truncated length", "byte offset 1"});
    expect_error(std::string("\x15\x00\x00", 3), {"truncated 32-bit value", "byte offset 1"});
    expect_error(std::string("\x11\x00", 2), {"truncated 64-bit value"});
    // A piece whose score is cut short, inside a complete piece message.
    expect_error(bytes_field(1, bytes_field(1, "a") + std::string("\x15\x00\x00", 3)),
                 {"truncated 32-bit value", "ModelProto.pieces[0]", "byte offset 6"});
}

TEST(SpmModelProto, RejectsBadVarints) {
    expect_error(std::string("\x08") + std::string(10, '\xFF') + "\x01",
                 {"overlong varint value", "byte offset 1"});
    expect_error(std::string("\x08") + std::string(9, '\xFF') + "\x02",
                 {"overlong varint value (over 64 bits)"});
    expect_error(std::string("\x08\xFF\xFF", 3), {"truncated varint value", "byte offset 1"});
    expect_error(std::string(11, '\x80'), {"overlong field tag", "byte offset 0"});
}

TEST(SpmModelProto, RejectsWrongWireTypes) {
    expect_error(varint_field(1, 5),
                 {"field pieces (1) has wire type 0 (varint)", "expected 2 (length-delimited)",
                  "ModelProto", "byte offset 0"});
    expect_error(piece("a", 0, 2) + bytes_field(2, bytes_field(35, "x")),
                 {"field byte_fallback (35)"});
    expect_error(bytes_field(1, bytes_field(1, "a") + varint_field(2, 1)),
                 {"field score (2) has wire type 0", "ModelProto.pieces[0]", "byte offset 5"});
    expect_error(bytes_field(1, bytes_field(1, "a") + bytes_field(3, "x")), {"field type (3)"});
    expect_error(piece("a", 0, 2) + bytes_field(3, varint_field(2, 1)),
                 {"field precompiled_charsmap (2)", "NormalizerSpec"});
    // Groups are not used by any SentencePiece message and are refused rather than guessed at.
    expect_error(tag(7, 3), {"unsupported wire type 3 (start-group)"});
    expect_error(tag(7, 6), {"unsupported wire type 6"});
    expect_error(varint(0) + varint(1), {"invalid field number 0"});
}

TEST(SpmModelProto, RejectsHostileLengths) {
    // 2^62 and 2^32 + 2 byte lengths: refused before anything is allocated.
    expect_error(tag(1, 2) + varint(uint64_t{1} << 62),
                 {"declares 4611686018427387904 bytes but only 0 remain"});
    expect_error(tag(1, 2) + varint((uint64_t{1} << 32) + 2) + "ab",
                 {"declares 4294967298 bytes but only 2 remain"});
    // A nested length that fits the file but not its enclosing message.
    const std::string inner = bytes_field(1, "abc");
    std::string bad =
        tag(1, 2) + varint(inner.size()) + tag(1, 2) + varint(10) + "abc" + std::string(20, 'x');
    expect_error(bad,
                 {"declares 10 bytes but only 3 remain", "ModelProto.pieces[0]", "byte offset 3"});
}

TEST(SpmModelProto, RejectsUnknownPieceTypesAndEmptyModels) {
    expect_error(piece("a", 0, 7), {"unknown piece type 7", "ModelProto.pieces[0]"});
    expect_error(piece("a", 0, 0), {"unknown piece type 0"});
    expect_error("", {"no pieces"});
    expect_error(bytes_field(2, varint_field(35, 1)), {"no pieces"});
}

}  // namespace
}  // namespace spanguard::tokenizer
