// The spanguard column stage by stage (input building, encoder, heads), the same calls
// schemas/model.cc makes, and the dump of those calls' inputs for the ONNX Runtime runner.
#include <time.h>

#include <chrono>
#include <climits>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "bench/bench_clock.h"
#include "bench/engine_runner.h"
#include "core/encoder/deberta_encoder.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/gliner_heads.h"
#include "heads/head_tensor_names.h"
#include "schemas/prompt/checkpoint_tokenizer.h"
#include "schemas/prompt/input_batch.h"
#include "schemas/prompt/model_input.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/schema_parser.h"

namespace spanguard::bench {
namespace {

const char* kind_name(schemas::TaskKind kind) {
    switch (kind) {
        case schemas::TaskKind::kEntities:
            return "entities";
        case schemas::TaskKind::kStructure:
            return "structure";
        case schemas::TaskKind::kRelation:
            return "relation";
        case schemas::TaskKind::kClassification:
            return "classification";
    }
    return "?";
}

core::DebertaEncoderOptions encoder_options(const Variant& variant) {
    core::DebertaEncoderOptions options;
    options.precision = variant.precision;
    return options;
}

// Everything Model::Impl holds, loaded the same way (the weights are memory-mapped; an int8
// variant quantizes the encoder's Linear weights here, as Model::load does).
struct Engine {
    Engine(const std::string& dir, const Variant& variant)
        : gliner(core::load_gliner_config(dir + "/config.json")),
          encoder_config(core::load_encoder_config(dir + "/encoder_config/config.json")),
          weights(heads::load_checkpoint_weights(dir, encoder_config, gliner)),
          encoder(weights, encoder_config, encoder_options(variant)),
          heads(heads::GlinerHeads::from_checkpoint(weights, encoder_config.hidden_size,
                                                    gliner.max_width)),
          tokenizer(schemas::load_checkpoint_tokenizer(dir)),
          builder(tokenizer) {}

    core::GlinerConfig gliner;
    core::EncoderConfig encoder_config;
    core::CheckpointWeights weights;
    core::DebertaEncoder encoder;
    heads::GlinerHeads heads;
    tokenizer::Tokenizer tokenizer;
    schemas::ModelInputBuilder builder;
};

// Wall seconds per stage, and process CPU seconds of input building and of the whole request.
struct StageTimes {
    double prep = 0, encoder = 0, heads = 0;
    double prep_cpu = 0, encoder_cpu = 0, cpu = 0;
};

// Collects one workload's dump: every encoder call, and reference outputs for the first ones.
class Dump {
  public:
    Dump(const std::string& dir, const std::string& name, size_t check_calls)
        : enabled_(!dir.empty()), base_(dir + "/" + name), check_calls_(check_calls) {
        if (enabled_) {
            hidden_.open(base_ + ".hidden.f32", std::ios::binary);
            if (!hidden_) throw std::runtime_error(base_ + ".hidden.f32: cannot write");
        }
    }
    bool enabled() const { return enabled_; }
    bool checking() const { return enabled_ && doc_["calls"].size() < check_calls_; }

    // Starts call `index` of request r (before its heads run).
    void begin_call(size_t r, const schemas::PaddedBatch& batch,
                    const core::EncoderOutput& encoded) {
        if (!enabled_) return;
        Json call = {{"request", r},
                     {"rows", batch.rows},
                     {"length", batch.length},
                     {"input_ids", batch.input_ids},
                     {"attention_mask", batch.attention_mask},
                     {"seqs", Json::array()}};
        if (checking()) {
            call["hidden_offset"] = hidden_floats_;
            const auto& h = encoded.hidden;
            hidden_.write(reinterpret_cast<const char*>(h.data()),
                          static_cast<std::streamsize>(h.size() * sizeof(float)));
            hidden_floats_ += static_cast<size_t>(h.size());
        }
        current_ = std::move(call);
    }
    void add_seq(Json seq) {
        if (enabled_) current_["seqs"].push_back(std::move(seq));
    }
    void end_call() {
        if (enabled_) doc_["calls"].push_back(std::move(current_));
    }
    void finish(int64_t hidden_size, int max_width) {
        if (!enabled_) return;
        doc_["hidden_size"] = hidden_size;
        doc_["max_width"] = max_width;
        std::ofstream out(base_ + ".json");
        out << doc_.dump();
        if (!out) throw std::runtime_error(base_ + ".json: write failed");
    }

  private:
    bool enabled_;
    std::string base_;
    size_t check_calls_;
    std::ofstream hidden_;
    size_t hidden_floats_ = 0;
    Json doc_ = {{"calls", Json::array()}};
    Json current_;
};

// Heads of one sequence exactly as decode_sequence in schemas/model.cc runs them.
Json run_heads(const Engine& e, const core::ConstRowMatrixRef& hidden,
               const schemas::ModelInput& input, bool record, bool check) {
    bool has_span_block = false;
    for (const auto& b : input.blocks)
        has_span_block = has_span_block || b.kind != schemas::TaskKind::kClassification;
    std::optional<heads::SpanGrid> grid;
    if (has_span_block && !input.text_positions.empty())
        grid = e.heads.span_grid(hidden, input.text_positions);
    Json seq;
    if (record) {
        seq = {{"length", input.input_ids.size()},
               {"text_positions", input.text_positions},
               {"grid", grid.has_value()},
               {"blocks", Json::array()}};
    }
    for (const auto& block : input.blocks) {
        Json b;
        if (record) b = {{"kind", kind_name(block.kind)}, {"positions", block.marker_positions}};
        if (block.kind == schemas::TaskKind::kClassification) {
            const heads::Vector logits =
                e.heads.classification_logits(hidden, block.marker_positions);
            if (check)
                b["logits"] = std::vector<float>(logits.data(), logits.data() + logits.size());
        } else if (grid) {
            const int max_instances = block.kind == schemas::TaskKind::kEntities ? 1 : INT_MAX;
            const heads::SpanBlockScores s =
                e.heads.score_span_block(hidden, *grid, block.marker_positions, max_instances);
            if (record) {
                b["max_instances"] = max_instances == INT_MAX ? -1 : max_instances;
                b["count"] = s.predicted_count;
                b["instances"] = s.instances;
            }
            if (check) {
                b["count_logits"] = std::vector<float>(
                    s.count_logits.data(), s.count_logits.data() + s.count_logits.size());
                b["probs"] = s.probabilities;
            }
        }
        if (record) seq["blocks"].push_back(std::move(b));
    }
    return seq;
}

// Inputs of request r, as Model builds them (long: windows run with max_len = chunk size).
std::vector<schemas::ModelInput> build_inputs(const Engine& e, const Workload& w,
                                              const schemas::PromptEncoding& prompt, size_t r) {
    std::vector<schemas::ModelInput> inputs;
    if (w.mode == "long") {
        for (const auto& win : schemas::split_text_windows(w.texts.at(r)))
            inputs.push_back(e.builder.build(prompt, win.text, schemas::kDefaultChunkSize));
        return inputs;
    }
    for (const auto& text : w.request_texts(r))
        inputs.push_back(e.builder.build(prompt, text));
    return inputs;
}

StageTimes run_request(const Engine& e, const Workload& w, const schemas::Schema& schema, size_t r,
                       Dump* dump) {
    StageTimes t;
    const double cpu_start = process_cpu_seconds();
    auto start = Clock::now();
    const schemas::PromptEncoding prompt = e.builder.encode_prompt(schema);
    const std::vector<schemas::ModelInput> inputs = build_inputs(e, w, prompt, r);
    t.prep += seconds_since(start);
    t.prep_cpu += process_cpu_seconds() - cpu_start;
    const size_t batch_size = w.mode == "single" ? 1 : w.batch_size;
    // The batches Model::extract_batch makes (grouped by length), so that every engine replaying
    // the dump runs the same padded shapes.
    for (const std::vector<size_t>& rows : schemas::plan_batches(inputs, batch_size)) {
        const size_t count = rows.size();
        const double pad_cpu = process_cpu_seconds();
        start = Clock::now();
        const schemas::PaddedBatch batch = schemas::pad_batch(inputs, rows);
        t.prep += seconds_since(start);
        t.prep_cpu += process_cpu_seconds() - pad_cpu;
        const double encoder_cpu = process_cpu_seconds();
        start = Clock::now();
        const core::EncoderOutput encoded =
            e.encoder.forward(batch.input_ids, batch.attention_mask, batch.rows, batch.length);
        t.encoder += seconds_since(start);
        t.encoder_cpu += process_cpu_seconds() - encoder_cpu;
        const bool record = dump != nullptr && dump->enabled();
        const bool check = record && dump->checking();
        if (record) dump->begin_call(r, batch, encoded);
        start = Clock::now();
        for (size_t b = 0; b < count; ++b) {
            Json seq = run_heads(e, encoded.sequence(b), inputs[rows[b]], record, check);
            if (record) dump->add_seq(std::move(seq));
        }
        t.heads += seconds_since(start);
        if (record) dump->end_call();
    }
    t.cpu = process_cpu_seconds() - cpu_start;
    return t;
}

}  // namespace

Json run_network(const std::string& model_dir, const Variant& variant,
                 const std::vector<Workload>& workloads, const std::string& dump_dir,
                 size_t check_calls) {
    Json out;
    const auto load_start = Clock::now();
    const Engine engine(model_dir, variant);
    out["load_seconds"] = seconds_since(load_start);
    for (const Workload& w : workloads) {
        const schemas::Schema schema = schemas::schema_from_dict(w.schema);
        // The untimed first pass is the warm-up and, when asked, the dump of every request.
        Dump dump(dump_dir, w.name, check_calls);
        if (dump.enabled()) {
            for (size_t r = 0; r < w.requests(); ++r)
                run_request(engine, w, schema, r, &dump);
            dump.finish(engine.encoder_config.hidden_size, engine.gliner.max_width);
        } else if (w.warmup) {
            run_request(engine, w, schema, 0, nullptr);
        }
        Json prep = Json::array(), enc = Json::array(), heads = Json::array();
        Json prep_cpu = Json::array(), enc_cpu = Json::array(), cpu = Json::array();
        for (size_t r = 0; r < w.requests(); ++r) {
            for (Json* j : {&prep, &enc, &heads, &prep_cpu, &enc_cpu, &cpu})
                j->push_back(Json::array());
        }
        for (size_t rep = 0; rep < w.reps; ++rep) {
            for (size_t r = 0; r < w.requests(); ++r) {
                const StageTimes t = run_request(engine, w, schema, r, nullptr);
                prep[r].push_back(t.prep);
                enc[r].push_back(t.encoder);
                heads[r].push_back(t.heads);
                prep_cpu[r].push_back(t.prep_cpu);
                enc_cpu[r].push_back(t.encoder_cpu);
                cpu[r].push_back(t.cpu);
            }
        }
        out["workloads"][w.name] = {{"prep", prep},           {"encoder", enc},
                                    {"heads", heads},         {"prep_cpu", prep_cpu},
                                    {"encoder_cpu", enc_cpu}, {"cpu", cpu}};
    }
    out["memory"] = memory_usage();
    return out;
}

}  // namespace spanguard::bench
