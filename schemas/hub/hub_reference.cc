#include "schemas/hub/hub_reference.h"

#include <filesystem>
#include <regex>
#include <stdexcept>

namespace spanguard::schemas::hub {

const std::vector<KnownModel>& known_models() {
    // Repository ids as the model family's publisher names them (schemas/GLINER2.md §1.5).
    static const std::vector<KnownModel> models = {
        {"gliner2-base", "fastino/gliner2-base-v1", "GLiNER2 base (DeBERTa-v3-base, English)", ""},
        {"gliner2-large", "fastino/gliner2-large-v1", "GLiNER2 large (DeBERTa-v3-large, English)",
         ""},
        {"gliner2-multi", "fastino/gliner2-multi-v1", "GLiNER2 multilingual (mDeBERTa-v3-base)",
         ""},
        {"gliguard", "fastino/gliguard-LLMGuardrails-300M",
         "GLiGuard: prompt and response safety moderation", ""},
        {"gliner2-pii", "fastino/gliner2-privacy-filter-PII-multi",
         "GLiNER2-PII: 42 PII types, multilingual", "pii"},
        {"gliner2-guardrails-pii", "fastino/GLiNER2-Guardrails-PII-Multi",
         "GLiNER2 PII + safety, multilingual", "pii"},
        // GLiNER v1 (urchade/GLiNER): the ids as their model cards and the GLiNER README name them.
        {"gliner-small", "urchade/gliner_small-v2.1", "GLiNER v1 small (DeBERTa-v3-small, English)",
         "", true},
        {"gliner-medium", "urchade/gliner_medium-v2.1",
         "GLiNER v1 medium (DeBERTa-v3-base, English)", "", true},
        {"gliner-large", "urchade/gliner_large-v2.1", "GLiNER v1 large (DeBERTa-v3-large, English)",
         "", true},
        {"gliner-multi", "urchade/gliner_multi-v2.1", "GLiNER v1 multilingual (mDeBERTa-v3-base)",
         "", true},
        {"gliner-multi-pii", "urchade/gliner_multi_pii-v1", "GLiNER v1 PII, 6 languages", "", true},
        {"nvidia-gliner-pii", "nvidia/gliner-PII", "GLiNER v1 PII/PHI by NVIDIA (English)", "",
         true},
        {"knowledgator-gliner-pii", "knowledgator/gliner-pii-base-v1.0",
         "GLiNER v1 PII/PHI/PCI by Knowledgator", "", true},
    };
    return models;
}

const KnownModel* known_model_for_repo(const std::string& repo) {
    for (const KnownModel& m : known_models()) {
        if (m.repo == repo) return &m;
    }
    return nullptr;
}

std::optional<HubReference> parse_hub_reference(const std::string& argument) {
    std::error_code error;
    if (argument.empty() || std::filesystem::exists(argument, error)) return std::nullopt;
    const size_t at = argument.find('@');
    const std::string name = argument.substr(0, at);
    HubReference ref;
    if (at != std::string::npos) {
        ref.revision = argument.substr(at + 1);
        static const std::regex revision_shape(R"([A-Za-z0-9._/-]+)");
        if (!std::regex_match(ref.revision, revision_shape) ||
            ref.revision.find("..") != std::string::npos) {
            throw std::invalid_argument("'" + argument +
                                        "': a revision after '@' is a branch, tag or commit "
                                        "(letters, digits, . _ - /)");
        }
    }
    for (const KnownModel& m : known_models()) {
        if (m.alias == name) {
            ref.repo = m.repo;
            return ref;
        }
    }
    // ORG/NAME as the Hub spells repository ids; anything else (a path that does not exist, a
    // relative path with more parts) is left to the folder loader to report.
    static const std::regex id_shape(
        R"([A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95})");
    if (!std::regex_match(name, id_shape) || name.find("..") != std::string::npos) {
        return std::nullopt;
    }
    ref.repo = name;
    return ref;
}

}  // namespace spanguard::schemas::hub
