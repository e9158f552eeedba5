// Fuzzes tokenizer::parse_spm_model, the protobuf wire-format reader for `spm.model`.
#include <cstdint>

#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/error.h"
#include "tokenizer/spm_model_proto.h"

using namespace spanguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const tokenizer::SpmModel model =
            tokenizer::parse_spm_model(fuzz::as_text(data, size), "fuzz.model");
        // Only UNIGRAM models are accepted (documented).
        FUZZ_CHECK(model.trainer.model_type == 1);
    } catch (const tokenizer::TokenizerError&) {
    }
    return 0;
}
