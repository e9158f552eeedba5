// The libcrypto wrappers (schemas/redaction/crypto.h) against published vectors.
#include <gtest/gtest.h>

#include "schemas/redaction/crypto.h"

namespace spanguard::crypto {
namespace {

TEST(RedactCryptoTest, Sha256MatchesIndependentDigest) {
    // printf 'pepperjo@example.org' | sha256sum
    EXPECT_EQ(to_hex(sha256("pepperjo@example.org")),
              "992a3ffabb75dced3951a5abcda9033e6b33a65df8ef8e431be42a84f0c86a32");
    // FIPS 180-2 example "abc".
    EXPECT_EQ(to_hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RedactCryptoTest, HexRoundTrip) {
    EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00ff10");
    EXPECT_EQ(from_hex("00FF10"), std::string("\x00\xff\x10", 3));
    EXPECT_EQ(from_hex("abc"), std::nullopt);
    EXPECT_EQ(from_hex("zz"), std::nullopt);
}

TEST(RedactCryptoTest, Base64StrictRoundTrip) {
    // Python base64.b64encode(b"\x00\xffab"), b"f", b"fo".
    EXPECT_EQ(base64_encode(std::string("\x00\xff"
                                        "ab",
                                        4)),
              "AP9hYg==");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_decode("AP9hYg=="), std::string("\x00\xff"
                                                     "ab",
                                                     4));
    EXPECT_EQ(base64_decode("Zm8="), "fo");
    EXPECT_EQ(base64_decode(""), "");
    EXPECT_EQ(base64_decode("Zm8"), std::nullopt);    // length
    EXPECT_EQ(base64_decode(" Zm8="), std::nullopt);  // whitespace (EVP would trim it)
    EXPECT_EQ(base64_decode("Z=m8"), std::nullopt);   // padding inside
    EXPECT_EQ(base64_decode("Zm8*"), std::nullopt);   // alphabet
    EXPECT_EQ(base64_decode("Z==="), std::nullopt);   // three padding characters
}

TEST(RedactCryptoTest, AesGcmMatchesPublishedVectors) {
    // McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 1 and 2: zero key and
    // IV, empty and one zero block of plaintext.
    const std::string key(16, '\0');
    const std::string nonce(12, '\0');
    EXPECT_EQ(to_hex(aes_gcm_seal_with_nonce(key, nonce, "", "")),
              "000000000000000000000000"
              "58e2fccefa7e3061367f1d57a4e7455a");
    EXPECT_EQ(to_hex(aes_gcm_seal_with_nonce(key, nonce, std::string(16, '\0'), "")),
              "000000000000000000000000"
              "0388dace60b6a392f328c2b971b2fe78"
              "ab6e47d42cec13bdf53a67b21257bddf");
}

TEST(RedactCryptoTest, AesGcmAuthenticates) {
    const std::string key = "0123456789abcdef0123456789abcdef";
    const std::string sealed = aes_gcm_seal(key, "secret value", "email");
    EXPECT_EQ(sealed.size(), kGcmNonceBytes + 12 + kGcmTagBytes);
    EXPECT_EQ(aes_gcm_open(key, sealed, "email"), "secret value");
    EXPECT_EQ(aes_gcm_open(key, sealed, "person"), std::nullopt);
    EXPECT_EQ(aes_gcm_open("0123456789abcdef0123456789abcdeX", sealed, "email"), std::nullopt);
    std::string tampered = sealed;
    tampered[kGcmNonceBytes] ^= 1;
    EXPECT_EQ(aes_gcm_open(key, tampered, "email"), std::nullopt);
    EXPECT_EQ(aes_gcm_open(key, sealed.substr(0, 20), "email"), std::nullopt);
    // Fresh nonces: the same value never encrypts to the same bytes twice.
    EXPECT_NE(aes_gcm_seal(key, "secret value", "email"), sealed);
    EXPECT_THROW(aes_gcm_seal("short", "x", ""), std::invalid_argument);
}

}  // namespace
}  // namespace spanguard::crypto
