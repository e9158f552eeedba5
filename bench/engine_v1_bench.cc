// bench_engine_v1: the spanguard column of bench/gliner_v1_bench.py (GLiNER v1 checkpoints; see
// bench/README.md).
//
//   bench_engine_v1 --model DIR --workloads FILE.json --threads N --pass e2e|stages
//                   [--decisions FILE.json] [--dump DIR [--check-calls 2]] [--out FILE.json]
//
// Workloads are bench_workloads.py's v1 file (engine_runner.h format, mode "single" only): one
// text per request, the entity types in schema["entities"].
//
// e2e: schemas::V1Model::predict per request (the public API: words, sub-tokens, encoder, heads,
// decoding, result assembly), wall and process CPU seconds. --decisions writes the entities of
// the first timed repetition, per workload and text, for the agreement check.
// stages: the same request through the steps predict runs, timed one by one: input building
// ("prep": words, sub-tokens), encoder, heads (row gathers, LSTM, span and type projections,
// logits), decoding (greedy selection, offsets, texts). --dump writes every request's encoder
// inputs and the word/type positions the heads read (<workload>.json), and for the first
// --check-calls requests spanguard's logits and hidden states (<workload>.hidden.f32), for
// bench/ort_runner_v1.js to run and compare.
//
// One pass per process, so that each reports its own load time and peak RSS. Prints (or writes)
// one JSON object; exit status 2 for a usage error, 1 for any other error.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "bench/engine_runner.h"
#include "core/encoder/deberta_encoder.h"
#include "core/parallel/parallel_for.h"
#include "core/weights/gliner_v1_config.h"
#include "heads/gliner_v1_heads.h"
#include "schemas/gliner_v1/v1_decode.h"
#include "schemas/gliner_v1/v1_input.h"
#include "schemas/gliner_v1/v1_model.h"
#include "schemas/prompt/checkpoint_tokenizer.h"

namespace {

using spanguard::bench::Clock;
using spanguard::bench::empty_samples;
using spanguard::bench::Json;
using spanguard::bench::process_cpu_seconds;
using spanguard::bench::seconds_since;
using spanguard::bench::Workload;
using spanguard::bench::write_file;
namespace schemas = spanguard::schemas;
namespace core = spanguard::core;
namespace heads = spanguard::heads;

// The upstream module path of the encoder inside a GLiNER v1 state dict.
const char* const kEncoderPrefix = "token_rep_layer.bert_layer.model.";

struct Args {
    std::string model, workloads, pass = "e2e", dump, decisions, out;
    int threads = 1;
    size_t check_calls = 2;
};

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "bench_engine_v1: " << problem << "\n"
              << "usage: bench_engine_v1 --model DIR --workloads FILE.json --threads N "
                 "--pass e2e|stages [--decisions FILE] [--dump DIR] [--check-calls N] "
                 "[--out FILE]\n";
    std::exit(2);
}

size_t parse_count(const std::string& flag, const std::string& value) {
    const std::optional<size_t> n = spanguard::bench::parse_count(value);
    if (!n) usage(flag + " wants a non-negative integer, got '" + value + "'");
    return *n;
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) usage(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--model")
            a.model = value;
        else if (flag == "--workloads")
            a.workloads = value;
        else if (flag == "--pass")
            a.pass = value;
        else if (flag == "--dump")
            a.dump = value;
        else if (flag == "--decisions")
            a.decisions = value;
        else if (flag == "--out")
            a.out = value;
        else if (flag == "--threads")
            a.threads = static_cast<int>(parse_count(flag, value));
        else if (flag == "--check-calls")
            a.check_calls = parse_count(flag, value);
        else
            usage("unknown option " + flag);
    }
    if (a.model.empty() || a.workloads.empty()) usage("--model and --workloads are required");
    if (a.pass != "e2e" && a.pass != "stages") usage("--pass is e2e or stages");
    if (a.threads < 1) usage("--threads must be at least 1");
    if (!a.dump.empty() && a.pass != "stages") usage("--dump needs --pass stages");
    if (!a.decisions.empty() && a.pass != "e2e") usage("--decisions needs --pass e2e");
    return a;
}

std::vector<std::string> labels_of(const Workload& w) {
    if (w.mode != "single")
        throw std::runtime_error("workload " + w.name + ": mode '" + w.mode +
                                 "' (the v1 bench runs one text per request: single)");
    if (!w.schema.contains("entities") || !w.schema["entities"].is_array())
        throw std::runtime_error("workload " + w.name + ": schema.entities must be a list");
    return w.schema["entities"].get<std::vector<std::string>>();
}

Json entities_json(const schemas::V1Result& result) {
    Json out = Json::array();
    for (const auto& e : result.entities)
        out.push_back({{"start", e.start}, {"end", e.end}, {"label", e.label}, {"score", e.score}});
    return out;
}

Json run_end_to_end(const std::string& dir, const std::vector<Workload>& workloads,
                    Json* decisions) {
    Json out;
    const auto load_start = Clock::now();
    const schemas::V1Model model = schemas::V1Model::load(dir);
    out["load_seconds"] = seconds_since(load_start);
    out["after_load"] = spanguard::bench::memory_usage();
    for (const Workload& w : workloads) {
        const std::vector<std::string> labels = labels_of(w);
        schemas::V1PredictOptions options;
        options.threshold = w.threshold;
        Json results;
        out["workloads"][w.name] = spanguard::bench::time_requests(
            w, [&](size_t r) { return model.predict({w.texts.at(r)}, labels, options); },
            entities_json, decisions != nullptr ? &results : nullptr);
        if (decisions != nullptr) (*decisions)[w.name] = std::move(results);
    }
    out["memory"] = spanguard::bench::memory_usage();
    return out;
}

heads::V1HeadShape head_shape(const core::GlinerV1Config& c) {
    heads::V1HeadShape s;
    s.mode = c.span_mode == "token_level" ? heads::V1SpanMode::kTokenLevel
                                          : heads::V1SpanMode::kMarkerV0;
    s.encoder_hidden = c.encoder.hidden_size;
    s.hidden = c.hidden_size;
    s.has_rnn = c.has_rnn;
    s.max_width = c.max_width;
    return s;
}

core::DebertaEncoderOptions encoder_options() {
    core::DebertaEncoderOptions o;
    o.prefix = kEncoderPrefix;
    return o;
}

int32_t token_id(const spanguard::tokenizer::Tokenizer& tok, const std::string& token) {
    const auto id = tok.token_to_id(token);
    if (!id) throw std::runtime_error("the tokenizer has no token '" + token + "'");
    return *id;
}

// Everything V1Model::Impl holds, loaded the same way (weights memory-mapped).
struct Engine {
    explicit Engine(const std::string& dir)
        : config(core::load_gliner_v1_config(dir)),
          tokenizer(schemas::load_folder_tokenizer(dir)),
          weights(heads::load_v1_checkpoint_weights(dir, config.encoder, head_shape(config),
                                                    kEncoderPrefix)),
          encoder(weights, config.encoder, encoder_options()),
          heads(heads::GlinerV1Heads::from_checkpoint(weights, head_shape(config))) {
        if (config.span_mode != "markerV0")
            throw std::runtime_error(dir + ": span_mode " + config.span_mode +
                                     " (the v1 bench measures markerV0 checkpoints)");
        markers.ent_id = token_id(tokenizer, config.ent_token);
        markers.sep_token_id = token_id(tokenizer, config.sep_token);
        markers.cls_id = token_id(tokenizer, "[CLS]");
        markers.sep_id = token_id(tokenizer, "[SEP]");
        markers.pad_id = config.encoder.pad_token_id;
    }

    core::GlinerV1Config config;
    spanguard::tokenizer::Tokenizer tokenizer;
    schemas::V1Markers markers;
    core::CheckpointWeights weights;
    core::DebertaEncoder encoder;
    heads::GlinerV1Heads heads;
};

struct StageTimes {
    double prep = 0, encoder = 0, heads = 0, decode = 0;
    double prep_cpu = 0, encoder_cpu = 0, decode_cpu = 0, cpu = 0;
    size_t entities = 0;
};

// One request through predict's steps (a text of at most max_len words: one window).
StageTimes run_stages(const Engine& e, const std::string& text,
                      const std::vector<std::string>& labels, double threshold, Json* call,
                      std::ofstream* hidden_out, size_t* hidden_floats) {
    StageTimes t;
    const double cpu0 = process_cpu_seconds();
    auto start = Clock::now();
    std::vector<spanguard::tokenizer::Word> words = schemas::split_v1_words(text);
    const size_t n = words.size();
    const size_t max_len = static_cast<size_t>(e.config.max_len);
    if (n > max_len) throw std::runtime_error("a text longer than max_len words");
    const schemas::V1Input in =
        schemas::build_v1_input(e.tokenizer, e.markers, labels, text, std::move(words), n);
    t.prep = seconds_since(start);
    const double cpu1 = process_cpu_seconds();
    t.prep_cpu = cpu1 - cpu0;

    start = Clock::now();
    const size_t length = in.input_ids.size();
    const std::vector<int32_t> mask(length, 1);
    const core::EncoderOutput out = e.encoder.forward(in.input_ids, mask, 1, length);
    t.encoder = seconds_since(start);
    const double cpu2 = process_cpu_seconds();
    t.encoder_cpu = cpu2 - cpu1;

    start = Clock::now();
    const auto hidden = out.sequence(0);
    const int64_t h = e.config.encoder.hidden_size;
    core::RowMatrix word_rows(static_cast<Eigen::Index>(in.word_positions.size()), h);
    for (size_t w = 0; w < in.word_positions.size(); ++w) {
        if (in.word_positions[w] == schemas::kNoPosition)
            word_rows.row(static_cast<Eigen::Index>(w)).setZero();
        else
            word_rows.row(static_cast<Eigen::Index>(w)) =
                hidden.row(static_cast<Eigen::Index>(in.word_positions[w]));
    }
    core::RowMatrix type_rows(static_cast<Eigen::Index>(in.type_positions.size()), h);
    for (size_t c = 0; c < in.type_positions.size(); ++c)
        type_rows.row(static_cast<Eigen::Index>(c)) =
            hidden.row(static_cast<Eigen::Index>(in.type_positions[c]));
    const std::vector<float> logits = e.heads.logits(word_rows, type_rows);
    t.heads = seconds_since(start);
    const double cpu3 = process_cpu_seconds();

    start = Clock::now();
    const schemas::V1DecodeOptions decode{threshold, true, false};
    std::vector<schemas::V1Span> spans =
        in.empty_text ? std::vector<schemas::V1Span>{}
                      : schemas::decode_v1_spans(logits, in.words.size(),
                                                 static_cast<size_t>(e.config.max_width),
                                                 labels.size(), decode);
    std::vector<schemas::V1Entity> entities;
    for (const schemas::V1Span& s : spans) {
        schemas::V1Entity ent;
        ent.start = in.words[s.start_word].start_cp;
        ent.end = in.words[s.end_word].end_cp;
        ent.start_byte = in.words[s.start_word].start_byte;
        ent.end_byte = in.words[s.end_word].end_byte;
        ent.text = text.substr(ent.start_byte, ent.end_byte - ent.start_byte);
        ent.label = labels[s.type];
        ent.score = s.score;
        entities.push_back(std::move(ent));
    }
    t.decode = seconds_since(start);
    const double cpu4 = process_cpu_seconds();
    t.decode_cpu = cpu4 - cpu3;
    t.cpu = cpu4 - cpu0;
    t.entities = entities.size();

    if (call != nullptr) {
        Json positions = Json::array(), starts = Json::array(), ends = Json::array();
        for (size_t p : in.word_positions)
            positions.push_back(p == schemas::kNoPosition ? -1 : static_cast<int64_t>(p));
        for (const auto& w : in.words) {
            starts.push_back(w.start_cp);
            ends.push_back(w.end_cp);
        }
        *call = {{"input_ids", in.input_ids},
                 {"word_positions", positions},
                 {"type_positions", in.type_positions},
                 {"word_starts", starts},
                 {"word_ends", ends},
                 {"empty_text", in.empty_text}};
        if (hidden_out != nullptr) {
            (*call)["logits"] = logits;
            (*call)["hidden_offset"] = *hidden_floats;
            (*call)["hidden_rows"] = length;
            hidden_out->write(reinterpret_cast<const char*>(out.hidden.data()),
                              static_cast<std::streamsize>(out.hidden.size() * sizeof(float)));
            *hidden_floats += static_cast<size_t>(out.hidden.size());
        }
    }
    return t;
}

Json run_stages_pass(const std::string& dir, const std::vector<Workload>& workloads,
                     const std::string& dump_dir, size_t check_calls) {
    Json out;
    const auto load_start = Clock::now();
    const Engine engine(dir);
    out["load_seconds"] = seconds_since(load_start);
    for (const Workload& w : workloads) {
        const std::vector<std::string> labels = labels_of(w);
        if (w.warmup)
            run_stages(engine, w.texts.at(0), labels, w.threshold, nullptr, nullptr, nullptr);
        const size_t n = w.requests();
        Json prep = empty_samples(n), enc = empty_samples(n), hd = empty_samples(n);
        Json dec = empty_samples(n), prep_cpu = empty_samples(n), enc_cpu = empty_samples(n);
        Json dec_cpu = empty_samples(n), cpu = empty_samples(n);
        Json calls = Json::array();
        std::ofstream hidden_out;
        size_t hidden_floats = 0;
        if (!dump_dir.empty()) {
            hidden_out.open(dump_dir + "/" + w.name + ".hidden.f32", std::ios::binary);
            if (!hidden_out) throw std::runtime_error(dump_dir + ": cannot write the dump");
        }
        for (size_t rep = 0; rep < w.reps; ++rep) {
            for (size_t r = 0; r < n; ++r) {
                const bool dumping = !dump_dir.empty() && rep == 0;
                Json call;
                const StageTimes t = run_stages(
                    engine, w.texts.at(r), labels, w.threshold, dumping ? &call : nullptr,
                    dumping && r < check_calls ? &hidden_out : nullptr, &hidden_floats);
                prep[r].push_back(t.prep);
                enc[r].push_back(t.encoder);
                hd[r].push_back(t.heads);
                dec[r].push_back(t.decode);
                prep_cpu[r].push_back(t.prep_cpu);
                enc_cpu[r].push_back(t.encoder_cpu);
                dec_cpu[r].push_back(t.decode_cpu);
                cpu[r].push_back(t.cpu);
                if (dumping) calls.push_back(std::move(call));
            }
        }
        out["workloads"][w.name] = {
            {"prep", prep},          {"encoder", enc},       {"heads", hd},
            {"decode", dec},         {"prep_cpu", prep_cpu}, {"encoder_cpu", enc_cpu},
            {"decode_cpu", dec_cpu}, {"cpu", cpu},           {"texts", w.texts.size()}};
        if (!dump_dir.empty()) {
            const Json doc = {{"labels", labels},
                              {"threshold", w.threshold},
                              {"max_width", engine.config.max_width},
                              {"hidden_size", engine.config.encoder.hidden_size},
                              {"calls", calls}};
            write_file(dump_dir + "/" + w.name + ".json", doc.dump());
        }
    }
    out["memory"] = spanguard::bench::memory_usage();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    try {
        spanguard::core::set_num_threads(a.threads);
        const auto workloads = spanguard::bench::load_workloads(a.workloads);
        Json decisions;
        Json out = a.pass == "e2e" ? run_end_to_end(a.model, workloads,
                                                    a.decisions.empty() ? nullptr : &decisions)
                                   : run_stages_pass(a.model, workloads, a.dump, a.check_calls);
        if (!a.decisions.empty()) write_file(a.decisions, decisions.dump());
        out["engine"] = "spanguard";
        out["pass"] = a.pass;
        out["threads"] = a.threads;
        if (a.out.empty())
            std::cout << out.dump() << "\n";
        else
            write_file(a.out, out.dump());
    } catch (const std::exception& e) {
        std::cerr << "bench_engine_v1: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
