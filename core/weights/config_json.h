// Typed access to the keys of a JSON configuration object, with errors that name the file and the
// key. Internal to core/weights (it exposes nlohmann::json, which core keeps private).
//
// Thread safety: a reader is used by one thread; it only reads its object.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace spanguard::core {

// Reads the whole file (refusing anything larger than `max_bytes`, since a configuration is a few
// hundred bytes) and parses it as a JSON object. Throws core::Error naming `path`.
nlohmann::json read_json_object_file(const std::string& path, size_t max_bytes = 1 << 20);
nlohmann::json parse_json_object(const std::string& text, const std::string& path);

class ConfigReader {
  public:
    // `object` must outlive the reader. `context` prefixes key names in errors ("span_head.").
    ConfigReader(const nlohmann::json& object, const std::string& path, std::string context = "");

    bool has(std::string_view key) const;        // present, null included
    bool has_value(std::string_view key) const;  // present and not null

    // Absent or null => `fallback`. Present with the wrong type or outside [min, max] => error.
    int get_int(std::string_view key, int fallback, int min, int max) const;
    // Required: absent or null is an error.
    int require_int(std::string_view key, int min, int max) const;
    double get_number(std::string_view key, double fallback) const;
    bool get_bool(std::string_view key, bool fallback) const;
    std::string get_string(std::string_view key, const std::string& fallback) const;
    const nlohmann::json* get_object(std::string_view key) const;  // nullptr when absent or null

    [[noreturn]] void fail(std::string_view key, const std::string& problem) const;

  private:
    const nlohmann::json* find(std::string_view key) const;

    const nlohmann::json& object_;
    const std::string& path_;
    std::string context_;
};

}  // namespace spanguard::core
