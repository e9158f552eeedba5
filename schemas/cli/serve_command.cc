// `spanguard serve`: the model behind an HTTP API (schemas/server/http_service.h) until SIGTERM or
// SIGINT, which stop new connections, let in-flight requests finish, and exit with status 0.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/parallel/parallel_for.h"
#include "schemas/cli/arguments.h"
#include "schemas/cli/commands.h"
#include "schemas/cli/model_location.h"
#include "schemas/cli/option_table.h"
#include "schemas/model.h"
#include "schemas/moderation/moderation.h"
#include "schemas/server/http_service.h"

namespace spanguard::cli {
namespace {

constexpr const char* kUsage =
    "usage: spanguard serve [--model DIR|ID] [--port N] [options]\n"
    "\n"
    "Serves the model over HTTP (127.0.0.1 unless --host says otherwise):\n"
    "  POST /v1/moderations        OpenAI's moderation API (the openai clients work unchanged)\n"
    "  POST /analyze, /anonymize   presidio-analyzer / presidio-anonymizer REST shapes\n"
    "  GET  /supportedentities     canonical entity types\n"
    "  POST /extract  {\"text\"|\"texts\", \"schema\"|\"entities\", \"threshold\", ...}\n"
    "  POST /classify {\"text\"|\"texts\", \"tasks\"}\n"
    "  POST /redact   {\"text\"|\"texts\", \"labels\"|\"preset\"|\"entities\", \"operators\", "
    "...}\n"
    "  POST /moderate {\"prompt\", \"response\"} or {\"inputs\": [...]} [, \"policy\"]\n"
    "  GET  /health, /metrics      liveness; Prometheus text\n"
    "Concurrent requests are grouped into encoder batches (--max-batch, --batch-wait-ms).\n"
    "Errors: 400 naming the field, 401 without a valid key, 413 over --max-body-bytes, 429\n"
    "(Retry-After) when --queue-size requests wait, 504 after --timeout-ms. SIGTERM/SIGINT stop\n"
    "accepting, finish in-flight requests and exit 0.\n"
    "\n";

struct Options {
    std::string model;
    schemas::ModelOptions model_options;
    schemas::server::ServiceOptions service;
    std::string api_key_file;
    std::string policy;
    int threads = 0;
};

void declare(OptionTable& t, Options& o, bool* help) {
    t.section("service:")
        .option("--host", "ADDR", "address to listen on (default 127.0.0.1)",
                [&o](const std::string& v) { o.service.host = v; })
        .option("--port", "N", "port (default 8080; 0 = any free port, printed on stderr)",
                [&o](const std::string& v) {
                    const size_t port = parse_count("--port", v, 0);
                    if (port > 65535) throw UsageError("--port is at most 65535");
                    o.service.port = static_cast<int>(port);
                })
        .option("--tls-cert", "PEM", "serve HTTPS with this certificate (with --tls-key)",
                [&o](const std::string& v) { o.service.tls_certificate = v; })
        .option("--tls-key", "PEM", "the certificate's private key",
                [&o](const std::string& v) { o.service.tls_private_key = v; })
        .option("--api-key-file", "PATH",
                "API keys, one per line; requests then need\n\"Authorization: Bearer KEY\" (not "
                "/health)",
                [&o](const std::string& v) { o.api_key_file = v; })
        .option(
            "--max-batch", "N", "requests per encoder batch at most (default 16)",
            [&o](const std::string& v) { o.service.max_batch = parse_count("--max-batch", v, 1); })
        .option("--batch-wait-ms", "MS",
                "how long the oldest waiting request waits for others\n(default 0: a batch is what "
                "is queued when the encoder is free)",
                [&o](const std::string& v) {
                    o.service.batch_wait =
                        std::chrono::milliseconds(parse_count("--batch-wait-ms", v, 0));
                })
        .option("--queue-size", "N", "requests that may wait; more get 429 (default 512)",
                [&o](const std::string& v) {
                    o.service.queue_capacity = parse_count("--queue-size", v, 1);
                })
        .option("--max-body-bytes", "N", "larger request bodies get 413 (default 1048576)",
                [&o](const std::string& v) {
                    o.service.max_body_bytes = parse_count("--max-body-bytes", v, 1);
                })
        .option("--timeout-ms", "MS", "a request not answered by then gets 504 (default 30000)",
                [&o](const std::string& v) {
                    o.service.request_timeout =
                        std::chrono::milliseconds(parse_count("--timeout-ms", v, 1));
                })
        .option("--http-threads", "N", "connections served at once (default 32)",
                [&o](const std::string& v) {
                    o.service.http_threads = parse_count("--http-threads", v, 1);
                })
        .option("--policy", "JSON|PATH", "moderation policy instead of GLiGuard's (see moderate)",
                [&o](const std::string& v) { o.policy = v; });
    t.section("model and engine:")
        .option("--model", "DIR|ID",
                "checkpoint folder, Hub id or alias (default: the shipped model)",
                [&o](const std::string& v) { o.model = v; })
        .option("--threads", "N", "threads for the encoder and heads (default: all cores)",
                [&o](const std::string& v) {
                    o.threads = static_cast<int>(parse_count("--threads", v, 1));
                })
        .option("--int8", "", "int8 encoder GEMMs (faster, slightly different scores)",
                [&o](const std::string&) { o.model_options.precision = core::Precision::kInt8; })
        .option("--help|-h", "", "show this help", [help](const std::string&) { *help = true; });
}

void finish(Options& o) {
    if (o.service.tls_certificate.empty() != o.service.tls_private_key.empty()) {
        throw UsageError("--tls-cert and --tls-key go together");
    }
    o.model = resolve_model_dir(o.model);
    if (!o.api_key_file.empty()) {
        std::ifstream in(o.api_key_file);
        if (!in) throw UsageError("cannot read --api-key-file '" + o.api_key_file + "'");
        for (std::string line; std::getline(in, line);) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            if (!line.empty()) o.service.api_keys.push_back(line);
        }
        if (o.service.api_keys.empty()) throw UsageError("--api-key-file holds no key");
    }
}

}  // namespace

int run_serve(const Args& args) {
    Options options;
    if (const auto status = read_command_line("serve", args, declare, finish, kUsage, &options)) {
        return *status;
    }
    // Signals go to the thread that waits for them, never to a worker.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    if (options.threads > 0) core::set_num_threads(options.threads);
    schemas::ModerationPolicy policy = schemas::gliguard_policy();
    if (!options.policy.empty()) {
        std::string where;
        policy = schemas::policy_from_json(parse_json_argument(options.policy, "--policy", &where));
    }
    const schemas::Model model = schemas::Model::load(options.model, options.model_options);
    options.service.model_name = model.directory();
    schemas::server::HttpService service(model, policy, options.service);
    const int port = service.bind();
    std::fprintf(stderr, "spanguard serve: listening on %s://%s:%d\n",
                 options.service.tls_certificate.empty() ? "http" : "https",
                 options.service.host.c_str(), port);
    std::fflush(stderr);
    std::thread waiter([&] {
        int received = 0;
        sigwait(&signals, &received);
        std::fprintf(stderr, "spanguard serve: signal %d, finishing in-flight requests\n",
                     received);
        service.stop();
    });
    service.serve();
    // serve() also returns when listening fails; wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    std::fprintf(stderr, "spanguard serve: stopped\n");
    return 0;
}

}  // namespace spanguard::cli
