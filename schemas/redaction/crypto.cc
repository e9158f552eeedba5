#include "schemas/redaction/crypto.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>
#include <stdexcept>

namespace spanguard::crypto {
namespace {

[[noreturn]] void throw_openssl(const char* what) {
    // The queue may hold several entries; the earliest one is the root cause.
    const unsigned long code = ERR_get_error();
    char buffer[256] = "no OpenSSL error queued";
    if (code != 0) ERR_error_string_n(code, buffer, sizeof buffer);
    ERR_clear_error();
    throw std::runtime_error(std::string("OpenSSL ") + what + " failed: " + buffer);
}

struct CipherContextDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter>;

const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes_of(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}

// EVP lengths are ints; the operators only ever see span texts, far below this.
int int_length(std::string_view s, const char* what) {
    if (s.size() > static_cast<size_t>(INT_MAX / 2)) {
        throw std::invalid_argument(std::string(what) + " too long for OpenSSL");
    }
    return static_cast<int>(s.size());
}

const EVP_CIPHER* gcm_cipher(std::string_view key) {
    switch (key.size()) {
        case 16:
            return EVP_aes_128_gcm();
        case 24:
            return EVP_aes_192_gcm();
        case 32:
            return EVP_aes_256_gcm();
        default:
            throw std::invalid_argument("AES key must be 16, 24 or 32 bytes, got " +
                                        std::to_string(key.size()));
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

}  // namespace

std::string sha256(std::string_view data) {
    std::string digest(32, '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), bytes_of(digest), &length, EVP_sha256(), nullptr) !=
            1 ||
        length != digest.size()) {
        throw_openssl("SHA-256");
    }
    return digest;
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xF]);
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::string out;
    out.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_value(hex[i]);
        const int lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

std::string random_bytes(size_t count) {
    std::string out(count, '\0');
    if (count > static_cast<size_t>(INT_MAX)) throw std::invalid_argument("too many random bytes");
    if (count > 0 && RAND_bytes(bytes_of(out), static_cast<int>(count)) != 1) {
        throw_openssl("RAND_bytes");
    }
    return out;
}

bool valid_aes_key_size(size_t bytes) {
    return bytes == 16 || bytes == 24 || bytes == 32;
}

std::string aes_gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
    gcm_cipher(key);  // reject a bad key before drawing randomness
    return aes_gcm_seal_with_nonce(key, random_bytes(kGcmNonceBytes), plaintext, aad);
}

std::string aes_gcm_seal_with_nonce(std::string_view key, std::string_view nonce,
                                    std::string_view plaintext, std::string_view aad) {
    const EVP_CIPHER* cipher = gcm_cipher(key);
    if (nonce.size() != kGcmNonceBytes) throw std::invalid_argument("GCM nonce must be 12 bytes");
    const int plain_length = int_length(plaintext, "plaintext");
    const int aad_length = int_length(aad, "associated data");

    CipherContext ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw_openssl("EVP_CIPHER_CTX_new");
    // The default GCM IV length is 12 bytes, which is the nonce size used here.
    if (EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, bytes_of(key), bytes_of(nonce)) != 1) {
        throw_openssl("AES-GCM init");
    }
    int written = 0;
    if (aad_length > 0 &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &written, bytes_of(aad), aad_length) != 1) {
        throw_openssl("AES-GCM aad");
    }
    std::string out(nonce);
    out.resize(kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
    unsigned char* body = bytes_of(out) + kGcmNonceBytes;
    int body_length = 0;
    if (plain_length > 0 &&
        EVP_EncryptUpdate(ctx.get(), body, &written, bytes_of(plaintext), plain_length) != 1) {
        throw_openssl("AES-GCM encrypt");
    }
    body_length = plain_length > 0 ? written : 0;
    if (EVP_EncryptFinal_ex(ctx.get(), body + body_length, &written) != 1) {
        throw_openssl("AES-GCM final");
    }
    body_length += written;
    if (static_cast<size_t>(body_length) != plaintext.size()) {
        throw std::runtime_error("AES-GCM produced an unexpected ciphertext length");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                            body + body_length) != 1) {
        throw_openssl("AES-GCM tag");
    }
    return out;
}

std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view sealed,
                                        std::string_view aad) {
    const EVP_CIPHER* cipher = gcm_cipher(key);
    if (sealed.size() < kGcmNonceBytes + kGcmTagBytes) return std::nullopt;
    const std::string_view nonce = sealed.substr(0, kGcmNonceBytes);
    const std::string_view body =
        sealed.substr(kGcmNonceBytes, sealed.size() - kGcmNonceBytes - kGcmTagBytes);
    std::string tag(sealed.substr(sealed.size() - kGcmTagBytes));
    const int body_length = int_length(body, "ciphertext");
    const int aad_length = int_length(aad, "associated data");

    CipherContext ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw_openssl("EVP_CIPHER_CTX_new");
    if (EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, bytes_of(key), bytes_of(nonce)) != 1) {
        throw_openssl("AES-GCM init");
    }
    int written = 0;
    if (aad_length > 0 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &written, bytes_of(aad), aad_length) != 1) {
        throw_openssl("AES-GCM aad");
    }
    std::string plaintext(body.size(), '\0');
    int plain_length = 0;
    if (body_length > 0) {
        if (EVP_DecryptUpdate(ctx.get(), bytes_of(plaintext), &written, bytes_of(body),
                              body_length) != 1) {
            throw_openssl("AES-GCM decrypt");
        }
        plain_length = written;
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                            bytes_of(tag)) != 1) {
        throw_openssl("AES-GCM set tag");
    }
    // Final fails exactly when the tag does not verify; that is a verdict, not an error.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes_of(plaintext) + plain_length, &written) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    plaintext.resize(static_cast<size_t>(plain_length + written));
    return plaintext;
}

std::string base64_encode(std::string_view bytes) {
    const int length = int_length(bytes, "base64 input");
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + the NUL EVP writes
    const int written = EVP_EncodeBlock(bytes_of(out), bytes_of(bytes), length);
    out.resize(static_cast<size_t>(written));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    // EVP_DecodeBlock trims whitespace and keeps the zero bytes that padding stands for, so the
    // shape is checked here and the padding bytes are dropped after decoding.
    if (text.size() % 4 != 0) return std::nullopt;
    size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
        ++padding;
    }
    for (size_t i = 0; i + padding < text.size(); ++i) {
        if (!is_base64_char(text[i])) return std::nullopt;
    }
    if (text.empty()) return std::string();
    const int length = int_length(text, "base64 text");
    std::string out(text.size() / 4 * 3, '\0');
    const int written = EVP_DecodeBlock(bytes_of(out), bytes_of(text), length);
    if (written < 0 || static_cast<size_t>(written) != out.size()) return std::nullopt;
    out.resize(out.size() - padding);
    return out;
}

}  // namespace spanguard::crypto
