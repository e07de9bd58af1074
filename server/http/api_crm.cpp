// Leads into the seller's CRM: a manufacturer's integrations (GET/PUT/DELETE
// /api/v1/integrations/{kind}, a test event, a new secret) and their delivery logs. See
// docs/API.md, "Leads into your CRM".
#include <nlohmann/json.hpp>

#include "server/http/handlers.h"
#include "server/http/util.h"

namespace parley::server {

void get_integrations(Call& c) { c.ex.reply(200, c.domain().integrations(*c.me)); }
void put_integration(Call& c) {
    c.ex.reply(200, c.domain().save_integration(*c.me, std::string(c.arg), c.ex.body()));
}
void delete_integration(Call& c) { c.ex.reply(200, c.domain().remove_integration(*c.me, std::string(c.arg))); }
void post_integration_test(Call& c) { c.ex.reply(202, c.domain().test_integration(*c.me, std::string(c.arg))); }
void post_webhook_secret(Call& c) { c.ex.reply(200, c.domain().new_webhook_secret(*c.me)); }
void post_crm_retry(Call& c) { c.ex.reply(200, c.domain().retry_crm_delivery(*c.me, c.id)); }

// GET /integrations/{kind}/deliveries?before=<id>
void get_integration_log(Call& c) {
    int64_t before = 0;
    if (auto v = query_param(c.ex.query(), "before")) {
        auto n = parse_id(*v);
        if (!n) return c.ex.error(400, "invalid_field", "\"before\" must be a delivery id.");
        before = *n;
    }
    c.ex.reply(200, c.domain().integration_log(*c.me, std::string(c.arg), before));
}

}  // namespace parley::server
