// HTTP answers of the payment providers (issue 5), independent of RESTinio so that
// server/http/server.cpp only forwards: the demo checkout page (/pay/demo/{session}, plain
// HTML standing for a third-party site) and provider webhooks
// (/api/v1/payments/{provider}/webhook).
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/domain/domain.h"

namespace parley::server {

struct PaymentAnswer {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// GET: the checkout page; POST (form-encoded "card=…"): approved → 303 to the success
// URL after the confirmation, declined (402) / invalid (400) → the page with a red
// message. Unknown or expired session → 404 page; other methods → 405.
PaymentAnswer demo_checkout_page(Domain& domain, std::string_view method, std::string_view session_id,
                                 const std::string& form_body);

// POST {raw body} with the provider's signature header → 200 {"received": true} or a
// JSON error (400 for forged, stale, malformed or rejected confirmations).
PaymentAnswer payment_webhook(Domain& domain, std::string_view method, const std::string& provider,
                              const std::string& body, std::string_view signature);

}  // namespace parley::server
