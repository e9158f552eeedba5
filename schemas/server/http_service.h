// `spanguard serve`: the model behind an HTTP API (cpp-httplib), speaking
//   POST /v1/moderations                    OpenAI's moderation API (openai_moderation.h)
//   POST /analyze, /anonymize               presidio-analyzer's and presidio-anonymizer's REST API
//   GET  /supportedentities                 the canonical entity types
//   POST /extract, /classify, /redact, /moderate   the CLI's result shapes
//   GET  /health, /metrics                  liveness; Prometheus text (service_metrics.h)
// Model work goes through one MicroBatcher (micro_batcher.h), so concurrent requests share encoder
// calls. Limits: a bounded queue (429 with Retry-After when full), a body size limit (413), a
// per-request timeout (504), malformed JSON or schema (400 naming the field); never a crash.
// With API keys, every endpoint but /health needs "Authorization: Bearer <key>" (compared in
// constant time). stop() stops accepting, lets in-flight requests finish, and returns.
//
// Thread safety: handlers run on the server's threads; the model is shared read-only.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "schemas/model.h"
#include "schemas/moderation/moderation.h"

namespace spanguard::schemas::server {

struct ServiceOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (bind() returns it)
    size_t max_body_bytes = size_t{1} << 20;
    size_t queue_capacity = 512;
    size_t max_batch = 16;
    // How long the oldest waiting request waits for company before its batch runs. 0: a batch is
    // whatever is queued when the encoder is free (bench/results/serve_bench.txt: a fixed wait
    // only adds latency at low load).
    std::chrono::microseconds batch_wait{0};
    std::chrono::milliseconds request_timeout{30000};
    size_t http_threads = 32;
    std::vector<std::string> api_keys;  // empty: no authentication
    std::string model_name = "spanguard";
    // PEM files; both given: HTTPS (OpenSSL) instead of HTTP.
    std::string tls_certificate;
    std::string tls_private_key;
    // Labels /analyze and /redact look for when a request names none (default: the pii preset).
    std::vector<std::string> pii_labels;
};

class HttpService {
  public:
    HttpService(const Model& model, ModerationPolicy policy, ServiceOptions options);
    ~HttpService();

    // Binds the socket; returns the port. Throws std::runtime_error when it cannot.
    int bind();
    // Serves until stop(); in-flight requests are finished before it returns.
    void serve();
    void stop();

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace spanguard::schemas::server
