// Store tests through the interface (server/store/store.h), on a throwaway database
// opened by open_stores: users, inbox, request data, idempotent posts per
// conversation, read marks, events, the demo seed. Conversations, routing, auth and
// attachments: test_store_workflow.cpp; the SQLite schema: test_store_sqlite.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "server/domain/seed.h"
#include "tests/unit/server/store_world.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

TEST_CASE("store: migrations create the schema once and data survives reopening", "[store]") {
    TempDb db;
    int64_t uid = 0;
    {
        auto s = std::move(db.open().main);
        REQUIRE(s->schema_version() > 0);
        REQUIRE(s->empty());
        uid = s->add_user(make_user("Maker", "manufacturer"));
        REQUIRE_FALSE(s->empty());
    }
    auto s = std::move(db.open().main);
    REQUIRE(s->schema_version() > 0);
    auto u = s->user(uid);
    REQUIRE(u);
    CHECK(u->name == "Maker");
    CHECK(u->email == "Maker@example.com");
    CHECK(u->to_wire().role == "manufacturer");
    CHECK(u->org_id == uid);  // a manufacturer is its own organisation
}

TEST_CASE("store: users are validated by the schema", "[store]") {
    TempDb db;
    auto s = std::move(db.open().main);
    CHECK_THROWS_AS(s->add_user(make_user("X", "admin")), StoreError);
    for (const char* role : {"buyer", "manufacturer", "area_manager", "distributor", "guest"})
        CHECK_NOTHROW(s->add_user(make_user(std::string("U-") + role, role)));
    // foreign keys are enforced
    CHECK_THROWS_AS(s->add_request(RequestRecord{0, 42, 43, "p", "m", "", "", 1}), StoreError);
    CHECK_THROWS_AS(s->add_conversation(4242, 1, "received", 0, 1), StoreError);
    CHECK_FALSE(s->user_by_email("nobody@example.com"));
    auto by_mail = s->user_by_email("u-GUEST@example.com");  // case-insensitive
    REQUIRE(by_mail);
    CHECK(by_mail->role == "guest");
}

TEST_CASE("store: dark mode — a user's theme is kept per user, beside the settings, and checked", "[store][theme]") {
    TempDb db;
    auto s = std::move(db.open().main);
    const int64_t a = s->add_user(make_user("Ana", "buyer"));
    const int64_t b = s->add_user(make_user("Ben", "buyer"));
    CHECK(s->preferences(a).theme == "system");  // nothing stored yet
    s->set_preferences(a, Preferences{"dark"});
    CHECK(s->preferences(a).theme == "dark");
    CHECK(s->preferences(b).theme == "system");
    // The translation setting and the theme are written alone: neither resets the other.
    s->set_settings(a, UserSettings{true});
    CHECK(s->preferences(a).theme == "dark");
    s->set_preferences(a, Preferences{"light"});
    CHECK(s->settings(a).auto_translate);
    CHECK(s->preferences(a).theme == "light");
    s->set_settings(b, UserSettings{true});
    CHECK(s->preferences(b).theme == "system");
    CHECK_THROWS_AS(s->set_preferences(b, Preferences{"sepia"}), StoreError);  // the schema's CHECK
    CHECK(s->preferences(b).theme == "system");
}

TEST_CASE("store: inbox shows only the user's requests", "[store]") {
    World w;
    auto im = w.store->inbox(w.m);
    auto ia = w.store->inbox(w.a);
    auto ib = w.store->inbox(w.b);
    REQUIRE(im.size() == 2);
    REQUIRE(ia.size() == 1);
    REQUIRE(ib.size() == 1);
    CHECK(ia[0].id == w.ra);
    CHECK(ib[0].id == w.rb);
    CHECK(ia[0].buyer_name == "Alice");
    // A buyer's row is headed with the manufacturer he wrote to (a single row too).
    CHECK(ia[0].seller_name == "Maker");
    CHECK(ia[0].seller_company == "Maker Co");
    CHECK(w.store->inbox_entry(w.b, w.rb)->seller_company == "Maker Co");
    CHECK(ia[0].snippet == "Need pumps");
    CHECK(ia[0].message_count == 0);
    CHECK(ia[0].status == "open");
    CHECK(w.row(im, w.ra)->status == "to_answer");
    CHECK(w.row(im, w.ra)->handler_name.empty());
}

TEST_CASE("store: inbox unread rules, newest activity first", "[store]") {
    World w;
    // New requests are unread for the manufacturer, not for the buyer who sent them.
    auto im = w.store->inbox(w.m);
    CHECK(w.row(im, w.ra)->unread);
    CHECK(w.row(im, w.rb)->unread);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
    // Newest activity first among equals: rb (created 2000) before ra (1000).
    CHECK(im[0].id == w.rb);

    // Manufacturer opens ra: it becomes read and goes after the unread rb.
    auto r = w.store->mark_read(w.m, w.ca, 0, 3000);
    CHECK(r.moved);
    im = w.store->inbox(w.m);
    CHECK_FALSE(w.row(im, w.ra)->unread);
    CHECK(im[0].id == w.rb);

    // Buyer A writes on ra: unread again for the manufacturer, newest activity, still
    // read for A (the author).
    w.store->post_message(w.ca, w.a, "Any news?", "k1", 4000);
    im = w.store->inbox(w.m);
    CHECK(w.row(im, w.ra)->unread);
    CHECK(w.row(im, w.ra)->last_activity == 4000);
    CHECK(w.row(im, w.ra)->snippet == "Any news?");
    CHECK(w.row(im, w.ra)->message_count == 1);
    CHECK(w.row(im, w.ra)->status == "to_answer");
    CHECK(im[0].id == w.ra);  // both unread; ra is newer
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);

    // The manufacturer answers: read for them, unread for A.
    w.store->post_message(w.ca, w.m, "Tomorrow.", "k2", 5000);
    im = w.store->inbox(w.m);
    CHECK_FALSE(w.row(im, w.ra)->unread);
    CHECK(w.row(im, w.ra)->status == "answered");
    CHECK(im[0].id == w.ra);  // newest activity first, read or not
    InboxQuery unread;
    unread.unread = true;
    auto page = w.store->inbox_page(w.m, unread);
    REQUIRE(page.rows.size() == 1);  // the unread filter: only rb
    CHECK(page.rows[0].id == w.rb);
    CHECK(page.total == 1);
    CHECK(page.unread == 1);
    CHECK(w.store->inbox(w.a)[0].unread);
    CHECK(w.store->inbox(w.a)[0].status == "answered");
    w.store->mark_read(w.a, w.ca, 0, 6000);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
}

// After a post, the author's unread flag still counts the other conversations of the
// request they see (the buyer sees every seller's), not only the one they wrote in.
TEST_CASE("store: after my own post my row stays unread for another conversation", "[store]") {
    World w;
    const int64_t d = w.store->add_user(make_user("Dina", "distributor", w.m));
    const int64_t cd = w.store->add_conversation(w.ra, d, "routed", w.ca, 1500).first;
    w.store->mark_read(w.a, w.ca, 0, 1600);
    w.store->post_message(cd, d, "Our distributor price", "d1", 2000);
    CHECK(w.store->inbox(w.a)[0].unread);  // the buyer sees both conversations
    // The buyer answers the manufacturer: the distributor's message is still unread.
    auto mine = w.store->post_message(w.ca, w.a, "Gracias, espero su oferta", "a1", 3000);
    REQUIRE(mine.created);
    auto row = w.store->inbox(w.a)[0];
    CHECK(row.unread);
    CHECK(row.message_count == 2);
    CHECK(row.last_activity == 3000);
    CHECK(w.row(w.store->inbox(w.m), w.ra)->unread);
    // Read, then a post of my own: nothing unread any more.
    w.store->mark_read(w.a, cd, 0, 3100);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
    auto again = w.store->post_message(cd, w.a, "Y a usted", "a2", 3200);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
    CHECK(w.store->inbox(w.a)[0].message_count == 3);
    // The distributor's row: unread after the buyer's post, read after their own.
    REQUIRE(w.row(w.store->inbox(d), w.ra));
    CHECK(w.row(w.store->inbox(d), w.ra)->unread);
    w.store->post_message(cd, d, "Price attached", "d2", 3400);
    CHECK_FALSE(w.row(w.store->inbox(d), w.ra)->unread);
    CHECK(w.store->inbox(w.a)[0].unread);
}

TEST_CASE("store: request data lists messages newest first with authors", "[store]") {
    World w;
    w.store->post_message(w.ca, w.a, "first", "k1", 10);
    w.store->post_message(w.ca, w.m, "second", "k2", 20);
    auto d = w.store->request_data(w.ra);
    REQUIRE(d);
    CHECK(d->buyer.name == "Alice");
    CHECK(d->manufacturer.name == "Maker");
    CHECK(d->request.product == "Pump");
    REQUIRE(d->messages.size() == 2);
    CHECK(d->messages[0].body == "second");
    CHECK(d->messages[0].author_role == "manufacturer");
    CHECK(d->messages[0].conversation_id == w.ca);
    CHECK(d->messages[1].author_name == "Alice");
    CHECK_FALSE(w.store->request_data(9999));
    CHECK_FALSE(w.store->facts(9999));
    // Facts agree with the data.
    auto f = w.store->facts(w.ra);
    REQUIRE(f);
    REQUIRE(f->conversations.size() == 1);
    CHECK(f->root() == w.ca);
    CHECK(f->conversations[0].seller_replied);
    CHECK(f->conversations[0].members == std::vector<int64_t>{w.m});
    CHECK(d->facts().conversations[0].seller_replied);
    CHECK_FALSE(w.store->facts(w.rb)->conversations[0].seller_replied);
}

TEST_CASE("store: idempotent message posts, per conversation", "[store]") {
    World w;
    auto p1 = w.store->post_message(w.ca, w.a, "hello", "same-key", 100);
    REQUIRE(p1.created);
    REQUIRE(p1.events.size() == 1);  // a buyer message: no "answered"
    CHECK(p1.events[0].event.kind == "message");
    CHECK(p1.events[0].event.message_id == p1.message.id);
    CHECK(p1.events[0].event.conversation_id == w.ca);
    auto p2 = w.store->post_message(w.ca, w.a, "hello again", "same-key", 200);
    CHECK_FALSE(p2.created);
    CHECK(p2.events.empty());
    CHECK(p2.message.id == p1.message.id);
    CHECK(p2.message.body == "hello");
    CHECK(w.store->request_data(w.ra)->messages.size() == 1);
    // The same key from another user is another message (the first seller reply: "answered").
    auto p3 = w.store->post_message(w.ca, w.m, "reply", "same-key", 300);
    CHECK(p3.created);
    REQUIRE(p3.events.size() == 2);
    CHECK(p3.events[0].event.kind == "message");
    CHECK(p3.events[1].event.kind == "answered");
    CHECK(p3.events[1].audience == Audience::sellers);
    CHECK(w.store->post_message(w.ca, w.m, "more", "k-more", 310).events.size() == 1);  // not first any more
    // The same key for another request is a conflict, not a post.
    auto p4 = w.store->post_message(w.cb, w.a, "x", "same-key", 400);
    CHECK(p4.key_conflict);
    CHECK_FALSE(p4.created);
    CHECK(w.store->request_data(w.rb)->messages.empty());

    // Two conversations of one request: a key used in one is a conflict in the other.
    int64_t d = w.store->add_user(make_user("Dist", "distributor", w.m));
    int64_t cc = w.store->add_user(make_user("Colleague", "area_manager", w.m));
    auto [cd, created] = w.store->add_conversation(w.ra, d, "forwarded", w.ca, 500);
    REQUIRE(created);
    CHECK(w.store->add_conversation(w.ra, d, "forwarded", w.ca, 501) == std::pair<int64_t, bool>{cd, false});
    REQUIRE(w.store->add_participant(w.ca, cc, "cc", w.m, 510));
    REQUIRE(w.store->add_participant(cd, cc, "cc", d, 511));
    CHECK_FALSE(w.store->add_participant(cd, cc, "cc", d, 512));  // already there
    auto q1 = w.store->post_message(w.ca, cc, "from the copy", "cc-key", 600);
    REQUIRE(q1.created);
    auto q2 = w.store->post_message(cd, cc, "same key, other conversation", "cc-key", 610);
    CHECK(q2.key_conflict);
    CHECK_FALSE(q2.created);
    auto q3 = w.store->post_message(w.ca, cc, "retry", "cc-key", 620);
    CHECK_FALSE(q3.created);
    CHECK_FALSE(q3.key_conflict);
    CHECK(q3.message.id == q1.message.id);
    // The buyer's key is per user too: the same key in the distributor's conversation is a conflict.
    CHECK(w.store->post_message(cd, w.a, "x", "same-key", 630).key_conflict);
    // Messages of the distributor's conversation stay in it.
    auto p5 = w.store->post_message(cd, d, "distributor here", "d1", 700);
    REQUIRE(p5.created);
    CHECK(p5.message.conversation_id == cd);
    CHECK(p5.message.request_id == w.ra);
    REQUIRE(p5.events.size() == 2);  // first seller message of that conversation
    CHECK(p5.events[1].event.kind == "answered");
    CHECK(p5.events[1].event.conversation_id == cd);
    // A message to a conversation that does not exist is a store error.
    CHECK_THROWS_AS(w.store->post_message(99999, w.a, "x", "nope", 800), StoreError);
}

TEST_CASE("store: read marks move forward only and emit events when they move", "[store]") {
    World w;
    CHECK_FALSE(w.store->read_mark(w.m, w.ca));
    auto r1 = w.store->mark_read(w.m, w.ca, 0, 10);
    CHECK(r1.moved);
    CHECK(r1.event.event.kind == "read");
    CHECK(r1.event.event.conversation_id == w.ca);
    CHECK(*w.store->read_mark(w.m, w.ca) == 0);
    CHECK_FALSE(w.store->mark_read(w.m, w.ca, 0, 11).moved);  // nothing new

    auto p = w.store->post_message(w.ca, w.a, "hi", "k", 20);
    CHECK(*w.store->read_mark(w.a, w.ca) == p.message.id);  // author has read own message
    auto p2 = w.store->post_message(w.ca, w.a, "hi again", "k2", 25);
    // Up to a given message only (what was actually displayed).
    auto r2 = w.store->mark_read(w.m, w.ca, p.message.id, 30);
    CHECK(r2.moved);
    CHECK(r2.event.event.message_id == p.message.id);
    CHECK(*w.store->read_mark(w.m, w.ca) == p.message.id);
    CHECK_FALSE(w.store->mark_read(w.m, w.ca, p.message.id, 35).moved);
    // Never past the newest message, never backwards.
    auto r3 = w.store->mark_read(w.m, w.ca, p2.message.id + 1000, 40);
    CHECK(r3.moved);
    CHECK(*w.store->read_mark(w.m, w.ca) == p2.message.id);
    CHECK_FALSE(w.store->mark_read(w.m, w.ca, p.message.id, 50).moved);
    CHECK(*w.store->read_mark(w.m, w.ca) == p2.message.id);
    CHECK_FALSE(w.store->mark_read(w.m, w.ca, 0, 60).moved);
    // Marks are per conversation.
    CHECK_FALSE(w.store->read_mark(w.m, w.cb));
}

TEST_CASE("store: events after N are filtered by visibility", "[store]") {
    World w;
    CHECK(w.store->max_event_id() == 0);
    auto e1 = w.store->post_message(w.ca, w.a, "a1", "k1", 1).events.at(0).event;
    auto e2 = w.store->post_message(w.cb, w.b, "b1", "k2", 2).events.at(0).event;
    auto e3 = w.store->mark_read(w.m, w.ca, 0, 3).event.event;
    CHECK(w.store->max_event_id() == e3.id);

    auto all = w.store->events_for_user(w.m, 0, 100);
    REQUIRE(all.size() == 3);
    CHECK(all[0].event.id == e1.id);
    CHECK(all[2].event.id == e3.id);

    auto for_a = w.store->events_for_user(w.a, 0, 100);
    REQUIRE(for_a.size() == 2);
    CHECK(for_a[0].event.id == e1.id);
    CHECK(for_a[1].event.id == e3.id);
    CHECK(for_a[1].event.kind == "read");

    auto for_b = w.store->events_for_user(w.b, 0, 100);
    REQUIRE(for_b.size() == 1);
    CHECK(for_b[0].event.id == e2.id);
    CHECK(w.store->events_for_user(w.b, e2.id, 100).empty());

    CHECK(w.store->events_for_user(w.m, e1.id, 100).size() == 2);
    CHECK(w.store->events_for_user(w.m, 0, 1).size() == 1);

    // Events keep their audience and extra fields.
    EventRecord e;
    e.event.request_id = w.ra;
    e.event.conversation_id = w.ca;
    e.event.kind = "phone_revealed";
    e.event.actor_id = w.m;
    e.event.target_id = w.a;
    e.event.target_name = "Alice";
    e.event.text = "t";
    e.event.value = 3;
    e.event.created = 4;
    e.audience = Audience::conversation_sellers;
    Event stored = w.store->add_event(e);
    CHECK(stored.id == e3.id + 1);
    CHECK(stored.actor_name == "Maker");
    CHECK(stored.actor_role == "manufacturer");
    auto back = w.store->events_for_user(w.m, e3.id, 100);
    REQUIRE(back.size() == 1);
    CHECK(back[0].audience == Audience::conversation_sellers);
    CHECK(back[0].event.target_name == "Alice");
    CHECK(back[0].event.value == 3);
    // The store returns candidates; the policy decides (the buyer gets it as a candidate).
    CHECK(w.store->events_for_user(w.a, e3.id, 100).size() == 1);
    // An unrelated user is linked to nothing.
    int64_t x = w.store->add_user(make_user("Stranger", "distributor"));
    CHECK(w.store->events_for_user(x, 0, 100).empty());
    CHECK(w.store->inbox(x).empty());
}

TEST_CASE("store: demo seed", "[store]") {
    TempDb db;
    auto s = std::move(db.open().main);
    const Millis now = 1'700'000'000'000;
    REQUIRE(seed_demo(*s, now));
    REQUIRE_FALSE(seed_demo(*s, now));  // only into an empty database

    auto users = s->users();
    REQUIRE(users.size() >= 20);
    CHECK(users[0].role == "manufacturer");
    auto inbox = s->inbox(users[0].id);
    CHECK(inbox.size() >= 20);
    int unread = 0, long_threads = 0;
    for (const auto& r : inbox) {
        unread += r.unread;
        CHECK(r.created <= now);
        CHECK(r.created >= now - 22LL * 24 * 3600 * 1000);
        if (r.message_count == 50) {
            ++long_threads;
            CHECK(r.product == kDemoLongThreadProduct);
        }
    }
    CHECK(long_threads == 1);
    CHECK(unread > static_cast<int>(inbox.size()) / 2);       // most unread
    CHECK(unread < static_cast<int>(inbox.size()));           // some read
    // Each buyer sees exactly their own request.
    for (const auto& u : users)
        if (u.role == "buyer") CHECK(s->inbox(u.id).size() == 1);
    // The network: an area manager and two distributors, each with routed requests.
    auto net = s->network(users[0].id);
    REQUIRE(net.size() == 3);
    for (const auto& m : net) {
        CHECK(m.user.org_id == users[0].id);
        CHECK_FALSE(m.zones.empty());
        CHECK_FALSE(s->inbox(m.user.id).empty());
    }
    // Every request has exactly one "received" conversation, first.
    for (const auto& r : inbox) {
        auto d = s->request_data(r.id);
        REQUIRE(d);
        REQUIRE_FALSE(d->conversations.empty());
        CHECK(d->conversations[0].origin == "received");
        int received = 0;
        for (const auto& c : d->conversations) received += c.origin == "received";
        CHECK(received == 1);
    }
}

