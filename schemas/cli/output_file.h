// Where JSONL output goes: stdout, a new file, or (--resume) the end of an interrupted run's file.
//
// Crash safety: the runner writes a round's lines and then flush()es them, so a process killed at
// any moment leaves complete lines plus at most one partial line at the end. open_for_resume()
// counts the complete lines and cuts the partial one away, so a resumed run writes every record
// exactly once.
//
// Not thread-safe. Errors are std::runtime_error naming the path.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

namespace spanguard::cli {

class OutputFile {
  public:
    // "" = stdout.
    static OutputFile open(const std::string& path);
    // Opens `path` for appending after its last complete line (a missing file is created and has
    // 0 lines). *complete_lines receives the number of complete ('\n'-terminated) lines kept.
    static OutputFile open_for_resume(const std::string& path, size_t* complete_lines);

    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&&) = delete;
    OutputFile(const OutputFile&) = delete;
    ~OutputFile();

    // Buffered; throws when the write fails.
    void write_line(std::string_view line);
    // Hands everything written so far to the operating system (survives the process being
    // killed); throws on failure.
    void flush();

    const std::string& name() const { return name_; }

  private:
    OutputFile(std::FILE* file, std::string name, bool owned)
        : file_(file), name_(std::move(name)), owned_(owned) {}

    std::FILE* file_;
    std::string name_;  // "stdout" or "--output 'PATH'" for messages
    bool owned_;
};

}  // namespace spanguard::cli
