// Decoded results as the public typed structs (spanguard/spanguard.h): the seam through which the
// public API and redaction read results without going through the JSON output.
//
// Single-pass results come straight from the decoded blocks. Windowed results are read from the
// merged output object, because the long-text merge (long_text_merge.h, GLINER2.md §4.7) is
// defined on output objects, as the reference defines it on its dicts; that object is produced
// with confidence and offsets on, so nothing is lost.
//
// Units: offsets are code points (the decoder's); a single-pass span may end one past the text
// when it covers the appended final "." (GLINER2.md §2.2).
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "schemas/decoding/decode_results.h"
#include "schemas/schema/json_values.h"
#include "schemas/schema/schema.h"
#include "spanguard/spanguard.h"

namespace spanguard::schemas {

// `blocks` in block order, as decoding returns them for one text of `schema`.
spanguard::Extraction typed_from_blocks(const std::vector<BlockResult>& blocks,
                                        const Schema& schema);

// A merged output object (output_format.h shapes, include_confidence and include_spans on).
// Entries missing from the object (a closed count gate, a name another block replaced) give no
// results; values of another shape are skipped.
spanguard::Extraction typed_from_output(const Json& output, const Schema& schema);

}  // namespace spanguard::schemas
