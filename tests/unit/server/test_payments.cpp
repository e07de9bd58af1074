// Online payment of quotes: Stripe-Signature verification with known vectors,
// tolerance edges and malformed headers; test cards and Luhn; the Stripe webhook reader;
// and, on temp SQLite files with a fake clock, the only way to "paid": exactly once per
// provider event, amount and currency checked, sessions checked, refusals of /pay.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/base/crypto.h"
#include "server/payments/providers.h"
#include "server/store/store.h"
#include "server/base/text.h"
#include "server/domain/workflow.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;
using nlohmann::json;

namespace {

// Known vectors, computed independently of this code:
//   printf '%s' '1700000000.{"id":"evt_1","type":"checkout.session.completed"}' |
//     openssl dgst -sha256 -hmac whsec_test_secret
//   python3 -c 'import hmac,hashlib; print(hmac.new(KEY, MSG, hashlib.sha256).hexdigest())'
// (openssl and python3 agree on the first one.)
constexpr const char* kSecret = "whsec_test_secret";
constexpr const char* kBody = R"({"id":"evt_1","type":"checkout.session.completed"})";
constexpr int64_t kT = 1700000000;
constexpr const char* kSig = "a13d4b1f9003bc2fb6c06224e878b6056185eaa50d40e1e7dc05517f8af41d7b";
// Same payload signed with "whsec_other".
constexpr const char* kSigOtherSecret = "f9e5f219a592e1abd56c6b0d3489748da4ddca9b4a5c8bfb31f55c5214e676d2";
// The body with one trailing space, signed with kSecret.
constexpr const char* kSigBodyPlusSpace = "2840af793c7c3a500f27721329ecc76031bc59db0953e3e2e1b25f8a8f3c7648";

std::string header(int64_t t, const std::string& v1) { return "t=" + std::to_string(t) + ",v1=" + v1; }

}  // namespace

TEST_CASE("payments: HMAC-SHA256 known vectors", "[payments]") {
    // RFC 4231-style classic (Wikipedia's HMAC example).
    CHECK(hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog") ==
          "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    CHECK(hmac_sha256_hex(kSecret, std::to_string(kT) + "." + kBody) == kSig);
    CHECK(hmac_sha256_hex("whsec_other", std::to_string(kT) + "." + kBody) == kSigOtherSecret);
}

TEST_CASE("payments: Stripe-Signature verification and the 300 s tolerance", "[payments]") {
    using S = SignatureCheck;
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT) == S::ok);
    // Tolerance edges, both directions.
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 300) == S::ok);
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 301) == S::too_old);
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT - 300) == S::ok);
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT - 301) == S::too_old);
    CHECK(verify_stripe_signature(header(kT, kSig), kBody, kSecret, kT + 86400) == S::too_old);
    // Forged: another secret, another body, another timestamp (the t is signed too).
    CHECK(verify_stripe_signature(header(kT, kSigOtherSecret), kBody, kSecret, kT) == S::mismatch);
    CHECK(verify_stripe_signature(header(kT, kSig), std::string(kBody) + " ", kSecret, kT) == S::mismatch);
    CHECK(verify_stripe_signature(header(kT, kSigBodyPlusSpace), std::string(kBody) + " ", kSecret, kT) == S::ok);
    CHECK(verify_stripe_signature(header(kT + 1, kSig), kBody, kSecret, kT) == S::mismatch);
    CHECK(verify_stripe_signature(header(kT, std::string(kSig).substr(0, 63)), kBody, kSecret, kT) == S::mismatch);
    CHECK(verify_stripe_signature(header(kT, std::string(kSig) + "00"), kBody, kSecret, kT) == S::mismatch);
    // Several v1 entries (secret rotation): any one may match; order does not matter.
    CHECK(verify_stripe_signature(header(kT, kSigOtherSecret) + ",v1=" + kSig, kBody, kSecret, kT) == S::ok);
    CHECK(verify_stripe_signature(header(kT, kSig) + ",v1=" + kSigOtherSecret, kBody, kSecret, kT) == S::ok);
    CHECK(verify_stripe_signature(header(kT, kSigOtherSecret) + ",v1=deadbeef", kBody, kSecret, kT) == S::mismatch);
    // Unknown schemes are ignored, spaces tolerated, v1 order before t allowed.
    CHECK(verify_stripe_signature("v0=abc, t=1700000000 , v1=" + std::string(kSig), kBody, kSecret, kT) == S::ok);
    CHECK(verify_stripe_signature(std::string("v1=") + kSig + ",t=1700000000", kBody, kSecret, kT) == S::ok);
    // No v1 at all.
    CHECK(verify_stripe_signature("t=1700000000,v0=" + std::string(kSig), kBody, kSecret, kT) == S::no_signature);
    CHECK(verify_stripe_signature("t=1700000000", kBody, kSecret, kT) == S::no_signature);
    // Malformed headers.
    for (const std::string h : {"", "garbage", "t=,v1=ab", "t=abc,v1=ab", "v1=ab", "t=1700000000,,v1=ab",
                                "t=1700000000,=x,v1=ab", "t=1,t=2,v1=ab", "t=-5,v1=ab", "t=99999999999999,v1=ab"}) {
        INFO(h);
        CHECK(verify_stripe_signature(h, kBody, kSecret, kT) == S::malformed);
    }
    CHECK(verify_stripe_signature(std::string(5000, 'x'), kBody, kSecret, kT) == S::malformed);
}

TEST_CASE("payments: Luhn and the demo test cards", "[payments]") {
    CHECK(luhn_valid("79927398713"));
    CHECK_FALSE(luhn_valid("79927398710"));
    CHECK(luhn_valid("4242424242424242"));
    CHECK_FALSE(luhn_valid("4242424242424241"));
    CHECK_FALSE(luhn_valid("42x2"));
    using C = CardOutcome;
    CHECK(demo_card_outcome("4242 4242 4242 4242") == C::approved);
    CHECK(demo_card_outcome("4242424242424242") == C::approved);
    CHECK(demo_card_outcome("4242-4242-4242-4242") == C::approved);
    CHECK(demo_card_outcome("4000 0000 0000 0002") == C::declined);
    CHECK(demo_card_outcome("4000000000000002") == C::declined);
    CHECK(demo_card_outcome("4242 4242 4242 4241") == C::invalid);  // bad checksum
    CHECK(demo_card_outcome("4111 1111 1111 1111") == C::invalid);  // valid Luhn, not a test card
    CHECK(demo_card_outcome("4000 0000 0000 0001") == C::invalid);
    CHECK(demo_card_outcome("") == C::invalid);
    CHECK(demo_card_outcome("4242") == C::invalid);
    CHECK(demo_card_outcome("4242 4242 4242 4242 4242 4242") == C::invalid);  // > 19 digits
    CHECK(demo_card_outcome("abcd efgh") == C::invalid);
}

TEST_CASE("payments: form encoding and HTML escaping", "[payments]") {
    CHECK(form_encode("line_items[0][quantity]") == "line_items%5B0%5D%5Bquantity%5D");
    CHECK(form_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
    CHECK(html_escape("<script>\"x\" & 'y'</script>") == "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
}

TEST_CASE("payments: the Stripe webhook reader", "[payments]") {
    auto p = make_stripe_provider(StripeConfig{"sk_test_x", "http://127.0.0.1:1", kSecret, 5});
    auto signed_call = [&](const json& event, int64_t now) {
        std::string body = event.dump();
        return p->parse_webhook(body, header(now, hmac_sha256_hex(kSecret, std::to_string(now) + "." + body)), now);
    };
    json completed = {{"id", "evt_42"},
                      {"type", "checkout.session.completed"},
                      {"data",
                       {{"object",
                         {{"id", "cs_test_1"},
                          {"payment_status", "paid"},
                          {"amount_total", 278300},
                          {"currency", "eur"},
                          {"client_reference_id", "7"},
                          {"metadata", {{"quote_id", "7"}, {"quote_version", "1"}}},
                          {"payment_intent", "pi_123"}}}}}};
    auto r = signed_call(completed, kT);
    REQUIRE(r);
    REQUIRE(*r);
    const ConfirmedPayment& c = **r;
    CHECK(c.provider == "stripe");
    CHECK(c.event_id == "evt_42");
    CHECK(c.session_id == "cs_test_1");
    CHECK(c.quote_id == 7);
    CHECK(c.amount == 278300);
    CHECK(c.currency == "EUR");
    CHECK(c.reference == "pi_123");

    json other = completed;
    other["type"] = "payment_intent.created";
    auto ignored = signed_call(other, kT);
    REQUIRE(ignored);
    CHECK_FALSE(*ignored);
    json unpaid = completed;
    unpaid["data"]["object"]["payment_status"] = "unpaid";
    auto later = signed_call(unpaid, kT);
    REQUIRE(later);
    CHECK_FALSE(*later);

    json bad = completed;
    bad["data"]["object"]["metadata"]["quote_id"] = "7; DROP TABLE quotes";
    bad["data"]["object"].erase("client_reference_id");
    auto refused = signed_call(bad, kT);
    REQUIRE_FALSE(refused);
    CHECK(refused.error.status == 400);
    // Valid signature over a body that is not JSON.
    std::string junk = "{not json";
    auto malformed = p->parse_webhook(junk, header(kT, hmac_sha256_hex(kSecret, std::to_string(kT) + "." + junk)), kT);
    REQUIRE_FALSE(malformed);
    CHECK(malformed.error.status == 400);
    // Forged and stale.
    auto forged = p->parse_webhook(completed.dump(), header(kT, kSig), kT);
    REQUIRE_FALSE(forged);
    CHECK(forged.error.code == "invalid_signature");
    std::string body = completed.dump();
    auto stale = p->parse_webhook(body, header(kT, hmac_sha256_hex(kSecret, std::to_string(kT) + "." + body)),
                                  kT + 301);
    REQUIRE_FALSE(stale);
    CHECK(stale.error.code == "invalid_signature");
}

namespace {

constexpr Millis kNow = 1767225600000 + 100LL * 24 * 3600 * 1000;  // 2026-04-11

struct PayWorld : testing::TempDomain {
    User m, a, b;
    int64_t ra = 0;

    PayWorld() : TempDomain("pay", kNow) {
        m = add_user("Maker", "manufacturer", "Maker Ltd");
        a = add_user("Alice", "buyer", "Alice Ltd");
        b = add_user("Bob", "buyer", "Bob Ltd");
        ra = add_request(a, m, "Pump", "Need pumps", "ES", "es", now - 1000);
        start_domain();
        domain->set_payment_provider(make_demo_provider("http://parley.test/"), "http://parley.test/");
    }
    Quote quote(bool online = true, bool accept = true) {
        json j = {{"currency", "EUR"},
                  {"lines", json::array({json{{"product", "Pump"}, {"quantity", 2000}, {"unit", "pcs"},
                                              {"unit_price", 125000}}})},
                  {"tax_bp", 2100},
                  {"incoterm", "EXW"},
                  {"lead_time_days", 20},
                  {"payment_terms", "30 days"},
                  {"valid_until", now + 30LL * 24 * 3600 * 1000},
                  {"online_payment", online}};
        auto q = domain->create_quote(m, ra, j.dump());
        INFO(q.error.message);
        REQUIRE(q);
        if (!accept) return *q;
        auto acc = domain->accept_quote(a, q->id, json{{"name", "Alice A."}, {"version", 1}}.dump());
        REQUIRE(acc);
        return *acc;
    }
    int count(const std::string& kind) {
        auto d = domain->detail(a, ra);
        REQUIRE(d);
        int n = 0;
        for (const auto& e : d->events) n += e.kind == kind;
        return n;
    }
    std::string status(int64_t qid) { return store->quote(qid)->quote.status; }
    // The session id of a fresh /pay.
    std::string pay(const Quote& q) {
        auto r = domain->pay_quote(a, q.id);
        REQUIRE(r);
        CHECK(r->provider == "demo");
        std::string prefix = "http://parley.test/pay/demo/";
        REQUIRE(r->checkout_url.rfind(prefix, 0) == 0);
        return r->checkout_url.substr(prefix.size());
    }
};

ConfirmedPayment confirmation(const std::string& provider, const std::string& event, const std::string& session,
                              const Quote& q) {
    return ConfirmedPayment{provider, event, session, q.id, q.totals.total, q.currency, "ref_" + event};
}

}  // namespace

TEST_CASE("payments: /pay refusals and the checkout session", "[payments]") {
    PayWorld w;
    Quote sent = w.quote(true, false);
    auto r = w.domain->pay_quote(w.a, sent.id);
    REQUIRE_FALSE(r);
    CHECK(r.error.status == 409);
    CHECK(r.error.code == "not_accepted");

    Quote q = w.quote();
    auto seller = w.domain->pay_quote(w.m, q.id);
    REQUIRE_FALSE(seller);
    CHECK(seller.error.status == 403);
    auto stranger = w.domain->pay_quote(w.b, q.id);
    REQUIRE_FALSE(stranger);
    CHECK(stranger.error.status == 404);
    Quote offline = w.quote(false);
    auto off = w.domain->pay_quote(w.a, offline.id);
    REQUIRE_FALSE(off);
    CHECK(off.error.code == "online_payment_disabled");

    std::string sid = w.pay(q);
    CHECK(sid.rfind("demo_", 0) == 0);
    auto s = w.store->payment_session(sid);
    REQUIRE(s);
    CHECK(s->quote_id == q.id);
    CHECK(s->amount == q.totals.total);
    CHECK(s->currency == "EUR");
    CHECK(s->success_url == "http://parley.test/requests/" + std::to_string(w.ra) + "?quote=" +
                                std::to_string(q.id) + "&paid=1");
    CHECK(s->cancel_url == "http://parley.test/requests/" + std::to_string(w.ra) + "?quote=" + std::to_string(q.id));
    auto c = w.domain->demo_checkout(sid);
    REQUIRE(c);
    CHECK(c->seller_name == "Maker · Maker Ltd");
    CHECK_FALSE(w.domain->demo_checkout("demo_nope"));
    // Expired after 24 h.
    w.now += 24LL * 3600 * 1000 + 1;
    CHECK_FALSE(w.domain->demo_checkout(sid));
}

TEST_CASE("payments: a confirmation marks paid exactly once; mismatches are refused", "[payments]") {
    PayWorld w;
    Quote q = w.quote();
    std::string sid = w.pay(q);

    auto check_refused = [&](ConfirmedPayment p) {
        auto r = w.domain->confirm_payment(p);
        REQUIRE_FALSE(r);
        CHECK(r.error.status == 400);
        CHECK(r.error.code == "payment_rejected");
        CHECK(w.status(q.id) == "accepted");
        CHECK(w.count("quote_paid") == 0);
    };
    auto p = confirmation("demo", "evt_a", sid, q);
    p.amount -= 1;
    check_refused(p);
    p = confirmation("demo", "evt_a", sid, q);
    p.currency = "USD";
    check_refused(p);
    check_refused(confirmation("demo", "evt_a", "demo_unknown", q));   // not our session
    check_refused(confirmation("stripe", "evt_a", sid, q));            // another provider's event

    p = confirmation("demo", "evt_a", sid, q);
    p.currency = "eur";  // currency case does not matter
    auto ok = w.domain->confirm_payment(p);
    REQUIRE(ok);
    CHECK(*ok);
    auto rec = w.store->quote(q.id);
    CHECK(rec->quote.status == "paid");
    CHECK(rec->quote.paid_at == w.now);
    CHECK(rec->quote.paid_provider == "demo");
    CHECK(rec->quote.paid_reference == "ref_evt_a");
    CHECK(w.count("quote_paid") == 1);
    auto detail = w.domain->detail(w.m, w.ra);  // the seller sees it too, with number and version
    REQUIRE(detail);
    bool seen = false;
    for (const auto& e : detail->events)
        if (e.kind == "quote_paid") seen = e.text == q.number && e.value == q.version && e.actor_id == w.a.id;
    CHECK(seen);
    CHECK(w.store->payment_session(sid)->paid_at == w.now);

    // Redelivered: 200, nothing changes.
    w.now += 1000;
    auto again = w.domain->confirm_payment(confirmation("demo", "evt_a", sid, q));
    REQUIRE(again);
    CHECK_FALSE(*again);
    CHECK(w.count("quote_paid") == 1);
    CHECK(w.store->quote(q.id)->quote.paid_at == w.now - 1000);
    // A second, different payment for a paid quote: recorded, no second event.
    auto second = w.domain->confirm_payment(confirmation("demo", "evt_b", sid, q));
    REQUIRE(second);
    CHECK_FALSE(*second);
    CHECK(w.count("quote_paid") == 1);
    CHECK(w.store->quote(q.id)->quote.paid_reference == "ref_evt_a");

    auto pay_again = w.domain->pay_quote(w.a, q.id);
    REQUIRE_FALSE(pay_again);
    CHECK(pay_again.error.code == "already_paid");
    auto revise = w.domain->revise_quote(w.m, q.id, "{}");
    REQUIRE_FALSE(revise);
}

TEST_CASE("payments: store records each provider event once and only for accepted quotes", "[payments]") {
    PayWorld w;
    Quote q = w.quote(true, false);  // sent, not accepted
    ConfirmedPayment p = confirmation("demo", "evt_x", "demo_s", q);
    CHECK(w.store->record_payment(p, w.now) == PaymentRecord::not_payable);
    CHECK(w.store->quote(q.id)->quote.status == "sent");
    REQUIRE(w.domain->accept_quote(w.a, q.id, json{{"name", "Alice"}, {"version", 1}}.dump()));
    // Nothing was recorded for the refused attempt: the same event id can now pay.
    CHECK(w.store->record_payment(p, w.now) == PaymentRecord::paid);
    CHECK(w.store->record_payment(p, w.now) == PaymentRecord::duplicate_event);
    CHECK(w.store->record_payment(confirmation("stripe", "evt_x", "cs", q), w.now) == PaymentRecord::already_paid);
    CHECK(w.store->quote(q.id)->quote.paid_provider == "demo");
}

TEST_CASE("payments: the demo checkout declines, refuses and approves once", "[payments]") {
    PayWorld w;
    Quote q = w.quote();
    std::string sid = w.pay(q);
    auto d = w.domain->demo_pay(sid, "4000 0000 0000 0002");
    REQUIRE(d);
    CHECK(*d == CardOutcome::declined);
    auto bad = w.domain->demo_pay(sid, "1234");
    REQUIRE(bad);
    CHECK(*bad == CardOutcome::invalid);
    CHECK(w.status(q.id) == "accepted");
    CHECK(w.count("quote_paid") == 0);

    auto ok = w.domain->demo_pay(sid, "4242 4242 4242 4242");
    REQUIRE(ok);
    CHECK(*ok == CardOutcome::approved);
    CHECK(w.status(q.id) == "paid");
    CHECK(w.store->quote(q.id)->quote.paid_provider == "demo");
    CHECK(w.store->quote(q.id)->quote.paid_reference.rfind("demo_pi_", 0) == 0);
    auto twice = w.domain->demo_pay(sid, "4242424242424242");  // same session → same event id
    REQUIRE(twice);
    CHECK(w.count("quote_paid") == 1);
    CHECK_FALSE(w.domain->demo_pay("demo_unknown", "4242424242424242"));
}

TEST_CASE("payments: Stripe webhooks through the domain (clock, replay, forgery, mismatch)", "[payments]") {
    PayWorld w;
    w.domain->set_payment_provider(make_stripe_provider(StripeConfig{"sk_test_x", "http://127.0.0.1:1", kSecret, 5}),
                                   "http://parley.test");
    Quote q = w.quote();
    PaymentSession s{"cs_test_1", "stripe", q.id, q.totals.total, "EUR", "s", "c", w.now, w.now + 1000, 0};
    w.store->add_payment_session(s);
    auto event = [&](const std::string& id, Money amount) {
        return json{{"id", id},
                    {"type", "checkout.session.completed"},
                    {"data",
                     {{"object",
                       {{"id", "cs_test_1"},
                        {"payment_status", "paid"},
                        {"amount_total", amount},
                        {"currency", "eur"},
                        {"metadata", {{"quote_id", std::to_string(q.id)}}}}}}}}
            .dump();
    };
    int64_t t = w.now / 1000;
    auto sign = [&](const std::string& body, int64_t at) {
        return header(at, hmac_sha256_hex(kSecret, std::to_string(at) + "." + body));
    };
    std::string wrong = event("evt_wrong", q.totals.total + 100);
    auto mismatch = w.domain->payment_webhook("stripe", wrong, sign(wrong, t));
    REQUIRE_FALSE(mismatch);
    CHECK(mismatch.error.status == 400);
    CHECK(w.status(q.id) == "accepted");
    std::string body = event("evt_1", q.totals.total);
    auto old = w.domain->payment_webhook("stripe", body, sign(body, t - 301));
    REQUIRE_FALSE(old);
    CHECK(old.error.status == 400);
    auto forged = w.domain->payment_webhook("stripe", body, header(t, std::string(64, 'a')));
    REQUIRE_FALSE(forged);
    CHECK(w.domain->payment_webhook("demo", body, sign(body, t)).error.status == 404);
    CHECK(w.status(q.id) == "accepted");

    auto ok = w.domain->payment_webhook("stripe", body, sign(body, t - 299));
    REQUIRE(ok);
    CHECK(*ok);
    CHECK(w.status(q.id) == "paid");
    auto replay = w.domain->payment_webhook("stripe", body, sign(body, t));
    REQUIRE(replay);
    CHECK_FALSE(*replay);
    CHECK(w.count("quote_paid") == 1);
}
