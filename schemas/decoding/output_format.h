// Decoded block results -> the reference's JSON output (GLINER2.md §4.6), as
// nlohmann::ordered_json so
// that key order (task order, field declaration order) is kept.
//
// Shapes, for the two flags of OutputOptions:
//   span item          "text" | {"text", "confidence"} | {"text", "start", "end"} |
//                      {"text", "confidence", "start", "end"}   (start/end: code points into
//                      the text after the §2.2 rule, half-open; confidence: the float32
//                      probability as a double, e.g. 0.8799760341644287)
//   entities           {"entities": {type: [span item, ...] | span item | null, ...}}, or
//                      {"entities": {}} when the count head closed the entity block
//   structure          {name: [{field: value, ...}, ...]}, or {name: {}} when its count was 0;
//                      list field: [span item, ...], str field: span item | null, choice field:
//                      "choice" | {"text", "confidence"} (or a list of them) | null
//   classification     {task: "label" | {"label", "confidence"}}, multi-label: a list of them
//   relations          {"relation_extraction": {name: [[head, tail] | {"head": item,
//                      "tail": item}, ...]}}, last, with every requested relation present
// Lists of span items are de-duplicated by lower-cased text, or by (lower-cased text, start, end)
// when spans are included; relation lists are not de-duplicated.
//
// Keys are the blocks' task names in block order. When two blocks share a name (a structure and a
// classification task both called "topic"), the later block's value takes the earlier one's
// place, as assignment to a Python dict does; the same rule applies to a task literally named
// "entities" or "relation_extraction".
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "schemas/decoding/decode_results.h"
#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

struct OutputOptions {
    bool include_confidence = false;  // add each value's probability
    bool include_spans = false;       // add each span's start/end code point offsets
};

// One span as an output item (a string when neither flag is set).
Json render_span(const SpanMatch& span, const OutputOptions& options);

// A list of spans, in the given order, de-duplicated as described above.
Json render_span_list(const std::vector<SpanMatch>& spans, const OutputOptions& options);

// The output object of one request. `blocks` in block order (prompt_builder.h); `schema` names
// the requested relations, which all appear under "relation_extraction".
Json format_results(const std::vector<BlockResult>& blocks, const Schema& schema,
                    const OutputOptions& options);

}  // namespace spanguard::schemas
