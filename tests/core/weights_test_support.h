// Helpers for the core/weights tests: a scratch directory, a safetensors writer that can also
// produce malformed files, and an assertion that a call throws core::Error mentioning given text.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/util/error.h"
#include "shared_fixtures.h"

namespace spanguard::core::testing {

inline std::string shared_path(const std::string& relative) {
    return spanguard::testing::shared_dir() + "/" + relative;
}
inline std::string parity_checkpoint(const std::string& name) {
    return shared_path("reference/parity/" + name);
}

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at destruction.
class TempDir {
  public:
    TempDir() {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/spanguard-w-XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (::mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = buffer.data();
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

  private:
    std::string path_;
};

inline void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline void write_text(const std::string& path, const std::string& text) {
    write_bytes(path, text);
}

inline std::string le_u64(uint64_t value) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
    return bytes;
}

// A safetensors file: the 8-byte length, `header` verbatim, then `data`.
inline std::string safetensors_bytes(const std::string& header, const std::string& data) {
    return le_u64(header.size()) + header + data;
}

inline std::string float_bytes(std::initializer_list<float> values) {
    std::string bytes(values.size() * sizeof(float), '\0');
    std::memcpy(bytes.data(), values.begin(), bytes.size());
    return bytes;
}

// Builds well-formed files tensor by tensor, packing data in insertion order; the header text is
// written by hand here (not by the library under test).
class SafetensorsWriter {
  public:
    SafetensorsWriter& add(const std::string& name, const std::string& dtype,
                           const std::vector<int64_t>& shape, const std::string& bytes) {
        std::string shape_text = "[";
        for (size_t i = 0; i < shape.size(); ++i) {
            if (i > 0) shape_text += ",";
            shape_text += std::to_string(shape[i]);
        }
        shape_text += "]";
        entries_.push_back("\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape_text +
                           ",\"data_offsets\":[" + std::to_string(data_.size()) + "," +
                           std::to_string(data_.size() + bytes.size()) + "]}");
        data_ += bytes;
        return *this;
    }
    SafetensorsWriter& metadata(const std::string& json_object) {
        entries_.push_back("\"__metadata__\":" + json_object);
        return *this;
    }
    std::string header() const {
        std::string text = "{";
        for (size_t i = 0; i < entries_.size(); ++i) {
            if (i > 0) text += ",";
            text += entries_[i];
        }
        text += "}";
        // The reference writer pads the header with spaces to a multiple of 8 bytes.
        while (text.size() % 8 != 0)
            text += ' ';
        return text;
    }
    std::string bytes() const { return safetensors_bytes(header(), data_); }
    void write(const std::string& path) const { write_bytes(path, bytes()); }

  private:
    std::vector<std::string> entries_;
    std::string data_;
};

// A safetensors file of F32 tensors (in this order), its data section float-aligned.
inline std::string f32_safetensors(
    const std::vector<std::pair<std::string, std::vector<float>>>& tensors,
    const std::vector<std::vector<int64_t>>& shapes) {
    std::string header = "{";
    std::string data;
    for (size_t i = 0; i < tensors.size(); ++i) {
        const size_t begin = data.size();
        data.append(reinterpret_cast<const char*>(tensors[i].second.data()),
                    tensors[i].second.size() * sizeof(float));
        if (i > 0) header += ",";
        header += "\"" + tensors[i].first + "\":{\"dtype\":\"F32\",\"shape\":[";
        for (size_t d = 0; d < shapes[i].size(); ++d) {
            if (d > 0) header += ",";
            header += std::to_string(shapes[i][d]);
        }
        header += "],\"data_offsets\":[" + std::to_string(begin) + "," +
                  std::to_string(data.size()) + "]}";
    }
    header += "}";
    header.append((8 - header.size() % 8) % 8, ' ');
    return safetensors_bytes(header, data);
}

// Runs `call`, expecting core::Error whose message contains every one of `parts`.
inline void expect_error(const std::function<void()>& call,
                         std::initializer_list<std::string> parts) {
    try {
        call();
        ADD_FAILURE() << "expected core::Error, nothing was thrown";
    } catch (const Error& e) {
        const std::string message = e.what();
        for (const std::string& part : parts) {
            EXPECT_NE(message.find(part), std::string::npos)
                << "message lacks \"" << part << "\": " << message;
        }
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected core::Error, got another exception: " << e.what();
    }
}

// Runs a shell command and returns its standard output; fails the test on a non-zero exit.
inline std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        ADD_FAILURE() << "cannot run: " << command;
        return output;
    }
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        output.append(buffer, n);
    const int status = ::pclose(pipe);
    EXPECT_EQ(status, 0) << "command failed: " << command;
    return output;
}

// The Python with numpy (the plain `python3` on PATH lacks it).
inline constexpr const char* kPython = "/usr/bin/python3";

// Resident kilobytes of the mapping that contains `address`, from /proc/self/smaps.
inline int64_t resident_kib_of_mapping(const void* address) {
    std::ifstream smaps("/proc/self/smaps");
    const auto where = reinterpret_cast<uintptr_t>(address);
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        uintptr_t begin = 0, end = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> begin >> dash >> end && dash == '-' && end > begin) {
            inside = where >= begin && where < end;  // a mapping's header line
        } else if (inside && line.rfind("Rss:", 0) == 0) {
            return std::strtoll(line.c_str() + 4, nullptr, 10);
        }
    }
    return -1;
}

}  // namespace spanguard::core::testing
