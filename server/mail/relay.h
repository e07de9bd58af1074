// Relay addresses, pure: every participant of every conversation gets
// "r+<token>@<relay domain>", where the token carries (conversation id, user id) and a
// truncated HMAC-SHA-256 (libsodium) under a server secret, so that it is unguessable
// and verifiable. The token is 32 characters of lowercase base32 (RFC 4648 alphabet,
// no padding) and is read case-insensitively: mail systems may change the case of
// local parts. Layout of the 20 decoded bytes: conversation (5 bytes, big-endian),
// user (5 bytes), MAC (first 10 bytes of HMAC-SHA-256("parley-relay-v1" || the 10 id
// bytes)). Ids must be below 2^40.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

using RelayKey = std::array<unsigned char, 32>;

struct RelayId {
    int64_t conversation_id = 0, user_id = 0;
};

// The token; ids outside 1..2^40-1 give "".
std::string relay_token(const RelayKey& key, int64_t conversation_id, int64_t user_id);
// The ids of a token (any case); nullopt when malformed, tampered or under another key.
std::optional<RelayId> verify_relay_token(const RelayKey& key, std::string_view token);
// "r+<token>@<domain>".
std::string relay_address(const RelayKey& key, int64_t conversation_id, int64_t user_id, std::string_view domain);
// The ids of a relay address "r+<token>@<domain>" (local part and domain compared
// case-insensitively); nullopt for anything else.
std::optional<RelayId> parse_relay_address(const RelayKey& key, std::string_view address, std::string_view domain);

// The key from 64 hex digits; nullopt when malformed.
std::optional<RelayKey> relay_key_from_hex(std::string_view hex);
// Reads the key file (32 raw bytes), or creates it with a random key and mode 0600.
// Throws std::runtime_error when it cannot.
RelayKey load_or_create_relay_key(const std::string& path);

}  // namespace parley::server
