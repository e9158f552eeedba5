// The subcommands of the `spanguard` tool. Each lives in its own file and receives the arguments
// after its name; it returns the process exit status (0 ok, 1 failed records or I/O, 2 usage).
#pragma once

#include <string>
#include <vector>

namespace spanguard::cli {

using Args = std::vector<std::string>;

// spanguard tokenize --tokenizer PATH [--add-tokens JSON] [--offsets] [--offset-units
// bytes|codepoints]
int run_tokenize(const Args& args);
// spanguard convert-tokenizer --spm PATH --out PATH [...]
int run_convert_tokenizer(const Args& args);
// spanguard extract --model DIR --schema JSON|PATH [--threshold X] [--include-confidence] [...]
int run_extract(const Args& args);
// spanguard classify (--labels a,b,c | --tasks JSON|PATH) [FILE] [...]
int run_classify(const Args& args);
// spanguard run --schema JSON|PATH [FILE] [...]
int run_run(const Args& args);
// spanguard redact (--labels a,b | --preset pii|common) [--operators JSON|PATH] [FILE] [...]
int run_redact(const Args& args);
// spanguard moderate [--policy JSON|PATH] [--prompt-field P] [--response-field R] [FILE] [...]
int run_moderate(const Args& args);
// spanguard models [--fetch ID]
int run_models(const Args& args);
// spanguard serve [--port N] [...]
int run_serve(const Args& args);

}  // namespace spanguard::cli
