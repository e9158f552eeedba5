// Schema -> GLiNER2 prompt tokens (GLINER2.md §2.4). A "GLiNER2 token" is a string that is later
// sub-tokenised on its own (model_input.h): a marker, a bracket, a prompt string, a child name or
// a text word.
//
// One task block is
//     "(", "[P]", prompt, "(", marker, child_1, marker, child_2, ..., ")", ")"
// with blocks ordered structures, entities (a single block), relations, classifications, each kind
// in schema order. The prompt string is the task name ("entities" for the entity block), or
// "<task>: <prompt>" for a classification with a prompt, followed by
//     " [DESCRIPTION] <child>: <description>"   for each child that has a description, and then,
//     " [EXAMPLE] <input> [OUTPUT] <output>"    for each few-shot example whose output is a label.
// Children: structure fields in declaration order ([C]), entity types ([E]), "head" and "tail"
// ([R]), labels ([L]). The reference orders structure fields by Python set iteration (GLINER2.md
// §2.6);
// declaration order is what the parity goldens were generated with.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "schemas/schema/schema.h"

namespace spanguard::schemas {

enum class TaskKind { kStructure, kEntities, kRelation, kClassification };

struct TaskBlock {
    TaskKind kind;
    // Index of the task in the Schema vector of its kind (0 for the entity block).
    size_t index = 0;
    // The task's name: structure, relation or classification task name; "entities".
    std::string name;
    std::vector<std::string> children;
    std::vector<std::string> tokens;
};

std::vector<TaskBlock> build_task_blocks(const Schema& schema);

// The choice-field prefix placed after [SEP_TEXT] and before the text words: for each structure
// with choice fields, "(", "<structure>:", then per choice field "<field>", "(", c1, "|", c2, ...,
// ")" separated by ",", then ")". Empty when no field has choices. Not lower-cased.
std::vector<std::string> build_choice_prefix(const Schema& schema);

// The whole token sequence: blocks joined by "[SEP_STRUCT]", then "[SEP_TEXT]", then
// `text_tokens` (choice prefix followed by the lower-cased words).
std::vector<std::string> linearize(const std::vector<TaskBlock>& blocks,
                                   const std::vector<std::string>& text_tokens);

}  // namespace spanguard::schemas
