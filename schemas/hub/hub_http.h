// The HTTP requests the Hub client makes, over libcurl. Private to schemas/hub.
// Thread safety: every call uses its own handle; libcurl is initialised once per process.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace spanguard::schemas::hub {

struct HttpResponse {
    long status = 0;                             // 0 when no response arrived
    std::map<std::string, std::string> headers;  // of the last response, names lower-cased
    std::string body;                            // when no sink was given
    std::string transport_error;                 // libcurl's message when the transfer failed
    bool connected = false;  // a connection to the server was made (an HTTP answer or a cut)
};

struct HttpRequest {
    std::string url;
    bool head = false;  // HEAD instead of GET
    bool follow_redirects = true;
    std::string token;                   // sent as "Authorization: Bearer <token>" when non-empty
    std::optional<uint64_t> range_from;  // "Range: bytes=<n>-"
    std::FILE* sink = nullptr;           // the body goes here instead of HttpResponse::body
    // Called with (bytes received so far in this transfer, total expected or 0).
    std::function<void(uint64_t, uint64_t)> progress;
};

HttpResponse http_request(const HttpRequest& request);

// "a b/c" -> "a%20b%2Fc" (a path segment).
std::string url_escape(const std::string& text);

}  // namespace spanguard::schemas::hub
