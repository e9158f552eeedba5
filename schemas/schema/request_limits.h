// Bounds on what one request may cost, so that hostile or accidental input (a 5 MB "text", a schema
// with a million labels, JSON nested a million levels deep) gets a clear error instead of a
// quadratic blow-up, an out-of-memory or a stack overflow. Every bound is configurable
// (ModelOptions::limits); the defaults are far above what real GLiNER2 requests use.
//
// Why these four:
//   * text bytes: everything downstream (word split, tokenizer, window list) is linear in the text,
//     but unbounded text still means unbounded memory per record;
//   * sequence tokens: a single-pass call runs the encoder over prompt + text at once, and
//     attention is quadratic in that length (4,096 tokens x 12 heads is already 800 MB of scores
//     for one layer of DeBERTa-v3-base); the *_long calls window the text instead and are only
//     bound by the text-bytes limit;
//   * schema entries: every entity type, relation, label, field and choice adds prompt tokens and
//     head work to every text of the request;
//   * request depth: JSON nesting is checked on the raw text before parsing, so a deeply nested
//     request never reaches a recursive consumer.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "schemas/schema/schema.h"

namespace spanguard::schemas {

struct RequestLimits {
    size_t max_text_bytes = size_t{16} << 20;  // UTF-8 bytes of one text (any call)
    size_t max_sequence_tokens = 4096;         // prompt + text sub-tokens of a single-pass input
    size_t max_schema_entries = 1024;  // entity types + relations + labels + fields + choices
    size_t max_request_depth = 64;     // nesting of arrays/objects in a JSON request
};

// Each throws RequestError naming `path` and the limit (e.g. "texts[3]: text is 17,000,000 bytes,
// over the limit of 16,777,216 (RequestLimits::max_text_bytes)").
void check_text_size(std::string_view text, const RequestLimits& limits, const std::string& path);
// `tokens` = the input's length; the message points long texts to the windowed calls.
void check_sequence_length(size_t tokens, const RequestLimits& limits, const std::string& path);
void check_schema_size(const Schema& schema, const RequestLimits& limits,
                       const std::string& path = "schema");
// Scans JSON text (without parsing it) and throws when arrays/objects nest deeper than
// limits.max_request_depth; the message gives the byte offset where the limit is crossed.
// Brackets inside strings are skipped; malformed JSON is left for the parser to report.
void check_json_depth(std::string_view json_text, const RequestLimits& limits,
                      const std::string& what);

// Entries a schema contributes to the prompt (what check_schema_size counts).
size_t schema_entry_count(const Schema& schema);

// 16777216 -> "16,777,216" (messages quote sizes this way).
std::string with_thousands(size_t n);

}  // namespace spanguard::schemas
