#include "schemas/prompt/prompt_builder.h"

#include <string_view>

#include "schemas/prompt/markers.h"

namespace spanguard::schemas {
namespace {

void append_description(std::string& prompt, const std::string& child,
                        const std::string& description) {
    prompt += ' ';
    prompt += markers::kDescription;
    prompt += ' ';
    prompt += child;
    prompt += ": ";
    prompt += description;
}

TaskBlock make_block(TaskKind kind, size_t index, std::string name, std::string prompt,
                     std::string_view marker, std::vector<std::string> children) {
    TaskBlock block;
    block.kind = kind;
    block.index = index;
    block.name = std::move(name);
    block.tokens = {"(", std::string(markers::kPrompt), std::move(prompt), "("};
    for (const auto& child : children) {
        block.tokens.emplace_back(marker);
        block.tokens.push_back(child);
    }
    block.tokens.emplace_back(")");
    block.tokens.emplace_back(")");
    block.children = std::move(children);
    return block;
}

TaskBlock structure_block(const Structure& s, size_t index) {
    std::string prompt = s.name;
    std::vector<std::string> children;
    for (const auto& f : s.fields) {
        children.push_back(f.name);
        if (f.description) append_description(prompt, f.name, *f.description);
    }
    return make_block(TaskKind::kStructure, index, s.name, std::move(prompt), markers::kField,
                      std::move(children));
}

TaskBlock entity_block(const std::vector<EntityType>& entities) {
    // Descriptions follow the description map's insertion order in the reference; every request
    // shape declares each entity type once, together with its description, so that order is the
    // entity order.
    std::string prompt = "entities";
    std::vector<std::string> children;
    for (const auto& e : entities) {
        children.push_back(e.name);
        if (e.description) append_description(prompt, e.name, *e.description);
    }
    return make_block(TaskKind::kEntities, 0, "entities", std::move(prompt), markers::kEntity,
                      std::move(children));
}

TaskBlock relation_block(const RelationType& r, size_t index) {
    // Relation descriptions are accepted by the API but never reach the prompt.
    return make_block(TaskKind::kRelation, index, r.name, r.name, markers::kRelation,
                      {"head", "tail"});
}

TaskBlock classification_block(const ClassificationTask& t, size_t index) {
    std::string prompt = t.task;
    if (t.prompt) prompt += ": " + *t.prompt;
    std::vector<std::string> children;
    for (const auto& l : t.labels) {
        children.push_back(l.name);
        if (l.description) append_description(prompt, l.name, *l.description);
    }
    for (const auto& ex : t.examples) {
        bool is_label = false;
        for (const auto& l : t.labels)
            is_label = is_label || l.name == ex.output;
        if (!is_label) continue;  // the reference skips examples whose output is not a label
        prompt += ' ';
        prompt += markers::kExample;
        prompt += ' ';
        prompt += ex.input;
        prompt += ' ';
        prompt += markers::kOutput;
        prompt += ' ';
        prompt += ex.output;
    }
    return make_block(TaskKind::kClassification, index, t.task, std::move(prompt), markers::kLabel,
                      std::move(children));
}

}  // namespace

std::vector<TaskBlock> build_task_blocks(const Schema& schema) {
    std::vector<TaskBlock> blocks;
    for (size_t i = 0; i < schema.structures.size(); ++i) {
        blocks.push_back(structure_block(schema.structures[i], i));
    }
    if (!schema.entities.empty()) blocks.push_back(entity_block(schema.entities));
    for (size_t i = 0; i < schema.relations.size(); ++i) {
        blocks.push_back(relation_block(schema.relations[i], i));
    }
    for (size_t i = 0; i < schema.classifications.size(); ++i) {
        blocks.push_back(classification_block(schema.classifications[i], i));
    }
    return blocks;
}

std::vector<std::string> build_choice_prefix(const Schema& schema) {
    std::vector<std::string> prefix;
    for (const auto& s : schema.structures) {
        if (!s.has_choice_fields()) continue;
        prefix.emplace_back("(");
        prefix.push_back(s.name + ":");
        bool first_field = true;
        for (const auto& f : s.fields) {
            if (!f.is_choice()) continue;
            if (!first_field) prefix.emplace_back(",");
            first_field = false;
            prefix.push_back(f.name);
            prefix.emplace_back("(");
            for (size_t i = 0; i < f.choices.size(); ++i) {
                if (i > 0) prefix.emplace_back("|");
                prefix.push_back(f.choices[i]);
            }
            prefix.emplace_back(")");
        }
        prefix.emplace_back(")");
    }
    return prefix;
}

std::vector<std::string> linearize(const std::vector<TaskBlock>& blocks,
                                   const std::vector<std::string>& text_tokens) {
    std::vector<std::string> out;
    for (size_t b = 0; b < blocks.size(); ++b) {
        if (b > 0) out.emplace_back(markers::kSepStruct);
        out.insert(out.end(), blocks[b].tokens.begin(), blocks[b].tokens.end());
    }
    out.emplace_back(markers::kSepText);
    out.insert(out.end(), text_tokens.begin(), text_tokens.end());
    return out;
}

}  // namespace spanguard::schemas
