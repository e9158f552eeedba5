// Helpers shared by the redaction tests.
#pragma once

#include <functional>
#include <string>

#include "schemas/schema/request_error.h"

namespace spanguard::testing {

// The message of the schemas::RequestError `f` throws, or a marker when it throws none.
inline std::string request_error_message(const std::function<void()>& f) {
    try {
        f();
    } catch (const schemas::RequestError& e) {
        return e.what();
    }
    return "(no RequestError)";
}

}  // namespace spanguard::testing
