// Reader for SentencePiece's serialised model (`spm.model`, the ModelProto message of
// sentencepiece_model.proto), written against the protobuf wire format so that the tokenizer needs
// no libprotobuf. It reads what encoding needs: the pieces, the trainer settings that change how
// text is encoded, and the normaliser settings. Unknown fields are skipped, as protobuf does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/unigram_model.h"

namespace spanguard::tokenizer {

// TrainerSpec fields that matter for encoding. Defaults are the proto2 defaults, used when a field
// is absent from the file.
struct SpmTrainerSpec {
    int32_t model_type = 1;  // UNIGRAM; parse_spm_model rejects every other type
    int32_t unk_id = 0;      // as written by the trainer; encoding uses the UNKNOWN piece
    bool byte_fallback = false;
    bool treat_whitespace_as_suffix = false;
};

struct SpmNormalizerSpec {
    std::string name;
    std::string precompiled_charsmap;  // empty: no character folding
    bool add_dummy_prefix = true;
    bool remove_extra_whitespaces = true;
    bool escape_whitespaces = true;
};

struct SpmModel {
    std::vector<Piece> pieces;  // in id order
    SpmTrainerSpec trainer;
    SpmNormalizerSpec normalizer;
};

// Parses a serialised ModelProto. Every tag, varint and length is bounds-checked; a malformed
// file, a known field with the wrong wire type, an unknown piece type, or a model type other
// than UNIGRAM throws TokenizerError("<source_name>: ... at byte offset N"). Later occurrences of
// a singular field override earlier ones and repeated sub-messages merge, as in protobuf.
SpmModel parse_spm_model(std::string_view bytes, std::string_view source_name);

}  // namespace spanguard::tokenizer
