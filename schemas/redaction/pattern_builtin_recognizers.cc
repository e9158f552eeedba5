// The built-in pattern recognizers (pattern_recognizers.h has the table with scores and rules).
#include <array>
#include <string>
#include <vector>

#include "schemas/redaction/pattern_recognizer_set.h"
#include "schemas/redaction/pattern_validators.h"
#include "schemas/redaction/pii_validators.h"

namespace spanguard::schemas::patterns {
namespace {

struct PatternSpec {
    const char* name;
    const char* regex;
    double score;
};

Recognizer make(const char* name, const char* entity_type, std::vector<PatternSpec> specs,
                std::vector<std::string> context,
                std::function<bool(std::string_view)> validator = nullptr,
                bool case_sensitive = true) {
    Recognizer r;
    r.name = name;
    r.entity_type = entity_type;
    for (const PatternSpec& s : specs) {
        const std::string path = std::string("builtin.") + name + "." + s.name;
        r.patterns.push_back(
            Pattern{s.name, compile(s.regex, case_sensitive, name, path), s.score});
    }
    r.context = std::move(context);
    r.validator = std::move(validator);
    return r;
}

// Card numbers start with 2-6 (Mastercard's 2-series, Amex/Diners 3, Visa 4, Mastercard 5,
// Discover/UnionPay 6); Luhn alone accepts one random digit string in ten.
bool card_valid(std::string_view text) {
    // One separator kind throughout: "39-71-38 47123745" is a sort code and an account number.
    const bool spaces = text.find(' ') != std::string_view::npos;
    const bool hyphens = text.find('-') != std::string_view::npos;
    return !text.empty() && text[0] >= '2' && text[0] <= '6' && !(spaces && hyphens) &&
           luhn_valid(text);
}

// The month names the date patterns accept (validated again by calendar_date_valid).
#define SPANGUARD_MONTHS                                                                        \
    "(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"

// An account name: a letter or digit, then letters, digits, dots, underscores or hyphens.
constexpr const char* kAccountName = R"([A-Za-z0-9][A-Za-z0-9._-]{1,31})";

// An account name does not end in a dot or hyphen (a sentence's full stop, a dash after it).
bool account_name_valid(std::string_view v) {
    return !v.empty() && v.back() != '.' && v.back() != '-';
}

// Whether an account name has the marks of one (an underscore, a dot or a digit beside a
// letter): after a bare "user" or "account", "admin_jdoe" is a name but "Maria" or "details" is
// more likely prose.
bool looks_like_account_name(std::string_view v) {
    bool letter = false;
    bool mark = false;
    for (const char c : v) {
        letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        mark |= c == '_' || c == '.' || (c >= '0' && c <= '9');
    }
    return letter && mark && account_name_valid(v);
}

Recognizer username(const char* prefix, std::function<bool(std::string_view)> validator) {
    Recognizer r = make("UsernameRecognizer", "USERNAME", {{"account_name", kAccountName, 0.6}}, {},
                        std::move(validator));
    r.trim_trailing = std::string(".-");
    r.not_followed_by = std::string("@");
    r.required_prefix =
        compile(prefix, /*case_sensitive=*/false, r.name, "builtin.UsernameRecognizer.prefix");
    return r;
}

}  // namespace

std::vector<Recognizer> builtin_recognizers() {
    std::vector<Recognizer> out;
    out.push_back(
        make("EmailRecognizer", "EMAIL_ADDRESS",
             {{"email",
               R"([\p{L}\p{N}_%+'-]+(?:\.[\p{L}\p{N}_%+'-]+)*@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)",
               1.0}},
             {"email", "e-mail", "mail"}, email_valid));
    out.push_back(make(
        "CreditCardRecognizer", "CREDIT_CARD", {{"card", R"([0-9](?:[ -]?[0-9]){12,18})", 1.0}},
        {"card", "credit", "debit", "visa", "mastercard", "amex", "payment", "cc"}, card_valid));
    out.push_back(make("IbanRecognizer", "IBAN_CODE",
                       {{"iban", R"([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30})", 1.0}},
                       {"iban", "account", "bank", "konto", "compte"}, iban_valid));
    // The same shape whose check digits hold but whose length is not the country's registered
    // one (a mistyped or truncated IBAN): still an account number, found at a lower score, so
    // that a card pattern inside it cannot leave its first groups readable. --validate reject
    // drops it (IBAN_CODE's validator wants the registered length).
    out.push_back(make("IbanChecksumRecognizer", "IBAN_CODE",
                       {{"iban", R"([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30})", 0.6}},
                       {"iban", "account", "bank", "konto", "compte"}, [](std::string_view v) {
                           return iban_checksum_valid(v) && !iban_valid(v);
                       }));
    {
        Recognizer ip = make("IpRecognizer", "IP_ADDRESS",
                             {{"ipv4", R"([0-9]{1,3}(?:\.[0-9]{1,3}){3})", 0.6},
                              {"ipv6", R"([0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*)", 0.95}},
                             {"ip", "ipv4", "ipv6", "address", "host", "server", "client", "from"},
                             ip_address_valid);
        ip.trim_trailing = ".:";
        out.push_back(std::move(ip));
    }
    out.push_back(make("MacAddressRecognizer", "MAC_ADDRESS",
                       {{"mac", R"([0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5})", 0.8},
                        {"cisco", R"([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})", 0.8}},
                       {"mac", "hardware", "ethernet", "wifi", "device"}, mac_address_valid));
    {
        Recognizer url = make("UrlRecognizer", "URL",
                              {{"scheme", R"((?:https?|ftp)://[^\s<>"'`]+)", 0.9},
                               {"www", R"(www\.[^\s<>"'`]+\.[^\s<>"'`]+)", 0.7}},
                              {"url", "link", "website", "site", "visit"}, nullptr,
                              /*case_sensitive=*/false);
        url.trim_trailing = ".,;:!?";
        out.push_back(std::move(url));
    }
    const std::vector<PatternSpec> ssn_shapes = {{"dashed", R"([0-9]{3}-[0-9]{2}-[0-9]{4})", 0.6},
                                                 {"spaced", R"([0-9]{3} [0-9]{2} [0-9]{4})", 0.6},
                                                 {"dotted", R"([0-9]{3}\.[0-9]{2}\.[0-9]{4})", 0.6},
                                                 {"bare", R"([0-9]{9})", 0.3}};
    out.push_back(make("UsSsnRecognizer", "US_SSN", ssn_shapes,
                       {"ssn", "social", "security", "ssa", "ss#"}, us_ssn_valid));
    out.push_back(make("UsItinRecognizer", "US_ITIN", ssn_shapes,
                       {"itin", "taxpayer", "tax", "individual"}, us_itin_valid));
    {
        Recognizer crypto =
            make("CryptoRecognizer", "CRYPTO",
                 {{"bitcoin_base58", R"([13][1-9A-HJ-NP-Za-km-z]{25,34})", 1.0},
                  {"bitcoin_bech32", R"((?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71})", 1.0},
                  {"ethereum", R"(0[xX][0-9a-fA-F]{40})", 1.0}},
                 {"wallet", "bitcoin", "btc", "ethereum", "eth", "crypto", "address", "send"},
                 [](std::string_view t) {
                     return t.size() > 2 && (t[1] == 'x' || t[1] == 'X') ? ethereum_address_valid(t)
                                                                         : bitcoin_address_valid(t);
                 });
        // An Ethereum address in one case carries no checksum: only its shape speaks for it.
        crypto.rescore = [](std::string_view t, double score) {
            if (t.size() != 42 || (t[1] != 'x' && t[1] != 'X')) return score;
            bool lower = false;
            bool upper = false;
            for (const char c : t.substr(2)) {
                lower |= (c >= 'a' && c <= 'f');
                upper |= (c >= 'A' && c <= 'F');
            }
            return lower && upper ? score : 0.8;
        };
        out.push_back(std::move(crypto));
    }
    const std::vector<std::string> secret_words = {"key",  "token",      "secret",   "api",
                                                   "auth", "credential", "password", "bearer"};
    out.push_back(
        make("AwsKeyRecognizer", "SECRET",
             {{"access_key_id",
               R"((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16})", 0.95}},
             secret_words));
    out.push_back(make("GitHubTokenRecognizer", "SECRET",
                       {{"token", R"(gh[pousr]_[A-Za-z0-9]{36})", 0.95},
                        {"fine_grained", R"(github_pat_[A-Za-z0-9_]{82})", 0.95}},
                       secret_words));
    out.push_back(make("SlackTokenRecognizer", "SECRET",
                       {{"token", R"(xox[abposr]-[A-Za-z0-9-]{10,})", 0.9}}, secret_words));
    out.push_back(make("StripeKeyRecognizer", "SECRET",
                       {{"key", R"((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})", 0.95}},
                       secret_words));
    out.push_back(make("JwtRecognizer", "SECRET",
                       {{"jwt", R"(eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)", 0.9}},
                       secret_words, jwt_valid));
    out.push_back(make(
        "PrivateKeyRecognizer", "SECRET",
        {{"pem",
          R"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?s:.*?)-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)",
          1.0}},
        secret_words));
    out.push_back(make(
        "DateRecognizer", "DATE_TIME",
        {{"iso", R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})", 0.45},
         {"numeric", R"([0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2}))", 0.45},
         {"day_month_year",
          "[0-9]{1,2}(?:st|nd|rd|th)?\\.? (?:of )?" SPANGUARD_MONTHS "\\.?,? [0-9]{4}", 0.45},
         {"month_day_year", SPANGUARD_MONTHS "\\.? [0-9]{1,2}(?:st|nd|rd|th)?,? [0-9]{4}", 0.45}},
        {"birth", "born", "dob", "date", "expires", "expiry", "expiration", "issued", "due",
         "admitted", "discharged", "geboren", "né", "née"},
        calendar_date_valid, /*case_sensitive=*/false));
    // Account names are shapeless: only what introduces them marks them. Any name after a
    // "username:", "user id:" or "user=" label; after a bare "user", "username", "account",
    // "login" or "handle" ("login failed for user admin_jdoe"), or a "login:" label (also a log
    // component's name: "login: token refreshed"), only one that looks like an account name.
    out.push_back(username(R"(\b(?:user ?name|user[ _-]?id|user)\s*[:=]\s*$)", account_name_valid));
    out.push_back(username(R"(\b(?:user ?name|user|account|login|logon|handle)\s*[:=]?\s+$)",
                           looks_like_account_name));
    return out;
}

#undef SPANGUARD_MONTHS

}  // namespace spanguard::schemas::patterns
