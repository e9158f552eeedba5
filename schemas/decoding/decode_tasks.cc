#include "schemas/decoding/decode_tasks.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {
namespace {

void require_shape(const SpanProbabilities& probs, size_t fields, size_t instances,
                   const std::string& task) {
    if (probs.fields() != fields || probs.instances() < instances) {
        throw std::invalid_argument(task + ": span probabilities for " +
                                    std::to_string(probs.instances()) + " instances x " +
                                    std::to_string(probs.fields()) + " fields, decoding needs " +
                                    std::to_string(instances) + " x " + std::to_string(fields));
    }
}

std::vector<ChoiceMatch> decode_choices(const StructureField& field, size_t instance,
                                        size_t field_index, const SpanProbabilities& probs,
                                        const ModelInput& input, double threshold) {
    std::vector<ChoiceMatch> picked;
    if (field.dtype == ValueType::kList) {
        for (const auto& choice : field.choices) {
            const bool seen = std::any_of(picked.begin(), picked.end(),
                                          [&](const ChoiceMatch& m) { return m.text == choice; });
            if (seen) continue;
            const long at = find_choice_position(choice, input.choice_prefix);
            if (at < 0) continue;
            const float score = probs.at(instance, field_index, static_cast<size_t>(at), 0);
            if (static_cast<double>(score) >= threshold) picked.push_back({choice, score});
        }
        return picked;
    }
    // `str`: the best-scoring choice (the first one on ties), if it passes.
    const std::string* best = nullptr;
    double best_score = -1.0;
    float best_prob = 0.f;
    for (const auto& choice : field.choices) {
        const long at = find_choice_position(choice, input.choice_prefix);
        if (at < 0) continue;
        const float score = probs.at(instance, field_index, static_cast<size_t>(at), 0);
        if (static_cast<double>(score) > best_score) {
            best_score = score;
            best_prob = score;
            best = &choice;
        }
    }
    // An empty choice string counts as "nothing picked" (a falsy value in the reference).
    if (best != nullptr && !best->empty() && best_score >= threshold) {
        picked.push_back({*best, best_prob});
    }
    return picked;
}

}  // namespace

size_t predicted_count(const std::vector<float>& count_logits) {
    if (count_logits.empty()) throw std::invalid_argument("predicted_count: no count logits");
    // max_element returns the first of equal maxima, like torch.argmax.
    return static_cast<size_t>(std::max_element(count_logits.begin(), count_logits.end()) -
                               count_logits.begin());
}

long find_choice_position(const std::string& choice, const std::vector<std::string>& prefix) {
    const std::string wanted = tokenizer::python_lower(choice);
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (tokenizer::python_lower(prefix[i]) == wanted) return static_cast<long>(i);
    }
    return -1;
}

EntitiesResult decode_entities(const std::vector<EntityType>& types, size_t pred_count,
                               const SpanProbabilities& probs, const ModelInput& input,
                               double threshold) {
    EntitiesResult result;
    // The count head gates the entity block although it was never trained on it (quirk 3).
    if (pred_count == 0) return result;
    require_shape(probs, types.size(), 1, "entities");
    result.gate_open = true;
    for (size_t m = 0; m < types.size(); ++m) {
        const EntityType& type = types[m];
        EntityValue value{type.name, type.dtype, {}};
        auto kept = select_non_overlapping(
            find_span_candidates(probs, 0, m, type.threshold.value_or(threshold), input));
        // `str` keeps the most confident span of the non-overlapping set.
        if (type.dtype == ValueType::kStr && kept.size() > 1) kept.resize(1);
        value.spans = std::move(kept);
        result.types.push_back(std::move(value));
    }
    return result;
}

StructureResult decode_structure(const Structure& structure,
                                 const std::vector<std::vector<CompiledValidator>>& validators,
                                 size_t pred_count, const SpanProbabilities& probs,
                                 const ModelInput& input, double threshold) {
    StructureResult result;
    if (pred_count == 0) return result;
    require_shape(probs, structure.fields.size(), pred_count, "structure " + structure.name);
    if (validators.size() != structure.fields.size()) {
        throw std::invalid_argument("structure " + structure.name +
                                    ": validators do not match the fields");
    }
    result.gate_open = true;
    for (size_t t = 0; t < pred_count; ++t) {
        StructureInstance instance;
        bool any_value = false;
        for (size_t f = 0; f < structure.fields.size(); ++f) {
            const StructureField& field = structure.fields[f];
            const double field_threshold = field.threshold.value_or(threshold);
            FieldValue value{field.name, field.dtype, field.is_choice(), {}, {}};
            if (field.is_choice()) {
                value.choices = decode_choices(field, t, f, probs, input, field_threshold);
            } else {
                auto found = find_span_candidates(probs, t, f, field_threshold, input);
                if (!validators[f].empty()) {
                    std::erase_if(found, [&](const SpanMatch& s) {
                        return !passes_all(validators[f], s.text);
                    });
                }
                if (field.dtype == ValueType::kList) {
                    value.spans = select_non_overlapping(std::move(found));
                } else if (!found.empty()) {
                    // `str` fields take the first candidate in positional order (quirk 4),
                    // not the most confident one.
                    value.spans.push_back(std::move(found.front()));
                }
            }
            any_value = any_value || !value.empty();
            instance.push_back(std::move(value));
        }
        if (any_value) result.instances.push_back(std::move(instance));
    }
    return result;
}

RelationResult decode_relation(const RelationType& relation, size_t pred_count,
                               const SpanProbabilities& probs, const ModelInput& input,
                               double threshold) {
    RelationResult result;
    if (pred_count == 0) return result;
    require_shape(probs, 2, pred_count, "relation " + relation.name);
    const double relation_threshold = relation.threshold.value_or(threshold);
    for (size_t t = 0; t < pred_count; ++t) {
        // Head and tail come from the same count instance, each its first positional candidate;
        // no overlap rule and no de-duplication.
        auto heads = find_span_candidates(probs, t, 0, relation_threshold, input);
        auto tails = find_span_candidates(probs, t, 1, relation_threshold, input);
        if (heads.empty() || tails.empty()) continue;
        result.pairs.push_back({std::move(heads.front()), std::move(tails.front())});
    }
    return result;
}

std::vector<float> classification_probabilities(const ClassificationTask& task,
                                                const std::vector<float>& logits) {
    const bool sigmoid = task.activation == ClassActivation::kSigmoid ||
                         (task.activation == ClassActivation::kAuto && task.multi_label);
    std::vector<float> probs(logits.size());
    if (sigmoid) {
        std::transform(logits.begin(), logits.end(), probs.begin(), sigmoid_f32);
        return probs;
    }
    if (logits.empty()) return probs;
    // torch's float32 softmax: exp(x - max), then a multiplication by 1 / sum.
    const float max = *std::max_element(logits.begin(), logits.end());
    float sum = 0.f;
    for (size_t i = 0; i < logits.size(); ++i) {
        probs[i] = std::exp(logits[i] - max);
        sum += probs[i];
    }
    const float inverse = 1.0f / sum;
    for (auto& p : probs)
        p *= inverse;
    return probs;
}

ClassificationResult decode_classification(const ClassificationTask& task,
                                           const std::vector<float>& logits) {
    if (logits.size() != task.labels.size() || logits.empty()) {
        throw std::invalid_argument("classification " + task.task + ": " +
                                    std::to_string(logits.size()) + " logits for " +
                                    std::to_string(task.labels.size()) + " labels");
    }
    const std::vector<float> probs = classification_probabilities(task, logits);
    const size_t best =
        static_cast<size_t>(std::max_element(probs.begin(), probs.end()) - probs.begin());
    ClassificationResult result;
    result.multi_label = task.multi_label;
    if (task.multi_label) {
        for (size_t i = 0; i < probs.size(); ++i) {
            if (static_cast<double>(probs[i]) >= task.cls_threshold) {
                result.labels.push_back({task.labels[i].name, probs[i]});
            }
        }
        // Never empty (quirk 6): fall back to the single best label.
        if (!result.labels.empty()) return result;
    }
    result.labels.push_back({task.labels[best].name, probs[best]});
    return result;
}

}  // namespace spanguard::schemas
