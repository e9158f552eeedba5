// The steps redact(), redact_batch() and redact_spans() share (redaction.h): request checks and
// the rewrite of a text from spans. Internal to the redaction files.
//
// Units: span offsets are code points into the text as given. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schemas/redaction/redaction.h"

namespace spanguard::schemas::redaction {

// Throws schemas::RequestError(path, "invalid UTF-8 at byte offset N").
void require_valid_text(std::string_view text, const std::string& path);

// Checks every operator of the request ("operators.<label>", "default_operator"), that no two
// operator keys of one canonical type differ, the threshold ("threshold", within [0, 1]) and the
// windows ("chunk_size", "chunk_overlap").
void check_request(const RedactRequest& request);

// The operator for a canonical entity type: the entry whose key (a label or a canonical type)
// has that type, else the default.
const Operator& operator_for(const RedactRequest& request, const std::string& entity_type);

// Model and caller spans get their canonical type (label kept), spans failing their validator
// are dropped under ValidationMode::kReject, then the merge rules of redaction.h run with
// `pattern_spans` (canonical already), then the operators. Spans are known to lie within `text`
// (valid UTF-8) with start < end; the request passed check_request. `join`: rule 1's joining of
// neighbouring model spans (off for callers' spans, which are taken as given).
RedactionResult apply_spans(std::string_view text, std::vector<DetectedSpan> spans,
                            std::vector<DetectedSpan> pattern_spans, const RedactRequest& request,
                            bool join);

// Rules 1-4 of redaction.h over canonical spans (redaction_merge.cc).
std::vector<DetectedSpan> merge_with_patterns(std::string_view text,
                                              std::vector<DetectedSpan> model_spans,
                                              std::vector<DetectedSpan> pattern_spans,
                                              double threshold);

}  // namespace spanguard::schemas::redaction
