// deanonymize(): the encrypt operator reversed, by the items' offsets into the redacted text.
#include <algorithm>
#include <string>
#include <vector>

#include "schemas/redaction/crypto.h"
#include "schemas/redaction/redaction.h"
#include "schemas/redaction/redaction_operators.h"
#include "schemas/redaction/redaction_pipeline.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {

std::string deanonymize(std::string_view redacted_text, const std::vector<RedactedItem>& items,
                        const std::string& key) {
    using schemas::RequestError;
    redaction::require_valid_text(redacted_text, "text");
    if (!crypto::valid_aes_key_size(key.size())) {
        throw RequestError("key",
                           "key must be 16, 24 or 32 bytes, got " + std::to_string(key.size()));
    }
    const tokenizer::utf8::CodePointIndex index(redacted_text);
    const size_t length = index.code_point_count();

    std::vector<size_t> order;  // the encrypt items, by position in the redacted text
    for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].op != redaction::operator_name(OperatorKind::kEncrypt)) continue;
        const RedactedItem& item = items[i];
        if (item.redacted_start > item.redacted_end || item.redacted_end > length) {
            throw RequestError("items[" + std::to_string(i) + "]",
                               "redacted span [" + std::to_string(item.redacted_start) + ", " +
                                   std::to_string(item.redacted_end) + ") is not within the " +
                                   std::to_string(length) + " code points of the text");
        }
        order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return items[a].redacted_start < items[b].redacted_start;
    });

    std::string out;
    size_t byte_pos = 0;
    size_t previous_end = 0;
    for (const size_t i : order) {
        const RedactedItem& item = items[i];
        const std::string path = "items[" + std::to_string(i) + "]";
        if (item.redacted_start < previous_end) {
            throw RequestError(path, "redacted span overlaps another encrypted item");
        }
        const size_t begin = index.to_byte(item.redacted_start);
        const size_t end = index.to_byte(item.redacted_end);
        const auto plain = redaction::decrypt_token(key, item.entity_type,
                                                    redacted_text.substr(begin, end - begin));
        if (!plain) {
            throw RequestError(path, "the token at [" + std::to_string(item.redacted_start) + ", " +
                                         std::to_string(item.redacted_end) +
                                         ") does not decrypt: not an ENC(...) token, a wrong "
                                         "key, or the token or its entity_type was altered");
        }
        out.append(redacted_text.substr(byte_pos, begin - byte_pos));
        out.append(*plain);
        byte_pos = end;
        previous_end = item.redacted_end;
    }
    out.append(redacted_text.substr(byte_pos));
    return out;
}

}  // namespace spanguard::schemas
