// `spanguard tokenize`: JSONL {"text": ...} on stdin -> {"ids": [...], "offsets": [...]} on stdout,
// one output line per input line, in order. A line that cannot be tokenised gets an
// {"error": "line N: ..."} record in its place and makes the exit status 1.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/cli/commands.h"
#include "tokenizer/encoding.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace spanguard::cli {
namespace {

constexpr const char* kUsage =
    "usage: spanguard tokenize --tokenizer PATH [--add-tokens JSON|PATH] [--offsets]\n"
    "                          [--offset-units bytes|codepoints]\n"
    "\n"
    "Reads JSON lines {\"text\": \"...\"} on stdin and writes one JSON line per input line:\n"
    "{\"ids\": [...]}, with \"offsets\": [[begin, end], ...] under --offsets. A line that is not\n"
    "a JSON object with a \"text\" string of valid UTF-8 gets {\"error\": \"line N: ...\"} in its\n"
    "place, and the exit status is then 1.\n"
    "\n"
    "options:\n"
    "  --tokenizer PATH      spm.model (SentencePiece) or tokenizer.json (Hugging Face)\n"
    "  --add-tokens JSON     extra tokens matched verbatim before normalisation, as a JSON\n"
    "                        object {\"[P]\": 128003, ...} or the path of a file holding one\n"
    "  --offsets             also write each token's [begin, end) in the input text\n"
    "  --offset-units UNITS  bytes (UTF-8, the default) or codepoints\n"
    "  --help                show this help\n";

struct Options {
    std::string tokenizer;
    std::string add_tokens;
    bool offsets = false;
    bool code_points = false;
};

class UsageError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Accepts "--name value" and "--name=value".
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
        } else if (name == "--tokenizer") {
            o.tokenizer = value();
        } else if (name == "--add-tokens") {
            o.add_tokens = value();
        } else if (name == "--offsets") {
            no_value();
            o.offsets = true;
        } else if (name == "--offset-units") {
            const std::string units = value();
            if (units == "bytes") {
                o.code_points = false;
            } else if (units == "codepoints") {
                o.code_points = true;
            } else {
                throw UsageError("--offset-units must be bytes or codepoints, not '" + units + "'");
            }
        } else {
            throw UsageError("unknown argument '" + args[i] + "'");
        }
    }
    if (!*help && o.tokenizer.empty()) throw UsageError("--tokenizer PATH is required");
    return o;
}

std::string read_file(const std::string& path, const char* what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + std::string(what) + " '" + path + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + std::string(what) + " '" + path + "'");
    return buffer.str();
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the id helps nobody here.
std::string without_exception_id(const char* what) {
    std::string_view s = what;
    if (!s.empty() && s[0] == '[') {
        if (const size_t close = s.find("] "); close != std::string_view::npos)
            s.remove_prefix(close + 2);
    }
    return std::string(s);
}

// --add-tokens: inline JSON when it starts with '{' (or '[', to report it is not an object),
// else the path of a JSON file.
std::vector<std::pair<std::string, int32_t>> parse_added_tokens(const std::string& arg) {
    const size_t first = arg.find_first_not_of(" \t\r\n");
    const bool is_inline = first != std::string::npos && (arg[first] == '{' || arg[first] == '[');
    const std::string where =
        is_inline ? std::string("--add-tokens") : "--add-tokens file '" + arg + "'";
    const std::string text = is_inline ? arg : read_file(arg, "--add-tokens file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error(where + ": invalid JSON: " + without_exception_id(e.what()));
    }
    if (!j.is_object())
        throw std::runtime_error(where + ": expected a JSON object {\"token\": id}");
    std::vector<std::pair<std::string, int32_t>> tokens;
    for (const auto& [token, id] : j.items()) {
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > INT32_MAX) {
            throw std::runtime_error(where + ": the id of '" + token +
                                     "' must be an integer in [0, 2^31), not " + id.dump());
        }
        tokens.emplace_back(token, static_cast<int32_t>(id.get<int64_t>()));
    }
    return tokens;
}

void append_number(std::string& out, size_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

void append_error(std::string& out, size_t line_number, const std::string& message) {
    const nlohmann::json record = {
        {"error", "line " + std::to_string(line_number) + ": " + message}};
    out += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
}

class LineTokenizer {
  public:
    LineTokenizer(const tokenizer::Tokenizer& tok, const Options& o) : tok_(tok), options_(o) {}

    // Appends the output record for one input line; returns false when it is an error record.
    bool process(std::string_view line, size_t line_number, std::string& out) {
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Checked before parsing so the error names the byte, not a JSON column.
        if (const auto bad = tokenizer::utf8::find_invalid(line)) {
            append_error(out, line_number,
                         "invalid UTF-8 at byte offset " + std::to_string(*bad) + " of the line");
            return false;
        }
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception& e) {
            append_error(out, line_number, "invalid JSON: " + without_exception_id(e.what()));
            return false;
        }
        const auto it = j.is_object() ? j.find("text") : j.end();
        if (!j.is_object() || it == j.end() || !it->is_string()) {
            append_error(out, line_number, "expected a JSON object with a \"text\" string");
            return false;
        }
        const std::string& text = it->get_ref<const std::string&>();
        tokenizer::Encoding e;
        try {
            e = tok_.encode(text);
        } catch (const std::exception& ex) {
            append_error(out, line_number, ex.what());
            return false;
        }
        out += "{\"ids\": [";
        for (size_t i = 0; i < e.ids.size(); ++i) {
            if (i) out += ", ";
            append_number(out, static_cast<size_t>(e.ids[i]));  // ids are never negative
        }
        out += ']';
        if (options_.offsets) {
            std::optional<tokenizer::utf8::CodePointIndex> index;
            if (options_.code_points) index.emplace(text);
            out += ", \"offsets\": [";
            for (size_t i = 0; i < e.offsets.size(); ++i) {
                size_t begin = e.offsets[i].begin, end = e.offsets[i].end;
                if (index) {
                    begin = index->to_code_point(begin);
                    end = index->to_code_point(end);
                }
                out += i ? ", [" : "[";
                append_number(out, begin);
                out += ", ";
                append_number(out, end);
                out += ']';
            }
            out += ']';
        }
        out += "}\n";
        return true;
    }

  private:
    const tokenizer::Tokenizer& tok_;
    const Options& options_;
};

bool write_all(std::string& out) {
    const bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
    out.clear();
    return ok;
}

}  // namespace

int run_tokenize(const Args& args) {
    Options options;
    bool help = false;
    try {
        options = parse_options(args, &help);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "spanguard tokenize: %s\n\n%s", e.what(), kUsage);
        return 2;
    }
    if (help) {
        std::fputs(kUsage, stdout);
        return 0;
    }

    tokenizer::Tokenizer tok = tokenizer::Tokenizer::from_file(options.tokenizer);
    if (!options.add_tokens.empty()) tok.add_special_tokens(parse_added_tokens(options.add_tokens));

    LineTokenizer line_tokenizer(tok, options);
    constexpr size_t kChunk = size_t{1} << 20;
    std::string pending;  // input not yet split into lines
    size_t scanned = 0;   // bytes of `pending` known to hold no newline
    std::string out;
    std::vector<char> buffer(kChunk);
    size_t line_number = 0;
    bool any_failed = false;
    bool write_ok = true;
    const auto flush_lines = [&](bool at_eof) {
        size_t start = 0;
        while (true) {
            const size_t nl = pending.find('\n', std::max(start, scanned));
            if (nl == std::string::npos) break;
            ++line_number;
            any_failed |= !line_tokenizer.process(
                std::string_view(pending).substr(start, nl - start), line_number, out);
            start = nl + 1;
        }
        pending.erase(0, start);
        scanned = pending.size();
        // A last line without a newline is still a line.
        if (at_eof && !pending.empty()) {
            ++line_number;
            any_failed |= !line_tokenizer.process(pending, line_number, out);
            pending.clear();
        }
        if (out.size() >= kChunk || at_eof) write_ok = write_ok && write_all(out);
    };
    while (true) {
        const size_t n = std::fread(buffer.data(), 1, buffer.size(), stdin);
        if (n == 0) break;
        pending.append(buffer.data(), n);
        flush_lines(false);
    }
    if (std::ferror(stdin)) {
        std::fprintf(stderr, "spanguard tokenize: error reading stdin after line %zu\n",
                     line_number);
        flush_lines(false);
        write_all(out);
        return 1;
    }
    flush_lines(true);
    if (std::fflush(stdout) != 0 || !write_ok) {
        std::fprintf(stderr, "spanguard tokenize: error writing stdout\n");
        return 1;
    }
    return any_failed ? 1 : 0;
}

}  // namespace spanguard::cli
