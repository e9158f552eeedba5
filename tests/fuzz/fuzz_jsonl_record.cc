// Fuzzes cli::read_text_record, the reader of one JSONL input line of `spanguard extract`. It
// reports every problem in TextRecord::error and must never throw.
#include <cstdint>

#include "schemas/cli/arguments.h"
#include "tests/fuzz/fuzz_support.h"
#include "tokenizer/utf8.h"

using namespace spanguard;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const cli::TextRecord record = cli::read_text_record(fuzz::as_text(data, size));
    // Exactly one of text and error; an accepted text is valid UTF-8 (nlohmann decodes \u escapes
    // of lone surrogates into invalid sequences only if it is broken, so this is worth checking).
    FUZZ_CHECK(record.text.has_value() == record.error.empty());
    if (record.text) FUZZ_CHECK(!tokenizer::utf8::find_invalid(*record.text).has_value());
    if (!record.error.empty()) (void)cli::error_record(size, record.error);
    return 0;
}
