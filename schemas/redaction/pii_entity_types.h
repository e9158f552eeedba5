// Canonical PII entity types: one name per kind of value, whatever label the model or a pattern
// recognizer reported it under. GLiNER2-PII's 42 labels hold synonyms (person / full_name,
// card_number / payment_card, api_key / secret / access_token, ...); a model reports whichever
// synonym scored highest, so redaction output and operators are keyed by the canonical type.
//
// Names follow Presidio's where Presidio has the type (PERSON, EMAIL_ADDRESS, PHONE_NUMBER,
// CREDIT_CARD, IBAN_CODE, IP_ADDRESS, US_SSN, US_ITIN, LOCATION, DATE_TIME, URL, CRYPTO,
// MAC_ADDRESS) and are plain upper-case names otherwise. The table, label -> type:
//
//   PERSON          person, full_name, first_name, middle_name, last_name
//   DATE_TIME       date_of_birth, sensitive_date, document_date, expiration_date,
//                   transaction_date
//   EMAIL_ADDRESS   email
//   PHONE_NUMBER    phone_number
//   LOCATION        address, street_address, city, state_or_region, postal_code, country
//   NATIONAL_ID     government_id, national_id_number
//   PASSPORT        passport_number
//   DRIVER_LICENSE  drivers_license_number, license_number
//   TAX_ID          tax_id, tax_number
//   BANK_ACCOUNT    bank_account, account_number
//   ROUTING_NUMBER  routing_number
//   IBAN_CODE       iban
//   CREDIT_CARD     payment_card, card_number
//   CARD_EXPIRY     card_expiry
//   CARD_CVV        card_cvv
//   USERNAME        username
//   IP_ADDRESS      ip_address
//   ACCOUNT_ID      account_id, sensitive_account_id
//   PASSWORD        password
//   SECRET          secret, api_key, access_token, recovery_code
// Pattern recognizers only (pattern_recognizers.h): URL, MAC_ADDRESS, US_SSN, US_ITIN, CRYPTO.
//
// Lookup ignores case and treats '-', ' ' and '_' alike, so "Full Name", "EMAIL_ADDRESS" and
// "credit-card" resolve too; a canonical name maps to itself. Any other label becomes its own
// canonical type: upper case, runs of other characters than ASCII letters and digits as one '_'
// ("medical record" -> MEDICAL_RECORD).
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spanguard::schemas {

std::string canonical_entity_type(std::string_view label);

// Whether `label` is in the table above (as a label or a canonical name).
bool is_known_entity_label(std::string_view label);

// The table above, for `spanguard redact --list-entity-types` and tests: each row is a
// canonical type and the model labels that map to it (empty for pattern-only types).
struct EntityTypeRow {
    std::string entity_type;
    std::vector<std::string> labels;
};
std::vector<EntityTypeRow> entity_type_table();

}  // namespace spanguard::schemas
