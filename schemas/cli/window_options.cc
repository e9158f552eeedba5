#include "schemas/cli/window_options.h"

namespace spanguard::cli {

bool take_window_option(ArgumentReader& a, WindowOptions& o, bool long_flag) {
    const std::string& name = a.name();
    if (long_flag && name == "--long") {
        a.no_value();
        o.long_text = true;
    } else if (name == "--chunk-size") {
        o.chunk_size = parse_count(name, a.value(), 1);
    } else if (name == "--chunk-overlap") {
        o.chunk_overlap = parse_count(name, a.value(), 0);
    } else {
        return false;
    }
    return true;
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
