// The options of one command, declared once: the parser and --help both read the table, so an
// option cannot be accepted without being documented, or documented without being accepted.
//
//   OptionTable t;
//   t.section("schema:")
//       .option("--schema", "JSON|PATH", "the request schema",
//               [&](const std::string& v) { o.schema = v; })
//       .option("--include-spans", "", "add start/end offsets", [&](const std::string&) {
//           o.spans = true;
//       });
//   t.parse(args);             // UsageError for an unknown option, a missing value, ...
//   std::string text = t.help();
//
// Options take "--name value" or "--name=value"; a flag (declared with an empty value name) takes
// no value. Options may repeat; each occurrence is applied in order.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "schemas/cli/arguments.h"
#include "schemas/cli/commands.h"

namespace spanguard::cli {

class OptionTable {
  public:
    // Receives the option's value ("" for a flag) and may throw UsageError.
    using Apply = std::function<void(const std::string& value)>;

    // Starts a --help section: its title line, then the options declared after it.
    OptionTable& section(std::string title);
    // `names`: "--quiet" or "--quiet|-q" (--help shows the first); `value`: the placeholder
    // --help shows ("N", "JSON|PATH"), empty for a flag; `help`: one or more lines ("\n"),
    // shown from column 28. `label` replaces "--name VALUE" in --help when given.
    OptionTable& option(const std::string& names, std::string value, std::string help, Apply apply,
                        std::string label = "");
    // Bare arguments (an input FILE); without a handler a bare argument is an unknown argument.
    OptionTable& positional(Apply apply);
    // Free text printed after the sections.
    OptionTable& epilogue(std::string text);

    void parse(const Args& args) const;
    std::string help() const;

  private:
    struct Entry {
        std::vector<std::string> names;
        std::string value;
        std::string help;
        Apply apply;
        std::string label;
    };
    struct Section {
        std::string title;
        std::vector<Entry> entries;
    };
    const Entry* find(const std::string& name) const;

    std::vector<Section> sections_;
    Apply positional_;
    std::string epilogue_;
};

// Usage errors print the message and the command's usage on stderr; returns 2.
int usage_error(const std::string& command_name, const UsageError& e, const std::string& usage);

// The command-line step every command starts with: `declare` fills an option table that writes
// into *options (and sets the bool* on --help); the table reads `args`, then `finish` checks the
// combination. The usage is `usage_head` followed by the table's --help. Returns the status to
// exit with right away (2 after a usage error, printed with the usage; 0 after printing the usage
// for --help), or nullopt to go on.
template <class Options>
std::optional<int> read_command_line(const std::string& command_name, const Args& args,
                                     void (*declare)(OptionTable&, Options&, bool*),
                                     void (*finish)(Options&), const char* usage_head,
                                     Options* options) {
    bool help = false;
    OptionTable table;
    declare(table, *options, &help);
    const std::string usage = usage_head + table.help();
    try {
        table.parse(args);
        if (!help) finish(*options);
    } catch (const UsageError& e) {
        return usage_error(command_name, e, usage);
    }
    if (help) {
        std::fputs(usage.c_str(), stdout);
        return 0;
    }
    return std::nullopt;
}

}  // namespace spanguard::cli
