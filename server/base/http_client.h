// Outgoing HTTP calls (libcurl): the Stripe-compatible payment provider and the
// LibreTranslate-compatible translation provider. Blocking, bounded by a
// timeout and an answer size limit; http and https only.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace parley::server {

struct HttpCall {
    std::string method = "GET";  // GET | POST
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // POST body
    long timeout_s = 20;
    size_t max_answer = 1024 * 1024;   // longer answers fail (error "answer too large")
    // Refuse to connect to loopback, private, link-local and other non-public addresses
    // (URLs a user typed: webhooks, a CRM). Checked on the address actually connected to,
    // after name resolution, so a name that resolves to one is refused too.
    bool public_only = false;
};

struct HttpAnswer {
    bool ok = false;       // a complete HTTP answer arrived (any status)
    long status = 0;
    std::string body;
    std::string error;     // when !ok: libcurl's reason
    long retry_after_s = -1;  // the Retry-After header in seconds, if any
};

HttpAnswer http_call(const HttpCall& call);

// A numeric IPv4 or IPv6 address that is not on the public Internet (loopback, private,
// carrier-grade NAT, link-local, unique-local, multicast, unspecified, documentation,
// IPv4-mapped forms of those). Anything unparsable counts as not public.
bool is_non_public_address(const std::string& numeric);

}  // namespace parley::server
