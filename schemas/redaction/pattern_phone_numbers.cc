// Phone numbers by libphonenumber (pattern_recognizers.h, PhoneRecognizer): its matcher at VALID
// leniency finds numbers that are valid for their region, in international form for any region
// and in national form for the region it is given; one pass per requested region.
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>

#include "schemas/redaction/pattern_recognizer_set.h"
#include "schemas/redaction/pii_validators.h"
#include "schemas/schema/request_error.h"

namespace spanguard::schemas::patterns {
namespace {

// Whether `raw` holds letters other than an extension marker (x, ext, ext., extension).
bool has_words(const std::string& raw) {
    std::string word;
    auto is_marker = [](std::string w) {
        for (char& c : w)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return w.empty() || w == "x" || w == "ext" || w == "extension";
    };
    for (const char c : raw) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
            word.push_back(c);
            continue;
        }
        if (!is_marker(word)) return true;
        word.clear();
    }
    return !is_marker(word);
}

}  // namespace

std::vector<ByteSpan> find_phone_numbers(std::string_view text,
                                         const std::vector<std::string>& regions) {
    using i18n::phonenumbers::PhoneNumberMatch;
    using i18n::phonenumbers::PhoneNumberMatcher;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::set<std::string> supported;
    util.GetSupportedRegions(&supported);
    const std::string input(text);
    std::vector<ByteSpan> found;
    for (const std::string& region : regions) {
        if (supported.count(region) == 0) {
            throw schemas::RequestError(
                "default_region", "unknown phone region \"" + region +
                                      "\" (ISO 3166-1 alpha-2 codes libphonenumber knows, such as "
                                      "US, GB, DE, FR, IN)");
        }
        // The matcher's try budget bounds the work on text full of digit runs.
        // STRICT_GROUPING: digits grouped as the region writes them (or not grouped at all), so
        // a bank account "6093-258690" is not read as a US number.
        PhoneNumberMatcher matcher(
            util, input, region, PhoneNumberMatcher::STRICT_GROUPING,
            /*max_tries=*/static_cast<int>(std::min<size_t>(1'000'000, 64 + input.size() / 8)));
        PhoneNumberMatch match;
        while (matcher.HasNext()) {
            if (!matcher.Next(&match)) break;
            const auto begin = static_cast<size_t>(match.start());
            // Four dotted groups read as a phone number in some regions, but are an IPv4
            // address (IpRecognizer's); letters ("1-800-FLOWERS", or words the matcher read
            // as digits) are not taken, but for an extension marker.
            if (ipv4_valid(match.raw_string()) || has_words(match.raw_string())) continue;
            found.push_back({begin, begin + static_cast<size_t>(match.length())});
        }
    }
    std::sort(found.begin(), found.end(), [](const ByteSpan& a, const ByteSpan& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    // Two regions may read overlapping numbers: the earlier, then longer, one stands.
    std::vector<ByteSpan> kept;
    for (const ByteSpan& s : found) {
        if (!kept.empty() && s.begin < kept.back().end) continue;
        kept.push_back(s);
    }
    return kept;
}

}  // namespace spanguard::schemas::patterns
