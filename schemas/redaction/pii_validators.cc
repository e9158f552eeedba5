#include "schemas/redaction/pii_validators.h"

#include <arpa/inet.h>

#include <array>
#include <string>
#include <utility>

#include "schemas/redaction/pii_entity_types.h"

namespace spanguard::schemas {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_ascii_alnum(char c) {
    return is_digit(c) || is_ascii_alpha(c);
}
bool is_non_ascii(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}
char to_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Removes single separators between groups; nullopt when a separator leads, trails, doubles or
// when `allowed` rejects a character.
template <typename Allowed>
std::optional<std::string> strip_group_separators(std::string_view text, std::string_view seps,
                                                  Allowed allowed) {
    std::string out;
    bool last_was_separator = true;  // so a leading separator is rejected
    for (const char c : text) {
        if (seps.find(c) != std::string_view::npos) {
            if (last_was_separator) return std::nullopt;
            last_was_separator = true;
            continue;
        }
        if (!allowed(c)) return std::nullopt;
        out.push_back(c);
        last_was_separator = false;
    }
    if (last_was_separator && !out.empty()) return std::nullopt;
    return out;
}

// ISO 13616 registry lengths (SWIFT IBAN registry) for the countries whose length is stable and
// well documented; other country codes fall back to the general 15..34 bounds.
constexpr std::array<std::pair<std::string_view, size_t>, 78> kIbanLengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27},
    {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
}};

bool valid_dot_atom(std::string_view part) {
    // RFC 5322 atext, plus non-ASCII bytes (RFC 6531), with dots only between atoms.
    static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
    if (part.empty() || part.front() == '.' || part.back() == '.') return false;
    char previous = '\0';
    for (const char c : part) {
        if (c == '.') {
            if (previous == '.') return false;
        } else if (!is_ascii_alnum(c) && !is_non_ascii(c) &&
                   kSpecials.find(c) == std::string_view::npos) {
            return false;
        }
        previous = c;
    }
    return true;
}

bool valid_domain_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    for (const char c : label) {
        if (!is_ascii_alnum(c) && !is_non_ascii(c) && c != '-') return false;
    }
    return true;
}

bool inet_pton_accepts(int family, std::string_view address) {
    // inet_pton needs a NUL-terminated string; an embedded NUL must not truncate the input.
    if (address.find('\0') != std::string_view::npos) return false;
    const std::string copy(address);
    unsigned char buffer[16];
    return inet_pton(family, copy.c_str(), buffer) == 1;
}

}  // namespace

bool luhn_valid(std::string_view card_number) {
    const auto digits = strip_group_separators(card_number, " -", is_digit);
    if (!digits || digits->size() < 12 || digits->size() > 19) return false;
    int sum = 0;
    bool double_it = false;  // the check digit (rightmost) is not doubled
    for (auto it = digits->rbegin(); it != digits->rend(); ++it) {
        int d = *it - '0';
        if (double_it) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
        double_it = !double_it;
    }
    return sum % 10 == 0;
}

std::optional<size_t> iban_length(std::string_view country_code) {
    for (const auto& [code, length] : kIbanLengths) {
        if (code == country_code) return length;
    }
    return std::nullopt;
}

namespace {

// The IBAN in upper case without its group spaces when it has the IBAN shape (two letters, two
// digits, 15-34 characters in all) and its MOD 97-10 check holds; nullopt otherwise.
std::optional<std::string> iban_with_valid_checksum(std::string_view iban) {
    const auto compact = strip_group_separators(iban, " ", is_ascii_alnum);
    if (!compact || compact->size() < 15 || compact->size() > 34) return std::nullopt;
    std::string s;
    for (const char c : *compact)
        s.push_back(to_upper(c));
    if (!is_ascii_alpha(s[0]) || !is_ascii_alpha(s[1]) || !is_digit(s[2]) || !is_digit(s[3])) {
        return std::nullopt;
    }
    // MOD 97-10: move the first four characters to the end, letters become 10..35, and the whole
    // number mod 97 must be 1. Folded digit by digit so no big integers are needed.
    const std::string rearranged = s.substr(4) + s.substr(0, 4);
    int remainder = 0;
    for (const char c : rearranged) {
        if (is_digit(c)) {
            remainder = (remainder * 10 + (c - '0')) % 97;
        } else {
            remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
        }
    }
    if (remainder != 1) return std::nullopt;
    return s;
}

}  // namespace

bool iban_checksum_valid(std::string_view iban) {
    return iban_with_valid_checksum(iban).has_value();
}

bool iban_valid(std::string_view iban) {
    const std::optional<std::string> s = iban_with_valid_checksum(iban);
    if (!s) return false;
    const auto expected = iban_length(std::string_view(*s).substr(0, 2));
    return !expected || s->size() == *expected;
}

bool email_valid(std::string_view email) {
    const size_t at = email.rfind('@');
    if (at == std::string_view::npos) return false;
    const std::string_view local = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    if (local.size() > 64 || !valid_dot_atom(local)) return false;  // also rejects a second '@'
    if (domain.empty() || domain.size() > 253) return false;
    size_t labels = 0;
    std::string_view last;
    size_t begin = 0;
    while (true) {
        const size_t dot = domain.find('.', begin);
        const std::string_view label = domain.substr(
            begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
        if (!valid_domain_label(label)) return false;
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        begin = dot + 1;
    }
    if (labels < 2) return false;
    bool all_digits = true;
    for (const char c : last)
        all_digits = all_digits && is_digit(c);
    return !all_digits;
}

bool ipv4_valid(std::string_view address) {
    return inet_pton_accepts(AF_INET, address);
}
bool ipv6_valid(std::string_view address) {
    return inet_pton_accepts(AF_INET6, address);
}
bool ip_address_valid(std::string_view address) {
    return ipv4_valid(address) || ipv6_valid(address);
}

PiiValidator validator_for_label(std::string_view entity_type) {
    const std::string type = canonical_entity_type(entity_type);
    if (type == "CREDIT_CARD" || type == "CREDIT_CARD_NUMBER") return &luhn_valid;
    if (type == "IBAN_CODE") return &iban_valid;
    if (type == "EMAIL_ADDRESS") return &email_valid;
    if (type == "IP_ADDRESS") return &ip_address_valid;
    return nullptr;
}

}  // namespace spanguard::schemas
