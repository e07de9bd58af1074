#include "server/base/crypto.h"

#include <sodium.h>

#include <stdexcept>

namespace parley::server {

void crypto_init() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

std::string random_token() {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char out[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    return std::string(out);
}

std::string token_hash(std::string_view token) {
    unsigned char h[crypto_generichash_BYTES];  // 32
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    static const char* hex = "0123456789abcdef";
    std::string out(2 * sizeof h, '0');
    for (size_t i = 0; i < sizeof h; ++i) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    return out;
}

bool plausible_token(std::string_view t) {
    if (t.size() < 16 || t.size() > 128) return false;
    for (char c : t) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_';
        if (!ok) return false;
    }
    return true;
}

std::string sha256_hex(std::string_view data) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : h) { out += hex[c >> 4]; out += hex[c & 15]; }
    return out;
}

}  // namespace parley::server

namespace parley::server {

bool secrets_equal(std::string_view given, std::string_view expected) {
    // Both hashed first: the comparison takes the same time whatever their lengths and
    // wherever they differ.
    unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
    crypto_generichash(a, sizeof a, reinterpret_cast<const unsigned char*>(given.data()), given.size(), nullptr, 0);
    crypto_generichash(b, sizeof b, reinterpret_cast<const unsigned char*>(expected.data()), expected.size(),
                       nullptr, 0);
    return sodium_memcmp(a, b, sizeof a) == 0;
}

}  // namespace parley::server

namespace parley::server {

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string(hex, 2 * sizeof mac);
}

}  // namespace parley::server
