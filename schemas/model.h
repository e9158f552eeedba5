// spanguard::schemas::Model: a GLiNER2 `span` checkpoint folder loaded for inference, with the
// reference API's extraction calls (GLINER2.md §4): entities, structures, relations and
// classifications of any combination, one text or a batch, single pass or windowed long-text.
//
//   #include "schemas/model.h"
//   #include "schemas/schema/schema_parser.h"
//
//   const spanguard::schemas::Model model =
//   spanguard::schemas::Model::load("/models/gliner2-base-v1"); const auto schema =
//   spanguard::schemas::schema_from_dict(spanguard::schemas::Json::parse(R"({
//       "entities": ["person", "company"],
//       "classifications": [{"task": "sentiment", "labels": ["positive", "negative"]}]})"));
//   spanguard::schemas::ExtractOptions options;
//   options.include_confidence = true;
//   spanguard::schemas::Json out = model.extract("Tim Cook is CEO of Apple.", schema, options);
//   // {"entities": {"person": [{"text": "Tim Cook", "confidence": 0.99...}], ...},
//   //  "sentiment": {"label": "positive", "confidence": 0.8...}}
//
// Outputs are the reference's result objects (output_format.h describes every shape), as
// nlohmann::ordered_json so key order follows the request. Offsets (include_spans) are code points
// into the text after the end-of-text rule of GLINER2.md §2.2 (a "." is appended to a text that
// does not
// end in . ! or ?), or, for the *_long calls, into the text as given.
//
// Batches: texts are encoded batch_size at a time, right-padded; an item's result does not depend
// on the other items of its batch or on batch_size. extract_batch takes one schema for every text
// or one schema per text.
//
// Errors: load() throws std::runtime_error subclasses naming the file and problem (core::Error,
// tokenizer::TokenizerError). The extraction calls throw schemas::RequestError naming the input
// (`texts[3]: invalid UTF-8 at byte offset 17`, an option, or a validator pattern) and never abort.
//
// Thread safety: a Model is immutable after load(); every const method may run on many threads at
// once. Copies share the loaded weights (cheap to copy, shared ownership).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoder/relative_position.h"
#include "core/weights/int8_weights.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/json_values.h"
#include "schemas/schema/request_limits.h"
#include "schemas/schema/schema.h"
#include "schemas/trained_tasks.h"
#include "spanguard/spanguard.h"

namespace spanguard::schemas {

struct ModelOptions {
    // How DeBERTa buckets relative distances of 512 tokens or more (only sequences longer than 512
    // sub-tokens see a difference). kHuggingFace is what the GLiNER2 package runs; kMicrosoft
    // matches Microsoft's original DeBERTa code (used to produce the parity goldens).
    core::RelativeDistanceConvention relative_distances =
        core::RelativeDistanceConvention::kHuggingFace;
    // Bounds on one request (text bytes, single-pass sub-tokens, schema entries); exceeding one is
    // a RequestError naming the text or schema and the limit (request_limits.h).
    schemas::RequestLimits limits;
    // kInt8: the encoder's value, attention-output and FFN Linear layers run int8 GEMMs (AVX-512
    // VNNI when the CPU has it) on weights quantized at load (core/weights/int8_weights.h: about
    // 1 byte more memory per quantized weight); scores then differ slightly from float32 and a
    // few decisions near a threshold can flip (bench/int8_agreement.py measures how many).
    // kFloat32 (default) is exact to the reference.
    core::Precision precision = core::Precision::kFloat32;
};

// Options of the single-pass calls. Defaults are the reference's.
struct ExtractOptions {
    // Span probability threshold for entities, structure fields and relations whose schema entry
    // has no threshold of its own. Classification uses each task's cls_threshold instead.
    double threshold = 0.5;
    bool include_confidence = false;  // add each value's probability
    bool include_spans = false;       // add each span's start/end (code points, half-open)
    size_t batch_size = 8;            // texts per encoder call (extract_batch)
    // Keep only the first max_len words of each text (none: no limit).
    std::optional<size_t> max_len;
};

// Options of the windowed long-text calls (GLINER2.md §4.7): each text is cut into windows of
// chunk_size words overlapping by chunk_overlap words, every window is run with max_len =
// chunk_size, and the windows' results are merged (long_text_merge.h).
struct LongTextOptions {
    double threshold = 0.5;
    bool include_confidence = false;
    bool include_spans = false;
    size_t batch_size = 8;  // windows per encoder call, across all texts of the call
    size_t chunk_size = schemas::kDefaultChunkSize;        // 384
    size_t chunk_overlap = schemas::kDefaultChunkOverlap;  // 64
};

// Every label's probability for one classification task (Model::classification_probabilities).
struct TaskProbabilities {
    std::string task;
    std::vector<std::string> labels;   // the task's labels, in schema order
    std::vector<float> probabilities;  // probabilities[i] is labels[i]'s, float32 as decoded
};

class Model {
  public:
    // Loads a checkpoint folder: config.json, encoder_config/config.json, model.safetensors, and
    // tokenizer.json or spm.model + added_tokens.json (schemas/prompt/checkpoint_tokenizer.h); or
    // a GLiNER v1 folder (gliner_config.json; see is_gliner_v1()).
    static Model load(const std::string& dir, const ModelOptions& options = {});

    // One text. Throws schemas::RequestError for an invalid text, option or validator pattern.
    schemas::Json extract(std::string_view text, const schemas::Schema& schema,
                          const ExtractOptions& options = {}) const;

    // Many texts, one result per text in order. Errors name the text as texts[i].
    std::vector<schemas::Json> extract_batch(const std::vector<std::string>& texts,
                                             const schemas::Schema& schema,
                                             const ExtractOptions& options = {}) const;
    // One schema per text (throws RequestError when the counts differ).
    std::vector<schemas::Json> extract_batch(const std::vector<std::string>& texts,
                                             const std::vector<schemas::Schema>& schemas,
                                             const ExtractOptions& options = {}) const;

    // Windowed variants for texts of any length.
    schemas::Json extract_long(std::string_view text, const schemas::Schema& schema,
                               const LongTextOptions& options = {}) const;
    std::vector<schemas::Json> extract_batch_long(const std::vector<std::string>& texts,
                                                  const schemas::Schema& schema,
                                                  const LongTextOptions& options = {}) const;
    std::vector<schemas::Json> extract_batch_long(const std::vector<std::string>& texts,
                                                  const std::vector<schemas::Schema>& schemas,
                                                  const LongTextOptions& options = {}) const;

    // The same single-pass and windowed calls with typed results (decoding/typed_results.h),
    // offsets and confidences always filled: the seam the public API (spanguard/spanguard.h) and
    // redaction read results through. options.include_confidence / include_spans are ignored.
    std::vector<spanguard::Extraction> extract_typed(const std::vector<std::string>& texts,
                                                     const Schema& schema,
                                                     const ExtractOptions& options = {}) const;
    std::vector<spanguard::Extraction> extract_typed_long(
        const std::vector<std::string>& texts, const Schema& schema,
        const LongTextOptions& options = {}) const;

    // Per text, per classification task of `schema` (schema order, other tasks skipped), every
    // label's probability after the task's activation (softmax over the labels, or sigmoid per
    // label; ClassificationTask::activation) -- the very float32 values extract() thresholds, so
    // a caller can apply its own decision rules (moderation.h). Texts are encoded batch_size at a
    // time, one encoder call per batch; an item's values do not depend on its batch. Throws
    // schemas::RequestError for an invalid text (`texts[i]: ...`), a zero batch_size, or a schema
    // the prompt builder refuses; a schema without classification tasks gives empty vectors.
    std::vector<std::vector<TaskProbabilities>> classification_probabilities(
        const std::vector<std::string>& texts, const schemas::Schema& schema,
        size_t batch_size = 8) const;

    // The folder the model was loaded from, and its hidden size.
    const std::string& directory() const;
    // The tasks the folder's trained_tasks.json declares (trained_tasks.h); nullopt without one.
    const std::optional<TrainedTasks>& trained_tasks() const;
    int hidden_size() const;

    // Whether the folder held a GLiNER v1 checkpoint (gliner_v1/v1_model.h). Such a model answers
    // entity types only (gliner_v1/v1_requests.h): the extract calls refuse other tasks with a
    // RequestError and classification_probabilities() refuses every schema. Texts of any length
    // are read in windows of the model's max_len words, by the single-pass calls too.
    bool is_gliner_v1() const { return v1_ != nullptr; }

    // The loaded checkpoint; opaque outside model.cc.
    struct Impl;
    struct V1Backend;

  private:
    explicit Model(std::shared_ptr<const Impl> impl);
    explicit Model(std::shared_ptr<const V1Backend> v1);
    std::shared_ptr<const Impl> impl_;     // a GLiNER2 checkpoint, or
    std::shared_ptr<const V1Backend> v1_;  // a GLiNER v1 one
};

// Entity types declared with dtype `str` (the long-text merge keeps one value for them).
std::set<std::string> scalar_entity_labels(const schemas::Schema& schema);

}  // namespace spanguard::schemas
