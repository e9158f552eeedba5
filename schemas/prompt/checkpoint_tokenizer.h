// The tokenizer of a GLiNER2 checkpoint folder, with the GLiNER2 markers registered under the ids
// the checkpoint assigns them (they are never assumed: DeBERTa-v3 gives 128001..128010, mDeBERTa
// other ids).
//
//   <dir>/tokenizer.json                  when present: its added tokens carry the markers
//   <dir>/spm.model + added_tokens.json   otherwise: every entry of added_tokens.json
//                                         ({"[P]": 128003, ...}) becomes a special added token
//
// Throws tokenizer::TokenizerError naming the file, or naming the marker that the loaded tokenizer
// does not turn into exactly one id.
#pragma once

#include <string>

#include "tokenizer/tokenizer.h"

namespace spanguard::schemas {

tokenizer::Tokenizer load_checkpoint_tokenizer(const std::string& dir);

// The same files without the GLiNER2 marker check (GLiNER v1 folders carry other markers).
// `source`, when given, receives a description of the files read, for error messages.
tokenizer::Tokenizer load_folder_tokenizer(const std::string& dir, std::string* source = nullptr);

// Throws unless every GLiNER2 marker encodes to a single id equal to token_to_id(marker).
// `source` names the tokenizer in the message.
void require_gliner2_markers(const tokenizer::Tokenizer& tokenizer, const std::string& source);

}  // namespace spanguard::schemas
