#include "schemas/trained_tasks.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.h"
#include "schemas/schema/json_values.h"

namespace spanguard::schemas {

std::optional<TrainedTasks> load_trained_tasks(const std::string& dir) {
    const std::string path = dir + "/trained_tasks.json";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::Error(path + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    Json doc;
    try {
        doc = Json::parse(text.str());
    } catch (const Json::parse_error& e) {
        throw core::Error(path + ": not valid JSON (" + e.what() + ")");
    }
    if (!doc.is_object() || !doc.contains("classification_tasks") ||
        !doc["classification_tasks"].is_array()) {
        throw core::Error(path + ": needs an object with a 'classification_tasks' array");
    }
    TrainedTasks out;
    out.path = path;
    const Json& tasks = doc["classification_tasks"];
    for (size_t i = 0; i < tasks.size(); ++i) {
        if (!tasks[i].is_string() || tasks[i].get<std::string>().empty()) {
            throw core::Error(path + ": classification_tasks[" + std::to_string(i) +
                              "] must be a non-empty string");
        }
        out.classification_tasks.insert(tasks[i].get<std::string>());
    }
    return out;
}

}  // namespace spanguard::schemas
