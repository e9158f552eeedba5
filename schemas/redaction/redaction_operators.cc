#include "schemas/redaction/redaction_operators.h"

#include <algorithm>
#include <utility>

#include "schemas/redaction/crypto.h"
#include "schemas/schema/request_error.h"
#include "tokenizer/utf8.h"

namespace spanguard::schemas {

Operator Operator::replace(std::string new_value) {
    Operator op;
    op.kind = OperatorKind::kReplace;
    op.new_value = std::move(new_value);
    return op;
}

Operator Operator::mask(std::string masking_char, std::optional<size_t> chars_to_mask,
                        bool from_end) {
    Operator op;
    op.kind = OperatorKind::kMask;
    op.masking_char = std::move(masking_char);
    op.chars_to_mask = chars_to_mask;
    op.from_end = from_end;
    return op;
}

Operator Operator::hash(std::string salt) {
    Operator op;
    op.kind = OperatorKind::kHash;
    op.salt = std::move(salt);
    return op;
}

Operator Operator::encrypt(std::string key) {
    Operator op;
    op.kind = OperatorKind::kEncrypt;
    op.key = std::move(key);
    return op;
}

Operator Operator::keep() {
    Operator op;
    op.kind = OperatorKind::kKeep;
    return op;
}

namespace redaction {
namespace {

constexpr std::string_view kEntityTypePlaceholder = "{entity_type}";

std::string substitute_entity_type(std::string_view templ, std::string_view entity_type) {
    std::string out;
    size_t pos = 0;
    while (true) {
        const size_t hit = templ.find(kEntityTypePlaceholder, pos);
        out.append(templ.substr(pos, hit == std::string_view::npos ? hit : hit - pos));
        if (hit == std::string_view::npos) return out;
        out.append(entity_type);
        pos = hit + kEntityTypePlaceholder.size();
    }
}

std::string mask_value(const Operator& op, std::string_view value) {
    const std::u32string cps = tokenizer::utf8::to_u32(value);
    const size_t count = std::min(op.chars_to_mask.value_or(cps.size()), cps.size());
    // Masked code points are [first, first + count).
    const size_t first = op.from_end ? cps.size() - count : 0;
    std::string out;
    for (size_t i = 0; i < cps.size(); ++i) {
        if (i >= first && i < first + count) {
            out.append(op.masking_char);
        } else {
            tokenizer::utf8::append(out, cps[i]);
        }
    }
    return out;
}

}  // namespace

std::string_view operator_name(OperatorKind kind) {
    switch (kind) {
        case OperatorKind::kReplace:
            return "replace";
        case OperatorKind::kMask:
            return "mask";
        case OperatorKind::kHash:
            return "hash";
        case OperatorKind::kEncrypt:
            return "encrypt";
        case OperatorKind::kKeep:
            return "keep";
    }
    return "replace";  // unreachable for valid enum values
}

std::optional<OperatorKind> operator_kind_from_name(std::string_view name) {
    for (const OperatorKind kind :
         {OperatorKind::kReplace, OperatorKind::kMask, OperatorKind::kHash, OperatorKind::kEncrypt,
          OperatorKind::kKeep}) {
        if (operator_name(kind) == name) return kind;
    }
    return std::nullopt;
}

void check_operator(const Operator& op, const std::string& path) {
    using schemas::RequestError;
    switch (op.kind) {
        case OperatorKind::kReplace:
            if (const auto bad = tokenizer::utf8::find_invalid(op.new_value)) {
                throw RequestError(path + ".new_value",
                                   "invalid UTF-8 at byte offset " + std::to_string(*bad));
            }
            return;
        case OperatorKind::kMask: {
            if (const auto bad = tokenizer::utf8::find_invalid(op.masking_char)) {
                throw RequestError(path + ".masking_char",
                                   "invalid UTF-8 at byte offset " + std::to_string(*bad));
            }
            const size_t n = tokenizer::utf8::to_u32(op.masking_char).size();
            if (n != 1) {
                throw RequestError(
                    path + ".masking_char",
                    "masking_char must be exactly one character, got " + std::to_string(n));
            }
            return;
        }
        case OperatorKind::kEncrypt:
            if (!crypto::valid_aes_key_size(op.key.size())) {
                throw RequestError(path + ".key", "key must be 16, 24 or 32 bytes, got " +
                                                      std::to_string(op.key.size()));
            }
            return;
        case OperatorKind::kHash:  // any salt, including none
        case OperatorKind::kKeep:
            return;
    }
    throw RequestError(path, "unknown operator kind");
}

std::string default_replacement(std::string_view entity_type) {
    std::string out = "<";
    for (const char c : entity_type) {
        out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
    }
    out.push_back('>');
    return out;
}

std::string apply_operator(const Operator& op, std::string_view entity_type,
                           std::string_view value) {
    switch (op.kind) {
        case OperatorKind::kReplace:
            return op.new_value.empty() ? default_replacement(entity_type)
                                        : substitute_entity_type(op.new_value, entity_type);
        case OperatorKind::kMask:
            return mask_value(op, value);
        case OperatorKind::kHash:
            return crypto::to_hex(crypto::sha256(op.salt + std::string(value)));
        case OperatorKind::kEncrypt:
            return encrypt_token(op.key, entity_type, value);
        case OperatorKind::kKeep:
            return std::string(value);
    }
    return std::string(value);
}

std::string encrypt_token(const std::string& key, std::string_view entity_type,
                          std::string_view value) {
    return std::string(kTokenPrefix) +
           crypto::base64_encode(crypto::aes_gcm_seal(key, value, entity_type)) +
           std::string(kTokenSuffix);
}

std::optional<std::string> decrypt_token(const std::string& key, std::string_view entity_type,
                                         std::string_view token) {
    if (token.size() < kTokenPrefix.size() + kTokenSuffix.size() ||
        token.substr(0, kTokenPrefix.size()) != kTokenPrefix ||
        token.substr(token.size() - kTokenSuffix.size()) != kTokenSuffix) {
        return std::nullopt;
    }
    const auto sealed = crypto::base64_decode(token.substr(
        kTokenPrefix.size(), token.size() - kTokenPrefix.size() - kTokenSuffix.size()));
    if (!sealed) return std::nullopt;
    return crypto::aes_gcm_open(key, *sealed, entity_type);
}

}  // namespace redaction
}  // namespace spanguard::schemas
