// Entry point of the `spanguard` command-line tool: dispatches to one subcommand per file.
#include <malloc.h>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "schemas/cli/commands.h"

namespace {

struct Command {
    std::string_view name;
    int (*run)(const spanguard::cli::Args&);
    std::string_view summary;
};

constexpr Command kCommands[] = {
    {"tokenize", spanguard::cli::run_tokenize,
     "JSONL {\"text\": ...} on stdin -> {\"ids\": [...], \"offsets\": [...]} per line"},
    {"convert-tokenizer", spanguard::cli::run_convert_tokenizer,
     "write a Hugging Face tokenizer.json from a SentencePiece spm.model"},
    {"extract", spanguard::cli::run_extract,
     "JSONL {\"text\": ...} -> one extraction result per line (--schema | --entities)"},
    {"classify", spanguard::cli::run_classify,
     "JSONL -> text classification per line (--labels | --tasks)"},
    {"run", spanguard::cli::run_run,
     "JSONL -> the result of a full Schema.from_dict schema per line (--schema)"},
    {"redact", spanguard::cli::run_redact,
     "JSONL -> redacted text and the redacted spans per line (--labels | --preset)"},
    {"moderate", spanguard::cli::run_moderate,
     "JSONL {\"prompt\", \"response\"} -> safety verdict per line (GLiGuard or --policy)"},
    {"serve", spanguard::cli::run_serve,
     "HTTP service: OpenAI moderation, Presidio analyze/anonymize, extract/redact/moderate"},
    {"models", spanguard::cli::run_models,
     "published models by alias, and the Hugging Face cache (--fetch ID downloads one)"},
};

void print_usage(std::FILE* out) {
    std::fprintf(out, "usage: spanguard <command> [options]\n\ncommands:\n");
    for (const auto& c : kCommands) {
        std::fprintf(out, "  %-18.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                     static_cast<int>(c.summary.size()), c.summary.data());
    }
    std::fprintf(out, "\n'spanguard <command> --help' describes a command's options.\n");
}

}  // namespace

int main(int argc, char** argv) {
    // The encoder's temporaries of one batch (attention scores, relative-position terms) are
    // larger than glibc's default mmap threshold, so they would be mapped and unmapped per call and
    // page-fault on every first touch (a third of the time of a batch of 16 short prompts on the
    // shipped model). Kept on the heap, they are reused from call to call.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return 0;
    }
    for (const auto& c : kCommands) {
        if (c.name != name) continue;
        spanguard::cli::Args args(argv + 2, argv + argc);
        try {
            return c.run(args);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "spanguard %s: error: %s\n", argv[1], e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "spanguard: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return 2;
}
