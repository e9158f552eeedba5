// Merging the results of a long document's windows into one result (GLINER2.md §4.7).
//
// Each window's result is the formatted output (output_format.h) of that window run with
// include_confidence and include_spans both on. The merge works on those JSON values, as the
// reference does on its Python dicts:
//   1. every span item ({"text", "start", "end", ...} with integer offsets) is moved to document
//      offsets (+ window start) and its text re-sliced from the document when the moved span lies
//      inside it (a span over a window's synthetic final "." keeps its text ".");
//   2. keys are merged in first-seen order:
//      "entities"            per type: all windows' items, then de-duplication with overlap
//                            removal (below); a `str` type (scalar_entity_labels) keeps the first
//                            item of the result, or null;
//      "relation_extraction" per relation: all items, de-duplication without overlap removal;
//      other keys            null/{}/[] values are ignored; classification objects ({"label",
//                            "confidence"}): the most confident; strings: majority vote (ties:
//                            the first seen); lists: concatenated and de-duplicated without
//                            overlap removal; objects: merged key by key with these rules;
//                            anything else: the first non-empty value;
//   3. confidence and offsets are dropped again as the caller's options ask.
// De-duplication: span items are taken most confident first (stable), skipping an item whose
// (lower-cased text, start, end) was already taken and, with overlap removal, one that overlaps
// a taken item; the taken items are then sorted by (start, end, text). So merged span lists are
// in positional order, unlike single-pass results. Other items (relation pairs, structure
// instances, label objects) are de-duplicated on their value with every "confidence" ignored,
// keeping the more confident of two duplicates, in first-seen order after the span items.
//
// Units: offsets are code points into `document` (the text as the caller gave it).
// Thread safety: a pure function.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/decoding/output_format.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/schema/json_values.h"

namespace spanguard::schemas {

// `window_results[k]` belongs to `windows[k]` (throws std::invalid_argument when the counts
// differ). `document` is valid UTF-8.
Json merge_window_results(std::string_view document, const std::vector<TextWindow>& windows,
                          const std::vector<Json>& window_results,
                          const std::set<std::string>& scalar_entity_labels,
                          const OutputOptions& options);

// The steps above, exposed for tests.
Json dedupe_merged_items(const std::vector<Json>& items, bool remove_overlaps);
Json strip_span_metadata(const Json& value, const OutputOptions& options);

}  // namespace spanguard::schemas
