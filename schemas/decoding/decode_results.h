// What decoding finds for each task block of a request, before it is rendered as JSON
// (output_format.h). Plain data; every list keeps the order the reference produces.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "schemas/decoding/decode_spans.h"
#include "schemas/schema/schema.h"

namespace spanguard::schemas {

// Entities (GLINER2.md §4.2). `gate_open` is false when the entity block's count head predicted 0:
// the
// result is then `{}` with no type keys.
struct EntityValue {
    std::string name;
    ValueType dtype = ValueType::kList;
    // kList: the non-overlapping spans in confidence order; kStr: the best one, or none.
    std::vector<SpanMatch> spans;
};
struct EntitiesResult {
    bool gate_open = false;
    std::vector<EntityValue> types;  // every requested type, in request order
};

// A choice field's pick (no character offsets: choices live in the prompt prefix).
struct ChoiceMatch {
    std::string text;
    float confidence = 0.f;
};

// One field of one structure instance (GLINER2.md §4.3).
struct FieldValue {
    std::string name;
    ValueType dtype = ValueType::kList;
    bool is_choice = false;
    // Span fields. kList: non-overlapping, in confidence order; kStr: the first positional
    // candidate, or none.
    std::vector<SpanMatch> spans;
    // Choice fields. kList: every choice above threshold in choice order; kStr: the best one
    // above threshold, or none.
    std::vector<ChoiceMatch> choices;

    bool empty() const { return spans.empty() && choices.empty(); }
};
using StructureInstance = std::vector<FieldValue>;  // fields in declaration order

// `gate_open` is false when the count head predicted 0 instances: the result is then `{}`.
// Instances where every field is empty are dropped.
struct StructureResult {
    bool gate_open = false;
    std::vector<StructureInstance> instances;
};

// Relations (GLINER2.md §4.4): one (head, tail) per count instance where both were found.
struct RelationPair {
    SpanMatch head;
    SpanMatch tail;
};
struct RelationResult {
    std::vector<RelationPair> pairs;
};

// Classification (GLINER2.md §4.5): one label (single-label), or the chosen labels in label order
// (multi-label; never empty).
struct LabelScore {
    std::string label;
    float confidence = 0.f;
};
struct ClassificationResult {
    bool multi_label = false;
    std::vector<LabelScore> labels;
};

// The decoded result of one task block, keyed by the block's task name.
struct BlockResult {
    std::string name;
    std::variant<EntitiesResult, StructureResult, RelationResult, ClassificationResult> value;
};

}  // namespace spanguard::schemas
