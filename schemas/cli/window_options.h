// The word windows of long texts on the command line: --long, --chunk-size N, --chunk-overlap N.
// extract, classify, run and moderate run in windows only with --long; redact always does, so it
// takes the two sizes without --long.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "schemas/cli/arguments.h"
#include "schemas/cli/option_table.h"

namespace spanguard::cli {

struct WindowOptions {
    bool long_text = false;  // --long was given
    std::optional<size_t> chunk_size;
    std::optional<size_t> chunk_overlap;
};

// Declares --chunk-size and --chunk-overlap in the table's current section, after --long when
// `long_help` is non-empty (its --help text). Defaults are shown as given.
void add_window_options(OptionTable& table, WindowOptions& o, const std::string& long_help,
                        size_t default_size, size_t default_overlap);

struct Windows {
    size_t chunk_size = 0;  // words
    size_t chunk_overlap = 0;
};

// The given sizes over the command's defaults. UsageError when the sizes come without --long
// (`needs_long`) or the overlap is not smaller than the size.
Windows finish_window_options(const WindowOptions& o, bool needs_long, size_t default_size,
                              size_t default_overlap);

}  // namespace spanguard::cli
