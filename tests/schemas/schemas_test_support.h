// Shared fixtures of the schemas tests: the parity checkpoints' tokenizer, loaded once.
#pragma once

#include <string>

#include "schemas/checkpoint_tokenizer.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::schemas::testing {

inline std::string parity_dir(const std::string& checkpoint) {
    return std::string(SPANGUARD_SHARED_DIR) + "/reference/parity/" + checkpoint;
}

// spm.model + added_tokens.json of the tiny_count_lstm_v2 checkpoint (the real DeBERTa-v3 model
// with the GLiNER2 markers at 128001..128010).
inline const tokenizer::Tokenizer& parity_tokenizer() {
    static const tokenizer::Tokenizer tok =
        load_checkpoint_tokenizer(parity_dir("tiny_count_lstm_v2"));
    return tok;
}

}  // namespace spanguard::schemas::testing
