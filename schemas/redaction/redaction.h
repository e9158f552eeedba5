// PII redaction: find spans with a Model and with pattern recognizers (pattern_recognizers.h), or
// take them from the caller; give each its canonical entity type (pii_entity_types.h); merge them
// (rules below); optionally confirm structured types with validators (pii_validators.h); and
// rewrite each span with an operator: replace, mask, hash, encrypt or keep. Field names follow
// Presidio's (entity_type, start, end, score, operator) so existing pipelines map over directly.
//
//   const spanguard::schemas::Model model =
//   spanguard::schemas::Model::load("data/models/spanguard-small-v1");
//   spanguard::schemas::RedactRequest request;
//   request.labels = spanguard::pii_preset("common");
//   request.operators["email"] = spanguard::Operator::mask("*", 4, /*from_end=*/true);
//   spanguard::schemas::RedactionResult r = spanguard::schemas::redact(model, "Mail jo@x.org to
//   Al", request);
//   // r.text == "Mail jo@x**** to <PERSON>", r.items[0].entity_type == "EMAIL_ADDRESS",
//   // r.items[0].label == "email"
//
// Units: every offset (RedactedItem::start/end, redacted_start/redacted_end, DetectedSpan) is in
// Unicode code points, half-open, into the text as given (not byte offsets), so Python's str
// indexing uses them unchanged.
//
// Replacement is done by offsets, never by searching the text for the value, so a value that
// occurs twice is only rewritten where it was detected.
//
// Entity types: every span is reported under its canonical type (entity_type: "PERSON",
// "CREDIT_CARD", ...); the model label that fired stays beside it (label: "full_name") and the
// recognizer that found it too (recognizer: "model", "CreditCardRecognizer", ...). Operators may
// be keyed by a canonical type or by any label: a key applies to every span of its canonical type
// ("card_number" masks a card the model reported as payment_card, and one the patterns found).
// Two keys of one canonical type with different operators are an error.
//
// Merging model and pattern spans (redaction_merge.cc), in this order:
//   1. Model spans below the threshold are gone (the model applies it); overlaps among the rest
//      are resolved by the overlap rules below; then neighbouring model spans of one canonical
//      type merge when only whitespace separates them ("John" first_name + "Smith" last_name ->
//      one PERSON), and LOCATION spans also across ",", ".", ";", "-", "/", "#" and line breaks
//      (a postal address over several lines becomes one item); at most 8 code points apart.
//   2. Pattern matches settle their own overlaps by the overlap rules below (a match inside
//      another yields to it). A validated pattern match of the same canonical type that overlaps a
//      model span widens it to the union of both, so a value the model found in part is redacted
//      whole; this holds for matches below the threshold too (they confirm boundaries, they do not
//      add items).
//   3. A pattern match at or above the threshold of another type wins the text it covers: an
//      overlapping model span keeps only its parts outside the match that hold a letter or digit.
//   4. Pattern matches at or above the threshold that no model span absorbed become items; all
//      items then go through the overlap rules once more.
//
// Overlaps (resolve_overlaps): a span contained in another span yields to the containing one
// whatever the scores; of two partially overlapping spans the higher score wins (ties: the earlier
// start, then the longer span, then the label that sorts first). The survivors never overlap.
// Spans with identical offsets count as partially overlapping (score, then label). Spans are
// decided from the outside in, so when a containing span itself loses to a third span, the spans
// it contained compete again (redaction_overlaps.cc spells the procedure out).
//
// Thread safety: pure functions of their arguments; the Model and RecognizerSets are shared
// read-only. Encryption draws its nonce from OpenSSL's RAND_bytes, which is thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schemas/redaction/pattern_recognizers.h"
#include "schemas/schema/json_values.h"

namespace spanguard::schemas {

class Model;

enum class OperatorKind {
    kReplace,  // the span becomes `new_value` ("" = "<ENTITY_TYPE>", e.g. "<EMAIL>")
    kMask,     // `chars_to_mask` code points (all when absent) become `masking_char`
    kHash,     // hex SHA-256 of salt || value (OpenSSL libcrypto)
    kEncrypt,  // AES-GCM (authenticated) with the caller's key; reversible with deanonymize()
    kKeep,     // left as is, still reported
};

struct Operator {
    OperatorKind kind = OperatorKind::kReplace;
    // replace: the replacement; "{entity_type}" in it is substituted ("" = "<ENTITY_TYPE>").
    std::string new_value;
    // mask: one code point (UTF-8 string of exactly one code point).
    std::string masking_char = "*";
    std::optional<size_t> chars_to_mask;  // code points; absent (or more than the span) = all
    bool from_end = false;                // mask the last chars_to_mask code points instead
    // hash: prefixed to the value before hashing (bytes, any length, may be empty).
    std::string salt;
    // encrypt: 16, 24 or 32 raw bytes (AES-128/192/256-GCM). The token written into the text is
    // "ENC(" base64(nonce[12] || ciphertext || tag[16]) ")"; the entity type is the associated
    // data, so a token moved to another label fails to decrypt.
    std::string key;

    static Operator replace(std::string new_value = "");
    static Operator mask(std::string masking_char = "*", std::optional<size_t> chars_to_mask = {},
                         bool from_end = false);
    static Operator hash(std::string salt);
    static Operator encrypt(std::string key);
    static Operator keep();
};

// What to do with a validator's verdict on spans of a type that has one (pii_validators.h).
enum class ValidationMode {
    kOff,       // validators are not run
    kAnnotate,  // every item of a type with a validator gets "valid": true/false; nothing is
                // dropped (items of other types have no "valid")
    kReject,    // spans that fail their validator are dropped (not redacted, not reported),
                // before overlap resolution, so they cannot push out a valid span
};

// Words per window and overlap of the windows redact() runs the model on. Chosen on the PII
// benchmark (bench/pii_bench.py, bench/README.md): narrower windows than extract's 384 words find
// more on documents of a few hundred words and more.
inline constexpr size_t kRedactChunkSize = 128;
inline constexpr size_t kRedactChunkOverlap = 32;

struct RedactRequest {
    // Entity types the model looks for (names as sent to the model); see pii_preset(). Not used
    // by redact_spans(), which takes the caller's spans whatever their type.
    std::vector<std::string> labels;
    // Operators keyed by canonical type or by any label (see "Entity types" above); types without
    // one use `default_operator`.
    std::map<std::string, Operator> operators;
    Operator default_operator;
    double threshold = 0.5;  // span probability threshold, for model and pattern scores alike
    ValidationMode validation = ValidationMode::kOff;
    bool include_original = false;  // add each item's original text ("text")

    // Which detectors run: the model (over `labels`) and the pattern recognizers.
    bool use_model = true;
    bool use_patterns = true;
    // Canonical types the built-in pattern recognizers look for besides those of `labels`
    // (pattern_entity_types_for() says which types labels bring; pii_preset_entity_types()
    // gives a preset's). Names may be labels or canonical types.
    std::vector<std::string> entity_types;
    // User recognizers (RecognizerSet::from_json); they always run when patterns are on.
    std::shared_ptr<const RecognizerSet> custom_recognizers;
    PatternOptions pattern_options;  // phone regions
    // Model windows (words, overlap in words); chunk_overlap < chunk_size.
    size_t chunk_size = kRedactChunkSize;
    size_t chunk_overlap = kRedactChunkOverlap;
};

// A span found in a text, before redaction. Offsets in code points into the text as given.
struct DetectedSpan {
    DetectedSpan() = default;
    DetectedSpan(std::string entity_type_, size_t start_, size_t end_, double score_,
                 std::string label_ = "", std::string recognizer_ = "")
        : entity_type(std::move(entity_type_)),
          start(start_),
          end(end_),
          score(score_),
          label(std::move(label_)),
          recognizer(std::move(recognizer_)) {}

    std::string entity_type;  // canonical once merged; redact_spans() canonicalises callers'
    size_t start = 0;
    size_t end = 0;
    double score = 0.0;
    std::string label;       // the model label, when the model found it
    std::string recognizer;  // "model", a pattern recognizer's name, or "" for callers' spans
};

struct RedactedItem {
    std::string entity_type;  // canonical (pii_entity_types.h)
    std::string label;        // the model label (or the caller's entity_type); "" for patterns
    std::string recognizer;   // "model", a recognizer name ("IbanRecognizer"), or "caller"
    size_t start = 0;         // in the original text (code points, half-open)
    size_t end = 0;
    size_t redacted_start = 0;  // where the replacement sits in the redacted text
    size_t redacted_end = 0;
    double score = 0.0;
    std::string op;                       // "replace" | "mask" | "hash" | "encrypt" | "keep"
    std::optional<bool> valid;            // ValidationMode::kAnnotate only
    std::optional<std::string> original;  // include_original only
};

struct RedactionResult {
    std::string text;                 // the redacted text (UTF-8)
    std::vector<RedactedItem> items;  // in text order
};

// Detects `request.labels` in `text` with the model (in windows of request.chunk_size words) and
// the pattern recognizers, merges the spans and redacts them.
// Throws schemas::RequestError for invalid UTF-8, an empty label list or an invalid operator.
// Empty and whitespace-only texts are returned unchanged with no items (and are not run).
// redact_batch: one result per text, in order; errors name the text as texts[i]; batch_size is
// windows per encoder call.
RedactionResult redact(const Model& model, std::string_view text, const RedactRequest& request);
std::vector<RedactionResult> redact_batch(const Model& model, const std::vector<std::string>& texts,
                                          const RedactRequest& request, size_t batch_size = 8);

// Redacts caller-supplied spans (no model, no patterns): canonical types, overlap resolution,
// validation and operators only.
// Throws schemas::RequestError naming the span (`spans[2]: end 40 beyond the text's 31 code
// points`).
RedactionResult redact_spans(std::string_view text, const std::vector<DetectedSpan>& spans,
                             const RedactRequest& request);

// The spans that survive the overlap rules above, sorted by start.
std::vector<DetectedSpan> resolve_overlaps(std::vector<DetectedSpan> spans);

// Reverses the encrypt operator: every "ENC(...)" token of `items` in `redacted_text` is decrypted
// with `key`, and the other items are left as they are. Throws schemas::RequestError when a token
// does not authenticate (wrong key, tampered text or label).
std::string deanonymize(std::string_view redacted_text, const std::vector<RedactedItem>& items,
                        const std::string& key);

// Named label sets: "pii" (the 42 GLiNER2-PII labels, in the published order) and "common"
// (a short everyday set: person, email, phone_number, address, ...). Throws RequestError for an
// unknown name, listing the known ones.
std::vector<std::string> pii_preset(std::string_view name);
std::vector<std::string> pii_preset_names();
// The canonical types a preset asks the pattern recognizers for: for "pii" every built-in
// type (URL, MAC_ADDRESS, US_SSN, US_ITIN and CRYPTO included), for "common" its labels' types.
std::vector<std::string> pii_preset_entity_types(std::string_view name);
// The canonical types the built-in recognizers look for given model labels: each label's type,
// plus US_SSN for NATIONAL_ID and US_ITIN for TAX_ID.
std::set<std::string> pattern_entity_types_for(const std::vector<std::string>& labels,
                                               const std::vector<std::string>& entity_types);

// JSON forms used by the CLI and the Python binding:
//   operators: {"email": {"type": "mask", "masking_char": "#", "chars_to_mask": 4,
//               "from_end": true}, "default": {"type": "replace", "new_value": "[{entity_type}]"}}
//   result:    {"text": "...", "items": [{"entity_type", "label", "recognizer", "start", "end",
//               "redacted_start", "redacted_end", "score", "operator", ["valid"], ["text"]}, ...]}
// operators_from_json throws RequestError naming the path ("operators.email.chars_to_mask: ...").
// Keys "salt" and "key" are UTF-8 strings; a key may also be given as {"key_hex": "..."} (and a
// salt as {"salt_hex": "..."}). The key "default" sets request.default_operator; other keys set
// (or overwrite) request.operators entries, leaving the rest of the request as it was.
// items_from_json reads what to_json writes (unknown keys are errors).
void operators_from_json(const schemas::Json& operators, RedactRequest& request,
                         const std::string& path = "operators");
schemas::Json to_json(const RedactionResult& result);
std::vector<RedactedItem> items_from_json(const schemas::Json& items,
                                          const std::string& path = "items");

// Presidio's shapes, field for field: {"analyzer_results": [{"entity_type", "start", "end",
// "score", "analysis_explanation": null, "recognition_metadata": {"recognizer_name",
// "recognizer_identifier"[, "label"]}}], "anonymizer_result": {"text", "items": [{"start", "end",
// "entity_type", "text", "operator"}]}}: analyzer offsets into the original text, anonymizer
// offsets and "text" (the replacement) in the redacted one, code points as Python's str. The
// model's recognizer_name is "SpanguardModelRecognizer".
schemas::Json to_presidio_json(const RedactionResult& result);

// The reverse of operators_from_json: every request.operators entry plus "default". Encrypt keys
// are written as "key_hex", salts that are not valid UTF-8 as "salt_hex".
schemas::Json operators_to_json(const RedactRequest& request);
schemas::Json to_json(const Operator& op);
schemas::Json to_json(const RedactedItem& item);

}  // namespace spanguard::schemas
