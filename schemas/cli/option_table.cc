#include "schemas/cli/option_table.h"

#include <optional>
#include <stdexcept>
#include <utility>

#include "schemas/cli/arguments.h"

namespace spanguard::cli {
namespace {

// Where option descriptions start in --help.
constexpr size_t kHelpColumn = 28;

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t begin = 0;
    while (true) {
        const size_t at = text.find(separator, begin);
        parts.push_back(
            text.substr(begin, at == std::string::npos ? std::string::npos : at - begin));
        if (at == std::string::npos) return parts;
        begin = at + 1;
    }
}

}  // namespace

OptionTable& OptionTable::section(std::string title) {
    sections_.push_back({std::move(title), {}});
    return *this;
}

OptionTable& OptionTable::option(const std::string& names, std::string value, std::string help,
                                 Apply apply, std::string label) {
    if (sections_.empty()) sections_.push_back({"options:", {}});
    for (const std::string& name : split(names, '|')) {
        if (find(name) != nullptr) throw std::logic_error("option " + name + " declared twice");
    }
    sections_.back().entries.push_back(
        {split(names, '|'), std::move(value), std::move(help), std::move(apply), std::move(label)});
    return *this;
}

OptionTable& OptionTable::positional(Apply apply) {
    positional_ = std::move(apply);
    return *this;
}

OptionTable& OptionTable::epilogue(std::string text) {
    epilogue_ = std::move(text);
    return *this;
}

const OptionTable::Entry* OptionTable::find(const std::string& name) const {
    for (const Section& s : sections_) {
        for (const Entry& e : s.entries) {
            for (const std::string& n : e.names) {
                if (n == name) return &e;
            }
        }
    }
    return nullptr;
}

void OptionTable::parse(const Args& args) const {
    for (size_t i = 0; i < args.size(); ++i) {
        std::string name = args[i];
        std::optional<std::string> inline_value;
        if (const size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        if (name.empty() || name[0] != '-' || name == "-") {
            if (!positional_) throw UsageError("unknown argument '" + args[i] + "'");
            positional_(args[i]);
            continue;
        }
        const Entry* entry = find(name);
        if (entry == nullptr) throw UsageError("unknown argument '" + args[i] + "'");
        if (entry->value.empty()) {
            if (inline_value) throw UsageError("option " + name + " takes no value");
            entry->apply("");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
            inline_value = args[++i];
        }
        entry->apply(*inline_value);
    }
}

std::string OptionTable::help() const {
    std::string out;
    for (const Section& s : sections_) {
        if (!out.empty()) out += '\n';
        out += s.title + '\n';
        for (const Entry& e : s.entries) {
            std::string label = e.label;
            if (label.empty()) label = e.names.front() + (e.value.empty() ? "" : " " + e.value);
            label = "  " + label;
            const std::vector<std::string> lines = split(e.help, '\n');
            if (label.size() < kHelpColumn) {
                out += label + std::string(kHelpColumn - label.size(), ' ') + lines.front() + '\n';
            } else {
                out += label + '\n' + std::string(kHelpColumn, ' ') + lines.front() + '\n';
            }
            for (size_t i = 1; i < lines.size(); ++i)
                out += std::string(kHelpColumn, ' ') + lines[i] + '\n';
        }
    }
    if (!epilogue_.empty()) out += '\n' + epilogue_;
    return out;
}

int usage_error(const std::string& command_name, const UsageError& e, const std::string& usage) {
    std::fprintf(stderr, "spanguard %s: %s\n\n%s", command_name.c_str(), e.what(), usage.c_str());
    return 2;
}

}  // namespace spanguard::cli
