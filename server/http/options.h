// The HTTP front end's settings (command line → serve()).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace parley::server {

struct HttpOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    std::string web_root;          // empty: API only
    int poll_timeout_s = 25;       // long-poll hold time
    std::string public_origin;     // "https://host[:port]" of --public-url: pages allowed to send state changes
    bool secure_cookies = false;   // add "Secure" (when the public URL is https)
    unsigned threads = 0;          // 0: one per core, at least 4 (posts wait for their durable write)
    bool rate_limits = true;       // abuse limits (rate_limit.h); off for benchmarks
    std::string trusted_proxy;     // its address: X-Forwarded-For names the client
    long max_connections = 0;      // 0: derived from the descriptor limit (capacity.h)
    std::string inbound_secret;    // POST /api/v1/mail/inbound (Bearer); empty: the endpoint is 404
    size_t mail_in_queue = 0;      // mails over HTTP waiting or being read at once (0: 8); more get 503
    // Operators (server/http/api_ops.cpp): GET /metrics needs Authorization: Bearer
    // <metrics_token> when it is set, else it is served to this machine only. With
    // metrics_port, /metrics and /healthz are served there alone, not on the main port.
    std::string metrics_token;
    std::string metrics_host;
    uint16_t metrics_port = 0;     // 0: no listener of their own
};

}  // namespace parley::server
