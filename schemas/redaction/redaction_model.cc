// redact() and redact_batch(): model-based detection feeding the span pipeline.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "schemas/model.h"
#include "schemas/prompt/python_whitespace.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_pipeline.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {
namespace {

schemas::Schema label_schema(const RedactRequest& request) {
    schemas::Json labels = schemas::Json::array();
    for (const std::string& label : request.labels)
        labels.push_back(label);
    // The parser rejects empty, duplicate and invalid UTF-8 labels, naming "labels[i]".
    return schemas::schema_from_entity_types(labels, "labels");
}

// The model's spans of one text. A windowed span may cover the window's synthetic final "."
// (GLINER2.md §2.2), one code point past the text; that point is not in the text, so the span is
// cut back to it.
std::vector<DetectedSpan> model_spans_of(const spanguard::Extraction& found, size_t text_length) {
    std::vector<DetectedSpan> spans;
    for (const spanguard::Entity& e : found.entities) {
        const size_t end = std::min(e.end, text_length);
        if (e.start < end)
            spans.emplace_back(e.label, e.start, end, e.confidence, e.label, "model");
    }
    return spans;
}

// Texts with no words give no spans; they are not sent to the model at all.
bool blank(std::string_view text) {
    return schemas::python_strip(text).empty();
}

}  // namespace

std::vector<RedactionResult> redact_batch(const Model& model, const std::vector<std::string>& texts,
                                          const RedactRequest& request, size_t batch_size) {
    if (batch_size == 0) throw schemas::RequestError("batch_size", "batch_size must be at least 1");
    redaction::check_request(request);
    if (!request.use_model && !request.use_patterns) {
        throw schemas::RequestError("recognizers",
                                    "no recognizers: turn on the model, the "
                                    "patterns or both");
    }
    const bool run_model = request.use_model && !request.labels.empty();
    const std::set<std::string> pattern_types =
        pattern_entity_types_for(request.labels, request.entity_types);
    const bool run_builtin = request.use_patterns && !pattern_types.empty();
    const bool run_custom = request.use_patterns && request.custom_recognizers != nullptr;
    if (!run_model && !run_builtin && !run_custom) {
        throw schemas::RequestError(
            "labels", request.use_model
                          ? "no entity types to look for (give labels, a preset or entity types)"
                          : "no entity types for the pattern recognizers (give labels, a preset, "
                            "entity types or custom recognizers)");
    }
    const schemas::Schema schema = run_model ? label_schema(request) : schemas::Schema{};
    std::vector<std::string> to_run;
    std::vector<size_t> run_index(texts.size(), static_cast<size_t>(-1));
    for (size_t i = 0; i < texts.size(); ++i) {
        redaction::require_valid_text(texts[i], "texts[" + std::to_string(i) + "]");
        if (!blank(texts[i])) {
            run_index[i] = to_run.size();
            to_run.push_back(texts[i]);
        }
    }
    LongTextOptions options;
    options.threshold = request.threshold;
    options.batch_size = batch_size;
    options.chunk_size = request.chunk_size;
    options.chunk_overlap = request.chunk_overlap;
    const std::vector<spanguard::Extraction> found =
        to_run.empty() || !run_model ? std::vector<spanguard::Extraction>{}
                                     : model.extract_typed_long(to_run, schema, options);
    auto patterns_of = [&](const std::string& text) {
        std::vector<DetectedSpan> spans;
        if (run_builtin) {
            spans = RecognizerSet::builtin()->find(text, pattern_types, request.pattern_options);
        }
        if (run_custom) {
            auto more = request.custom_recognizers->find(text, {}, request.pattern_options);
            spans.insert(spans.end(), more.begin(), more.end());
        }
        return spans;
    };

    std::vector<RedactionResult> results;
    results.reserve(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        if (run_index[i] == static_cast<size_t>(-1)) {
            results.push_back(RedactionResult{texts[i], {}});
            continue;
        }
        const size_t length = tokenizer::utf8::CodePointIndex(texts[i]).code_point_count();
        std::vector<DetectedSpan> model_spans =
            run_model ? model_spans_of(found[run_index[i]], length) : std::vector<DetectedSpan>{};
        results.push_back(redaction::apply_spans(texts[i], std::move(model_spans),
                                                 patterns_of(texts[i]), request, /*join=*/true));
    }
    return results;
}

RedactionResult redact(const Model& model, std::string_view text, const RedactRequest& request) {
    redaction::require_valid_text(text, "text");
    return std::move(redact_batch(model, {std::string(text)}, request).front());
}

}  // namespace spanguard::schemas
