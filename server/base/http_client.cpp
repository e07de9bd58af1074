// Outgoing HTTP calls. See http_client.h.
#include "server/base/http_client.h"

#include <curl/curl.h>

#include <cstdlib>
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

}  // namespace

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
    CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
        a.ok = true;
    } else {
        a.error = rc == CURLE_WRITE_ERROR ? "answer too large" : curl_easy_strerror(rc);
    }
    a.retry_after_s = sink.retry_after_s;
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return a;
}

}  // namespace parley::server
