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

TEST_CASE("CRM: the log shows 8 rows, then the rest held, then older pages until the server has none", "[crm]") {
    AppState s = on_network();
    auto rows = [](int64_t from, int n) {
        std::vector<CrmDeliveryInfo> out;
        for (int i = 0; i < n; ++i) {
            CrmDeliveryInfo r;
            r.id = from - i;
            r.type = "message.created";
            r.status = "delivered";
            r.attempts = 1;
            out.push_back(r);
        }
        return out;
    };
    s.crm.loaded = true;
    s.crm.data.has_webhook = true;
    s.crm.data.webhook_log = rows(100, 20);  // a full first page: there may be older rows
    bool more = false;
    CHECK(crm_log_rows(s.crm, "webhook", &more).size() == 8);
    CHECK(more);

    // The 12 rows held but not drawn come first, without a call.
    Effects fx;
    action_crm_older(s, "webhook", fx);
    CHECK(fx.calls.empty());
    auto shown = crm_log_rows(s.crm, "webhook", &more);
    CHECK(shown.size() == 20);
    CHECK(shown.back()->id == 81);
    CHECK(more);

    // Then the page before the oldest row.
    action_crm_older(s, "webhook", fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].kind == CallKind::CrmOlder);
    CHECK(fx.calls[0].path == "/api/v1/integrations/webhook/deliveries?before=81");
    action_crm_older(s, "webhook", fx);
    CHECK(fx.calls.size() == 1);  // one at a time
    CrmLog page;
    page.deliveries = rows(80, 20);
    page.older = 61;
    Effects done;
    crm_http_done(s, fx.calls[0], answer(200, dump_json(page)), done);
    shown = crm_log_rows(s.crm, "webhook", &more);
    CHECK(shown.size() == 40);
    CHECK(shown.back()->id == 61);
    CHECK(more);

    // A refusal: red under the log, the rows kept; the last page ends it.
    Effects fx2;
    action_crm_older(s, "webhook", fx2);
    REQUIRE(fx2.calls.size() == 1);
    CHECK(fx2.calls[0].path == "/api/v1/integrations/webhook/deliveries?before=61");
    crm_http_done(s, fx2.calls[0], answer(503, R"({"error":{"code":"unavailable","message":"Try later."}})"), done);
    CHECK_FALSE(s.crm.webhook_log.error.empty());
    CHECK(crm_log_rows(s.crm, "webhook", nullptr).size() == 40);
    Effects fx3;
    action_crm_older(s, "webhook", fx3);
    REQUIRE(fx3.calls.size() == 1);
    page.deliveries = rows(60, 5);
    page.older = 0;
    crm_http_done(s, fx3.calls[0], answer(200, dump_json(page)), done);
    CHECK(s.crm.webhook_log.error.empty());
    shown = crm_log_rows(s.crm, "webhook", &more);
    CHECK(shown.size() == 45);
    CHECK_FALSE(more);
    // Removing the webhook starts its log anew.
    Effects fx4;
    action_crm_remove(s, "webhook", fx4);
    CrmIntegrations none;
    crm_http_done(s, fx4.calls[0], answer(200, dump_json(none)), done);
    CHECK(s.crm.webhook_log.older.empty());
    CHECK(s.crm.webhook_log.shown == 8);
}
