// `spanguard tokenize`: JSONL {"text": ...} on stdin -> {"ids": [...], "offsets": [...]} on stdout,
// one output line per input line, in order. A line that cannot be tokenised gets an
// {"error": "line N: ..."} record in its place and makes the exit status 1.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/cli/arguments.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/option_table.h"
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
    "\n";

struct Options {
    std::string tokenizer;
    std::string add_tokens;
    bool offsets = false;
    bool code_points = false;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("options:")
        .option("--tokenizer", "PATH", "spm.model (SentencePiece) or tokenizer.json (Hugging Face)",
                [&o](const std::string& v) { o.tokenizer = v; })
        .option("--add-tokens", "JSON|PATH",
                "extra tokens matched verbatim before normalisation, as a JSON\n"
                "object {\"[P]\": 128003, ...} or the path of a file holding one",
                [&o](const std::string& v) { o.add_tokens = v; })
        .option("--offsets", "", "also write each token's [begin, end) in the input text",
                [&o](const std::string&) { o.offsets = true; })
        .option("--offset-units", "UNITS", "bytes (UTF-8, the default) or codepoints",
                [&o](const std::string& units) {
                    if (units == "bytes") {
                        o.code_points = false;
                    } else if (units == "codepoints") {
                        o.code_points = true;
                    } else {
                        throw UsageError("--offset-units must be bytes or codepoints, not '" +
                                         units + "'");
                    }
                })
        .option("--help|-h", "", "show this help", [help](const std::string&) { *help = true; });
}

void finish(Options& o) {
    if (o.tokenizer.empty()) throw UsageError("--tokenizer PATH is required");
}

void append_number(std::string& out, size_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

void append_error(std::string& out, size_t line_number, const std::string& message) {
    out += error_record(line_number, message);
    out += '\n';
}

class LineTokenizer {
  public:
    LineTokenizer(const tokenizer::Tokenizer& tok, const Options& o) : tok_(tok), options_(o) {}

    // Appends the output record for one input line; returns false when it is an error record.
    bool process(std::string_view line, size_t line_number, std::string& out) {
        const TextRecord record = read_text_record(line);
        if (!record.text) {
            append_error(out, line_number, record.error);
            return false;
        }
        const std::string& text = *record.text;
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
    if (const auto status =
            read_command_line("tokenize", args, declare, finish, kUsage, &options)) {
        return *status;
    }

    tokenizer::Tokenizer tok = tokenizer::Tokenizer::from_file(options.tokenizer);
    if (!options.add_tokens.empty())
        tok.add_special_tokens(parse_token_ids(options.add_tokens, "--add-tokens"));

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
