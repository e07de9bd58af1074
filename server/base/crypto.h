// Crypto helpers (libsodium): random bearer tokens, the hashes under which they are
// stored, content hashes.
#pragma once
#include <string>
#include <string_view>

namespace parley::server {

// Initialises libsodium (idempotent, thread-safe); throws if it cannot.
void crypto_init();

// 32 random bytes (256 bits) as unpadded base64url: 43 characters.
std::string random_token();

// Hex of the BLAKE2b-256 hash of a token: what the database and caches keep.
std::string token_hash(std::string_view token);

// Cheap shape check before hashing: 16..128 characters of base64url.
bool plausible_token(std::string_view token);

// Whether a secret someone presented is the expected one, in constant time (bearer
// tokens: the metrics token).
bool secrets_equal(std::string_view given, std::string_view expected);

// Lower-case hex SHA-256 of data.
std::string sha256_hex(std::string_view data);

// Lower-case hex HMAC-SHA256 (key = secret as bytes): webhook signatures, both the
// payment providers' we check and the CRM deliveries we sign.
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

}  // namespace parley::server
