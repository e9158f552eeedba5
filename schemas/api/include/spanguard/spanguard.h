// spanguard: entity extraction, classification, relation and structure extraction, PII redaction
// and safety moderation with GLiNER2-family models on the CPU. The library's one public header.
//
//   #include <spanguard/spanguard.h>
//
//   const spanguard::Model model = spanguard::Model::load_default();  // or load("/models/x")
//   const auto schema = spanguard::Schema()
//                           .entities({"person", "company"})
//                           .classification("sentiment", {"positive", "negative"});
//   spanguard::Extraction r = model.extract("Tim Cook is CEO of Apple.", schema);
//   for (const spanguard::Entity& e : r.entities) std::cout << e.label << ": " << e.text << "\n";
//   r.classifications[0].labels[0].label;  // "positive"
//
//   spanguard::RedactOptions redact;
//   redact.preset = "common";
//   spanguard::Redaction red = model.redact("Mail jo@x.org", redact);  // red.text == "Mail
//   <EMAIL>"
//
//   spanguard::Moderation m = model.moderate({"how do I build a bomb?", std::nullopt});
//   m.unsafe;  // verdict; m.prompt->flagged names the harm categories
//
// Link with spanguard::spanguard (CMake: find_package(spanguard)) or `pkg-config --libs spanguard`.
//
// Units: texts are UTF-8. Every offset (start, end) is a half-open range of Unicode code points
// (not bytes) into the text as given; a single-pass span may end one code point past the text
// when it covers the "." the model appends to a text that does not end in . ! or ? (the model
// family's end-of-text rule).
//
// Errors: load() throws LoadError naming the file and the problem; every other call throws
// RequestError naming the offending input by its path ("texts[3]: invalid UTF-8 at byte offset
// 17", "schema.classifications[0].labels: ..."). Nothing aborts.
//
// Thread safety: a Model is immutable after load(); every const method may run on many threads
// at once. Copies share the loaded weights (cheap, shared ownership). Schema and the option and
// result structs are plain values.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#if defined(_WIN32)
#define SPANGUARD_API
#else
#define SPANGUARD_API __attribute__((visibility("default")))
#endif

namespace spanguard {

// ---- Errors ---------------------------------------------------------------------------------

class SPANGUARD_API Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A model folder that cannot be loaded: missing or corrupt file, unsupported configuration.
class SPANGUARD_API LoadError : public Error {
  public:
    using Error::Error;
};

// Input the library cannot use: invalid UTF-8, a malformed schema or option, a text over a limit.
class SPANGUARD_API RequestError : public Error {
  public:
    RequestError(std::string where, std::string problem);
    // Path of the offending input ("texts[3]", "schema.entities[1]"); "" for the whole request.
    const std::string& where() const { return where_; }
    const std::string& problem() const { return problem_; }

  private:
    std::string where_;
    std::string problem_;
};

// ---- Loading --------------------------------------------------------------------------------

enum class Precision {
    kFloat32,  // exact to the reference implementation
    kInt8,     // int8 encoder GEMMs on weights quantized at load: faster; a few decisions near a
               // threshold may differ from float32
};

struct LoadOptions {
    Precision precision = Precision::kFloat32;
    // Bounds on one request; exceeding one is a RequestError naming the input and the limit.
    size_t max_text_bytes = size_t{16} << 20;  // UTF-8 bytes of one text
    size_t max_sequence_tokens = 4096;         // prompt + text sub-tokens of a single pass
    size_t max_schema_entries = 1024;          // labels + types + fields + choices of a schema
};

// ---- Schemas --------------------------------------------------------------------------------

// One field of a structure (Schema::structure).
struct Field {
    std::string name;
    bool single = false;               // one value (the reference's dtype "str") instead of a list
    std::vector<std::string> choices;  // non-empty: the model picks among these, not text spans
    std::string description;           // optional hint added to the prompt
};

// What to look for in a text: entity types, classification tasks, relations and structures, in
// any combination, answered by one encoder pass. Builder calls validate at once and throw
// RequestError naming the entry; declaration order is kept (it is the order of the prompt).
class SPANGUARD_API Schema {
  public:
    Schema();
    // The JSON schema the CLI and the Python package take: {"entities": [...] | {...},
    // "classifications": [{"task", "labels", "multi_label", "cls_threshold", ...}],
    // "relations": [...], "structures": {"name": {"fields": [...]}}}.
    static Schema from_json(std::string_view json);

    Schema& entities(const std::vector<std::string>& labels);
    Schema& entity(const std::string& label, const std::string& description = "",
                   std::optional<double> threshold = std::nullopt);
    // Single-label: softmax over the labels, one label returned. Multi-label: sigmoid per label,
    // every label whose probability reaches `threshold`.
    Schema& classification(const std::string& task, const std::vector<std::string>& labels,
                           bool multi_label = false, double threshold = 0.5);
    Schema& relation(const std::string& name, std::optional<double> threshold = std::nullopt);
    Schema& structure(const std::string& name, const std::vector<Field>& fields);

    // The schema as JSON (the shape from_json reads).
    std::string to_json() const;

    struct Impl;  // opaque

  private:
    std::shared_ptr<const Impl> impl_;
    friend class Model;
};

// ---- Extraction results ---------------------------------------------------------------------

struct Span {
    std::string text;
    double confidence = 0.0;  // the span's probability
    size_t start = 0;         // code points, half-open
    size_t end = 0;
};

struct Entity {
    std::string label;  // the entity type as requested
    std::string text;
    double confidence = 0.0;
    size_t start = 0;
    size_t end = 0;
};

struct LabelScore {
    std::string label;
    double confidence = 0.0;
};

// A classification task's answer: one label (single-label), or every chosen label in label order
// (multi-label).
struct Classification {
    std::string task;
    std::vector<LabelScore> labels;
};

struct Relation {
    std::string relation;
    Span head;
    Span tail;
};

struct FieldValue {
    std::string field;
    std::vector<Span> spans;          // text fields (at most one for a single field)
    std::vector<LabelScore> choices;  // choice fields
};

// One instance of a structure; fields in declaration order, empty fields included.
struct StructureInstance {
    std::string structure;
    std::vector<FieldValue> fields;
};

struct Extraction {
    // By entity type in request order; within a type, most confident first (single pass) or in
    // text order (windowed).
    std::vector<Entity> entities;
    std::vector<Classification> classifications;  // task order
    std::vector<Relation> relations;              // relation order, then as found
    std::vector<StructureInstance> structures;    // structure order, then as found
};

struct ExtractOptions {
    // Span probability threshold for entity types, relations and fields without their own.
    double threshold = 0.5;
    size_t batch_size = 8;  // texts (or windows) per encoder call; results do not depend on it
    // false: one pass per text (a text over max_sequence_tokens is a RequestError). true: texts
    // of any length, cut into windows of chunk_size words overlapping by chunk_overlap words,
    // whose results are merged.
    bool windowed = false;
    size_t chunk_size = 384;
    size_t chunk_overlap = 64;
};

// ---- Redaction ------------------------------------------------------------------------------

struct Operator {
    enum class Kind {
        kReplace,  // the span becomes new_value ("" = "<ENTITY_TYPE>"; "{entity_type}" expands)
        kMask,     // chars_to_mask code points (all when absent) become masking_char
        kHash,     // hex SHA-256 of salt || value
        kEncrypt,  // AES-GCM with key (16, 24 or 32 bytes); reversible with deanonymize()
        kKeep,     // left as is, still reported
    };
    Kind kind = Kind::kReplace;
    std::string new_value;
    std::string masking_char = "*";  // exactly one code point
    std::optional<size_t> chars_to_mask;
    bool from_end = false;
    std::string salt;
    std::string key;
};

struct RedactOptions {
    // What to look for: model labels, a named label set ("pii": the 42 GLiNER2-PII labels,
    // "common": a short everyday set), and canonical entity types for the pattern recognizers
    // (EMAIL_ADDRESS, CREDIT_CARD, IBAN_CODE, US_SSN, CRYPTO, ...). At least one must be given.
    std::vector<std::string> labels;
    std::string preset;
    std::vector<std::string> entity_types;
    // Operators keyed by canonical entity type or by model label; others use default_operator.
    std::map<std::string, Operator> operators;
    Operator default_operator;
    double threshold = 0.5;
    bool use_model = true;     // the model over `labels`
    bool use_patterns = true;  // the validated pattern recognizers (RE2, libphonenumber)
    // Recognizers of the caller's own, as JSON (Presidio's ad-hoc recognizer shape); "" = none.
    std::string custom_recognizers_json;
    // ISO 3166 regions whose national phone formats are recognized ("+" forms: every region).
    std::vector<std::string> phone_regions = {"US"};
    bool include_original = false;
    size_t chunk_size = 128;  // model windows: words, overlap in words
    size_t chunk_overlap = 32;
    size_t batch_size = 8;
};

struct RedactedEntity {
    std::string entity_type;  // canonical (PERSON, EMAIL_ADDRESS, ...)
    std::string label;        // the model label that fired; "" for pattern matches
    std::string recognizer;   // "model" or the pattern recognizer's name
    size_t start = 0;         // in the original text (code points)
    size_t end = 0;
    size_t redacted_start = 0;  // where the replacement sits in the redacted text
    size_t redacted_end = 0;
    double score = 0.0;
    std::string operator_name;            // "replace" | "mask" | "hash" | "encrypt" | "keep"
    std::optional<std::string> original;  // include_original only
};

struct Redaction {
    std::string text;                   // the redacted text
    std::vector<RedactedEntity> items;  // in text order
};

// Reverses the encrypt operator on a redacted text. Throws RequestError when a token does not
// authenticate (wrong key, tampered text).
SPANGUARD_API std::string deanonymize(std::string_view redacted_text,
                                      const std::vector<RedactedEntity>& items,
                                      const std::string& key);

// ---- Moderation -----------------------------------------------------------------------------

// A chat exchange to judge: a prompt, a response, or both.
struct ModerationInput {
    std::optional<std::string> prompt;
    std::optional<std::string> response;
};

struct ModerationOptions {
    // The single-label tasks' operating threshold ("unsafe" must reach it).
    double threshold = 0.5;
    // A custom policy as JSON (tasks, safe/unsafe labels, veto per side); "" = GLiGuard's.
    std::string policy_json;
    size_t batch_size = 8;
    // 0: one pass per text. Otherwise windows of chunk_size words (overlap chunk_overlap), each
    // label's probability being its maximum over the windows.
    size_t chunk_size = 0;
    size_t chunk_overlap = 0;
};

struct TaskVerdict {
    std::string task;
    std::vector<std::string> labels;  // the labels the task returned
    std::vector<LabelScore> scores;   // every label's probability, in label order
    bool flagged = false;
};

struct SideVerdict {
    bool unsafe = false;
    bool vetoed = false;               // e.g. GLiGuard's response_refusal = refusal
    std::vector<std::string> flagged;  // flagging labels of all tasks, in order
    std::vector<TaskVerdict> tasks;    // policy order
};

struct Moderation {
    bool unsafe = false;                  // any side given is unsafe
    std::optional<SideVerdict> prompt;    // present when a prompt was given
    std::optional<SideVerdict> response;  // present when a response was given
};

// ---- The model ------------------------------------------------------------------------------

class SPANGUARD_API Model {
  public:
    // A GLiNER2 checkpoint folder (config.json, encoder_config/config.json, model.safetensors,
    // tokenizer.json or spm.model), a Hugging Face Hub id ("fastino/gliner2-base-v1",
    // "ORG/NAME@REVISION") or an alias ("gliner2-base"). Hub models are downloaded into the shared
    // Hugging Face cache ($HF_HOME / $HF_HUB_CACHE; $HF_TOKEN, $HF_ENDPOINT, $HF_HUB_OFFLINE) and
    // used from it afterwards; an existing path always wins over a Hub id.
    static Model load(const std::string& directory, const LoadOptions& options = {});
    // $SPANGUARD_MODEL when set, else the model installed with the library
    // (<prefix>/share/spanguard/models/spanguard-small-v1), else the source tree's.
    static Model load_default(const LoadOptions& options = {});
    static std::string default_directory();

    Extraction extract(std::string_view text, const Schema& schema,
                       const ExtractOptions& options = {}) const;
    // One result per text, in order; errors name the text as texts[i].
    std::vector<Extraction> extract(const std::vector<std::string>& texts, const Schema& schema,
                                    const ExtractOptions& options = {}) const;

    Redaction redact(std::string_view text, const RedactOptions& options) const;
    std::vector<Redaction> redact(const std::vector<std::string>& texts,
                                  const RedactOptions& options) const;

    Moderation moderate(const ModerationInput& input, const ModerationOptions& options = {}) const;
    std::vector<Moderation> moderate(const std::vector<ModerationInput>& inputs,
                                     const ModerationOptions& options = {}) const;

    const std::string& directory() const;

    struct Impl;  // opaque

  private:
    explicit Model(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

}  // namespace spanguard
