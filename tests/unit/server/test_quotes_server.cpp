// Structured quotes on the server: store numbering per seller and year,
// versions and supersede, the status machine through the domain (open, accept, revise),
// refusals, expiry, server-side totals and visibility. Temp SQLite files, fake clock.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/store/store.h"
#include "server/domain/workflow.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;
using nlohmann::json;

namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis k2026 = 1767225600000;  // 2026-01-01T00:00:00Z

struct QuoteWorld : testing::TempDomain {
    User m, m2, a, b;
    int64_t ra = 0, rb = 0, rc = 0;

    QuoteWorld() : TempDomain("quotes", k2026 + 100 * kDay) {  // 2026-04-11
        m = add_user("Maker", "manufacturer");
        m2 = add_user("Other Maker", "manufacturer");
        a = add_user("Alice", "buyer");
        b = add_user("Bob", "buyer");
        ra = add_request(a, m, "Pump", "Need pumps", "ES", "es", now - 1000);
        rb = add_request(b, m, "Valve", "Need valves", "FR", "fr", now - 900);
        rc = add_request(a, m2, "Hose", "Need hoses", "ES", "es", now - 800);
        start_domain();
    }
    json body(Millis valid_for = 30 * kDay) const {
        return json{{"currency", "EUR"},
                    {"lines", json::array({json{{"product", "Pump P-200"}, {"quantity", 2000}, {"unit", "pcs"},
                                                {"unit_price", 125000}, {"discount_bp", 1000}}})},
                    {"tax_bp", 2100},
                    {"shipping", 5000},
                    {"incoterm", "EXW"},
                    {"lead_time_days", 20},
                    {"valid_until", now + valid_for},
                    {"payment_terms", "30 days"}};
    }
    std::vector<Event> events_of(const User& u, int64_t request) {
        auto d = domain->detail(u, request);
        REQUIRE(d);
        return d->events;
    }
    static bool has_event(const std::vector<Event>& ev, const std::string& kind) {
        for (const auto& e : ev)
            if (e.kind == kind) return true;
        return false;
    }
};

}  // namespace

TEST_CASE("quotes: numbers per seller and year, totals computed by the server", "[quotes_server]") {
    QuoteWorld w;
    json j = w.body();
    // Whatever the client claims about ids, number, status and totals is ignored.
    j["id"] = 999;
    j["number"] = "Q-1999-0042";
    j["version"] = 7;
    j["status"] = "accepted";
    j["totals"] = json{{"subtotal", 1}, {"total", 2}};
    auto q1 = w.domain->create_quote(w.m, w.ra, j.dump());
    REQUIRE(q1);
    CHECK(q1->number == "Q-2026-0001");
    CHECK(q1->version == 1);
    CHECK(q1->supersedes == 0);
    CHECK(q1->status == "sent");
    CHECK(q1->id != 999);
    CHECK(q1->created == w.now);
    // 2 × 1250.00 − 10 % = 2250.00; + 50.00 shipping; 21 % VAT on 2300.00 = 483.00
    CHECK(q1->totals.subtotal == 225000);
    CHECK(q1->totals.discount_total == 25000);
    CHECK(q1->totals.tax == 48300);
    CHECK(q1->totals.total == 278300);

    auto q2 = w.domain->create_quote(w.m, w.rb, w.body().dump());
    REQUIRE(q2);
    CHECK(q2->number == "Q-2026-0002");
    // Another seller has their own sequence.
    auto other = w.domain->create_quote(w.m2, w.rc, w.body().dump());
    REQUIRE(other);
    CHECK(other->number == "Q-2026-0001");
    // A new year starts again at 1.
    w.now = k2026 + 400 * kDay;  // 2027
    auto q3 = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(q3);
    CHECK(q3->number == "Q-2027-0001");

    // Stored as computed: the store returns the same totals.
    auto rec = w.store->quote(q1->id);
    REQUIRE(rec);
    CHECK(rec->seller_id == w.m.id);
    CHECK(rec->quote.totals.total == 278300);
    CHECK(rec->quote.number == "Q-2026-0001");
}

TEST_CASE("quotes: validation errors list the fields; JSON errors are 400", "[quotes_server]") {
    QuoteWorld w;
    json j = w.body();
    j["lines"][0]["quantity"] = 0;
    j["currency"] = "XXX";
    auto r = w.domain->create_quote(w.m, w.ra, j.dump());
    REQUIRE_FALSE(r);
    CHECK(r.error.status == 400);
    CHECK(r.error.code == "invalid_quote");
    CHECK(r.error.message.find("lines[0].quantity: quantity must be more than 0") != std::string::npos);
    CHECK(r.error.message.find("currency:") != std::string::npos);

    auto bad = w.domain->create_quote(w.m, w.ra, "{not json");
    REQUIRE_FALSE(bad);
    CHECK(bad.error.code == "malformed_json");
    auto typed = w.domain->create_quote(w.m, w.ra, R"({"lines":"many"})");
    REQUIRE_FALSE(typed);
    CHECK(typed.error.status == 400);
    CHECK(typed.error.code == "invalid_field");
    // No number was consumed by the refusals.
    auto ok = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(ok);
    CHECK(ok->number == "Q-2026-0001");
}

TEST_CASE("quotes: who may create, see, open and accept", "[quotes_server]") {
    QuoteWorld w;
    auto buyer_try = w.domain->create_quote(w.a, w.ra, w.body().dump());
    REQUIRE_FALSE(buyer_try);
    CHECK(buyer_try.error.status == 403);
    auto stranger = w.domain->create_quote(w.b, w.ra, w.body().dump());
    REQUIRE_FALSE(stranger);
    CHECK(stranger.error.status == 404);
    auto other_seller = w.domain->create_quote(w.m2, w.ra, w.body().dump());
    REQUIRE_FALSE(other_seller);
    CHECK(other_seller.error.status == 404);

    auto q = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(q);
    CHECK(w.domain->quote(w.a, q->id));
    CHECK(w.domain->quote(w.m, q->id));
    CHECK(w.domain->quote(w.b, q->id).error.status == 404);
    CHECK(w.domain->quote(w.m2, q->id).error.status == 404);
    CHECK(w.domain->quote(w.m, q->id + 100).error.status == 404);
    CHECK(w.domain->open_quote(w.b, q->id).error.status == 404);
    CHECK(w.domain->open_quote(w.m, q->id).error.status == 403);
    auto acc = w.domain->accept_quote(w.m, q->id, R"({"name":"Maker","version":1})");
    REQUIRE_FALSE(acc);
    CHECK(acc.error.status == 403);
    CHECK(w.domain->revise_quote(w.a, q->id, w.body().dump()).error.status == 403);
    CHECK(w.domain->revise_quote(w.b, q->id, w.body().dump()).error.status == 404);

    // The detail lists it for both sides of the conversation, not for others.
    auto ds = w.domain->detail(w.m, w.ra);
    REQUIRE(ds);
    REQUIRE(ds->quotes.size() == 1);
    CHECK(ds->quotes[0].number == "Q-2026-0001");
    CHECK(QuoteWorld::has_event(ds->events, "quote_sent"));
    auto db = w.domain->detail(w.a, w.ra);
    REQUIRE(db);
    CHECK(db->quotes.size() == 1);
    CHECK(QuoteWorld::has_event(db->events, "quote_sent"));
    // Serialised detail carries the quotes.
    auto text = w.domain->detail_json(w.a, w.ra);
    REQUIRE(text);
    auto j = json::parse(**text);
    CHECK(j["quotes"][0]["number"] == "Q-2026-0001");
    CHECK(j["quotes"][0]["totals"]["total"] == 278300);
}

TEST_CASE("quotes: open, accept and the refusals of the state machine", "[quotes_server]") {
    QuoteWorld w;
    auto q = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(q);
    // The seller reading it does not open it.
    REQUIRE(w.domain->quote(w.m, q->id));
    CHECK(w.store->quote(q->id)->quote.status == "sent");
    CHECK_FALSE(QuoteWorld::has_event(w.events_of(w.m, w.ra), "quote_opened"));

    w.now += 1000;
    auto opened = w.domain->open_quote(w.a, q->id);
    REQUIRE(opened);
    CHECK(*opened);
    auto again = w.domain->open_quote(w.a, q->id);
    REQUIRE(again);
    CHECK_FALSE(*again);  // idempotent
    auto rec = w.store->quote(q->id);
    CHECK(rec->quote.status == "opened");
    CHECK(rec->quote.opened_at == w.now);
    int opened_events = 0;
    for (const auto& e : w.events_of(w.m, w.ra)) opened_events += e.kind == "quote_opened";
    CHECK(opened_events == 1);

    // Name and version checks.
    auto r = w.domain->accept_quote(w.a, q->id, R"({"name":"   ","version":1})");
    CHECK(r.error.code == "name_required");
    r = w.domain->accept_quote(w.a, q->id, json{{"name", std::string(201, 'x')}, {"version", 1}}.dump());
    CHECK(r.error.code == "name_too_long");
    r = w.domain->accept_quote(w.a, q->id, R"({"name":"Alice Buyer","version":2})");
    CHECK(r.error.status == 409);
    CHECK(r.error.code == "stale_version");
    r = w.domain->accept_quote(w.a, q->id, "[]");
    CHECK(r.error.status == 400);

    w.now += 1000;
    auto ok = w.domain->accept_quote(w.a, q->id, R"({"name":"  Alice Buyer ","version":1})");
    REQUIRE(ok);
    CHECK(ok->status == "accepted");
    CHECK(ok->accepted_by_name == "Alice Buyer");
    CHECK(ok->accepted_at == w.now);
    CHECK(w.store->quote(q->id)->accepted_version == 1);
    bool seen = false;
    for (const auto& e : w.events_of(w.m, w.ra))
        if (e.kind == "quote_accepted") {
            seen = true;
            CHECK(e.text == "Alice Buyer");
            CHECK(e.value == 1);
        }
    CHECK(seen);

    // Accepted: binding. No second acceptance, no revision; never shown as expired.
    r = w.domain->accept_quote(w.a, q->id, R"({"name":"Alice Buyer","version":1})");
    CHECK(r.error.code == "already_accepted");
    auto rev = w.domain->revise_quote(w.m, q->id, w.body().dump());
    REQUIRE_FALSE(rev);
    CHECK(rev.error.status == 409);
    CHECK(rev.error.code == "quote_accepted");
    w.now += 365 * kDay;
    CHECK(w.domain->quote(w.a, q->id)->status == "accepted");
}

TEST_CASE("quotes: accepting a sent quote also opens it", "[quotes_server]") {
    QuoteWorld w;
    auto q = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(q);
    auto ok = w.domain->accept_quote(w.a, q->id, R"({"name":"Alice","version":1})");
    REQUIRE(ok);
    CHECK(ok->status == "accepted");
    CHECK(ok->opened_at == w.now);
    auto ev = w.events_of(w.a, w.ra);
    CHECK(QuoteWorld::has_event(ev, "quote_opened"));
    CHECK(QuoteWorld::has_event(ev, "quote_accepted"));
}

TEST_CASE("quotes: revisions keep the number and supersede the previous version", "[quotes_server]") {
    QuoteWorld w;
    auto v1 = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(v1);
    REQUIRE(w.domain->open_quote(w.a, v1->id));
    json j = w.body();
    j["lines"][0]["unit_price"] = 120000;
    j["conversation_id"] = 12345;  // ignored: a revision stays in its conversation
    w.now += 5000;
    auto v2 = w.domain->revise_quote(w.m, v1->id, j.dump());
    REQUIRE(v2);
    CHECK(v2->number == v1->number);
    CHECK(v2->version == 2);
    CHECK(v2->supersedes == v1->id);
    CHECK(v2->status == "sent");
    CHECK(v2->opened_at == 0);
    CHECK(v2->conversation_id == v1->conversation_id);
    CHECK(v2->created == w.now);
    CHECK(v2->totals.subtotal == 216000);
    CHECK(w.store->quote(v1->id)->quote.status == "superseded");

    auto ev = w.events_of(w.a, w.ra);
    bool superseded = false, sent2 = false;
    for (const auto& e : ev) {
        if (e.kind == "quote_superseded" && e.value == 1) superseded = true;
        if (e.kind == "quote_sent" && e.value == 2) sent2 = true;
    }
    CHECK(superseded);
    CHECK(sent2);

    // The old version can no longer be revised nor accepted.
    auto again = w.domain->revise_quote(w.m, v1->id, w.body().dump());
    CHECK(again.error.code == "quote_superseded");
    auto old = w.domain->accept_quote(w.a, v1->id, R"({"name":"Alice","version":1})");
    CHECK(old.error.code == "stale_version");
    old = w.domain->accept_quote(w.a, v1->id, R"({"name":"Alice","version":2})");
    CHECK(old.error.code == "quote_superseded");
    // An invalid revision changes nothing.
    json bad = w.body();
    bad["lines"] = json::array();
    auto refused = w.domain->revise_quote(w.m, v2->id, bad.dump());
    CHECK(refused.error.code == "invalid_quote");
    CHECK(w.store->quote(v2->id)->quote.status == "sent");

    // Detail: every version, newest first.
    auto d = w.domain->detail(w.a, w.ra);
    REQUIRE(d);
    REQUIRE(d->quotes.size() == 2);
    CHECK(d->quotes[0].version == 2);
    CHECK(d->quotes[1].status == "superseded");

    auto ok = w.domain->accept_quote(w.a, v2->id, R"({"name":"Alice","version":2})");
    REQUIRE(ok);
    CHECK(ok->status == "accepted");
}

TEST_CASE("quotes: expiry is shown, blocks acceptance and allows a revision", "[quotes_server]") {
    QuoteWorld w;
    auto q = w.domain->create_quote(w.m, w.ra, w.body(2 * kDay).dump());
    REQUIRE(q);
    // Cached detail must not hide the expiry.
    REQUIRE(w.domain->detail_json(w.a, w.ra));
    w.now += 3 * kDay;
    CHECK(w.domain->quote(w.a, q->id)->status == "expired");
    CHECK(w.store->quote(q->id)->quote.status == "sent");  // effective, not stored
    auto d = w.domain->detail(w.a, w.ra);
    REQUIRE(d);
    CHECK(d->quotes[0].status == "expired");
    auto text = w.domain->detail_json(w.a, w.ra);
    REQUIRE(text);
    CHECK(json::parse(**text)["quotes"][0]["status"] == "expired");
    auto acc = w.domain->accept_quote(w.a, q->id, R"({"name":"Alice","version":1})");
    REQUIRE_FALSE(acc);
    CHECK(acc.error.status == 409);
    CHECK(acc.error.code == "quote_expired");
    // An expired quote can still be revised (a new validity date).
    auto v2 = w.domain->revise_quote(w.m, q->id, w.body().dump());
    REQUIRE(v2);
    CHECK(v2->version == 2);
    CHECK(w.domain->quote(w.a, q->id)->status == "superseded");
    // A validity date in the past is refused.
    auto past = w.domain->create_quote(w.m, w.ra, w.body(-kDay).dump());
    REQUIRE_FALSE(past);
    CHECK(past.error.code == "invalid_quote");
}

TEST_CASE("quotes: another party's conversation keeps its quotes to itself", "[quotes_server]") {
    QuoteWorld w;
    UserRecord d;
    d.name = "Dist";
    d.role = "distributor";
    d.org_id = w.m.id;
    d.id = w.store->add_user(d);
    User dist = d.to_wire();
    auto facts = w.store->facts(w.ra);
    REQUIRE(facts);
    int64_t root = facts->root();
    int64_t theirs = w.store->add_conversation(w.ra, dist.id, "forwarded", root, w.now).first;

    // Without conversation_id the distributor's quote goes to their own conversation.
    auto qd = w.domain->create_quote(dist, w.ra, w.body().dump());
    REQUIRE(qd);
    CHECK(qd->conversation_id == theirs);
    CHECK(qd->number == "Q-2026-0001");
    // The manufacturer cannot post into it, nor see it.
    json j = w.body();
    j["conversation_id"] = theirs;
    CHECK(w.domain->create_quote(w.m, w.ra, j.dump()).error.status == 404);
    CHECK(w.domain->quote(w.m, qd->id).error.status == 404);
    auto qm = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(qm);
    CHECK(qm->conversation_id == root);
    CHECK(qm->number == "Q-2026-0001");  // each seller numbers their own quotes
    CHECK(w.domain->quote(dist, qm->id).error.status == 404);

    auto dm = w.domain->detail(w.m, w.ra);
    REQUIRE(dm);
    REQUIRE(dm->quotes.size() == 1);
    CHECK(dm->quotes[0].id == qm->id);
    auto dd = w.domain->detail(dist, w.ra);
    REQUIRE(dd);
    REQUIRE(dd->quotes.size() == 1);
    CHECK(dd->quotes[0].id == qd->id);
    auto db = w.domain->detail(w.a, w.ra);
    REQUIRE(db);
    REQUIRE(db->quotes.size() == 2);
    CHECK(db->quotes[0].id == qm->id);  // newest first
    // The buyer sees both parties' quote events; each seller only their own.
    int sent_for_buyer = 0, sent_for_maker = 0;
    for (const auto& e : db->events) sent_for_buyer += e.kind == "quote_sent";
    for (const auto& e : dm->events) sent_for_maker += e.kind == "quote_sent";
    CHECK(sent_for_buyer == 2);
    CHECK(sent_for_maker == 1);
}

TEST_CASE("quotes: wire shapes of RequestDetail.quotes and AcceptQuote", "[quotes_server]") {
    RequestDetail d;
    Quote q;
    q.number = "Q-2026-0007";
    q.version = 3;
    q.accepted_by_name = "Ana";
    q.opened_at = 5;
    d.quotes.push_back(q);
    RequestDetail back;
    REQUIRE(parse_json(dump_json(d), back));
    REQUIRE(back.quotes.size() == 1);
    CHECK(back.quotes[0].number == "Q-2026-0007");
    CHECK(back.quotes[0].version == 3);
    CHECK(back.quotes[0].accepted_by_name == "Ana");
    CHECK(back.quotes[0].opened_at == 5);
    RequestDetail old;  // a detail without quotes (older server) still parses
    REQUIRE(parse_json(R"({"id":4})", old));
    CHECK(old.quotes.empty());
    AcceptQuote a;
    REQUIRE(parse_json(R"({"name":"Ana","version":2})", a));
    CHECK(a.name == "Ana");
    CHECK(a.version == 2);
    CHECK_FALSE(parse_json(R"({"version":"2"})", a));
}

TEST_CASE("quotes: concurrent sends get distinct numbers", "[quotes_server]") {
    QuoteWorld w;
    std::mutex mu;
    std::set<std::string> numbers;
    int failures = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 5; ++i) {
                auto q = w.domain->create_quote(w.m, t % 2 ? w.ra : w.rb, w.body().dump());
                std::lock_guard lk(mu);
                if (q) numbers.insert(q->number);
                else ++failures;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    CHECK(numbers.size() == 20);
    CHECK(numbers.count("Q-2026-0001") == 1);
    CHECK(numbers.count("Q-2026-0020") == 1);
}

TEST_CASE("quotes: once the buyer accepted a quote, the conversation is closed as a sale, not declined", "[quotes_server]") {
    QuoteWorld w;
    auto before = w.domain->detail(w.m, w.ra);
    REQUIRE(before);
    CHECK(before->can.decline);
    auto q = w.domain->create_quote(w.m, w.ra, w.body().dump());
    REQUIRE(q);
    REQUIRE(w.domain->accept_quote(w.a, q->id, R"({"name":"Alice","version":1})"));
    auto after = w.domain->detail(w.m, w.ra);
    REQUIRE(after);
    CHECK_FALSE(after->can.decline);
    CHECK(after->can.close);  // won or lost stays the seller's to record
    auto r = w.domain->decline(w.m, w.ra, R"({"reason":"cannot_deliver"})");
    REQUIRE_FALSE(r);
    CHECK(r.error.status == 409);
    CHECK(r.error.code == "quote_accepted");
    // Another buyer's request, no quote: declining still works.
    CHECK(w.domain->decline(w.m, w.rb, R"({"reason":"cannot_deliver"})"));
}
