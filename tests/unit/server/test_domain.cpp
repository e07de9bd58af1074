// Domain layer and long-poll hub tests (no HTTP): auth, visibility, validation,
// caching, read marks, event polling.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "server/base/text.h"
#include "server/domain/domain.h"
#include "server/domain/hub.h"
#include "server/store/store.h"
#include "server/domain/workflow.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;

namespace {

struct DomainWorld : testing::TempDomain {
    User m, a, b;
    int64_t ra = 0, rb = 0;

    DomainWorld() : TempDomain("domain", 1'000'000'000) {
        m = add_user("Maker", "manufacturer");
        a = add_user("Alice", "buyer");
        b = add_user("Bob", "buyer");
        ra = add_request(a, m, "Pump", "Need pumps", "ES", "es", now - 1000);
        rb = add_request(b, m, "Valve", "Need valves", "FR", "fr", now - 500);
        start_domain();
    }
    Result<Domain::Posted> post(const User& u, int64_t req, const std::string& text, const std::string& key) {
        std::string body = nlohmann::json{{"body", text}}.dump();
        return domain->post_message(u, req, &key, body);
    }
};

// Collects long-poll answers.
struct Replies {
    std::mutex mu;
    std::vector<std::string> bodies;
    Hub::Reply fn() {
        return [this](Hub::Body b) {
            std::lock_guard lk(mu);
            bodies.push_back(*b);
        };
    }
    size_t size() {
        std::lock_guard lk(mu);
        return bodies.size();
    }
    EventBatch at(size_t i) {
        std::lock_guard lk(mu);
        EventBatch out;
        REQUIRE(parse_json(bodies.at(i), out));
        return out;
    }
};

auto far_deadline() { return Hub::Clock::now() + std::chrono::hours(1); }

}  // namespace

TEST_CASE("domain: magic link sign-in, sessions and logout", "[domain]") {
    DomainWorld w;
    std::string link = w.domain->issue_magic_link(w.a.id, 60'000, /*reusable=*/false);
    CHECK(link.size() >= 43);
    auto login = w.domain->login(link);
    REQUIRE(login);
    CHECK(login->user.id == w.a.id);
    CHECK(login->max_age_ms == kSessionTtl);
    CHECK(login->session_token != link);
    CHECK_FALSE(w.domain->login(link));  // single use

    auto who = w.domain->authenticate(login->session_token);
    REQUIRE(who);
    CHECK(who->name == "Alice");
    CHECK_FALSE(w.domain->authenticate("not a token"));
    CHECK_FALSE(w.domain->authenticate(login->session_token + "x"));
    CHECK_FALSE(w.domain->authenticate(""));

    // A second server instance (cold cache) finds the session in the store.
    Hub hub2(0);
    Domain cold(*w.store, hub2, [&] { return w.now; });
    CHECK(cold.authenticate(login->session_token));

    w.domain->logout(login->session_token);
    CHECK_FALSE(w.domain->authenticate(login->session_token));

    // Reusable demo links work repeatedly until they expire.
    std::string demo = w.domain->issue_magic_link(w.m.id, kDemoLinkTtl, true);
    auto s1 = w.domain->login(demo);
    REQUIRE(s1);
    REQUIRE(w.domain->login(demo));
    w.now += kDemoLinkTtl;
    CHECK_FALSE(w.domain->login(demo));
    // Sessions expire after 30 days, cached or not.
    CHECK(w.domain->authenticate(s1->session_token));
    w.now += kSessionTtl;
    CHECK_FALSE(w.domain->authenticate(s1->session_token));
}

TEST_CASE("domain: visibility matrix (404 for anything not yours)", "[domain]") {
    DomainWorld w;
    struct Case { const User* who; int64_t req; bool visible; };
    const Case cases[] = {
        {&w.m, w.ra, true}, {&w.m, w.rb, true},   {&w.a, w.ra, true}, {&w.a, w.rb, false},
        {&w.b, w.ra, false}, {&w.b, w.rb, true},  {&w.m, 999, false}, {&w.a, 0, false},
        {&w.a, -1, false},
    };
    int n = 0;
    for (const auto& c : cases) {
        INFO("user " << c.who->name << " request " << c.req);
        auto d = w.domain->detail(*c.who, c.req);
        auto j = w.domain->detail_json(*c.who, c.req);
        auto p = w.post(*c.who, c.req, "hello", "key-" + std::to_string(n++));
        auto r = w.domain->mark_read(*c.who, c.req, "");
        CHECK(bool(d) == c.visible);
        CHECK(bool(j) == c.visible);
        CHECK(bool(p) == c.visible);
        CHECK(bool(r) == c.visible);
        if (!c.visible) {
            CHECK(d.error.status == 404);
            CHECK(j.error.status == 404);
            CHECK(p.error.status == 404);
            CHECK(r.error.status == 404);
            CHECK(p.error.code == "not_found");
        }
    }
    // Inboxes: each buyer only their own request.
    CHECK(w.domain->inbox(w.m).requests.size() == 2);
    REQUIRE(w.domain->inbox(w.a).requests.size() == 1);
    CHECK(w.domain->inbox(w.a).requests[0].id == w.ra);
    CHECK(w.domain->inbox(w.b).requests[0].id == w.rb);
}

TEST_CASE("domain: message validation errors", "[domain]") {
    DomainWorld w;
    std::string key = "k";
    auto post_raw = [&](const std::string* k, const std::string& body) {
        return w.domain->post_message(w.a, w.ra, k, body);
    };
    auto code = [](const Result<Domain::Posted>& r) { return r ? std::string("ok") : r.error.code; };
    auto status = [](const Result<Domain::Posted>& r) { return r ? 200 : r.error.status; };

    CHECK(code(post_raw(nullptr, R"({"body":"x"})")) == "idempotency_key_required");
    std::string blank = "   ";
    CHECK(code(post_raw(&blank, R"({"body":"x"})")) == "idempotency_key_required");
    std::string long_key(201, 'k');
    CHECK(code(post_raw(&long_key, R"({"body":"x"})")) == "idempotency_key_too_long");
    std::string max_key(200, 'k');
    CHECK(code(post_raw(&max_key, R"({"body":"x"})")) == "ok");

    CHECK(code(post_raw(&key, "{\"body\":")) == "malformed_json");
    CHECK(status(post_raw(&key, "{\"body\":")) == 400);
    CHECK(code(post_raw(&key, "")) == "malformed_json");
    CHECK(code(post_raw(&key, "\"just a string\"")) == "invalid_field");
    CHECK(code(post_raw(&key, "[1,2]")) == "invalid_field");
    CHECK(code(post_raw(&key, R"({"body":42})")) == "invalid_field");
    CHECK(code(post_raw(&key, R"({"text":"hi"})")) == "invalid_field");
    CHECK(code(post_raw(&key, R"({"body":null})")) == "invalid_field");
    CHECK(code(post_raw(&key, R"({"body":"  \n\t "})")) == "empty_message");
    CHECK(status(post_raw(&key, R"({"body":""})")) == 400);

    std::string too_long = nlohmann::json{{"body", std::string(kMaxMessageChars + 1, 'x')}}.dump();
    CHECK(code(post_raw(&key, too_long)) == "message_too_long");
    CHECK(status(post_raw(&key, too_long)) == 413);
    std::string at_limit = nlohmann::json{{"body", std::string(kMaxMessageChars, 'x')}}.dump();
    std::string key2 = "k2";
    CHECK(code(post_raw(&key2, at_limit)) == "ok");

    std::string huge(kMaxJsonBody + 1, ' ');
    CHECK(code(post_raw(&key, huge)) == "body_too_large");
    CHECK(status(post_raw(&key, huge)) == 413);

    // None of the failures stored anything; the two successes did.
    CHECK(w.store->request_data(w.ra)->messages.size() == 2);
}

TEST_CASE("domain: idempotent posts, trimming, conflicts", "[domain]") {
    DomainWorld w;
    auto p1 = w.post(w.a, w.ra, "  Hola, ¿qué tal?  \n", "retry-me");
    REQUIRE(p1);
    CHECK(p1->created);
    CHECK(p1->message.body == "Hola, ¿qué tal?");
    CHECK(p1->message.author_name == "Alice");
    CHECK(p1->message.author_role == "buyer");
    auto p2 = w.post(w.a, w.ra, "  Hola, ¿qué tal?  \n", "retry-me");
    REQUIRE(p2);
    CHECK_FALSE(p2->created);
    CHECK(p2->message.id == p1->message.id);
    CHECK(w.store->request_data(w.ra)->messages.size() == 1);

    // Same key, same user, other request: a conflict (409), nothing stored.
    auto other = w.post(w.m, w.rb, "x", "k-m");
    REQUIRE(other);
    auto conflict = w.post(w.m, w.ra, "y", "k-m");
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error.status == 409);
}

TEST_CASE("domain: cached thread JSON is invalidated by new messages", "[domain]") {
    DomainWorld w;
    auto j1 = w.domain->detail_json(w.m, w.ra);
    REQUIRE(j1);
    auto j2 = w.domain->detail_json(w.m, w.ra);
    REQUIRE(j2);
    CHECK(j1->get() == j2->get());  // same cached bytes
    RequestDetail d;
    REQUIRE(parse_json(**j1, d));
    CHECK(d.messages.empty());
    CHECK(d.buyer.name == "Alice");

    REQUIRE(w.post(w.a, w.ra, "news", "k"));
    auto j3 = w.domain->detail_json(w.a, w.ra);
    REQUIRE(j3);
    CHECK(j3->get() != j1->get());
    REQUIRE(parse_json(**j3, d));
    REQUIRE(d.messages.size() == 1);
    CHECK(d.messages[0].body == "news");
    // An idempotent replay does not invalidate.
    REQUIRE(w.post(w.a, w.ra, "news", "k"));
    CHECK(w.domain->detail_json(w.a, w.ra)->get() == j3->get());
}

TEST_CASE("domain: inbox unread count, read marks and cursor", "[domain]") {
    DomainWorld w;
    auto in = w.domain->inbox(w.m);
    CHECK(in.me.id == w.m.id);
    CHECK(in.unread == 2);
    CHECK(in.cursor == 0);
    auto moved = w.domain->mark_read(w.m, w.ra, "");
    REQUIRE(moved);
    CHECK(*moved);
    auto again = w.domain->mark_read(w.m, w.ra, "");
    REQUIRE(again);
    CHECK_FALSE(*again);
    in = w.domain->inbox(w.m);
    CHECK(in.unread == 1);
    CHECK(in.cursor == 1);  // the read event
    CHECK(in.requests[0].id == w.rb);  // unread first
}

TEST_CASE("domain: long-poll answers at once, wakes on a visible event, ignores others", "[domain]") {
    DomainWorld w;
    Replies ra, rb;

    // Nothing yet: both buyers wait.
    CHECK_FALSE(w.domain->poll_events(w.a, 0, far_deadline(), ra.fn()));
    CHECK_FALSE(w.domain->poll_events(w.b, 0, far_deadline(), rb.fn()));
    CHECK(w.hub->waiting() == 2);

    // A message on A's request wakes A only, with the event.
    auto p = w.post(w.m, w.ra, "hello Alice", "k1");
    REQUIRE(p);
    REQUIRE(ra.size() == 1);
    CHECK(rb.size() == 0);
    auto batch = ra.at(0);
    REQUIRE(batch.events.size() == 1);
    CHECK(batch.events[0].kind == "message");
    CHECK(batch.events[0].message_id == p->message.id);
    CHECK(batch.events[0].request_id == w.ra);
    CHECK(batch.cursor == batch.events[0].id);
    CHECK(w.hub->waiting() == 1);

    // Polling again from 0 returns at once (newer exists), without waiting.
    auto now = w.domain->poll_events(w.a, 0, far_deadline(), ra.fn());
    REQUIRE(now);
    CHECK(now->events.size() == 1);
    // From the cursor: nothing, waits; the manufacturer's read mark is an event for A.
    CHECK_FALSE(w.domain->poll_events(w.a, batch.cursor, far_deadline(), ra.fn()));
    REQUIRE(w.domain->mark_read(w.a, w.ra, ""));  // A's own read event wakes A too
    REQUIRE(ra.size() == 2);
    CHECK(ra.at(1).events.at(0).kind == "read");

    // B is still waiting; B's time-out reports a cursor past the invisible events.
    CHECK(w.hub->waiting() == 1);
    w.domain->poll_events(w.b, 0, far_deadline(), rb.fn());  // a second waiter for B
    auto drained = w.hub->drain();
    CHECK(drained.size() == 2);
    drained.deliver();
    REQUIRE(rb.size() == 2);
    CHECK(rb.at(0).events.empty());
    CHECK(rb.at(0).cursor == w.hub->last_id());
    CHECK(w.hub->waiting() == 0);
}

TEST_CASE("domain: expired long-polls get an empty batch", "[domain]") {
    DomainWorld w;
    Replies r;
    auto soon = Hub::Clock::now() + std::chrono::milliseconds(30);
    CHECK_FALSE(w.domain->poll_events(w.a, 0, soon, r.fn()));
    w.domain->expire_waiters();
    CHECK(r.size() == 0);  // not yet
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    w.domain->expire_waiters();
    REQUIRE(r.size() == 1);
    CHECK(r.at(0).events.empty());
    CHECK(r.at(0).cursor == 0);
    // A deadline already past: answered immediately, nothing registered.
    auto past = w.domain->poll_events(w.a, 7, Hub::Clock::now(), r.fn());
    REQUIRE(past);
    CHECK(past->cursor == 7);
    CHECK(w.hub->waiting() == 0);
}

TEST_CASE("domain: events are capped per batch and paged by cursor", "[domain]") {
    DomainWorld w;
    for (int i = 0; i < 130; ++i) REQUIRE(w.post(w.a, w.ra, tagged_id("m", i), tagged_id("k", i)));
    auto first = w.domain->poll_events(w.m, 0, far_deadline(), {});
    REQUIRE(first);
    CHECK(first->events.size() == static_cast<size_t>(kMaxEventsPerBatch));
    auto second = w.domain->poll_events(w.m, first->cursor, far_deadline(), {});
    REQUIRE(second);
    CHECK(second->events.size() == 30);
    CHECK(second->cursor == w.hub->last_id());
    // B sees none of them; its cursor still moves to the newest id.
    auto forb = w.domain->poll_events(w.b, 0, far_deadline(), {});
    REQUIRE(forb);
    CHECK(forb->events.empty());
    CHECK(forb->cursor == w.hub->last_id());
}

TEST_CASE("hub: registration sees events published after the snapshot", "[domain][hub]") {
    Hub hub(4, /*ring_capacity=*/2);
    Event e;
    e.id = 5;
    e.kind = "message";
    e.request_id = 9;
    auto w = hub.publish(e, {1, 2});
    CHECK(w.size() == 0);
    CHECK(hub.last_id() == 5);

    std::vector<Event> ready;
    int calls = 0;
    Hub::Reply reply = [&](Hub::Body) { ++calls; };
    // The caller's store query ran before event 5 was published (snapshot 4).
    CHECK(hub.wait(1, 0, 4, far_deadline(), reply, &ready) == Hub::WaitResult::immediate);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].id == 5);
    // Not visible to user 3: registered.
    ready.clear();
    CHECK(hub.wait(3, 0, 4, far_deadline(), reply, &ready) == Hub::WaitResult::registered);
    // The ring (capacity 2) no longer reaches back to snapshot 4: ask for a re-query.
    e.id = 6;
    hub.publish(e, {1}).deliver();
    e.id = 7;
    hub.publish(e, {1}).deliver();
    CHECK(hub.wait(1, 0, 4, far_deadline(), reply, &ready) == Hub::WaitResult::retry);
    CHECK(hub.waiting() == 1);
    // Waiters whose cursor is already past an event are not woken by it.
    CHECK(hub.wait(1, 100, 7, far_deadline(), reply, &ready) == Hub::WaitResult::registered);
    e.id = 8;
    auto wake = hub.publish(e, {1, 3});
    CHECK(wake.size() == 1);  // user 3 only
    wake.deliver();
    CHECK(calls == 1);
    CHECK(hub.waiting() == 1);
}

// ---------------------------------------------------------------- attachments

TEST_CASE("domain: uploads are checked, stored once and visible per conversation", "[domain][attachments]") {
    DomainWorld w;
    auto files = std::filesystem::path(w.sibling("-files"));
    std::filesystem::remove_all(files);
    w.domain->set_files_dir(files.string());
    Domain::UploadParams quote{"quote", "../Quote 7.pdf", 0};
    std::string pdf = "%PDF-1.7\nbody";

    auto up = w.domain->upload(w.m, w.ra, quote, pdf);
    REQUIRE(up);
    CHECK(up->name == "Quote 7.pdf");
    CHECK(up->type == "application/pdf");
    CHECK(up->message_id == 0);
    CHECK(std::filesystem::exists(files / up->sha256.substr(0, 2) / up->sha256.substr(2)));

    // Refusals.
    CHECK(w.domain->upload(w.m, w.ra, quote, "not a pdf").error.status == 415);
    CHECK(w.domain->upload(w.m, w.ra, quote, "").error.status == 400);
    CHECK(w.domain->upload(w.m, w.ra, quote, std::string(kMaxUploadBytes + 1, 'x')).error.status == 413);
    CHECK(w.domain->upload(w.b, w.ra, quote, pdf).error.status == 404);  // Bob cannot see ra
    CHECK(w.domain->upload(w.m, w.ra, {"bogus", "x", 0}, pdf).error.status == 400);

    // Pending: the uploader only.
    CHECK(w.domain->download(w.m, up->id));
    CHECK(w.domain->download(w.a, up->id).error.status == 404);
    CHECK(w.domain->download(w.b, up->id).error.status == 404);

    // Posted with an empty body: Alice (the buyer) sees it, Bob never does.
    std::string key = "k-up";
    std::string body = nlohmann::json{{"body", ""}, {"attachments", {up->id}}}.dump();
    auto posted = w.domain->post_message(w.m, w.ra, &key, body);
    REQUIRE(posted);
    REQUIRE(posted->message.attachments.size() == 1);
    CHECK(w.domain->download(w.a, up->id));
    CHECK(w.domain->download(w.b, up->id).error.status == 404);
    auto d = w.domain->detail(w.a, w.ra);
    REQUIRE(d);
    REQUIRE(d->messages.size() == 1);
    CHECK(d->messages[0].attachments.size() == 1);

    // Invalid and too many ids.
    std::string key2 = "k-up-2";
    auto again = w.domain->post_message(w.m, w.ra, &key2, body);
    CHECK(again.error.code == "invalid_attachment");
    std::vector<int64_t> eleven(11, up->id);
    std::string key3 = "k-up-3";
    auto many = w.domain->post_message(w.m, w.ra, &key3, nlohmann::json{{"body", "x"}, {"attachments", eleven}}.dump());
    CHECK(many.error.code == "too_many_attachments");
    std::filesystem::remove_all(files);
}

TEST_CASE("domain: an address fixed on another instance stops being asked for within a minute", "[domain]") {
    DomainWorld w;
    // The maker has no address: a reply needs the From field.
    w.store->set_user_email(w.m.id, "");
    auto page = [&](Domain& d) {
        auto r = d.detail(w.m, w.ra);
        REQUIRE(r);
        return r->can.from_required;
    };
    CHECK(page(*w.domain));
    // Another instance on the same database: the maker types her address there.
    Domain other(*w.store, *w.hub, [&w] { return w.now; });
    const std::string key = "fixed-address";
    auto posted = other.post_message(w.m, w.ra, &key,
                                     nlohmann::json{{"body", "Hello"}, {"from_email", "marta@maker.example"}}.dump());
    INFO((posted ? std::string() : posted.error.code + ": " + posted.error.message));
    REQUIRE(posted);
    CHECK_FALSE(page(other));
    // This instance learns it within a minute (kUndeliverableTtl).
    w.now += 61 * 1000;
    CHECK_FALSE(page(*w.domain));
}

// The seller's score on the inbox is kept for a minute (a 90-day statistic), but not past
// the seller's own answer or decline: the header showed the old response rate until reload.
TEST_CASE("domain: the inbox's seller score follows an answer or a decline at once", "[domain][score]") {
    DomainWorld w;
    Inbox before = w.domain->inbox(w.m);
    REQUIRE(before.score);
    CHECK(before.to_answer == 2);
    CHECK(before.score->response_rate == -1);  // both young and unanswered: nothing to count yet
    w.now += 1000;  // within the minute the score is kept
    REQUIRE(w.domain->decline(w.m, w.rb, nlohmann::json{{"reason", "not_my_product"}}.dump()));
    Inbox after = w.domain->inbox(w.m);
    REQUIRE(after.score);
    CHECK(after.to_answer == 1);
    CHECK(after.score->response_rate > before.score->response_rate);
    // Nothing moved: the kept score answers (the same figures).
    w.now += 1000;
    Inbox again = w.domain->inbox(w.m);
    CHECK(again.score->response_rate == after.score->response_rate);
}

// A request that matched a search by its own fields: the snippet is the field that
// matched, not the fields run together ("Alice Alice Co ES Pump Need pumps").
TEST_CASE("domain: a request found by its own fields shows the field that matched", "[domain][search]") {
    DomainWorld w;
    Domain::InboxRequest q;
    q.search = "pumps";
    auto r = w.domain->inbox(w.m, q);
    REQUIRE(r);
    REQUIRE(r->requests.size() == 1);
    const RequestSummary& row = r->requests[0];
    CHECK(row.id == w.ra);
    CHECK(row.match_message_id == 0);
    CHECK(row.match_text == "Need pumps");
    REQUIRE(row.match_ranges.size() == 1);
    CHECK(row.match_text.substr(static_cast<size_t>(row.match_ranges[0].first), 5) == "pumps");
    q.search = "Alice";
    r = w.domain->inbox(w.m, q);
    REQUIRE(r);
    REQUIRE(r->requests.size() == 1);
    CHECK(r->requests[0].match_text == "Alice");
    // A text of several lines is still the text, not the name.
    w.add_request(w.b, w.m, "Seals", "Good morning,\nwe need 40 gaskets in FKM.", "FR", "en", w.now);
    q.search = "gaskets";
    r = w.domain->inbox(w.m, q);
    REQUIRE(r);
    REQUIRE(r->requests.size() == 1);
    CHECK(r->requests[0].match_text.find("gaskets") != std::string::npos);
    CHECK(r->requests[0].match_text.find("Bob") == std::string::npos);
}
