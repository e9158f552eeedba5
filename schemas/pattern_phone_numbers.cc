// Phone numbers by libphonenumber (pattern_recognizers.h, PhoneRecognizer): its matcher at VALID
// leniency finds numbers that are valid for their region, in international form for any region
// and in national form for the region it is given; one pass per requested region.
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>

#include "schemas/pattern_recognizer_set.h"
#include "schemas/pii_validators.h"
#include "schemas/request_error.h"

namespace spanguard::patterns {

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
        PhoneNumberMatcher matcher(util, input, region, PhoneNumberMatcher::VALID,
                                   /*max_tries=*/static_cast<int>(std::min<size_t>(
                                       1'000'000, 64 + input.size() / 8)));
        PhoneNumberMatch match;
        while (matcher.HasNext()) {
            if (!matcher.Next(&match)) break;
            const auto begin = static_cast<size_t>(match.start());
            // Four dotted groups read as a phone number in some regions, but are an IPv4
            // address (IpRecognizer's).
            if (ipv4_valid(match.raw_string())) continue;
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

}  // namespace spanguard::patterns
