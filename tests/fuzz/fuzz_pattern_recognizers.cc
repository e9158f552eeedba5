// Fuzzes the pattern recognizers (schemas/redaction/pattern_recognizers.h) on hostile text: every
// built-in recognizer, validators included (base58, bech32, Keccak, dates, IBAN, Luhn,
// libphonenumber), and user recognizer files read from the same bytes. Spans must lie inside the
// text, be non-empty and come sorted; bad recognizer JSON may only raise RequestError or a JSON
// parse error.
#include <cstdint>

#include "schemas/redaction/pattern_recognizers.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"
#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/utf8.h"

using namespace spanguard;
using namespace spanguard::schemas;

namespace {

void check_spans(const std::vector<DetectedSpan>& spans, size_t length) {
    size_t last_start = 0;
    for (const DetectedSpan& s : spans) {
        FUZZ_CHECK(s.start < s.end && s.end <= length);
        FUZZ_CHECK(s.start >= last_start);
        FUZZ_CHECK(s.score >= 0.0 && s.score <= 1.0);
        last_start = s.start;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    if (tokenizer::utf8::find_invalid(text)) return 0;
    const size_t length = tokenizer::utf8::CodePointIndex(text).code_point_count();
    PatternOptions options;
    options.phone_regions = {"US", "DE"};
    check_spans(RecognizerSet::builtin()->find(text, {}, options), length);

    if (size > 0 && (text[0] == '{' || text[0] == '[')) {
        const schemas::Json json = schemas::Json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) return 0;
        try {
            const auto set = RecognizerSet::from_json(json);
            check_spans(set->find(text, {}, options), length);
        } catch (const schemas::RequestError&) {
        }
    }
    return 0;
}
