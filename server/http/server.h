// HTTP front end (RESTinio): routes requests to the domain layer, turns results and
// errors into JSON responses, serves the static client, long-polls events.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "server/domain/domain.h"

namespace parley::server {

struct HttpOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 8080;
    std::string web_root;          // empty: API only
    int poll_timeout_s = 25;       // long-poll hold time
    bool secure_cookies = false;   // add "Secure" (when the public URL is https)
    unsigned threads = 0;          // 0: one per core, at least 2
    std::string inbound_secret;    // POST /api/v1/mail/inbound (Bearer); empty: the endpoint is 404
};

// Serves until SIGINT or SIGTERM, then answers held long-polls, closes and returns.
// on_listening runs once, when the socket accepts connections. Throws if it cannot listen.
void serve(Domain& domain, const HttpOptions& options, const std::function<void()>& on_listening);

}  // namespace parley::server
