// `spanguard convert-tokenizer`: writes a Hugging Face tokenizer.json (DeBERTa-v2 layout) from a
// SentencePiece spm.model, then loads the result back to check it.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "schemas/cli/commands.h"
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
    "\n"
    "options:\n"
    "  --spm PATH                 the SentencePiece model (spm.model)\n"
    "  --out PATH                 where to write tokenizer.json\n"
    "  --added-tokens JSON|PATH   extra special tokens, as a JSON object {\"[MASK]\": 128000,\n"
    "                             ...} (an added_tokens.json) or the path of a file holding\n"
    "                             one. Ids must be those the Hugging Face library assigns on\n"
    "                             load: consecutive after the vocabulary, or a piece's own id.\n"
    "  --transformers-compatible  write byte_fallback=false, as transformers does for\n"
    "                             DeBERTa-v3 (unknown characters become [UNK]). Without it the\n"
    "                             model's own byte_fallback is kept, so that the tokenizer.json\n"
    "                             tokenises like the spm.model (unknown characters become\n"
    "                             <0xNN> byte pieces).\n"
    "  --help                     show this help\n";

struct Options {
    std::string spm;
    std::string out;
    std::optional<std::string> added_tokens;
    bool transformers_compatible = false;
};

class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

Options parse_options(const Args& args, bool* help) {
    Options o;
    *help = false;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i];
        std::optional<std::string> inline_value;
        if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        const auto value = [&]() -> std::string {
            if (inline_value) return *inline_value;
            if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
            return args[++i];
        };
        const auto no_value = [&] {
            if (inline_value) throw UsageError("option " + name + " takes no value");
        };
        if (name == "--help" || name == "-h") {
            no_value();
            *help = true;
        } else if (name == "--spm") {
            o.spm = value();
        } else if (name == "--out") {
            o.out = value();
        } else if (name == "--added-tokens") {
            o.added_tokens = value();
        } else if (name == "--transformers-compatible") {
            no_value();
            o.transformers_compatible = true;
        } else {
            throw UsageError("unknown argument '" + args[i] + "'");
        }
    }
    if (*help) return o;
    if (o.spm.empty()) throw UsageError("--spm PATH is required");
    if (o.out.empty()) throw UsageError("--out PATH is required");
    return o;
}

std::string read_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + what + " '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + what + " '" + path + "'");
    return buffer.str();
}

// --added-tokens: inline JSON when it starts with '{', else the path of a JSON file; an object
// mapping each token to its id, as transformers' added_tokens.json.
std::vector<std::pair<std::string, int32_t>> parse_added_tokens(const std::string& arg) {
    const size_t first = arg.find_first_not_of(" \t\r\n");
    const bool is_inline = first != std::string::npos && arg[first] == '{';
    const std::string where =
        is_inline ? std::string("--added-tokens") : "--added-tokens file '" + arg + "'";
    const std::string text = is_inline ? arg : read_file(arg, "--added-tokens file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(where + ": invalid JSON: " + e.what());
    }
    if (!j.is_object()) {
        throw std::runtime_error(where + ": expected a JSON object {\"token\": id, ...}");
    }
    std::vector<std::pair<std::string, int32_t>> tokens;
    for (const auto& [token, id] : j.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
            throw std::runtime_error(where + ": the id of '" + token +
                                     "' must be a non-negative 32-bit integer, got " + id.dump());
        }
        tokens.emplace_back(token, static_cast<int32_t>(id.get<int64_t>()));
    }
    return tokens;
}

}  // namespace

int run_convert_tokenizer(const Args& args) {
    Options options;
    bool help = false;
    try {
        options = parse_options(args, &help);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "spanguard convert-tokenizer: %s\n\n%s", e.what(), kUsage);
        return 2;
    }
    if (help) {
        std::fputs(kUsage, stdout);
        return 0;
    }

    tokenizer::SpmConversionOptions conversion;
    conversion.transformers_compatible = options.transformers_compatible;
    if (options.added_tokens)
        conversion.extra_special_tokens = parse_added_tokens(*options.added_tokens);
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
