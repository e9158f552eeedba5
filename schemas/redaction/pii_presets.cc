// The named label sets of pii_preset() (redaction.h).
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas {
namespace {

// The 42 labels of fastino/gliner2-privacy-filter-PII-multi in their published order, kept as
// published because the label order is the order of the markers in the prompt.
// tests/schemas/redaction_presets_test.cc compares this list with
// shared/reference/gliner2_pii_42_labels.json.
constexpr std::array<std::string_view, 42> kGliner2PiiLabels = {
    "person",
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone_number",
    "address",
    "street_address",
    "city",
    "state_or_region",
    "postal_code",
    "country",
    "government_id",
    "national_id_number",
    "passport_number",
    "drivers_license_number",
    "license_number",
    "tax_id",
    "tax_number",
    "bank_account",
    "account_number",
    "routing_number",
    "iban",
    "payment_card",
    "card_number",
    "card_expiry",
    "card_cvv",
    "username",
    "ip_address",
    "account_id",
    "sensitive_account_id",
    "password",
    "secret",
    "api_key",
    "access_token",
    "recovery_code",
    "sensitive_date",
    "document_date",
    "expiration_date",
    "transaction_date",
};

// Everyday identifiers, a subset of the list above so the PII model knows every one of them; a
// short list keeps the prompt (and so each window's cost) small.
constexpr std::array<std::string_view, 8> kCommonLabels = {
    "person",        "email",       "phone_number", "address",
    "date_of_birth", "card_number", "iban",         "ip_address",
};

template <size_t N>
std::vector<std::string> to_vector(const std::array<std::string_view, N>& labels) {
    return std::vector<std::string>(labels.begin(), labels.end());
}

}  // namespace

std::vector<std::string> pii_preset_entity_types(std::string_view name) {
    std::vector<std::string> types;
    if (name == "pii") {
        for (const std::string& t : RecognizerSet::builtin()->entity_types())
            types.push_back(t);
        return types;
    }
    for (const std::string& t : pattern_entity_types_for(pii_preset(name), {}))
        types.push_back(t);
    return types;
}

std::set<std::string> pattern_entity_types_for(const std::vector<std::string>& labels,
                                               const std::vector<std::string>& entity_types) {
    const std::set<std::string> known = RecognizerSet::builtin()->entity_types();
    std::set<std::string> out;
    auto add = [&](const std::string& name) {
        const std::string type = canonical_entity_type(name);
        if (known.count(type)) out.insert(type);
        // Model labels that stand for a family: the US forms of those numbers have patterns.
        if (type == "NATIONAL_ID") out.insert("US_SSN");
        if (type == "TAX_ID") out.insert("US_ITIN");
    };
    for (const std::string& l : labels)
        add(l);
    for (const std::string& t : entity_types)
        add(t);
    return out;
}

std::vector<std::string> pii_preset_names() {
    return {"pii", "common"};
}

std::vector<std::string> pii_preset(std::string_view name) {
    if (name == "pii") return to_vector(kGliner2PiiLabels);
    if (name == "common") return to_vector(kCommonLabels);
    std::string known;
    for (const std::string& n : pii_preset_names())
        known += (known.empty() ? "" : ", ") + n;
    throw schemas::RequestError(
        "preset", "unknown preset \"" + std::string(name) + "\" (known: " + known + ")");
}

}  // namespace spanguard::schemas
