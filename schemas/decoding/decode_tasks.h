// Decoding of one task block from its head outputs (GLINER2.md §4.2-§4.5). Pure functions over
// score
// tensors, so every rule is testable without a model.
//
// Thresholds: `threshold` is the request's global span threshold; a per-entity, per-field or
// per-relation threshold of the schema replaces it. Span probabilities are compared in float32
// (decode_spans.h); choice-field and multi-label classification scores are compared as doubles,
// as the reference does (it reads them with .item() before comparing).
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <vector>

#include "schemas/decoding/decode_results.h"
#include "schemas/decoding/decode_scores.h"
#include "schemas/decoding/decode_validators.h"
#include "schemas/prompt/model_input.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

// The count head's decision: argmax of the logits, the lowest index on ties (GLINER2.md §3.2).
// Throws std::invalid_argument for an empty vector.
size_t predicted_count(const std::vector<float>& count_logits);

// The entity block (GLINER2.md §4.2). `probs` has one field per entity type and at least one
// instance
// when pred_count > 0; only instance 0 is read.
EntitiesResult decode_entities(const std::vector<EntityType>& types, size_t pred_count,
                               const SpanProbabilities& probs, const ModelInput& input,
                               double threshold);

// A structure block (GLINER2.md §4.3). `probs` has one field per structure field and at least
// pred_count instances; `validators[f]` are field f's compiled validators.
StructureResult decode_structure(const Structure& structure,
                                 const std::vector<std::vector<CompiledValidator>>& validators,
                                 size_t pred_count, const SpanProbabilities& probs,
                                 const ModelInput& input, double threshold);

// A relation block (GLINER2.md §4.4): fields head (0) and tail (1), pred_count instances.
RelationResult decode_relation(const RelationType& relation, size_t pred_count,
                               const SpanProbabilities& probs, const ModelInput& input,
                               double threshold);

// The task's activation applied to its label logits in float32 (GLINER2.md §3.5): softmax over the
// labels, or an element-wise sigmoid (`auto`: sigmoid when multi_label).
std::vector<float> classification_probabilities(const ClassificationTask& task,
                                                const std::vector<float>& logits);

// A classification block (GLINER2.md §4.5): one logit per label. Throws std::invalid_argument when
// the
// logit count differs from the label count.
ClassificationResult decode_classification(const ClassificationTask& task,
                                           const std::vector<float>& logits);

// Position in `prefix` of the first token equal to `choice` under Python str.lower(), or -1.
// The whole prefix is searched, so a choice that also appears earlier (another structure's or
// field's choice, a field name) resolves to that earlier position, as in the reference.
long find_choice_position(const std::string& choice, const std::vector<std::string>& prefix);

}  // namespace spanguard::schemas
