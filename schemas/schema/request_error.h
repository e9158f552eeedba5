// The error raised for a request the task layer cannot use: a schema that does not parse, or a text
// that is not valid UTF-8. The message names the offending value by its path in the request, e.g.
//   "classifications[1].labels[3]: label must be a string"
//   "texts[2]: invalid UTF-8 at byte offset 17"
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace spanguard::schemas {

class RequestError : public std::runtime_error {
  public:
    RequestError(std::string path, std::string problem)
        : std::runtime_error(path.empty() ? problem : path + ": " + problem),
          path_(std::move(path)),
          problem_(std::move(problem)) {}

    // Path of the offending value ("" when the problem concerns the request as a whole).
    const std::string& path() const { return path_; }
    // The message without the path.
    const std::string& problem() const { return problem_; }

  private:
    std::string path_;
    std::string problem_;
};

}  // namespace spanguard::schemas
