// What a model folder says it was trained for: `trained_tasks.json` beside config.json.
//
//   {"classification_tasks": ["prompt_safety", "prompt_toxicity", "jailbreak_detection"]}
//
// A classification head scores any task name it is given, so a model asked about a task it never
// saw answers with confident-looking nonsense. A folder that declares its tasks lets `moderate`
// refuse those (moderation_runner.cc) instead. The file is optional: published checkpoints do not
// have it and are assumed to know every task their users ask for.
//
// Thread safety: a TrainedTasks is an immutable value once loaded.
#pragma once

#include <optional>
#include <set>
#include <string>

namespace spanguard::schemas {

struct TrainedTasks {
    std::set<std::string> classification_tasks;
    std::string path;  // the file they were read from, for error messages
};

// nullopt when DIR/trained_tasks.json does not exist. Throws core::Error naming the file and the
// problem when it exists but is not valid JSON of the form above.
std::optional<TrainedTasks> load_trained_tasks(const std::string& dir);

}  // namespace spanguard::schemas
