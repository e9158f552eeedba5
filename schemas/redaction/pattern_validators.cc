// Validators of the built-in pattern recognizers (pattern_validators.h).
#include "schemas/redaction/pattern_validators.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "schemas/redaction/crypto.h"

namespace spanguard::schemas::patterns {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// The digits of `text` when they come as `sizes` groups joined by one separator kind from `seps`
// (or by none at all); nullopt otherwise.
std::optional<std::string> grouped_digits(std::string_view text,
                                          std::initializer_list<size_t> sizes,
                                          std::string_view seps) {
    std::string digits;
    for (const char c : text) {
        if (is_digit(c)) digits.push_back(c);
    }
    size_t total = 0;
    for (const size_t s : sizes)
        total += s;
    if (digits.size() != total) return std::nullopt;
    if (text.size() == total) return digits;
    // Separated: exactly one separator between consecutive groups, all the same kind.
    if (text.size() != total + sizes.size() - 1) return std::nullopt;
    std::optional<char> sep;
    size_t pos = 0;
    size_t group = 0;
    for (const size_t s : sizes) {
        for (size_t i = 0; i < s; ++i, ++pos) {
            if (!is_digit(text[pos])) return std::nullopt;
        }
        if (++group == sizes.size()) break;
        const char c = text[pos++];
        if (seps.find(c) == std::string_view::npos || (sep && *sep != c)) return std::nullopt;
        sep = c;
    }
    return digits;
}

int number(std::string_view digits) {
    int n = 0;
    for (const char c : digits)
        n = n * 10 + (c - '0');
    return n;
}

// --- Bitcoin -------------------------------------------------------------------------------------

constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

std::optional<std::vector<uint8_t>> base58_decode(std::string_view text) {
    std::vector<uint8_t> bytes;  // big-endian magnitude
    for (const char c : text) {
        const size_t digit = kBase58.find(c);
        if (digit == std::string_view::npos) return std::nullopt;
        uint32_t carry = static_cast<uint32_t>(digit);
        for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
            carry += 58u * *it;
            *it = static_cast<uint8_t>(carry & 0xFF);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes.insert(bytes.begin(), static_cast<uint8_t>(carry & 0xFF));
            carry >>= 8;
        }
    }
    // Each leading '1' stands for a leading zero byte.
    for (const char c : text) {
        if (c != '1') break;
        bytes.insert(bytes.begin(), 0);
    }
    return bytes;
}

bool base58check_valid(std::string_view text) {
    const auto bytes = base58_decode(text);
    if (!bytes || bytes->size() != 25) return false;
    if ((*bytes)[0] != 0x00 && (*bytes)[0] != 0x05) return false;
    const std::string payload(bytes->begin(), bytes->begin() + 21);
    const std::string check = crypto::sha256(crypto::sha256(payload));
    return std::equal(check.begin(), check.begin() + 4, bytes->begin() + 21,
                      [](char a, uint8_t b) { return static_cast<uint8_t>(a) == b; });
}

constexpr std::string_view kBech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

uint32_t bech32_polymod(const std::vector<uint8_t>& values) {
    constexpr std::array<uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                              0x2a1462b3};
    uint32_t chk = 1;
    for (const uint8_t v : values) {
        const uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (size_t i = 0; i < 5; ++i) {
            if ((top >> i) & 1) chk ^= kGen[i];
        }
    }
    return chk;
}

bool bech32_valid(std::string_view text) {
    bool lower = false;
    bool upper = false;
    std::string s;
    for (const char c : text) {
        lower |= (c >= 'a' && c <= 'z');
        upper |= (c >= 'A' && c <= 'Z');
        s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (lower && upper) return false;
    if (s.size() < 14 || s.size() > 74 || s.compare(0, 3, "bc1") != 0) return false;
    std::vector<uint8_t> values = {3, 3, 0, 2, 3};  // "bc" expanded: high bits, 0, low bits
    std::vector<uint8_t> data;
    for (size_t i = 3; i < s.size(); ++i) {
        const size_t v = kBech32.find(s[i]);
        if (v == std::string_view::npos) return false;
        data.push_back(static_cast<uint8_t>(v));
    }
    values.insert(values.end(), data.begin(), data.end());
    const uint32_t residue = bech32_polymod(values);
    if (data.empty() || data[0] > 16) return false;
    // BIP 350: witness version 0 uses bech32, later versions bech32m.
    return residue == (data[0] == 0 ? 1u : 0x2bc830a3u);
}

// --- Keccak-256 ----------------------------------------------------------------------------------

constexpr std::array<uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
constexpr std::array<int, 25> kRotations = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                            25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

uint64_t rotl(uint64_t x, int n) {
    return n == 0 ? x : (x << n) | (x >> (64 - n));
}

void keccak_f1600(std::array<uint64_t, 25>& a) {
    for (const uint64_t rc : kRoundConstants) {
        std::array<uint64_t, 5> c{};
        for (int x = 0; x < 5; ++x)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; ++x) {
            const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5)
                a[y + x] ^= d;
        }
        std::array<uint64_t, 25> b{};
        for (int x = 0; x < 5; ++x) {
            for (int y = 0; y < 5; ++y) {
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRotations[x + 5 * y]);
            }
        }
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; ++x) {
                a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
            }
        }
        a[0] ^= rc;
    }
}

// --- JWT -----------------------------------------------------------------------------------------

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string out;
    uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        else
            return std::nullopt;
        buffer = (buffer << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
    }
    return out;
}

// --- Dates ---------------------------------------------------------------------------------------

bool leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

bool real_date(int year, int month, int day) {
    constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
    const int days = kDays[static_cast<size_t>(month - 1)] + (month == 2 && leap(year) ? 1 : 0);
    return day <= days;
}

int full_year(std::string_view digits) {
    const int n = number(digits);
    if (digits.size() == 4) return n;
    if (digits.size() == 2) return n < 70 ? 2000 + n : 1900 + n;
    return -1;
}

// 1-12 for an English month name or its three-letter (optionally dotted) abbreviation.
int month_number(std::string word) {
    static const std::array<std::string_view, 12> kMonths = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    for (char& c : word)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (word == "sept") word = "sep";
    for (size_t i = 0; i < kMonths.size(); ++i) {
        if (word == kMonths[i] || (word.size() == 3 && kMonths[i].substr(0, 3) == word)) {
            return static_cast<int>(i) + 1;
        }
    }
    return 0;
}

}  // namespace

std::string keccak256(std::string_view data) {
    constexpr size_t kRate = 136;
    std::array<uint64_t, 25> state{};
    std::string padded(data);
    padded.push_back('\x01');
    while (padded.size() % kRate != 0)
        padded.push_back('\0');
    padded.back() = static_cast<char>(padded.back() | 0x80);
    for (size_t block = 0; block < padded.size(); block += kRate) {
        for (size_t i = 0; i < kRate / 8; ++i) {
            uint64_t lane = 0;
            for (size_t b = 0; b < 8; ++b) {
                lane |= uint64_t{static_cast<uint8_t>(padded[block + 8 * i + b])} << (8 * b);
            }
            state[i] ^= lane;
        }
        keccak_f1600(state);
    }
    std::string out;
    for (size_t i = 0; i < 4; ++i) {
        for (size_t b = 0; b < 8; ++b)
            out.push_back(static_cast<char>((state[i] >> (8 * b)) & 0xFF));
    }
    return out;
}

bool us_ssn_valid(std::string_view text) {
    const auto digits = grouped_digits(text, {3, 2, 4}, "- .");
    if (!digits) return false;
    const int area = number(digits->substr(0, 3));
    if (area == 0 || area == 666 || area >= 900) return false;
    if (number(digits->substr(3, 2)) == 0 || number(digits->substr(5, 4)) == 0) return false;
    return digits->find_first_not_of((*digits)[0]) != std::string::npos;
}

bool us_itin_valid(std::string_view text) {
    const auto digits = grouped_digits(text, {3, 2, 4}, "- .");
    if (!digits || (*digits)[0] != '9') return false;
    const int group = number(digits->substr(3, 2));
    return (group >= 50 && group <= 65) || (group >= 70 && group <= 88) ||
           (group >= 90 && group <= 92) || (group >= 94 && group <= 99);
}

bool mac_address_valid(std::string_view text) {
    if (text.size() == 14) {  // 0123.4567.89ab
        for (size_t i = 0; i < 14; ++i) {
            if ((i == 4 || i == 9) ? text[i] != '.' : !is_hex(text[i])) return false;
        }
        return true;
    }
    if (text.size() != 17) return false;
    const char sep = text[2];
    if (sep != ':' && sep != '-') return false;
    for (size_t i = 0; i < 17; ++i) {
        if (i % 3 == 2 ? text[i] != sep : !is_hex(text[i])) return false;
    }
    return true;
}

bool bitcoin_address_valid(std::string_view text) {
    if (text.size() >= 3 && (text[0] == 'b' || text[0] == 'B')) return bech32_valid(text);
    return text.size() >= 26 && text.size() <= 35 && base58check_valid(text);
}

bool ethereum_address_valid(std::string_view text) {
    if (text.size() != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return false;
    const std::string_view hex = text.substr(2);
    bool lower = false;
    bool upper = false;
    for (const char c : hex) {
        if (!is_hex(c)) return false;
        lower |= (c >= 'a' && c <= 'f');
        upper |= (c >= 'A' && c <= 'F');
    }
    if (!(lower && upper)) return true;  // single case: no checksum to check
    std::string lowered(hex);
    for (char& c : lowered)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string hash = keccak256(lowered);
    // EIP-55: a letter is upper case exactly when its nibble of the hash is 8 or more.
    for (size_t i = 0; i < 40; ++i) {
        const char c = hex[i];
        if (is_digit(c)) continue;
        const uint8_t byte = static_cast<uint8_t>(hash[i / 2]);
        const int nibble = i % 2 == 0 ? byte >> 4 : byte & 0x0F;
        const bool want_upper = nibble >= 8;
        if (want_upper != (c >= 'A' && c <= 'F')) return false;
    }
    return true;
}

bool jwt_valid(std::string_view text) {
    const size_t first = text.find('.');
    if (first == std::string_view::npos) return false;
    const size_t second = text.find('.', first + 1);
    if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) {
        return false;
    }
    const auto header = base64url_decode(text.substr(0, first));
    if (!header) return false;
    const auto json = nlohmann::json::parse(*header, nullptr, /*allow_exceptions=*/false);
    return json.is_object() && json.contains("alg");
}

bool calendar_date_valid(std::string_view text) {
    std::vector<std::string> numbers;
    std::vector<std::string> words;
    std::string current;
    bool in_number = false;
    auto flush = [&]() {
        if (current.empty()) return;
        (in_number ? numbers : words).push_back(current);
        current.clear();
    };
    for (const char c : text) {
        const bool digit = is_digit(c);
        const bool alpha = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (!digit && !alpha) {
            flush();
            continue;
        }
        if (!current.empty() && digit != in_number) flush();
        in_number = digit;
        current.push_back(c);
    }
    flush();
    int month = 0;
    for (const std::string& w : words) {
        const int m = month_number(w);
        if (m != 0) {
            month = m;
        } else if (w != "st" && w != "nd" && w != "rd" && w != "th" && w != "of") {
            return false;
        }
    }
    if (month != 0) {
        if (numbers.size() != 2) return false;
        // "12 March 2024" or "March 12, 2024": the year is the four-digit (or the last) number.
        const std::string& a = numbers[0];
        const std::string& b = numbers[1];
        const bool a_is_year = a.size() == 4;
        const int year = full_year(a_is_year ? a : b);
        const std::string& day = a_is_year ? b : a;
        return day.size() <= 2 && real_date(year, month, number(day));
    }
    if (numbers.size() != 3) return false;
    if (numbers[0].size() == 4) {
        return numbers[1].size() <= 2 && numbers[2].size() <= 2 &&
               real_date(number(numbers[0]), number(numbers[1]), number(numbers[2]));
    }
    if (numbers[0].size() > 2 || numbers[1].size() > 2) return false;
    const int year = full_year(numbers[2]);
    const int a = number(numbers[0]);
    const int b = number(numbers[1]);
    return real_date(year, b, a) || real_date(year, a, b);
}

}  // namespace spanguard::schemas::patterns
