#include "schemas/server/http_service.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <set>
#include <stdexcept>

#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/request_limits.h"
#include "schemas/schema/schema_parser.h"
#include "schemas/server/micro_batcher.h"
#include "schemas/server/openai_moderation.h"
#include "schemas/server/service_metrics.h"

namespace spanguard::schemas::server {
namespace {

using Clock = std::chrono::steady_clock;

// An answer other than 200, with the JSON error body the endpoint's clients expect.
struct HttpError {
    int status;
    std::string message;
    std::string param;
};

Json error_body(const HttpError& e) {
    Json error = Json::object();
    error["message"] = e.message;
    error["type"] = e.status == 429 ? "rate_limit_error" : "invalid_request_error";
    error["param"] = e.param.empty() ? Json(nullptr) : Json(e.param);
    error["code"] = e.status;
    return Json{{"error", std::move(error)}};
}

// Response text; a message quoting invalid UTF-8 from the request gets U+FFFD there instead.
std::string respond(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The texts of a body: "text" (one) or "texts" (many). Sets *single for the first form.
std::vector<std::string> read_texts(const Json& body, bool* single) {
    const bool one = body.contains("text");
    const bool many = body.contains("texts");
    if (one == many) throw RequestError("", "give \"text\" (a string) or \"texts\" (a list)");
    *single = one;
    std::vector<std::string> texts;
    if (one) {
        texts.push_back(read_string(body["text"], "text", "text"));
    } else {
        if (!body["texts"].is_array()) throw RequestError("texts", "must be a list of strings");
        for (size_t i = 0; i < body["texts"].size(); ++i)
            texts.push_back(read_string(body["texts"][i], index_path("texts", i), "text"));
    }
    return texts;
}

std::optional<std::string> optional_text(const Json& body, const char* key) {
    if (!body.contains(key) || body[key].is_null()) return std::nullopt;
    return read_string(body[key], key, "text");
}

}  // namespace

struct HttpService::Impl {
    Impl(const Model& m, ModerationPolicy p, ServiceOptions o)
        : model(m),
          policy(std::move(p)),
          options(std::move(o)),
          batcher({options.max_batch, options.batch_wait, options.queue_capacity},
                  [this](size_t n) { metrics.batch(n); }),
          metrics([this] { return batcher.depth(); }) {
        if (options.pii_labels.empty()) options.pii_labels = pii_preset("pii");
        pii_types = pii_preset_entity_types("pii");
        for (const std::string& key : options.api_keys)
            key_digests.push_back(crypto_digest(key));
    }

    static std::string crypto_digest(const std::string& key);
    bool authorized(const httplib::Request& req) const;
    void routes();
    void handle(const std::string& endpoint, const httplib::Request& req, httplib::Response& res,
                const std::function<Json(const Json&)>& work);
    Json await(MicroBatcher::Ticket ticket);
    Json run_batched(const std::string& group, MicroBatcher::Runner runner, Json input,
                     size_t length);

    Json extract(const Json& body, bool classify);
    Json redact(const Json& body);
    Json moderate(const Json& body);
    Json openai(const Json& body);
    Json analyze(const Json& body);
    Json anonymize(const Json& body);
    RedactRequest redact_request(const Json& body, const std::string& path) const;
    // A batch runner for texts (JSON strings) redacted with `settings`, each result shaped.
    MicroBatcher::Runner redact_runner(const Json& settings,
                                       std::function<Json(const RedactionResult&)> shape) const;

    const Model& model;
    ModerationPolicy policy;
    ServiceOptions options;
    std::vector<std::string> pii_types;
    std::vector<std::string> key_digests;
    MicroBatcher batcher;
    ServiceMetrics metrics;
    std::unique_ptr<httplib::Server> server;  // httplib::SSLServer with TLS
    httplib::Server& http() { return *server; }
    std::atomic<unsigned long long> next_id{1};
};

// Keys are compared as SHA-256 digests with CRYPTO_memcmp: equal lengths, constant time.
std::string HttpService::Impl::crypto_digest(const std::string& key) {
    unsigned char out[32];
    unsigned int length = 0;
    EVP_Digest(key.data(), key.size(), out, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char*>(out), length);
}

bool HttpService::Impl::authorized(const httplib::Request& req) const {
    if (key_digests.empty()) return true;
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) != 0) return false;
    const std::string digest = crypto_digest(header.substr(7));
    bool ok = false;
    for (const std::string& k : key_digests)
        ok |= CRYPTO_memcmp(k.data(), digest.data(), k.size()) == 0;
    return ok;
}

Json HttpService::Impl::await(MicroBatcher::Ticket ticket) {
    if (ticket.result.wait_for(options.request_timeout) != std::future_status::ready) {
        ticket.abandoned->store(true);
        throw HttpError{504, "the request took longer than the service's timeout", ""};
    }
    return ticket.result.get();
}

Json HttpService::Impl::run_batched(const std::string& group, MicroBatcher::Runner runner,
                                    Json input, size_t length) {
    try {
        return await(batcher.submit(group, std::move(runner), std::move(input), length));
    } catch (const QueueFull& e) {
        throw HttpError{429, e.what(), ""};
    } catch (const std::logic_error& e) {
        throw HttpError{503, e.what(), ""};
    }
}

void HttpService::Impl::handle(const std::string& endpoint, const httplib::Request& req,
                               httplib::Response& res,
                               const std::function<Json(const Json&)>& work) {
    const auto start = Clock::now();
    int status = 200;
    try {
        if (!authorized(req)) throw HttpError{401, "a valid API key is required (Bearer)", ""};
        Json body;
        if (req.method == "POST") {
            check_json_depth(req.body, RequestLimits{}, "body");
            try {
                body = Json::parse(req.body);
            } catch (const Json::parse_error& e) {
                // nlohmann's text names the byte offset and the problem (e.g. ill-formed UTF-8);
                // its "[json.exception.parse_error.101] " prefix helps nobody.
                std::string what = e.what();
                if (const size_t at = what.find("] "); at != std::string::npos)
                    what.erase(0, at + 2);
                throw HttpError{400, "the body is not valid JSON: " + what, ""};
            }
        }
        res.set_content(respond(work(body)), "application/json");
    } catch (const HttpError& e) {
        status = e.status;
        if (e.status == 429) res.set_header("Retry-After", "1");
        if (e.status == 401) res.set_header("WWW-Authenticate", "Bearer");
        res.set_content(respond(error_body(e)), "application/json");
    } catch (const RequestError& e) {
        status = 400;
        res.set_content(respond(error_body({400, e.what(), e.path()})), "application/json");
    } catch (const std::invalid_argument& e) {
        status = 400;
        res.set_content(respond(error_body({400, e.what(), ""})), "application/json");
    } catch (const std::exception& e) {
        status = 500;
        res.set_content(respond(error_body({500, e.what(), ""})), "application/json");
    }
    res.status = status;
    metrics.request(endpoint, status, std::chrono::duration<double>(Clock::now() - start).count());
}

Json HttpService::Impl::extract(const Json& body, bool classify) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    bool single = false;
    const std::vector<std::string> texts = read_texts(body, &single);
    Json settings = Json::object();
    settings["threshold"] = body.contains("threshold")
                                ? read_threshold(body["threshold"], "threshold", "threshold")
                                : 0.5;
    settings["include_confidence"] =
        body.contains("include_confidence") &&
        read_bool(body["include_confidence"], "include_confidence", "flag");
    settings["include_spans"] =
        body.contains("include_spans") && read_bool(body["include_spans"], "include_spans", "flag");
    Json schema_json;
    if (classify) {
        if (!body.contains("tasks")) throw RequestError("tasks", "missing (classify_text's tasks)");
        (void)schema_from_classification_tasks(body["tasks"], "tasks");  // validates, names errors
        schema_json = body["tasks"];
    } else {
        if (body.contains("schema") == body.contains("entities")) {
            throw RequestError("schema", "give \"schema\" (Schema.from_dict) or \"entities\"");
        }
        if (body.contains("schema")) {
            (void)schema_from_dict(body["schema"], "schema");
            schema_json = body["schema"];
        } else {
            (void)schema_from_entity_types(body["entities"], "entities");
            schema_json = Json{{"entities", body["entities"]}};
        }
    }
    for (size_t i = 0; i < texts.size(); ++i)
        check_text_size(texts[i], RequestLimits{}, single ? "text" : index_path("texts", i));
    // Texts of one request and of concurrent requests with the same settings share batches; each
    // carries its own schema.
    const std::string group = std::string(classify ? "classify|" : "extract|") + settings.dump();
    auto runner = [this, classify, settings](const std::vector<Json>& inputs) {
        std::vector<std::string> batch_texts;
        std::vector<Schema> schemas;
        for (const Json& in : inputs) {
            batch_texts.push_back(in["text"].get<std::string>());
            schemas.push_back(classify ? schema_from_classification_tasks(in["schema"], "tasks")
                                       : schema_from_dict(in["schema"], "schema"));
        }
        ExtractOptions o;
        o.threshold = settings["threshold"].get<double>();
        o.include_confidence = settings["include_confidence"].get<bool>();
        o.include_spans = settings["include_spans"].get<bool>();
        o.batch_size = inputs.size();
        return model.extract_batch(batch_texts, schemas, o);
    };
    std::vector<MicroBatcher::Ticket> tickets;
    for (const std::string& t : texts) {
        try {
            tickets.push_back(batcher.submit(group, runner,
                                             Json{{"text", t}, {"schema", schema_json}}, t.size()));
        } catch (const QueueFull& e) {
            for (auto& ticket : tickets)
                ticket.abandoned->store(true);
            throw HttpError{429, e.what(), ""};
        }
    }
    Json results = Json::array();
    for (auto& ticket : tickets)
        results.push_back(await(std::move(ticket)));
    return single ? results[0] : Json{{"results", std::move(results)}};
}

RedactRequest HttpService::Impl::redact_request(const Json& body, const std::string& path) const {
    reject_unknown_keys(body, path,
                        {"text", "texts", "labels", "preset", "entities", "operators", "threshold",
                         "recognizers", "default_region", "include_original", "format"});
    RedactRequest r;
    auto names = [&](const char* key) {
        std::vector<std::string> out;
        if (!body[key].is_array()) throw RequestError(key, "must be a list of names");
        for (size_t i = 0; i < body[key].size(); ++i)
            out.push_back(read_name(body[key][i], index_path(key, i), "name"));
        return out;
    };
    if (body.contains("labels")) r.labels = names("labels");
    if (body.contains("preset")) {
        if (body.contains("labels")) throw RequestError("preset", "give labels or a preset");
        const std::string preset = read_name(body["preset"], "preset", "preset");
        r.labels = pii_preset(preset);
        r.entity_types = pii_preset_entity_types(preset);
    }
    if (body.contains("entities")) {
        for (std::string& t : names("entities"))
            r.entity_types.push_back(canonical_entity_type(t));
    }
    if (!body.contains("labels") && !body.contains("preset") && !body.contains("entities")) {
        r.labels = options.pii_labels;
        r.entity_types = pii_types;
    }
    if (body.contains("operators")) operators_from_json(body["operators"], r, "operators");
    if (body.contains("threshold"))
        r.threshold = read_threshold(body["threshold"], "threshold", "threshold");
    if (body.contains("include_original")) {
        r.include_original = read_bool(body["include_original"], "include_original", "flag");
    }
    if (body.contains("recognizers")) {
        r.use_model = false;
        r.use_patterns = false;
        for (const std::string& n : names("recognizers")) {
            if (n == "model") {
                r.use_model = true;
            } else if (n == "patterns") {
                r.use_patterns = true;
            } else {
                throw RequestError("recognizers",
                                   "takes \"model\" and/or \"patterns\", not \"" + n + "\"");
            }
        }
    }
    if (body.contains("default_region")) r.pattern_options.phone_regions = names("default_region");
    return r;
}

MicroBatcher::Runner HttpService::Impl::redact_runner(
    const Json& settings, std::function<Json(const RedactionResult&)> shape) const {
    return [this, settings, shape](const std::vector<Json>& inputs) {
        std::vector<std::string> texts;
        for (const Json& in : inputs)
            texts.push_back(in.get<std::string>());
        std::vector<Json> out;
        for (const RedactionResult& r :
             redact_batch(model, texts, redact_request(settings, ""), inputs.size())) {
            out.push_back(shape(r));
        }
        return out;
    };
}

Json HttpService::Impl::redact(const Json& body) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    bool single = false;
    const std::vector<std::string> texts = read_texts(body, &single);
    Json settings = body;
    settings.erase("text");
    settings.erase("texts");
    (void)redact_request(settings, "");  // every option checked before anything is queued
    bool presidio = false;
    if (body.contains("format")) {
        const std::string f = read_string(body["format"], "format", "format");
        if (f != "presidio" && f != "spanguard") {
            throw RequestError("format",
                               "must be \"spanguard\" or \"presidio\", not \"" + f + "\"");
        }
        presidio = f == "presidio";
    }
    auto runner = redact_runner(settings, [presidio](const RedactionResult& r) {
        return presidio ? to_presidio_json(r) : to_json(r);
    });
    Json results = Json::array();
    for (const std::string& t : texts)
        results.push_back(run_batched("redact|" + settings.dump(), runner, Json(t), t.size()));
    return single ? results[0] : Json{{"results", std::move(results)}};
}

Json HttpService::Impl::moderate(const Json& body) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    reject_unknown_keys(body, "", {"prompt", "response", "inputs", "policy"});
    ModerationPolicy p = policy;
    std::string group = "moderate|default";
    if (body.contains("policy")) {
        p = policy_from_json(body["policy"], "policy");
        group = "moderate|" + body["policy"].dump();
    }
    std::vector<Json> inputs;
    const bool single = !body.contains("inputs");
    if (single) {
        inputs.push_back(Json{{"prompt", body.value("prompt", Json(nullptr))},
                              {"response", body.value("response", Json(nullptr))}});
    } else {
        if (!body["inputs"].is_array()) throw RequestError("inputs", "must be a list");
        for (const Json& in : body["inputs"])
            inputs.push_back(in);
    }
    std::vector<ModerationInput> parsed;
    for (size_t i = 0; i < inputs.size(); ++i) {
        const std::string path = single ? std::string() : index_path("inputs", i);
        if (!inputs[i].is_object()) throw RequestError(path, "must be an object");
        ModerationInput in{optional_text(inputs[i], "prompt"),
                           optional_text(inputs[i], "response")};
        if (!in.prompt && !in.response)
            throw RequestError(path, "give a prompt, a response or both");
        // Checked here, before the request joins a batch with other clients' inputs.
        if (in.prompt) check_trained_for(model, p.prompt, key_path(path, "prompt"));
        if (in.response) check_trained_for(model, p.response, key_path(path, "response"));
        parsed.push_back(std::move(in));
    }
    auto runner = [this, p](const std::vector<Json>& batch) {
        std::vector<ModerationInput> ins;
        for (const Json& in : batch)
            ins.push_back({optional_text(in, "prompt"), optional_text(in, "response")});
        std::vector<Json> out;
        for (const ModerationResult& r : moderate_batch(model, p, ins, batch.size()))
            out.push_back(to_json(r));
        return out;
    };
    Json results = Json::array();
    for (size_t i = 0; i < inputs.size(); ++i) {
        const size_t length = (parsed[i].prompt ? parsed[i].prompt->size() : 0) +
                              (parsed[i].response ? parsed[i].response->size() : 0);
        results.push_back(run_batched(group, runner, inputs[i], length));
    }
    return single ? results[0] : Json{{"results", std::move(results)}};
}

Json HttpService::Impl::openai(const Json& body) {
    const std::vector<std::string> texts = openai_moderation_inputs(body);
    auto runner = [this](const std::vector<Json>& batch) {
        std::vector<ModerationInput> ins;
        for (const Json& in : batch)
            ins.push_back({in.get<std::string>(), std::nullopt});
        const Json response = openai_moderation_response(
            moderate_batch(model, policy, ins, batch.size()), policy, "", "");
        return std::vector<Json>(response["results"].begin(), response["results"].end());
    };
    std::vector<ModerationResult> unused;
    Json out = openai_moderation_response(unused, policy, body.value("model", options.model_name),
                                          "modr-" + std::to_string(next_id++));
    for (const std::string& t : texts)
        out["results"].push_back(run_batched("openai", runner, Json(t), t.size()));
    return out;
}

Json HttpService::Impl::analyze(const Json& body) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    reject_unknown_keys(body, "",
                        {"text", "language", "entities", "score_threshold", "correlation_id",
                         "return_decision_process", "ad_hoc_recognizers", "context"});
    if (!body.contains("text")) throw RequestError("text", "missing");
    const std::string text = read_string(body["text"], "text", "text");
    Json settings = Json::object();
    if (body.contains("score_threshold")) {
        settings["threshold"] =
            read_threshold(body["score_threshold"], "score_threshold", "threshold");
    }
    std::set<std::string> wanted;
    if (body.contains("entities") && !body["entities"].is_null()) {
        if (!body["entities"].is_array()) throw RequestError("entities", "must be a list");
        for (size_t i = 0; i < body["entities"].size(); ++i) {
            wanted.insert(canonical_entity_type(
                read_name(body["entities"][i], index_path("entities", i), "entity type")));
        }
    }
    auto runner = redact_runner(
        settings, [](const RedactionResult& r) { return to_presidio_json(r)["analyzer_results"]; });
    Json found = run_batched("analyze|" + settings.dump(), runner, Json(text), text.size());
    if (wanted.empty()) return found;
    Json kept = Json::array();
    for (const Json& item : found) {
        if (wanted.count(item["entity_type"].get<std::string>()) != 0) kept.push_back(item);
    }
    return kept;
}

Json HttpService::Impl::anonymize(const Json& body) {
    if (!body.is_object()) throw RequestError("", "the request body must be a JSON object");
    reject_unknown_keys(body, "", {"text", "anonymizers", "analyzer_results"});
    if (!body.contains("text")) throw RequestError("text", "missing");
    const std::string text = read_string(body["text"], "text", "text");
    RedactRequest request;
    if (body.contains("anonymizers")) {
        const Json& given = body["anonymizers"];
        if (!given.is_object()) throw RequestError("anonymizers", "must be an object");
        Json ours = Json::object();
        for (const auto& [key, config] : given.items()) {
            const std::string path = "anonymizers." + key;
            if (!config.is_object() || !config.contains("type") || !config["type"].is_string()) {
                throw RequestError(path, "must be an object with a \"type\"");
            }
            Json op = config;
            const std::string type = config["type"].get<std::string>();
            if (type == "hash") {
                const std::string hash_type = config.value("hash_type", std::string("sha256"));
                if (hash_type != "sha256") {
                    throw RequestError(path + ".hash_type", "only sha256 is supported");
                }
                op = Json{{"type", "hash"}, {"salt", ""}};
            } else if (type == "redact" || type == "custom") {
                throw RequestError(path + ".type",
                                   "the \"" + type +
                                       "\" operator is not supported "
                                       "(replace, mask, hash, encrypt and keep are)");
            }
            ours[key == "DEFAULT" ? "default" : key] = op;
        }
        operators_from_json(ours, request, "anonymizers");
    }
    std::vector<DetectedSpan> spans;
    if (body.contains("analyzer_results")) {
        const Json& results = body["analyzer_results"];
        if (!results.is_array()) throw RequestError("analyzer_results", "must be a list");
        for (size_t i = 0; i < results.size(); ++i) {
            const std::string path = index_path("analyzer_results", i);
            const Json& r = results[i];
            if (!r.is_object()) throw RequestError(path, "must be an object");
            for (const char* key : {"start", "end"}) {
                if (!r.contains(key) || !r[key].is_number_unsigned()) {
                    throw RequestError(path + "." + key, "must be a non-negative integer");
                }
            }
            spans.emplace_back(
                read_name(r.value("entity_type", Json()), path + ".entity_type", "entity type"),
                r["start"].get<size_t>(), r["end"].get<size_t>(),
                r.contains("score") && r["score"].is_number() ? r["score"].get<double>() : 1.0);
        }
    }
    return to_presidio_json(redact_spans(text, spans, request))["anonymizer_result"];
}

void HttpService::Impl::routes() {
    auto post = [this](const std::string& path, std::function<Json(const Json&)> work) {
        http().Post(path, [this, path, work](const httplib::Request& req, httplib::Response& res) {
            handle(path, req, res, work);
        });
    };
    post("/v1/moderations", [this](const Json& b) { return openai(b); });
    post("/analyze", [this](const Json& b) { return analyze(b); });
    post("/anonymize", [this](const Json& b) { return anonymize(b); });
    post("/extract", [this](const Json& b) { return extract(b, false); });
    post("/classify", [this](const Json& b) { return extract(b, true); });
    post("/redact", [this](const Json& b) { return redact(b); });
    post("/moderate", [this](const Json& b) { return moderate(b); });
    http().Get("/supportedentities", [this](const httplib::Request& req, httplib::Response& res) {
        handle("/supportedentities", req, res, [](const Json&) {
            Json types = Json::array();
            for (const EntityTypeRow& row : entity_type_table())
                types.push_back(row.entity_type);
            return types;
        });
    });
    http().Get("/metrics", [this](const httplib::Request& req, httplib::Response& res) {
        if (!authorized(req)) {
            res.status = 401;
            res.set_content(error_body({401, "a valid API key is required (Bearer)", ""}).dump(),
                            "application/json");
            return;
        }
        res.set_content(metrics.prometheus_text(), "text/plain; version=0.0.4");
    });
    http().Get("/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{\"status\": \"ok\"}", "application/json");
    });
    // 404, 405 and 413 (body over the limit) answered by the library get a JSON body too.
    http().set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        const std::string message = res.status == 413   ? "the request body is over the size limit"
                                    : res.status == 404 ? "no such endpoint"
                                                        : "the request was refused";
        res.set_content(error_body({res.status, message, ""}).dump(), "application/json");
    });
}

HttpService::HttpService(const Model& model, ModerationPolicy policy, ServiceOptions options)
    : impl_(std::make_unique<Impl>(model, std::move(policy), std::move(options))) {
    const ServiceOptions& o = impl_->options;
    if (o.tls_certificate.empty() != o.tls_private_key.empty()) {
        throw std::invalid_argument("TLS needs both a certificate and a private key");
    }
    if (o.tls_certificate.empty()) {
        impl_->server = std::make_unique<httplib::Server>();
    } else {
        auto tls = std::make_unique<httplib::SSLServer>(o.tls_certificate.c_str(),
                                                        o.tls_private_key.c_str());
        if (!tls->is_valid()) {
            throw std::runtime_error("cannot use the TLS certificate '" + o.tls_certificate +
                                     "' with the key '" + o.tls_private_key + "'");
        }
        impl_->server = std::move(tls);
    }
    const size_t threads = impl_->options.http_threads;
    impl_->http().new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    impl_->http().set_payload_max_length(impl_->options.max_body_bytes);
    impl_->http().set_keep_alive_timeout(2);
    // Responses go out as written: Nagle's algorithm would hold a small body back until the
    // client's delayed acknowledgement (tens of milliseconds per request).
    impl_->http().set_tcp_nodelay(true);
    impl_->http().set_read_timeout(30);
    impl_->routes();
}

HttpService::~HttpService() {
    impl_->http().stop();
    impl_->batcher.stop();
}

int HttpService::bind() {
    const auto& o = impl_->options;
    int port = o.port;
    if (port == 0) {
        port = impl_->http().bind_to_any_port(o.host);
    } else if (!impl_->http().bind_to_port(o.host, port)) {
        port = -1;
    }
    if (port < 0) {
        throw std::runtime_error("cannot listen on " + o.host + ":" + std::to_string(o.port));
    }
    return port;
}

void HttpService::serve() {
    impl_->http().listen_after_bind();
    impl_->batcher.stop();
}

void HttpService::stop() {
    impl_->http().stop();
}

}  // namespace spanguard::schemas::server
