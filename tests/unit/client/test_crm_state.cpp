// Leads into the CRM, the client's side: the named actions' calls (method, path, body),
// answers that replace the integrations, refusals that keep what was typed, the log's
// reload while a delivery is pending, and the status words of a log row.
#include <catch2/catch.hpp>

#include "app/state.h"

using namespace parley;

namespace {

HttpResult answer(int status, const std::string& body = "") { return {status, body}; }

AppState on_network() {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iglesias", "ES", "es", "manufacturer"};
    s.route = {Screen::Network, 0};
    return s;
}

std::string integrations(const std::string& delivery_status) {
    CrmIntegrations d;
    d.has_webhook = true;
    d.webhook = {"https://crm.example.com/hook", "whsec_abcdefghijkl", true, 1000};
    d.has_odoo = true;
    d.odoo = {"https://odoo.example.com", "prod", "sales@maker.test", true, true, 1000};
    CrmDeliveryInfo row;
    row.id = 9;
    row.type = "ping";
    row.status = delivery_status;
    row.attempts = delivery_status == "pending" ? 0 : 1;
    d.webhook_log.push_back(row);
    return dump_json(d);
}

}  // namespace

TEST_CASE("CRM: loading fills the forms once; the API key is never filled in", "[crm]") {
    AppState s = on_network();
    Effects fx;
    action_crm_load(s, fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].kind == CallKind::CrmLoad);
    CHECK(fx.calls[0].path == "/api/v1/integrations");
    action_crm_load(s, fx);
    CHECK(fx.calls.size() == 1);  // one load at a time
    Effects done;
    crm_http_done(s, fx.calls[0], answer(200, integrations("delivered")), done);
    CHECK(s.crm.loaded);
    CHECK(s.crm.webhook_url == "https://crm.example.com/hook");
    CHECK(s.crm.odoo_database == "prod");
    CHECK(s.crm.odoo_key.empty());
    CHECK(done.calls.empty());  // nothing pending: no reload

    // A later load does not overwrite what is being typed.
    s.crm.webhook_url = "https://crm.example.com/new";
    Effects fx2;
    action_crm_load(s, fx2);
    crm_http_done(s, fx2.calls[0], answer(200, integrations("delivered")), done);
    CHECK(s.crm.webhook_url == "https://crm.example.com/new");
}

TEST_CASE("CRM: saving sends the form; a refusal keeps it and says why", "[crm]") {
    AppState s = on_network();
    s.crm.loaded = true;
    s.crm.webhook_url = "ftp://nope";
    Effects fx;
    action_crm_save_webhook(s, fx);
    REQUIRE(fx.calls.size() == 1);
    const HttpCall& c = fx.calls[0];
    CHECK(c.kind == CallKind::CrmWrite);
    CHECK(c.method == "PUT");
    CHECK(c.path == "/api/v1/integrations/webhook");
    CrmWebhookInput in;
    REQUIRE(parse_json(c.body, in));
    CHECK(in.url == "ftp://nope");
    CHECK(s.crm.webhook_busy);
    Effects done;
    crm_http_done(s, c, answer(400, error_body("invalid_field", "The URL must start with https:// or http://.")), done);
    CHECK_FALSE(s.crm.webhook_busy);
    CHECK(s.crm.webhook_error.find("https://") != std::string::npos);
    CHECK(s.crm.webhook_url == "ftp://nope");
    CHECK(s.crm.webhook_note.empty());

    s.crm.odoo_url = "https://odoo.example.com";
    s.crm.odoo_key = "secret-key";
    Effects fx2;
    action_crm_save_odoo(s, fx2);
    CrmOdooInput o;
    REQUIRE(parse_json(fx2.calls[0].body, o));
    CHECK(o.api_key == "secret-key");
    crm_http_done(s, fx2.calls[0], answer(200, integrations("delivered")), done);
    CHECK(s.crm.odoo_key.empty());  // sent once, never kept on screen
    CHECK(s.crm.odoo_error.empty());
}

TEST_CASE("CRM: a test event is queued; while a delivery is pending the log is asked for again", "[crm]") {
    AppState s = on_network();
    s.crm.loaded = true;
    Effects fx;
    action_crm_test(s, "webhook", fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].method == "POST");
    CHECK(fx.calls[0].path == "/api/v1/integrations/webhook/test");
    Effects done;
    crm_http_done(s, fx.calls[0], answer(202, integrations("pending")), done);
    REQUIRE(done.calls.size() == 1);
    CHECK(done.calls[0].kind == CallKind::CrmLoad);
    CHECK(done.calls[0].delay_ms > 0);
    // Away from the page: no more reloads.
    s.route = {Screen::Inbox, 0};
    s.crm.loading = false;
    Effects away;
    crm_http_done(s, done.calls[0], answer(200, integrations("pending")), away);
    CHECK(away.calls.empty());

    Effects r;
    action_crm_retry(s, "odoo", 9, r);
    CHECK(r.calls[0].path == "/api/v1/integrations/deliveries/9/retry");
    CHECK(s.crm.odoo_busy);
}

TEST_CASE("CRM: a log row's status in words", "[crm]") {
    CrmDeliveryInfo d;
    d.status = "delivered";
    CHECK(crm_status_text(d) == "delivered");
    d.status = "failed";
    CHECK(crm_status_text(d) == "failed");
    d.status = "pending";
    CHECK(crm_status_text(d) == "waiting");
    d.attempts = 2;
    CHECK(crm_status_text(d) == "retrying (tries: 2)");
}
