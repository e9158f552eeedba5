#include "schemas/cli/window_options.h"

namespace spanguard::cli {

void add_window_options(OptionTable& t, WindowOptions& o, const std::string& long_help,
                        size_t default_size, size_t default_overlap) {
    if (!long_help.empty()) {
        t.option("--long", "", long_help, [&o](const std::string&) { o.long_text = true; });
    }
    const std::string with = long_help.empty() ? "" : " (with --long)";
    t.option("--chunk-size", "N",
             "words per window" + with + " (default " + std::to_string(default_size) + ")",
             [&o](const std::string& v) { o.chunk_size = parse_count("--chunk-size", v, 1); });
    t.option(
        "--chunk-overlap", "N",
        "words shared by neighbouring windows (default " + std::to_string(default_overlap) + ")",
        [&o](const std::string& v) { o.chunk_overlap = parse_count("--chunk-overlap", v, 0); });
}

Windows finish_window_options(const WindowOptions& o, bool needs_long, size_t default_size,
                              size_t default_overlap) {
    if (needs_long && !o.long_text && (o.chunk_size || o.chunk_overlap)) {
        throw UsageError("--chunk-size and --chunk-overlap need --long");
    }
    const Windows w{o.chunk_size.value_or(default_size), o.chunk_overlap.value_or(default_overlap)};
    if (w.chunk_overlap >= w.chunk_size) {
        throw UsageError("--chunk-overlap must be smaller than --chunk-size");
    }
    return w;
}

}  // namespace spanguard::cli
