// Store (SQLite) tests on a temporary database file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "server/seed.h"
#include "server/store.h"

using namespace parley;
using namespace parley::server;

namespace {

// A fresh database path, removed (with its WAL files) at the end of the test.
struct TempDb {
    std::filesystem::path path;
    TempDb() {
        static std::atomic<int> n{0};
        path = std::filesystem::temp_directory_path() /
               ("parley-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".db");
        cleanup();
    }
    ~TempDb() { cleanup(); }
    void cleanup() {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix, ec);
    }
};

UserRecord make_user(const std::string& name, const std::string& role) {
    UserRecord u;
    u.name = name;
    u.company = name + " Co";
    u.country = "Spain";
    u.language = "es";
    u.role = role;
    u.email = name + "@example.com";
    return u;
}

// Manufacturer M, buyers A and B, each buyer with one request to M.
struct World {
    TempDb db;
    std::unique_ptr<Store> store = open_sqlite_store(db.path.string());
    int64_t m = 0, a = 0, b = 0, ra = 0, rb = 0;
    World() {
        m = store->add_user(make_user("Maker", "manufacturer"));
        a = store->add_user(make_user("Alice", "buyer"));
        b = store->add_user(make_user("Bob", "buyer"));
        ra = store->add_request(RequestRecord{0, a, m, "Pump", "Need pumps", "Spain", "es", 1000});
        rb = store->add_request(RequestRecord{0, b, m, "Valve", "Need valves", "France", "fr", 2000});
    }
    const RequestSummary* row(const std::vector<RequestSummary>& inbox, int64_t id) {
        for (const auto& r : inbox)
            if (r.id == id) return &r;
        return nullptr;
    }
};

}  // namespace

TEST_CASE("store: migrations create the schema once and data survives reopening", "[store]") {
    TempDb db;
    int64_t uid = 0;
    {
        auto s = open_sqlite_store(db.path.string());
        REQUIRE(s->schema_version() >= 3);
        REQUIRE(s->empty());
        uid = s->add_user(make_user("Maker", "manufacturer"));
        REQUIRE_FALSE(s->empty());
    }
    auto s = open_sqlite_store(db.path.string());
    REQUIRE(s->schema_version() >= 3);
    auto u = s->user(uid);
    REQUIRE(u);
    CHECK(u->name == "Maker");
    CHECK(u->email == "Maker@example.com");
    CHECK(u->to_wire().role == "manufacturer");
}

TEST_CASE("store: users are validated by the schema", "[store]") {
    TempDb db;
    auto s = open_sqlite_store(db.path.string());
    CHECK_THROWS_AS(s->add_user(make_user("X", "admin")), StoreError);
    // foreign keys are enforced
    CHECK_THROWS_AS(s->add_request(RequestRecord{0, 42, 43, "p", "m", "", "", 1}), StoreError);
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
    CHECK(ia[0].snippet == "Need pumps");
    CHECK(ia[0].message_count == 0);
}

TEST_CASE("store: inbox unread rules and order", "[store]") {
    World w;
    // New requests are unread for the manufacturer, not for the buyer who sent them.
    auto im = w.store->inbox(w.m);
    CHECK(w.row(im, w.ra)->unread);
    CHECK(w.row(im, w.rb)->unread);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
    // Newest activity first among equals: rb (created 2000) before ra (1000).
    CHECK(im[0].id == w.rb);

    // Manufacturer opens ra: it becomes read and goes after the unread rb.
    auto r = w.store->mark_read(w.m, w.ra, 3000);
    CHECK(r.moved);
    im = w.store->inbox(w.m);
    CHECK_FALSE(w.row(im, w.ra)->unread);
    CHECK(im[0].id == w.rb);

    // Buyer A writes on ra: unread again for the manufacturer, newest activity, still
    // read for A (the author).
    w.store->post_message(w.ra, w.a, "Any news?", "k1", 4000);
    im = w.store->inbox(w.m);
    CHECK(w.row(im, w.ra)->unread);
    CHECK(w.row(im, w.ra)->last_activity == 4000);
    CHECK(w.row(im, w.ra)->snippet == "Any news?");
    CHECK(w.row(im, w.ra)->message_count == 1);
    CHECK(im[0].id == w.ra);  // both unread; ra is newer
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);

    // The manufacturer answers: read for them, unread for A.
    w.store->post_message(w.ra, w.m, "Tomorrow.", "k2", 5000);
    im = w.store->inbox(w.m);
    CHECK_FALSE(w.row(im, w.ra)->unread);
    CHECK(im[0].id == w.rb);  // unread first
    CHECK(w.store->inbox(w.a)[0].unread);
    w.store->mark_read(w.a, w.ra, 6000);
    CHECK_FALSE(w.store->inbox(w.a)[0].unread);
}

TEST_CASE("store: thread detail lists messages newest first with authors", "[store]") {
    World w;
    w.store->post_message(w.ra, w.a, "first", "k1", 10);
    w.store->post_message(w.ra, w.m, "second", "k2", 20);
    auto d = w.store->detail(w.ra);
    REQUIRE(d);
    CHECK(d->buyer.name == "Alice");
    CHECK(d->manufacturer_name == "Maker");
    CHECK(d->product == "Pump");
    REQUIRE(d->messages.size() == 2);
    CHECK(d->messages[0].body == "second");
    CHECK(d->messages[0].author_role == "manufacturer");
    CHECK(d->messages[1].author_name == "Alice");
    CHECK_FALSE(w.store->detail(9999));
}

TEST_CASE("store: idempotent message posts", "[store]") {
    World w;
    auto p1 = w.store->post_message(w.ra, w.a, "hello", "same-key", 100);
    REQUIRE(p1.created);
    CHECK(p1.event.kind == "message");
    CHECK(p1.event.message_id == p1.message.id);
    auto p2 = w.store->post_message(w.ra, w.a, "hello again", "same-key", 200);
    CHECK_FALSE(p2.created);
    CHECK(p2.message.id == p1.message.id);
    CHECK(p2.message.body == "hello");
    CHECK(w.store->detail(w.ra)->messages.size() == 1);
    // The same key from another user is another message.
    auto p3 = w.store->post_message(w.ra, w.m, "reply", "same-key", 300);
    CHECK(p3.created);
    // The same key for another request is a conflict, not a post.
    auto p4 = w.store->post_message(w.rb, w.a, "x", "same-key", 400);
    CHECK(p4.key_conflict);
    CHECK_FALSE(p4.created);
    CHECK(w.store->detail(w.rb)->messages.empty());
}

TEST_CASE("store: read marks move forward only and emit events when they move", "[store]") {
    World w;
    CHECK_FALSE(w.store->read_mark(w.m, w.ra));
    auto r1 = w.store->mark_read(w.m, w.ra, 10);
    CHECK(r1.moved);
    CHECK(r1.event.kind == "read");
    CHECK(*w.store->read_mark(w.m, w.ra) == 0);
    CHECK_FALSE(w.store->mark_read(w.m, w.ra, 11).moved);  // nothing new

    auto p = w.store->post_message(w.ra, w.a, "hi", "k", 20);
    CHECK(*w.store->read_mark(w.a, w.ra) == p.message.id);  // author has read own message
    auto r2 = w.store->mark_read(w.m, w.ra, 30);
    CHECK(r2.moved);
    CHECK(r2.event.message_id == p.message.id);
    CHECK(*w.store->read_mark(w.m, w.ra) == p.message.id);
    CHECK_FALSE(w.store->mark_read(w.m, w.ra, 40).moved);
}

TEST_CASE("store: events after N are filtered by visibility", "[store]") {
    World w;
    CHECK(w.store->max_event_id() == 0);
    auto e1 = w.store->post_message(w.ra, w.a, "a1", "k1", 1).event;
    auto e2 = w.store->post_message(w.rb, w.b, "b1", "k2", 2).event;
    auto e3 = w.store->mark_read(w.m, w.ra, 3).event;
    CHECK(w.store->max_event_id() == e3.id);

    auto all = w.store->events_for_user(w.m, 0, 100);
    REQUIRE(all.size() == 3);
    CHECK(all[0].id == e1.id);
    CHECK(all[2].id == e3.id);

    auto for_a = w.store->events_for_user(w.a, 0, 100);
    REQUIRE(for_a.size() == 2);
    CHECK(for_a[0].id == e1.id);
    CHECK(for_a[1].id == e3.id);
    CHECK(for_a[1].kind == "read");

    auto for_b = w.store->events_for_user(w.b, 0, 100);
    REQUIRE(for_b.size() == 1);
    CHECK(for_b[0].id == e2.id);
    CHECK(w.store->events_for_user(w.b, e2.id, 100).empty());

    CHECK(w.store->events_for_user(w.m, e1.id, 100).size() == 2);
    CHECK(w.store->events_for_user(w.m, 0, 1).size() == 1);
}

TEST_CASE("store: magic links and sessions", "[store]") {
    World w;
    w.store->add_magic_link("once", w.a, 1000, false);
    w.store->add_magic_link("many", w.b, 1000, true);
    w.store->add_magic_link("old", w.m, 500, true);

    CHECK(w.store->use_magic_link("once", 10) == w.a);
    CHECK_FALSE(w.store->use_magic_link("once", 11));  // single use
    CHECK(w.store->use_magic_link("many", 10) == w.b);
    CHECK(w.store->use_magic_link("many", 20) == w.b);  // reusable
    CHECK_FALSE(w.store->use_magic_link("many", 1000));  // expired
    CHECK_FALSE(w.store->use_magic_link("nope", 10));

    w.store->add_session("s1", w.a, 10, 100);
    auto s = w.store->session("s1", 50);
    REQUIRE(s);
    CHECK(s->user_id == w.a);
    CHECK_FALSE(w.store->session("s1", 100));  // expired
    w.store->delete_session("s1");
    CHECK_FALSE(w.store->session("s1", 50));

    w.store->add_session("s2", w.b, 10, 700);
    w.store->purge_expired(600);
    CHECK_FALSE(w.store->use_magic_link("old", 10));  // purged
    CHECK(w.store->session("s2", 50));
    w.store->purge_expired(700);
    CHECK_FALSE(w.store->session("s2", 50));
}

TEST_CASE("store: demo seed", "[store]") {
    TempDb db;
    auto s = open_sqlite_store(db.path.string());
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
}
