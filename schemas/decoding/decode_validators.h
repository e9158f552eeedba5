// Regex validators of structure fields (GLINER2.md §4.3, §4.7b): a span is kept only when its text
// passes every validator of its field. Patterns are compiled once per schema with ICU.
//
//   mode full     the whole span text must match (Python re.fullmatch)
//   mode partial  a match anywhere in the span text (Python re.search)
//   exclude       inverts the result
//   case_insensitive (default true, as the reference compiles with re.IGNORECASE)
//
// Patterns are written in Python `re` syntax. ICU's syntax is a near superset; the differences
// that change meaning are translated: (?P<name>...) and (?P=name) named groups, and \Z (Python:
// end of text only, which is ICU's \z). Remaining known differences, all about Unicode corners:
// ICU's \w also matches combining marks and connector punctuation other than "_", and ICU's
// case-insensitive matching uses full case folding ("ß" matches "ss"), Python's simple folding.
//
// Thread safety: compiled validators are immutable; passes() may run on many threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/schema/schema.h"

namespace spanguard::schemas {

class CompiledValidator {
  public:
    // Throws RequestError(path, "invalid regex pattern '...': <ICU error> at offset N") when the
    // pattern does not compile.
    CompiledValidator(const RegexValidator& validator, const std::string& path);

    // `text` is valid UTF-8.
    bool passes(std::string_view text) const;

  private:
    struct Pattern;
    std::shared_ptr<const Pattern> pattern_;
    RegexValidator::Mode mode_;
    bool exclude_;
};

// Python `re` pattern syntax -> ICU syntax, for the constructs listed above.
std::string python_regex_to_icu(std::string_view pattern);

// The compiled validators of every field of every structure of a schema:
// fields[structure][field] lists the validators of that field, in request order.
struct SchemaValidators {
    std::vector<std::vector<std::vector<CompiledValidator>>> fields;

    // Compiles all patterns; errors name the validator as
    // structures.<structure>.<field>.validators[j].
    static SchemaValidators compile(const Schema& schema);
};

// True when `text` passes every validator.
bool passes_all(const std::vector<CompiledValidator>& validators, std::string_view text);

}  // namespace spanguard::schemas
