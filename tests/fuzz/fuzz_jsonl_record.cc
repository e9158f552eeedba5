// Fuzzes the readers of one JSONL input line: cli::read_text_record (`spanguard tokenize`) and the
// batch runner's record readers (cli::parse_record, then the text, optional-text and id fields at a
// few dotted paths). Bad input must surface only as TextRecord::error or cli::InputError.
#include <cstdint>

#include "schemas/cli/arguments.h"
#include "schemas/cli/record_fields.h"
#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/utf8.h"

using namespace spanguard;

namespace {

const cli::FieldPath& path(int which) {
    static const cli::FieldPath paths[] = {cli::parse_field_path("text", "--text-field"),
                                           cli::parse_field_path("meta.body", "--text-field"),
                                           cli::parse_field_path("turns.0", "--text-field"),
                                           cli::parse_field_path("id", "--id-field")};
    return paths[which];
}

void read_fields(std::string_view line) {
    schemas::Json record;
    try {
        record = cli::parse_record(line);
    } catch (const cli::InputError&) {
        return;
    }
    for (int p = 0; p < 3; ++p) {
        try {
            const std::string text = cli::read_text_field(record, path(p), 64);
            FUZZ_CHECK(text.size() <= 64);
            FUZZ_CHECK(!tokenizer::utf8::find_invalid(text).has_value());
        } catch (const cli::InputError&) {
        }
        try {
            const auto text = cli::read_optional_text_field(record, path(p), 0);
            if (text) FUZZ_CHECK(!tokenizer::utf8::find_invalid(*text).has_value());
        } catch (const cli::InputError&) {
        }
    }
    try {
        const schemas::Json id = cli::read_id_field(record, path(3));
        FUZZ_CHECK(id.is_string() || id.is_number());
    } catch (const cli::InputError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view line = fuzz::as_text(data, size);
    const cli::TextRecord record = cli::read_text_record(line);
    // Exactly one of text and error; an accepted text is valid UTF-8 (nlohmann decodes \u escapes
    // of lone surrogates into invalid sequences only if it is broken, so this is worth checking).
    FUZZ_CHECK(record.text.has_value() == record.error.empty());
    if (record.text) FUZZ_CHECK(!tokenizer::utf8::find_invalid(*record.text).has_value());
    if (!record.error.empty()) (void)cli::error_record(size, record.error);
    read_fields(line);
    return 0;
}
