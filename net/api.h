// The API client: HTTP calls to this origin (session cookie included).
// The browser implementation (api_web.cpp) uses emscripten_fetch.
#pragma once
#include <functional>
#include <string>

namespace parley {

struct HttpResult {
    int status = 0;  // 0 = network error (offline, connection refused)
    std::string body;
};

using HttpDone = std::function<void(const HttpResult&)>;

struct HttpRequest {
    std::string method = "GET", path, body, idempotency_key;  // any method: GET, POST, DELETE…
    int delay_ms = 0;    // start after this delay (retry back-off)
    int timeout_ms = 0;  // 0 = no limit (long-polls)
};

// Starts the call; `done` runs later on the main thread with the answer.
void http_call(const HttpRequest& request, HttpDone done);

}  // namespace parley
