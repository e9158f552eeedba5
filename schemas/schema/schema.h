// The schema model: what a request asks the model to find. It is plain data, built by
// schema_parser.h from any of the reference API's request shapes and read by prompt_builder.h
// (prompt linearisation) and by the decoding stage (thresholds, dtypes, validators).
//
// Order is meaningful everywhere: entity types, relations, classification tasks, labels and
// structure fields keep the order in which the request declared them, because that is the order
// of the markers in the prompt (GLINER2.md §2.4) and of the keys in the output.
//
// Strings are UTF-8. Thresholds are probabilities in [0, 1]; an absent threshold means "use the
// request's global threshold" (spans) or 0.5 (multi-label classification, `cls_threshold`).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spanguard::schemas {

// How many values a span task returns: every span above threshold (`list`) or one (`str`).
enum class ValueType { kList, kStr };

struct EntityType {
    std::string name;
    // Present (possibly empty) when the request gave one; an empty description still adds
    // " [DESCRIPTION] name: " to the prompt, as in the reference.
    std::optional<std::string> description;
    std::optional<double> threshold;
    ValueType dtype = ValueType::kList;
};

struct ClassLabel {
    std::string name;
    // Present when labels were given as a label -> description map (possibly empty string).
    std::optional<std::string> description;
};

struct FewShotExample {
    std::string input;
    // Examples whose output is not one of the task's labels are kept here but left out of the
    // prompt, as the reference does.
    std::string output;
};

// Which function turns the label logits into probabilities.
enum class ClassActivation {
    kAuto,  // sigmoid when multi_label, softmax otherwise
    kSigmoid,
    kSoftmax,
};

struct ClassificationTask {
    std::string task;
    std::vector<ClassLabel> labels;
    bool multi_label = false;
    double cls_threshold = 0.5;  // multi-label decision threshold
    std::vector<FewShotExample> examples;
    // Non-empty when given; the prompt string becomes "<task>: <prompt>".
    std::optional<std::string> prompt;
    ClassActivation activation = ClassActivation::kAuto;
};

struct RelationType {
    std::string name;
    // Accepted for API compatibility; the reference never puts relation descriptions in the prompt.
    std::optional<std::string> description;
    std::optional<double> threshold;
};

// A regex filter applied to extracted field spans (builder-only extra of the reference).
struct RegexValidator {
    enum class Mode {
        kFull,     // the whole span text must match (Python re.fullmatch)
        kPartial,  // a match anywhere in the span text (Python re.search)
    };
    std::string pattern;
    Mode mode = Mode::kFull;
    bool exclude = false;          // keep the spans that do NOT pass
    bool case_insensitive = true;  // the reference compiles with re.IGNORECASE by default
};

struct StructureField {
    std::string name;
    ValueType dtype = ValueType::kList;
    // Non-empty for a choice ("enum") field: the model picks among these instead of text spans.
    std::vector<std::string> choices;
    // Only non-empty descriptions are kept (the reference drops empty field descriptions).
    std::optional<std::string> description;
    std::optional<double> threshold;
    std::vector<RegexValidator> validators;

    bool is_choice() const { return !choices.empty(); }
};

struct Structure {
    std::string name;
    std::vector<StructureField> fields;  // declaration order

    bool has_choice_fields() const {
        for (const auto& f : fields) {
            if (f.is_choice()) return true;
        }
        return false;
    }
};

struct Schema {
    std::vector<Structure> structures;
    std::vector<EntityType> entities;
    std::vector<RelationType> relations;
    std::vector<ClassificationTask> classifications;

    bool empty() const {
        return structures.empty() && entities.empty() && relations.empty() &&
               classifications.empty();
    }
};

}  // namespace spanguard::schemas
