// Relay addresses. See relay.h.
#include "server/mail/relay.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace parley::server {
namespace {

constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr size_t kIdBytes = 10, kMacBytes = 10, kTokenBytes = kIdBytes + kMacBytes, kTokenChars = 32;
constexpr int64_t kMaxId = (int64_t(1) << 40) - 1;
constexpr char kContext[] = "parley-relay-v1";

void put40(unsigned char* p, int64_t v) {
    for (int i = 4; i >= 0; --i) {
        p[i] = static_cast<unsigned char>(v & 0xff);
        v >>= 8;
    }
}
int64_t get40(const unsigned char* p) {
    int64_t v = 0;
    for (int i = 0; i < 5; ++i) v = (v << 8) | p[i];
    return v;
}

void mac(const RelayKey& key, const unsigned char* ids, unsigned char out[crypto_auth_hmacsha256_BYTES]) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key.data(), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(kContext), sizeof kContext - 1);
    crypto_auth_hmacsha256_update(&st, ids, kIdBytes);
    crypto_auth_hmacsha256_final(&st, out);
}

std::string base32(const unsigned char* p, size_t n) {  // n * 8 divisible by 5 here
    std::string out;
    uint32_t buf = 0;
    int bits = 0;
    for (size_t i = 0; i < n; ++i) {
        buf = (buf << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    return out;
}

bool unbase32(std::string_view s, unsigned char* out, size_t n) {
    uint32_t buf = 0;
    int bits = 0;
    size_t k = 0;
    for (char c : s) {
        int v;
        if (c >= 'a' && c <= 'z') v = c - 'a';
        else if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= '2' && c <= '7') v = c - '2' + 26;
        else return false;
        buf = (buf << 5) | static_cast<uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            if (k >= n) return false;
            out[k++] = static_cast<unsigned char>((buf >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return k == n && bits == 0;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

}  // namespace

std::string relay_token(const RelayKey& key, int64_t conversation_id, int64_t user_id) {
    if (conversation_id < 1 || conversation_id > kMaxId || user_id < 1 || user_id > kMaxId) return "";
    unsigned char t[kTokenBytes];
    put40(t, conversation_id);
    put40(t + 5, user_id);
    unsigned char m[crypto_auth_hmacsha256_BYTES];
    mac(key, t, m);
    std::memcpy(t + kIdBytes, m, kMacBytes);
    return base32(t, sizeof t);
}

std::optional<RelayId> verify_relay_token(const RelayKey& key, std::string_view token) {
    if (token.size() != kTokenChars) return std::nullopt;
    unsigned char t[kTokenBytes];
    if (!unbase32(token, t, sizeof t)) return std::nullopt;
    unsigned char m[crypto_auth_hmacsha256_BYTES];
    mac(key, t, m);
    if (sodium_memcmp(m, t + kIdBytes, kMacBytes) != 0) return std::nullopt;
    RelayId id{get40(t), get40(t + 5)};
    if (id.conversation_id < 1 || id.user_id < 1) return std::nullopt;
    return id;
}

std::string relay_address(const RelayKey& key, int64_t conversation_id, int64_t user_id, std::string_view domain) {
    std::string t = relay_token(key, conversation_id, user_id);
    if (t.empty()) return "";
    return "r+" + t + "@" + std::string(domain);
}

std::optional<RelayId> parse_relay_address(const RelayKey& key, std::string_view address, std::string_view domain) {
    size_t at = address.rfind('@');
    if (at == std::string_view::npos || !iequals(address.substr(at + 1), domain)) return std::nullopt;
    std::string_view local = address.substr(0, at);
    if (local.size() < 2 || lower(local[0]) != 'r' || local[1] != '+') return std::nullopt;
    return verify_relay_token(key, local.substr(2));
}

std::optional<RelayKey> relay_key_from_hex(std::string_view hex) {
    RelayKey k{};
    size_t len = 0;
    if (hex.size() != 64 ||
        sodium_hex2bin(k.data(), k.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 || len != k.size())
        return std::nullopt;
    return k;
}

RelayKey load_or_create_relay_key(const std::string& path) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
    RelayKey k{};
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, k.data(), k.size());
        close(fd);
        if (n != static_cast<ssize_t>(k.size())) throw std::runtime_error("relay key file " + path + " is not 32 bytes");
        return k;
    }
    randombytes_buf(k.data(), k.size());
    std::string tmp = path + ".tmp";
    fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create relay key file " + tmp);
    bool ok = write(fd, k.data(), k.size()) == static_cast<ssize_t>(k.size()) && fsync(fd) == 0;
    fchmod(fd, 0600);
    close(fd);
    // link() fails with EEXIST if another process created the key meanwhile: use theirs.
    int linked = ok ? link(tmp.c_str(), path.c_str()) : -1;
    int err = errno;
    unlink(tmp.c_str());
    if (linked != 0 && ok && err == EEXIST) return load_or_create_relay_key(path);
    if (linked != 0) throw std::runtime_error("cannot write relay key file " + path);
    return k;
}

}  // namespace parley::server
