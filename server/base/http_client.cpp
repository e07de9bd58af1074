// Outgoing HTTP calls. See http_client.h.
#include "server/base/http_client.h"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <strings.h>

namespace parley::server {
namespace {

struct Sink {
    std::string* body;
    size_t max;
    long retry_after_s = -1;
};

size_t collect(char* data, size_t size, size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    size_t bytes = size * n;
    if (sink->body->size() + bytes > sink->max) return 0;  // makes curl fail: answer too large
    sink->body->append(data, bytes);
    return bytes;
}

size_t header_line(char* data, size_t size, size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    size_t bytes = size * n;
    constexpr const char kName[] = "retry-after:";
    if (bytes > sizeof kName - 1 && strncasecmp(data, kName, sizeof kName - 1) == 0) {
        std::string v(data + sizeof kName - 1, bytes - (sizeof kName - 1));
        char* end = nullptr;
        long s = std::strtol(v.c_str(), &end, 10);
        if (end != v.c_str() && s >= 0) sink->retry_after_s = s;  // (HTTP dates are not used by these APIs)
    }
    return bytes;
}

bool v4_non_public(const unsigned char* a) {
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 100 && (a[1] & 0xc0) == 64) ||
           (a[0] == 169 && a[1] == 254) || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) || (a[0] == 198 && (a[1] & 0xfe) == 18) ||
           (a[0] == 198 && a[1] == 51 && a[2] == 100) || (a[0] == 203 && a[1] == 0 && a[2] == 113) || a[0] >= 224;
}

bool v6_non_public(const unsigned char* a) {
    static const unsigned char zero[16] = {};
    if (std::memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1)) return true;  // :: and ::1
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a, mapped, 12) == 0) return v4_non_public(a + 12);
    if (std::memcmp(a, zero, 12) == 0) return true;  // IPv4-compatible (deprecated)
    return a[0] == 0xff || (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
           (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) || (a[0] == 0x00 && a[1] == 0x64);
}

// curl's socket opener: refuses non-public peers (HttpCall::public_only).
curl_socket_t open_public_only(void*, curlsocktype, struct curl_sockaddr* addr) {
    bool refuse = true;
    if (addr->family == AF_INET)
        refuse = v4_non_public(reinterpret_cast<const unsigned char*>(
            &reinterpret_cast<const sockaddr_in*>(&addr->addr)->sin_addr));
    else if (addr->family == AF_INET6)
        refuse = v6_non_public(reinterpret_cast<const sockaddr_in6*>(&addr->addr)->sin6_addr.s6_addr);
    if (refuse) return CURL_SOCKET_BAD;
    return socket(addr->family, addr->socktype, addr->protocol);
}

}  // namespace

bool is_non_public_address(const std::string& numeric) {
    unsigned char a[16];
    if (inet_pton(AF_INET, numeric.c_str(), a) == 1) return v4_non_public(a);
    if (inet_pton(AF_INET6, numeric.c_str(), a) == 1) return v6_non_public(a);
    return true;
}

HttpAnswer http_call(const HttpCall& call) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    HttpAnswer a;
    CURL* curl = curl_easy_init();
    if (!curl) {
        a.error = "could not start an HTTP call";
        return a;
    }
    Sink sink{&a.body, call.max_answer};
    curl_slist* headers = nullptr;
    for (const auto& h : call.headers) headers = curl_slist_append(headers, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
    if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (call.method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(call.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, header_line);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, call.timeout_s);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, std::min(10L, call.timeout_s));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (call.public_only) {
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_public_only);
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    }
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
        a.ok = true;
    } else {
        a.error = rc == CURLE_WRITE_ERROR                              ? "answer too large"
                  : call.public_only && rc == CURLE_COULDNT_CONNECT ? "not a public address (or refused)"
                                                                    : curl_easy_strerror(rc);
    }
    a.retry_after_s = sink.retry_after_s;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return a;
}

}  // namespace parley::server
