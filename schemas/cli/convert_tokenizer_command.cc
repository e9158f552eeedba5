// `spanguard convert-tokenizer`: writes a Hugging Face tokenizer.json (DeBERTa-v2 layout) from a
// SentencePiece spm.model, then loads the result back to check it.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "schemas/cli/arguments.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/option_table.h"
#include "tokenizer/spm_to_tokenizer_json.h"
#include "tokenizer/tokenizer.h"

namespace spanguard::cli {
namespace {

constexpr const char* kUsage =
    "usage: spanguard convert-tokenizer --spm PATH --out PATH [--added-tokens JSON|PATH]\n"
    "                                   [--transformers-compatible]\n"
    "\n"
    "Writes a Hugging Face tokenizer.json in the layout of transformers' DebertaV2Converter:\n"
    "Strip + Precompiled charsmap + Replace(\" {2,}\" -> \" \"), Metaspace(\"always\"), the\n"
    "Unigram model, and the control/unknown pieces as special added tokens.\n"
    "\n";

struct Options {
    std::string spm;
    std::string out;
    std::optional<std::string> added_tokens;
    bool transformers_compatible = false;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("options:")
        .option("--spm", "PATH", "the SentencePiece model (spm.model)",
                [&o](const std::string& v) { o.spm = v; })
        .option("--out", "PATH", "where to write tokenizer.json",
                [&o](const std::string& v) { o.out = v; })
        .option("--added-tokens", "JSON|PATH",
                "extra special tokens, as a JSON object {\"[MASK]\": 128000,\n"
                "...} (an added_tokens.json) or the path of a file holding\n"
                "one. Ids must be those the Hugging Face library assigns on\n"
                "load: consecutive after the vocabulary, or a piece's own id.",
                [&o](const std::string& v) { o.added_tokens = v; })
        .option("--transformers-compatible", "",
                "write byte_fallback=false, as transformers does for\n"
                "DeBERTa-v3 (unknown characters become [UNK]). Without it the\n"
                "model's own byte_fallback is kept, so that the tokenizer.json\n"
                "tokenises like the spm.model (unknown characters become\n"
                "<0xNN> byte pieces).",
                [&o](const std::string&) { o.transformers_compatible = true; })
        .option("--help|-h", "", "show this help", [help](const std::string&) { *help = true; });
}

void finish(Options& o) {
    if (o.spm.empty()) throw UsageError("--spm PATH is required");
    if (o.out.empty()) throw UsageError("--out PATH is required");
}

}  // namespace

int run_convert_tokenizer(const Args& args) {
    Options options;
    if (const auto status =
            read_command_line("convert-tokenizer", args, declare, finish, kUsage, &options)) {
        return *status;
    }

    tokenizer::SpmConversionOptions conversion;
    conversion.transformers_compatible = options.transformers_compatible;
    if (options.added_tokens)
        conversion.extra_special_tokens = parse_token_ids(*options.added_tokens, "--added-tokens");
    const std::string model = read_file(options.spm, "SentencePiece model");
    const std::string json = tokenizer::spm_to_tokenizer_json(model, options.spm, conversion);

    // Load what was produced before writing it, so that a file that fails to load is never left
    // behind.
    tokenizer::Tokenizer::from_tokenizer_json(json, options.out);

    std::ofstream out(options.out, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot open output file '" + options.out + "'");
    out << json;
    out.close();
    if (!out) throw std::runtime_error("cannot write output file '" + options.out + "'");
    return 0;
}

}  // namespace spanguard::cli
