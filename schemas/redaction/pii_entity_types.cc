// The canonical entity type table (pii_entity_types.h).
#include "schemas/redaction/pii_entity_types.h"

#include <array>
#include <cctype>

namespace spanguard::schemas {
namespace {

struct Row {
    std::string_view entity_type;
    std::array<std::string_view, 6> labels;  // unused slots are empty
};

// Keep in step with the header's table.
constexpr std::array<Row, 25> kTable = {{
    {"PERSON", {"person", "full_name", "first_name", "middle_name", "last_name"}},
    {"DATE_TIME",
     {"date_of_birth", "sensitive_date", "document_date", "expiration_date", "transaction_date"}},
    {"EMAIL_ADDRESS", {"email"}},
    {"PHONE_NUMBER", {"phone_number"}},
    {"LOCATION",
     {"address", "street_address", "city", "state_or_region", "postal_code", "country"}},
    {"NATIONAL_ID", {"government_id", "national_id_number"}},
    {"PASSPORT", {"passport_number"}},
    {"DRIVER_LICENSE", {"drivers_license_number", "license_number"}},
    {"TAX_ID", {"tax_id", "tax_number"}},
    {"BANK_ACCOUNT", {"bank_account", "account_number"}},
    {"ROUTING_NUMBER", {"routing_number"}},
    {"IBAN_CODE", {"iban"}},
    {"CREDIT_CARD", {"payment_card", "card_number"}},
    {"CARD_EXPIRY", {"card_expiry"}},
    {"CARD_CVV", {"card_cvv"}},
    {"USERNAME", {"username"}},
    {"IP_ADDRESS", {"ip_address"}},
    {"ACCOUNT_ID", {"account_id", "sensitive_account_id"}},
    {"PASSWORD", {"password"}},
    {"SECRET", {"secret", "api_key", "access_token", "recovery_code"}},
    {"URL", {}},
    {"MAC_ADDRESS", {}},
    {"US_SSN", {}},
    {"US_ITIN", {}},
    {"CRYPTO", {}},
}};

// Upper case, every run of non-alphanumeric ASCII as one '_', no '_' at either end.
std::string normalise(std::string_view label) {
    std::string out;
    bool gap = false;
    for (const char c : label) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            if (gap && !out.empty()) out.push_back('_');
            gap = false;
            out.push_back(static_cast<char>(u < 0x80 ? std::toupper(u) : u));
        } else {
            gap = true;
        }
    }
    return out;
}

const Row* find_row(const std::string& normalised) {
    for (const Row& row : kTable) {
        if (row.entity_type == normalised) return &row;
        for (const std::string_view label : row.labels) {
            if (!label.empty() && normalise(label) == normalised) return &row;
        }
    }
    return nullptr;
}

}  // namespace

std::string canonical_entity_type(std::string_view label) {
    const std::string key = normalise(label);
    if (const Row* row = find_row(key)) return std::string(row->entity_type);
    // A label of punctuation only has no canonical form; it stays as given.
    return key.empty() ? std::string(label) : key;
}

bool is_known_entity_label(std::string_view label) {
    return find_row(normalise(label)) != nullptr;
}

std::vector<EntityTypeRow> entity_type_table() {
    std::vector<EntityTypeRow> rows;
    for (const Row& row : kTable) {
        EntityTypeRow out{std::string(row.entity_type), {}};
        for (const std::string_view label : row.labels) {
            if (!label.empty()) out.labels.emplace_back(label);
        }
        rows.push_back(std::move(out));
    }
    return rows;
}

}  // namespace spanguard::schemas
