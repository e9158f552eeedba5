// The steps redact(), redact_batch() and redact_spans() share (redaction.h): request checks and
// the rewrite of a text from spans. Internal to the redaction files.
//
// Units: span offsets are code points into the text as given. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schemas/redaction.h"

namespace spanguard::redaction {

// Throws schemas::RequestError(path, "invalid UTF-8 at byte offset N").
void require_valid_text(std::string_view text, const std::string& path);

// Checks every operator of the request ("operators.<label>", "default_operator") and the
// threshold ("threshold", within [0, 1]).
void check_request(const RedactRequest& request);

// The operator for an entity type: its entry in request.operators, else the default.
const Operator& operator_for(const RedactRequest& request, const std::string& entity_type);

// Validation, overlap resolution and operators over spans that are known to lie within `text`
// (valid UTF-8) with start < end; the request passed check_request.
RedactionResult apply_spans(std::string_view text, std::vector<DetectedSpan> spans,
                            const RedactRequest& request);

}  // namespace spanguard::redaction
