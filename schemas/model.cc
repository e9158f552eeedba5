#include "schemas/model.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <future>
#include <optional>
#include <utility>

#include "core/encoder/deberta_encoder.h"
#include "core/util/error.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/checkpoint_weights.h"
#include "heads/gliner_heads.h"
#include "heads/head_tensor_names.h"
#include "schemas/decoding/decode_tasks.h"
#include "schemas/decoding/decode_validators.h"
#include "schemas/decoding/long_text_merge.h"
#include "schemas/decoding/output_format.h"
#include "schemas/decoding/typed_results.h"
#include "schemas/gliner_v1/v1_model.h"
#include "schemas/gliner_v1/v1_requests.h"
#include "schemas/prompt/checkpoint_tokenizer.h"
#include "schemas/prompt/input_batch.h"
#include "schemas/prompt/model_input.h"
#include "schemas/schema/json_path.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {

namespace {

core::GlinerConfig load_supported_gliner_config(const std::string& dir) {
    const std::string path = dir + "/config.json";
    core::GlinerConfig config = core::load_gliner_config(path);
    if (config.token_pooling != "first") {
        throw core::Error(path + ": token_pooling '" + config.token_pooling +
                          "' is not supported (only 'first', which every released checkpoint "
                          "uses)");
    }
    return config;
}

core::DebertaEncoderOptions encoder_options(const ModelOptions& options) {
    core::DebertaEncoderOptions out;
    out.relative_distances = options.relative_distances;
    out.precision = options.precision;
    return out;
}

}  // namespace

// Everything loaded from the folder, built in place and never moved: the encoder borrows the
// weights' tensors and the input builder the tokenizer (members initialise in declaration order).
// The tokenizer (~40 ms for a 128k vocabulary, all of it serial) loads on its own thread while the
// weights are checked and the encoder and heads built; a failure there is rethrown after the
// weights' own errors, so a folder with several problems reports the same one as before.
struct Model::Impl {
    Impl(const std::string& dir, const ModelOptions& options)
        : directory(dir),
          gliner(load_supported_gliner_config(dir)),
          trained_tasks(load_trained_tasks(dir)),
          encoder_config(core::load_encoder_config(dir + "/encoder_config/config.json")),
          pending_tokenizer(std::async(std::launch::async,
                                       [dir] { return schemas::load_checkpoint_tokenizer(dir); })),
          weights(heads::load_checkpoint_weights(dir, encoder_config, gliner)),
          encoder(weights, encoder_config, encoder_options(options)),
          limits(options.limits),
          heads(heads::GlinerHeads::from_checkpoint(weights, encoder_config.hidden_size,
                                                    gliner.max_width)),
          tokenizer(pending_tokenizer.get()),
          builder(tokenizer) {}

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    std::string directory;
    core::GlinerConfig gliner;
    std::optional<TrainedTasks> trained_tasks;
    core::EncoderConfig encoder_config;
    // Empty once `tokenizer` is built. If a member after it throws first, its destructor waits
    // for the loading thread (std::async's future), so no thread outlives a failed load.
    std::future<tokenizer::Tokenizer> pending_tokenizer;
    core::CheckpointWeights weights;
    core::DebertaEncoder encoder;
    schemas::RequestLimits limits;
    heads::GlinerHeads heads;
    tokenizer::Tokenizer tokenizer;
    schemas::ModelInputBuilder builder;
};

namespace {

// One sequence to run: its input, and the schema (with compiled validators) it answers.
struct WorkItem {
    const Schema* schema = nullptr;
    const SchemaValidators* validators = nullptr;
};

struct RunSettings {
    double threshold = 0.5;
    size_t batch_size = 8;
    schemas::OutputOptions output;
};

void check_threshold(double threshold) {
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        throw RequestError("threshold",
                           "threshold must be within [0, 1], got " + std::to_string(threshold));
    }
}

void check_batch_size(size_t batch_size) {
    if (batch_size == 0) throw RequestError("batch_size", "batch_size must be at least 1");
}

void check_options(const ExtractOptions& o) {
    check_threshold(o.threshold);
    check_batch_size(o.batch_size);
    // The reference's behaviour for a zero word budget is an artefact of Python slicing
    // (`scores[..., -0:]`); refusing it is clearer than reproducing it.
    if (o.max_len && *o.max_len == 0) throw RequestError("max_len", "max_len must be at least 1");
}

void check_options(const LongTextOptions& o) {
    check_threshold(o.threshold);
    check_batch_size(o.batch_size);
}

// Decodes every task block of one sequence from its hidden states.
std::vector<BlockResult> decode_sequence(const Model::Impl& m,
                                         const core::ConstRowMatrixRef& hidden,
                                         const ModelInput& input, const WorkItem& item,
                                         double threshold) {
    const Schema& schema = *item.schema;
    bool has_span_block = false;
    for (const auto& b : input.blocks) {
        has_span_block = has_span_block || b.kind != schemas::TaskKind::kClassification;
    }
    // The span grid covers the text tokens (choice prefix, then words); the reference builds it
    // only when some block needs spans and there is at least one text token.
    std::optional<heads::SpanGrid> grid;
    if (has_span_block && !input.text_positions.empty()) {
        grid = m.heads.span_grid(hidden, input.text_positions);
    }

    std::vector<BlockResult> results;
    results.reserve(input.blocks.size());
    for (const auto& block : input.blocks) {
        const auto& positions = block.marker_positions;
        if (block.kind == schemas::TaskKind::kClassification) {
            const heads::Vector logits = m.heads.classification_logits(hidden, positions);
            const std::vector<float> values(logits.data(), logits.data() + logits.size());
            results.push_back({block.name, schemas::decode_classification(
                                               schema.classifications.at(block.index), values)});
            continue;
        }
        size_t count = 0;
        schemas::SpanProbabilities probs;
        if (grid) {
            // Entities read instance 0 only; instances do not depend on later ones, so scoring
            // one is enough (GLINER2.md §4.2).
            const int max_instances = block.kind == schemas::TaskKind::kEntities ? 1 : INT_MAX;
            heads::SpanBlockScores scores =
                m.heads.score_span_block(hidden, *grid, positions, max_instances);
            count = static_cast<size_t>(scores.predicted_count);
            probs = schemas::SpanProbabilities(
                static_cast<size_t>(scores.instances), static_cast<size_t>(scores.fields),
                static_cast<size_t>(scores.words), static_cast<size_t>(scores.max_width),
                std::move(scores.probabilities));
        }
        switch (block.kind) {
            case schemas::TaskKind::kEntities:
                results.push_back({block.name, schemas::decode_entities(schema.entities, count,
                                                                        probs, input, threshold)});
                break;
            case schemas::TaskKind::kStructure:
                results.push_back(
                    {block.name, schemas::decode_structure(schema.structures.at(block.index),
                                                           item.validators->fields.at(block.index),
                                                           count, probs, input, threshold)});
                break;
            case schemas::TaskKind::kRelation:
                results.push_back(
                    {block.name, schemas::decode_relation(schema.relations.at(block.index), count,
                                                          probs, input, threshold)});
                break;
            case schemas::TaskKind::kClassification:
                break;  // handled above
        }
    }
    return results;
}

// Runs `inputs` batch_size at a time through the encoder (one call per batch, right-padded,
// grouped by length: schemas::plan_batches) and hands each input's hidden states to
// on_sequence(i, hidden). The calls come in batch order, not input order: on_sequence stores by i.
template <typename OnSequence>
void encode_batches(const Model::Impl& m, const std::vector<ModelInput>& inputs, size_t batch_size,
                    OnSequence&& on_sequence) {
    for (const std::vector<size_t>& rows : schemas::plan_batches(inputs, batch_size)) {
        const schemas::PaddedBatch batch = schemas::pad_batch(inputs, rows);
        const core::EncoderOutput encoded =
            m.encoder.forward(batch.input_ids, batch.attention_mask, batch.rows, batch.length);
        for (size_t b = 0; b < rows.size(); ++b)
            on_sequence(rows[b], encoded.sequence(b));
    }
}

// Runs `inputs` through the encoder, heads and decoding and hands each input's decoded blocks to
// on_blocks(i, blocks) (in batch order, not input order).
template <typename OnBlocks>
void decode_inputs(const Model::Impl& m, const std::vector<ModelInput>& inputs,
                   const std::vector<WorkItem>& items, const RunSettings& settings,
                   OnBlocks&& on_blocks) {
    encode_batches(
        m, inputs, settings.batch_size, [&](size_t i, const core::ConstRowMatrixRef& hidden) {
            on_blocks(i, decode_sequence(m, hidden, inputs[i], items[i], settings.threshold));
        });
}

// One formatted result per input, in order.
std::vector<Json> run_inputs(const Model::Impl& m, const std::vector<ModelInput>& inputs,
                             const std::vector<WorkItem>& items, const RunSettings& settings) {
    std::vector<Json> out(inputs.size());
    decode_inputs(m, inputs, items, settings,
                  [&](size_t i, const std::vector<BlockResult>& blocks) {
                      out[i] = schemas::format_results(blocks, *items[i].schema, settings.output);
                  });
    return out;
}

// Every classification block's label probabilities of one sequence, by the same head call and
// activation that decode_sequence's classification decoding uses.
std::vector<TaskProbabilities> sequence_class_probabilities(const Model::Impl& m,
                                                            const core::ConstRowMatrixRef& hidden,
                                                            const ModelInput& input,
                                                            const Schema& schema) {
    std::vector<TaskProbabilities> out(schema.classifications.size());
    for (const auto& block : input.blocks) {
        if (block.kind != schemas::TaskKind::kClassification) continue;
        const schemas::ClassificationTask& task = schema.classifications.at(block.index);
        const heads::Vector logits = m.heads.classification_logits(hidden, block.marker_positions);
        const std::vector<float> values(logits.data(), logits.data() + logits.size());
        TaskProbabilities& t = out.at(block.index);
        t.task = task.task;
        for (const auto& label : task.labels)
            t.labels.push_back(label.name);
        t.probabilities = schemas::classification_probabilities(task, values);
    }
    return out;
}

// The checked inputs of a single-pass call that sends one schema with every text (extract_batch,
// extract_typed), with its compiled validators.
struct SingleSchemaBatch {
    SingleSchemaBatch(const Model::Impl& m, const std::vector<std::string>& texts,
                      const Schema& schema, const ExtractOptions& options);
    SingleSchemaBatch(const SingleSchemaBatch&) = delete;  // items point into validators
    SchemaValidators validators;
    std::vector<ModelInput> inputs;
    std::vector<WorkItem> items;
};

void check_schema_count(size_t texts, size_t schemas) {
    if (texts != schemas) {
        throw RequestError("schemas", std::to_string(schemas) + " schemas for " +
                                          std::to_string(texts) + " texts");
    }
}

// Request limits (request_limits.h): text sizes before anything is built, the schema's size, and
// after building, each single-pass input's length (the *_long calls window instead).
void check_texts(const Model::Impl& m, const std::vector<std::string>& texts) {
    for (size_t i = 0; i < texts.size(); ++i)
        schemas::check_text_size(texts[i], m.limits, schemas::index_path("texts", i));
}

void check_lengths(const Model::Impl& m, const std::vector<ModelInput>& inputs, bool single) {
    for (size_t i = 0; i < inputs.size(); ++i) {
        schemas::check_sequence_length(
            inputs[i].input_ids.size(), m.limits,
            single ? std::string("text") : schemas::index_path("texts", i));
    }
}

SingleSchemaBatch::SingleSchemaBatch(const Model::Impl& m, const std::vector<std::string>& texts,
                                     const Schema& schema, const ExtractOptions& options) {
    check_options(options);
    schemas::check_schema_size(schema, m.limits);
    check_texts(m, texts);
    validators = SchemaValidators::compile(schema);
    inputs = m.builder.build_batch(schema, texts, options.max_len, "texts");
    check_lengths(m, inputs, false);
    items.assign(inputs.size(), WorkItem{&schema, &validators});
}

}  // namespace

struct Model::V1Backend {
    V1Model model;
    RequestLimits limits;
};

namespace {

// GLiNER v1 requests: every text with its schema (the same Schema object for a batch with one
// schema, which then runs as one predict call). `single` names the text "text" in errors.
std::vector<std::vector<BlockResult>> run_v1(const Model::V1Backend& v1,
                                             const std::vector<std::string>& texts,
                                             const std::vector<const Schema*>& schemas,
                                             double threshold, size_t batch_size, size_t overlap,
                                             bool single) {
    const size_t max_len = static_cast<size_t>(v1.model.config().max_len);
    V1PredictOptions options;
    options.threshold = threshold;
    options.batch_size = batch_size;
    options.window_overlap = std::min(overlap, max_len / 2);
    for (size_t i = 0; i < texts.size(); ++i)
        schemas::check_text_size(texts[i], v1.limits,
                                 single ? std::string("text") : schemas::index_path("texts", i));
    // `index` is the request index of the one text in `batch`, or nullopt when `batch` is every
    // text under one shared schema (then the engine's own texts[j] already is the request index).
    auto run = [&](const std::vector<std::string>& batch, const Schema& schema,
                   std::optional<size_t> index) {
        const std::string path = single || schemas.size() == 1 || !index
                                     ? std::string()
                                     : schemas::index_path("schemas", *index);
        const std::vector<std::string> types = v1_entity_types(schema, path);
        try {
            return v1.model.predict(batch, types, options);
        } catch (const RequestError& e) {
            const std::string& p = e.path();
            if (p.rfind("texts[", 0) != 0) throw;
            const size_t close = p.find(']');
            const size_t j = std::stoul(p.substr(6, close - 6));
            const std::string name =
                single ? std::string("text") : schemas::index_path("texts", index.value_or(j));
            throw RequestError(name + p.substr(close + 1), e.problem());
        }
    };
    std::vector<std::vector<BlockResult>> out;
    out.reserve(texts.size());
    const bool shared = std::all_of(schemas.begin(), schemas.end(),
                                    [&](const Schema* s) { return s == schemas.front(); });
    if (shared && !schemas.empty()) {
        for (const V1Result& r : run(texts, *schemas.front(), std::nullopt))
            out.push_back(v1_blocks(*schemas.front(), r));
        return out;
    }
    for (size_t i = 0; i < texts.size(); ++i)
        out.push_back(v1_blocks(*schemas[i], run({texts[i]}, *schemas[i], i).front()));
    return out;
}

std::vector<const Schema*> same_schema(const Schema& schema, size_t count) {
    return std::vector<const Schema*>(count, &schema);
}

std::vector<const Schema*> each_schema(const std::vector<Schema>& schemas, size_t texts) {
    check_schema_count(texts, schemas.size());
    std::vector<const Schema*> out;
    for (const Schema& s : schemas)
        out.push_back(&s);
    return out;
}

std::vector<Json> v1_json(const Model::V1Backend& v1, const std::vector<std::string>& texts,
                          const std::vector<const Schema*>& schemas, double threshold,
                          size_t batch_size, size_t overlap, const OutputOptions& output,
                          bool single) {
    const auto blocks = run_v1(v1, texts, schemas, threshold, batch_size, overlap, single);
    std::vector<Json> out;
    for (size_t i = 0; i < blocks.size(); ++i)
        out.push_back(format_results(blocks[i], *schemas[i], output));
    return out;
}

std::vector<spanguard::Extraction> v1_typed(const Model::V1Backend& v1,
                                            const std::vector<std::string>& texts,
                                            const Schema& schema, double threshold,
                                            size_t batch_size, size_t overlap) {
    const auto blocks =
        run_v1(v1, texts, same_schema(schema, texts.size()), threshold, batch_size, overlap, false);
    std::vector<spanguard::Extraction> out;
    for (const auto& b : blocks)
        out.push_back(schemas::typed_from_blocks(b, schema));
    return out;
}

}  // namespace

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Model::Model(std::shared_ptr<const V1Backend> v1) : v1_(std::move(v1)) {}

Model Model::load(const std::string& dir, const ModelOptions& options) {
    if (is_gliner_v1_folder(dir)) {
        V1ModelOptions v1;
        v1.relative_distances = options.relative_distances;
        v1.precision = options.precision;
        return Model(
            std::make_shared<const V1Backend>(V1Backend{V1Model::load(dir, v1), options.limits}));
    }
    return Model(std::make_shared<const Impl>(dir, options));
}

const std::string& Model::directory() const {
    return v1_ ? v1_->model.directory() : impl_->directory;
}
const std::optional<TrainedTasks>& Model::trained_tasks() const {
    static const std::optional<TrainedTasks> none;
    return v1_ ? none : impl_->trained_tasks;
}
int Model::hidden_size() const {
    return v1_ ? v1_->model.config().encoder.hidden_size : impl_->encoder_config.hidden_size;
}

Json Model::extract(std::string_view text, const Schema& schema,
                    const ExtractOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, {std::string(text)}, same_schema(schema, 1), options.threshold, 1,
                       kDefaultChunkOverlap, {options.include_confidence, options.include_spans},
                       true)
            .front();
    }
    check_options(options);
    schemas::check_schema_size(schema, impl_->limits);
    schemas::check_text_size(text, impl_->limits, "text");
    const SchemaValidators validators = SchemaValidators::compile(schema);
    std::vector<ModelInput> inputs;
    inputs.push_back(impl_->builder.build(schema, text, options.max_len, "text"));
    check_lengths(*impl_, inputs, true);
    const RunSettings settings{
        options.threshold, 1, {options.include_confidence, options.include_spans}};
    return run_inputs(*impl_, inputs, {WorkItem{&schema, &validators}}, settings).front();
}

std::vector<Json> Model::extract_batch(const std::vector<std::string>& texts, const Schema& schema,
                                       const ExtractOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, texts, same_schema(schema, texts.size()), options.threshold,
                       options.batch_size, kDefaultChunkOverlap,
                       {options.include_confidence, options.include_spans}, false);
    }
    const SingleSchemaBatch batch(*impl_, texts, schema, options);
    const std::vector<ModelInput>& inputs = batch.inputs;
    const std::vector<WorkItem>& items = batch.items;
    const RunSettings settings{
        options.threshold, options.batch_size, {options.include_confidence, options.include_spans}};
    return run_inputs(*impl_, inputs, items, settings);
}

std::vector<spanguard::Extraction> Model::extract_typed(const std::vector<std::string>& texts,
                                                        const Schema& schema,
                                                        const ExtractOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_typed(*v1_, texts, schema, options.threshold, options.batch_size,
                        kDefaultChunkOverlap);
    }
    const SingleSchemaBatch batch(*impl_, texts, schema, options);
    const std::vector<ModelInput>& inputs = batch.inputs;
    const std::vector<WorkItem>& items = batch.items;
    const RunSettings settings{options.threshold, options.batch_size, {true, true}};
    std::vector<spanguard::Extraction> out(inputs.size());
    decode_inputs(*impl_, inputs, items, settings,
                  [&](size_t i, const std::vector<BlockResult>& blocks) {
                      out[i] = schemas::typed_from_blocks(blocks, schema);
                  });
    return out;
}

std::vector<Json> Model::extract_batch(const std::vector<std::string>& texts,
                                       const std::vector<Schema>& schemas,
                                       const ExtractOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, texts, each_schema(schemas, texts.size()), options.threshold,
                       options.batch_size, kDefaultChunkOverlap,
                       {options.include_confidence, options.include_spans}, false);
    }
    check_options(options);
    check_schema_count(texts.size(), schemas.size());
    std::vector<SchemaValidators> validators;
    validators.reserve(schemas.size());
    std::vector<ModelInput> inputs;
    inputs.reserve(texts.size());
    check_texts(*impl_, texts);
    for (size_t i = 0; i < texts.size(); ++i) {
        schemas::check_schema_size(schemas[i], impl_->limits, schemas::index_path("schemas", i));
        validators.push_back(SchemaValidators::compile(schemas[i]));
        inputs.push_back(impl_->builder.build(schemas[i], texts[i], options.max_len,
                                              schemas::index_path("texts", i)));
    }
    check_lengths(*impl_, inputs, false);
    std::vector<WorkItem> items;
    for (size_t i = 0; i < texts.size(); ++i)
        items.push_back({&schemas[i], &validators[i]});
    const RunSettings settings{
        options.threshold, options.batch_size, {options.include_confidence, options.include_spans}};
    return run_inputs(*impl_, inputs, items, settings);
}

std::vector<std::vector<TaskProbabilities>> Model::classification_probabilities(
    const std::vector<std::string>& texts, const Schema& schema, size_t batch_size) const {
    if (v1_) {
        throw RequestError("schema",
                           "a GLiNER v1 model has no classification head (it "
                           "extracts entity types only)");
    }
    check_batch_size(batch_size);
    schemas::check_schema_size(schema, impl_->limits);
    check_texts(*impl_, texts);
    const std::vector<ModelInput> inputs = impl_->builder.build_batch(schema, texts);
    check_lengths(*impl_, inputs, false);
    std::vector<std::vector<TaskProbabilities>> out(inputs.size());
    encode_batches(*impl_, inputs, batch_size,
                   [&](size_t i, const core::ConstRowMatrixRef& hidden) {
                       out[i] = sequence_class_probabilities(*impl_, hidden, inputs[i], schema);
                   });
    return out;
}

namespace {

// The *_long calls. `single` names the text "text" in errors (extract_long), else "texts[i]".
std::vector<Json> run_long(const Model::Impl& m, const std::vector<std::string>& texts,
                           const std::vector<Schema>& schemas, const LongTextOptions& options,
                           bool single) {
    check_options(options);
    check_schema_count(texts.size(), schemas.size());
    std::vector<SchemaValidators> validators;
    validators.reserve(schemas.size());
    std::vector<std::vector<schemas::TextWindow>> windows(texts.size());
    std::vector<ModelInput> inputs;
    std::vector<size_t> owner;  // the text of each window
    for (size_t i = 0; i < texts.size(); ++i) {
        const std::string path = single ? std::string("text") : schemas::index_path("texts", i);
        schemas::check_schema_size(
            schemas[i], m.limits,
            single ? std::string("schema") : schemas::index_path("schemas", i));
        schemas::check_text_size(texts[i], m.limits, path);
        validators.push_back(SchemaValidators::compile(schemas[i]));
        const schemas::PromptEncoding prompt = m.builder.encode_prompt(schemas[i]);
        windows[i] =
            schemas::split_text_windows(texts[i], options.chunk_size, options.chunk_overlap, path);
        for (const auto& w : windows[i]) {
            inputs.push_back(m.builder.build(prompt, w.text, options.chunk_size, path));
            owner.push_back(i);
        }
    }
    std::vector<WorkItem> items;
    for (size_t i : owner)
        items.push_back({&schemas[i], &validators[i]});
    // Windows always run with confidence and offsets: the merge needs both.
    const RunSettings settings{options.threshold, options.batch_size, {true, true}};
    const std::vector<Json> window_results = run_inputs(m, inputs, items, settings);

    std::vector<Json> out;
    out.reserve(texts.size());
    size_t next = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
        const std::vector<Json> mine(
            window_results.begin() + static_cast<long>(next),
            window_results.begin() + static_cast<long>(next + windows[i].size()));
        next += windows[i].size();
        out.push_back(schemas::merge_window_results(
            texts[i], windows[i], mine, scalar_entity_labels(schemas[i]),
            {options.include_confidence, options.include_spans}));
    }
    return out;
}

}  // namespace

Json Model::extract_long(std::string_view text, const Schema& schema,
                         const LongTextOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, {std::string(text)}, same_schema(schema, 1), options.threshold,
                       options.batch_size, options.chunk_overlap,
                       {options.include_confidence, options.include_spans}, true)
            .front();
    }
    return run_long(*impl_, {std::string(text)}, {schema}, options, true).front();
}

std::vector<Json> Model::extract_batch_long(const std::vector<std::string>& texts,
                                            const Schema& schema,
                                            const LongTextOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, texts, same_schema(schema, texts.size()), options.threshold,
                       options.batch_size, options.chunk_overlap,
                       {options.include_confidence, options.include_spans}, false);
    }
    return run_long(*impl_, texts, std::vector<Schema>(texts.size(), schema), options, false);
}

std::vector<Json> Model::extract_batch_long(const std::vector<std::string>& texts,
                                            const std::vector<Schema>& schemas,
                                            const LongTextOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_json(*v1_, texts, each_schema(schemas, texts.size()), options.threshold,
                       options.batch_size, options.chunk_overlap,
                       {options.include_confidence, options.include_spans}, false);
    }
    return run_long(*impl_, texts, schemas, options, false);
}

std::vector<spanguard::Extraction> Model::extract_typed_long(const std::vector<std::string>& texts,
                                                             const Schema& schema,
                                                             const LongTextOptions& options) const {
    if (v1_) {
        check_options(options);
        return v1_typed(*v1_, texts, schema, options.threshold, options.batch_size,
                        options.chunk_overlap);
    }
    LongTextOptions full = options;
    full.include_confidence = true;
    full.include_spans = true;
    const std::vector<Json> merged =
        run_long(*impl_, texts, std::vector<Schema>(texts.size(), schema), full, false);
    std::vector<spanguard::Extraction> out;
    out.reserve(merged.size());
    for (const Json& result : merged)
        out.push_back(schemas::typed_from_output(result, schema));
    return out;
}

std::set<std::string> scalar_entity_labels(const Schema& schema) {
    std::set<std::string> out;
    for (const auto& e : schema.entities) {
        if (e.dtype != schemas::ValueType::kList) out.insert(e.name);
    }
    return out;
}

}  // namespace spanguard::schemas
