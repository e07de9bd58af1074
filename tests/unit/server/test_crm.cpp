// Leads into the seller's CRM, below the HTTP layer: the CRM store (on SQLite, and on
// PostgreSQL with PARLEY_TEST_STORE_URL) — integrations per seller and kind, the queue's
// once-per-event rule, leases on due deliveries, the log, Retry, the dispatcher's cursor
// lease; the webhook signature (the payment providers' scheme, checked by their verifier);
// and which peer addresses a public-only call refuses.
#include <catch2/catch.hpp>

#include "server/base/http_client.h"
#include "server/domain/domain.h"
#include "server/payments/providers.h"
#include "tests/unit/server/store_world.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

namespace {

CrmDelivery delivery(int64_t integration, int64_t event, const std::string& type, int64_t now) {
    CrmDelivery d;
    d.integration_id = integration;
    d.event_id = event;
    d.request_id = 7;
    d.type = type;
    d.payload = "{\"type\":\"" + type + "\"}";
    d.next_try = now;
    d.created = now;
    return d;
}

}  // namespace

TEST_CASE("CRM store: one integration per seller and kind, replaced in place; removal takes its log", "[crm]") {
    TempDb db("crm");
    auto stores = db.open();
    CrmStore& s = *stores.crm;
    CrmIntegration w;
    w.owner_id = 11;
    w.kind = kCrmWebhook;
    w.url = "https://crm.example.com/a";
    w.secret = "whsec_1";
    w.created = w.updated = 1000;
    const int64_t id = s.save_integration(w).id;
    REQUIRE(id > 0);
    w.url = "https://crm.example.com/b";
    w.updated = 2000;
    auto again = s.save_integration(w);
    CHECK(again.id == id);
    CHECK(again.url == "https://crm.example.com/b");
    CHECK(again.created == 1000);
    CrmIntegration o = w;
    o.kind = kCrmOdoo;
    o.enabled = false;
    const int64_t odoo = s.save_integration(o).id;
    CHECK(odoo != id);
    CHECK(s.integration(11, kCrmWebhook)->url == "https://crm.example.com/b");
    CHECK_FALSE(s.integration(12, kCrmWebhook));
    auto enabled = s.enabled_integrations();
    REQUIRE(enabled.size() == 1);
    CHECK(enabled[0].id == id);
    REQUIRE(s.enqueue(delivery(id, 5, "message.created", 10)) > 0);
    s.delete_integration(id);
    CHECK_FALSE(s.integration_by_id(id));
    CHECK(s.log(id, 0, 10).empty());
    CHECK(s.integration_by_id(odoo));
}

TEST_CASE("CRM store: an event is queued once per integration; due rows are leased; failed rows retried", "[crm]") {
    TempDb db("crm");
    auto stores = db.open();
    CrmStore& s = *stores.crm;
    CHECK(s.enqueue(delivery(1, 5, "message.created", 100)) > 0);
    CHECK(s.enqueue(delivery(1, 5, "message.created", 100)) == 0);  // another dispatcher's copy
    CHECK(s.enqueue(delivery(2, 5, "message.created", 100)) > 0);   // another integration
    CHECK(s.enqueue(delivery(1, 0, "ping", 100)) > 0);
    CHECK(s.enqueue(delivery(1, 0, "ping", 100)) > 0);  // test events are never merged
    CHECK(s.enqueue(delivery(1, 6, "message.created", 500)) > 0);  // not due yet

    auto due = s.claim_due(200, 10000, 10);
    REQUIRE(due.size() == 4);
    CHECK(due[0].id < due[1].id);
    CHECK(s.claim_due(200, 10000, 10).empty());  // leased: nobody else sends them now
    auto later = s.claim_due(600, 10000, 10);
    REQUIRE(later.size() == 1);
    CHECK(later[0].event_id == 6);

    CrmDelivery d = due[0];
    d.attempts = 1;
    d.status = kCrmFailed;
    d.last_code = 500;
    d.last_error = "the receiver answered HTTP 500";
    d.updated = 300;
    s.finish(d);
    auto row = s.delivery(d.id);
    REQUIRE(row);
    CHECK(row->status == kCrmFailed);
    CHECK(row->last_code == 500);
    CHECK(row->payload == due[0].payload);
    CHECK_FALSE(s.requeue(due[1].id, 400));  // not failed
    CHECK(s.requeue(d.id, 400));
    row = s.delivery(d.id);
    CHECK(row->status == kCrmPending);
    CHECK(row->attempts == 0);
    auto retried = s.claim_due(400, 10000, 10);
    REQUIRE(retried.size() == 1);
    CHECK(retried[0].id == d.id);

    // The log: newest first, in pages.
    auto page = s.log(1, 0, 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].id > page[1].id);
    auto rest = s.log(1, page[1].id, 10);
    CHECK(rest.size() == 2);
    for (const auto& r : rest) CHECK(r.id < page[1].id);

    s.set_lead(1, 7, 42);
    s.set_lead(1, 7, 43);
    CHECK(s.lead_of(1, 7) == 43);
    CHECK(s.lead_of(2, 7) == 0);
}

TEST_CASE("CRM store: one dispatcher at a time holds the cursor; it only moves forward", "[crm]") {
    TempDb db("crm");
    auto stores = db.open();
    CrmStore& s = *stores.crm;
    auto a = s.claim_cursor("a", 1000, 2000);
    REQUIRE(a);
    CHECK_FALSE(s.claim_cursor("b", 1500, 2500));  // a holds it
    CHECK(s.advance_cursor("a", {10, 3}));
    CHECK_FALSE(s.advance_cursor("b", {99, 99}));  // not b's
    auto b = s.claim_cursor("b", 2001, 3000);    // a's lease ran out
    REQUIRE(b);
    CHECK(b->event == 10);
    CHECK(b->request == 3);
    CHECK(s.advance_cursor("b", {5, 1}));  // never back
    s.skip_cursor({20, 4});
    auto c = s.claim_cursor("b", 2500, 3500);
    REQUIRE(c);
    CHECK(c->event == 20);
    CHECK(c->request == 4);
}

TEST_CASE("webhook signature: the payment providers' scheme, so their verifier accepts it", "[crm]") {
    const std::string body = R"({"schema":1,"type":"ping"})";
    const std::string h = webhook_signature("whsec_abc", 1765000000, body);
    CHECK(h.rfind("t=1765000000,v1=", 0) == 0);
    CHECK(h.size() == std::string("t=1765000000,v1=").size() + 64);
    CHECK(verify_stripe_signature(h, body, "whsec_abc", 1765000010) == SignatureCheck::ok);
    CHECK(verify_stripe_signature(h, body, "whsec_abd", 1765000010) == SignatureCheck::mismatch);
    CHECK(verify_stripe_signature(h, body + " ", "whsec_abc", 1765000010) == SignatureCheck::mismatch);
    CHECK(verify_stripe_signature(h, body, "whsec_abc", 1765009999) == SignatureCheck::too_old);
}

TEST_CASE("public-only calls: which peer addresses are refused", "[crm]") {
    for (const char* a : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
                          "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1",
                          "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1", "ff02::1", "nonsense"})
        CHECK(is_non_public_address(a));
    for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "193.0.14.129", "2a00:1450:4001::1",
                          "::ffff:8.8.8.8"})
        CHECK_FALSE(is_non_public_address(a));
}

TEST_CASE("public-only calls: a receiver on this machine is refused before anything is sent", "[crm]") {
    HttpCall call;
    call.method = "POST";
    call.url = "http://127.0.0.1:9/hook";  // discard port: nothing listens, and it is never tried
    call.public_only = true;
    call.timeout_s = 5;
    HttpAnswer a = http_call(call);
    CHECK_FALSE(a.ok);
    CHECK(a.error.find("not a public address") != std::string::npos);
}
