// The GLiNER2 marker strings (GLINER2.md §2.1). Only the strings are fixed by GLiNER2; their token
// ids
// belong to each checkpoint's tokenizer and are always looked up there (checkpoint_tokenizer.h).
#pragma once

#include <array>
#include <string_view>

namespace spanguard::schemas::markers {

inline constexpr std::string_view kSepStruct = "[SEP_STRUCT]";  // between task blocks
inline constexpr std::string_view kSepText = "[SEP_TEXT]";      // between the prompt and the text
inline constexpr std::string_view kPrompt = "[P]";              // opens a task block
inline constexpr std::string_view kField = "[C]";               // structure field
inline constexpr std::string_view kEntity = "[E]";              // entity type
inline constexpr std::string_view kRelation = "[R]";            // relation argument (head, tail)
inline constexpr std::string_view kLabel = "[L]";               // classification label
inline constexpr std::string_view kExample = "[EXAMPLE]";       // few-shot input
inline constexpr std::string_view kOutput = "[OUTPUT]";         // few-shot output
inline constexpr std::string_view kDescription = "[DESCRIPTION]";

// In the order GLiNER2 registers them (the order that gives DeBERTa-v3 the ids 128001..128010).
inline constexpr std::array<std::string_view, 10> kAll = {
    kSepStruct, kSepText, kPrompt,  kField,  kEntity,
    kRelation,  kLabel,   kExample, kOutput, kDescription};

// The markers whose hidden states the heads read ("pooled" markers).
inline constexpr std::array<std::string_view, 5> kPooled = {kPrompt, kField, kEntity, kRelation,
                                                            kLabel};

}  // namespace spanguard::schemas::markers
