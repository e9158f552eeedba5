// The OpenAI moderation API's shapes over GLiGuard-style moderation (moderation.h), so clients of
// POST /v1/moderations work unchanged against spanguard.
//
// Request: {"input": "text" | ["text", ...] | [{"type": "text", "text": "..."}, ...], "model":
// ...}. A string array gives one result per string; an array of content parts is one input (its
// text parts joined by a line break; image parts are refused). Every input is moderated as a
// prompt.
//
// Response: {"id": "modr-...", "model": ..., "results": [{"flagged", "categories",
// "category_scores"}]}: `flagged` is the side's verdict (unsafe); each flagging label of the
// policy's tasks becomes a category, named as OpenAI names it where the meaning corresponds
// (openai_category_names()) and by its own name otherwise; its score is the label's probability
// (the highest when two tasks share a name) and `categories[name]` says whether it flagged.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "schemas/moderation/moderation.h"
#include "schemas/schema/json_values.h"

namespace spanguard::schemas::server {

// Throws RequestError naming the field ("input[2].type").
std::vector<std::string> openai_moderation_inputs(const Json& body);

Json openai_moderation_response(const std::vector<ModerationResult>& results,
                                const ModerationPolicy& policy, const std::string& model,
                                const std::string& id);

// (GLiGuard label, OpenAI category) for the labels that have an OpenAI counterpart.
const std::vector<std::pair<std::string, std::string>>& openai_category_names();

}  // namespace spanguard::schemas::server
