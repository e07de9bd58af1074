// The SQLite store's own schema: migrations from released versions, the version number,
// what the schema enforces. The behaviour behind the interface is tested in test_store.cpp.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"
#include "server/store/sqlite/store.h"
#include "tests/unit/server/store_fixture.h"
#include "tests/unit/server/store_world.h"

// These test the SQLite implementation itself: a SQLite file also when the suite runs on
// PostgreSQL (PARLEY_TEST_STORE_URL), said in the output then.
#define SQLITE_FILE(name)                                                                     \
    if (!testing::test_store_url().empty())                                                   \
        WARN("SQLite-specific test: runs on a SQLite file, not on PARLEY_TEST_STORE_URL");     \
    testing::TempStore name("store", true)

using namespace parley;
using namespace parley::server;

TEST_CASE("store (SQLite): a new database is at the latest schema version, also when reopened", "[store]") {
    SQLITE_FILE(db);
    {
        auto s = open_sqlite_store(db.location);
        CHECK(s->schema_version() == 20);
        CHECK(s->empty());
    }
    CHECK(open_sqlite_store(db.location)->schema_version() == 20);
    SqliteDb raw(db.location);
    CHECK(raw.user_version() == 20);
}

TEST_CASE("store (SQLite): migration from schema v3 carries requests, messages, events and read marks over", "[store]") {
    SQLITE_FILE(db);
    // A version-3 database written with the released DDL (migrations 1 to 3, verbatim).
    {
        SqliteDb v3(db.location);
        v3.exec(R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('buyer', 'manufacturer')),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '');
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  buyer_id INTEGER NOT NULL REFERENCES users(id),
  manufacturer_id INTEGER NOT NULL REFERENCES users(id),
  product TEXT NOT NULL,
  message TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE TABLE reads(
  user_id INTEGER NOT NULL REFERENCES users(id),
  request_id INTEGER NOT NULL REFERENCES requests(id),
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, request_id)) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  kind TEXT NOT NULL,
  message_id INTEGER NOT NULL DEFAULT 0,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL);
CREATE TABLE magic_links(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE idempotency(
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  message_id INTEGER NOT NULL REFERENCES messages(id),
  UNIQUE (user_id, key));
CREATE INDEX requests_buyer ON requests(buyer_id);
CREATE INDEX requests_manufacturer ON requests(manufacturer_id);
CREATE INDEX messages_request ON messages(request_id, id);
CREATE INDEX events_request ON events(request_id, id);
ALTER TABLE magic_links ADD COLUMN reusable INTEGER NOT NULL DEFAULT 0;
PRAGMA user_version=3;
)sql");
        v3.exec(R"sql(
PRAGMA foreign_keys=ON;
INSERT INTO users(id, name, role, email, phone) VALUES
  (1, 'Maker', 'manufacturer', 'maker@example.com', '+34 1'),
  (2, 'Alice', 'buyer', 'alice@example.com', '+34 2'),
  (3, 'Bob', 'buyer', 'bob@example.com', '+34 3');
INSERT INTO requests(id, buyer_id, manufacturer_id, product, message, country, language, created) VALUES
  (10, 2, 1, 'Pump', 'Need pumps', 'ES', 'es', 1000),
  (11, 3, 1, 'Valve', 'Need valves', 'FR', 'fr', 1500);
INSERT INTO messages(id, request_id, author_id, body, created) VALUES
  (100, 10, 2, 'hello', 2000),
  (101, 10, 1, 'hi Alice', 3000),
  (102, 10, 2, 'thanks', 4000),
  (103, 11, 1, 'hi Bob', 5000);
INSERT INTO reads(user_id, request_id, last_read_message_id, read_at) VALUES
  (1, 10, 100, 2500), (2, 10, 102, 4000), (1, 11, 103, 5000), (3, 11, 103, 5500);
INSERT INTO events(id, request_id, kind, message_id, actor_id, created) VALUES
  (1, 10, 'message', 100, 2, 2000),
  (2, 10, 'read', 100, 1, 2500),
  (3, 10, 'message', 101, 1, 3000),
  (4, 10, 'message', 102, 2, 4000),
  (5, 11, 'message', 103, 1, 5000),
  (6, 11, 'read', 103, 3, 5500);
INSERT INTO idempotency(user_id, key, request_id, message_id) VALUES (2, 'old-key', 10, 102);
INSERT INTO magic_links(token_hash, user_id, expires, reusable) VALUES ('h', 1, 99999, 1);
INSERT INTO sessions(token_hash, user_id, created, expires) VALUES ('s', 2, 1, 99999);
)sql");
        REQUIRE(v3.user_version() == 3);
    }

    auto s = open_sqlite_store(db.location);
    REQUIRE(s->schema_version() == 20);

    // Users kept their ids and fields; the manufacturer is its own organisation.
    auto maker = s->user(1);
    REQUIRE(maker);
    CHECK(maker->name == "Maker");
    CHECK(maker->phone == "+34 1");
    CHECK(maker->org_id == 1);
    CHECK(s->user(2)->org_id == 0);
    CHECK(s->user_by_email("alice@example.com")->id == 2);

    // Each request became exactly one "received" conversation with its manufacturer.
    auto d = s->request_data(10);
    REQUIRE(d);
    REQUIRE(d->conversations.size() == 1);
    const ConversationRecord& c = d->conversations[0];
    CHECK(c.origin == "received");
    CHECK(c.seller_id == 1);
    CHECK(c.parent_id == 0);
    CHECK(c.status == "open");
    CHECK(c.created == 1000);
    REQUIRE(d->participants.size() == 1);
    CHECK(d->participants[0].user.id == 1);
    CHECK(d->participants[0].via == "owner");
    CHECK(d->buyer.name == "Alice");
    CHECK(d->manufacturer.name == "Maker");

    // Messages moved into it, in order, with their authors.
    REQUIRE(d->messages.size() == 3);
    CHECK(d->messages[0].id == 102);
    CHECK(d->messages[2].id == 100);
    for (const auto& m : d->messages) CHECK(m.conversation_id == c.id);
    CHECK(d->messages[1].author_role == "manufacturer");

    // Events: the non-message one is in the request data, all of them belong to the
    // conversation with the conversation audience.
    REQUIRE(d->events.size() == 1);
    CHECK(d->events[0].event.kind == "read");
    CHECK(d->events[0].event.id == 2);
    CHECK(d->events[0].event.conversation_id == c.id);
    CHECK(d->events[0].audience == Audience::conversation);
    auto all = s->events_for_user(1, 0, 100);
    REQUIRE(all.size() == 6);
    for (const auto& e : all) {
        CHECK(e.audience == Audience::conversation);
        CHECK(e.event.conversation_id > 0);
    }
    CHECK(s->max_event_id() == 6);
    CHECK(s->events_for_user(2, 0, 100).size() == 4);  // Alice: her request only

    // Read marks carried over per conversation.
    CHECK(s->read_mark(1, c.id) == 100);
    CHECK(s->read_mark(2, c.id) == 102);
    auto c11 = s->request_data(11)->conversations.at(0).id;
    CHECK(c11 != c.id);
    CHECK(s->read_mark(3, c11) == 103);
    CHECK(s->read_mark(1, c11) == 103);
    CHECK_FALSE(s->read_mark(2, c11));
    // ...so the inbox still knows what is read.
    auto inbox = s->inbox(1);
    REQUIRE(inbox.size() == 2);
    for (const auto& r : inbox) {
        if (r.id == 10) {
            CHECK(r.unread);  // Alice's "thanks" (102) is past the mark (100)
            CHECK(r.message_count == 3);
            CHECK(r.status == "answered");
        } else {
            CHECK_FALSE(r.unread);  // own message, and the request was opened
            CHECK(r.status == "answered");
        }
    }
    CHECK_FALSE(s->inbox(2).at(0).unread);
    // ...and search finds what was written before its index existed.
    auto found = s->search(1, "valves", InboxQuery{}, 0, 10);
    REQUIRE(found.size() == 1);
    CHECK(found[0].request.id == 11);

    // The old idempotency key still replays (same conversation) and nothing duplicates.
    auto replay = s->post_message(c.id, 2, "thanks", "old-key", 9000);
    CHECK_FALSE(replay.created);
    CHECK_FALSE(replay.key_conflict);
    CHECK(replay.message.id == 102);
    // Auth rows survived.
    CHECK(s->use_magic_link("h", 10) == 1);
    CHECK(s->session("s", 10)->user_id == 2);
    CHECK(s->session("s", 10)->request_id == 0);  // sessions from before scoped ones open the whole account

    // Foreign keys: still enforced against the rebuilt users table, and consistent.
    CHECK_THROWS_AS(s->add_message(c.id, 999, "ghost", 9500), StoreError);
    CHECK(s->add_message(c.id, 1, "after migration", 9600).conversation_id == c.id);
    s.reset();
    SqliteDb raw(db.location);
    {
        auto check = raw.stmt("PRAGMA foreign_key_check");
        CHECK_FALSE(check.step());
    }
    {
        // Every reference to users points at the table called users (not users_v4).
        auto refs = raw.stmt("SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%users_v4%'");
        refs.step();
        CHECK(refs.i64(0) == 0);
        auto gone = raw.stmt("SELECT COUNT(*) FROM sqlite_master WHERE name = 'reads'");
        gone.step();
        CHECK(gone.i64(0) == 0);
    }
}

// Runs `b_write` on a thread while `a` holds a write transaction, then commits a's and
// joins. Returns whether b_write was still waiting 50 ms into a's transaction; `failed`
// tells whether it threw (SQLITE_BUSY: it met a's lock in SQLite, not the process's turn).
static bool waits_for_a(SqliteDb& a, const std::function<void()>& b_write, bool& failed) {
    std::atomic<bool> done{false}, threw{false};
    bool waited = false;
    std::thread other;
    {
        SqliteDb::Tx tx(a);
        a.stmt("INSERT INTO turns(who) VALUES('a')").run();
        other = std::thread([&] {
            try {
                b_write();
                done = true;
            } catch (const StoreError&) {
                threw = true;
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        waited = !done && !threw;
        tx.commit();
    }
    other.join();
    failed = threw;
    return waited;
}

// Who wrote the rows of `turns`, in order.
static std::string writers(SqliteDb& db) {
    auto s = db.stmt("SELECT group_concat(who, '') FROM (SELECT who FROM turns ORDER BY rowid)");
    return s.step() ? s.text(0) : "";
}

TEST_CASE("store (SQLite): two connections of the process take turns to write, the second woken by the first's commit",
          "[store]") {
    SQLITE_FILE(db);
    { auto s = open_sqlite_store(db.location); }
    SqliteDb a(db.location), b(db.location);
    a.exec("CREATE TABLE turns(who TEXT)");
    // No busy handler on b: if it met a's write lock in SQLite it would fail at once.
    b.exec("PRAGMA busy_timeout=0");
    bool failed = false;
    CHECK(waits_for_a(a, [&] {
        SqliteDb::Tx tb(b);  // waits for a's commit, in the process, not in SQLite
        b.stmt("INSERT INTO turns(who) VALUES('b')").run();
        tb.commit();
    }, failed));
    CHECK_FALSE(failed);
    CHECK(writers(a) == "ab");
}

TEST_CASE("store (SQLite): a statement that writes outside a transaction takes its turn like one (a dispatcher's cursor "
          "update never meets SQLite's busy handler)",
          "[store]") {
    SQLITE_FILE(db);
    { auto s = open_sqlite_store(db.location); }
    SqliteDb a(db.location), b(db.location);
    a.exec("CREATE TABLE turns(who TEXT)");
    b.exec("PRAGMA busy_timeout=0");  // b would fail at once if it met a's lock in SQLite
    bool failed = false;
    CHECK(waits_for_a(a, [&] { b.stmt("INSERT INTO turns(who) VALUES('b')").run(); }, failed));  // autocommit
    CHECK_FALSE(failed);
    // A read outside a transaction does not wait for a writer (WAL).
    {
        SqliteDb::Tx tx(a);
        a.stmt("INSERT INTO turns(who) VALUES('a')").run();
        std::atomic<bool> read{false};
        std::thread reader([&] {
            auto s = b.stmt("SELECT count(*) FROM turns");
            if (s.step() && s.i64(0) == 2) read = true;
        });
        reader.join();  // would hang here if reads took the turn
        CHECK(read);
        tx.commit();
    }
    CHECK(writers(a) == "aba");
}

TEST_CASE("store (SQLite): posting, a thread, inbox pages and search compile no statement again (no plan depends on a "
          "bound value)",
          "[store]") {
    SQLITE_FILE(db);
    auto store = open_sqlite_store(db.location);
    auto* sq = dynamic_cast<SqliteStore*>(store.get());
    REQUIRE(sq);
    const int64_t m = store->add_user(testing::make_user("Maker", "manufacturer"));
    const int64_t a = store->add_user(testing::make_user("Alice", "buyer"));
    RequestRecord r{0, a, m, "Pump", "Need pumps", "ES", "es", 1000};
    const int64_t c = testing::open(*store, r);
    const int64_t before = sq->statement_reprepares();  // the migrations' own checks
    for (int i = 0; i < 5; ++i) {
        auto p = store->post_message(c, i % 2 ? m : a, "message " + std::to_string(i), "key-" + std::to_string(i),
                                     2000 + i);
        REQUIRE(p.created);
    }
    REQUIRE(store->request_data(r.id));
    CHECK(store->inbox(m).size() == 1);
    // The inbox's pages with each filter, and search, twice each (a recompile shows on the
    // second run).
    for (int round = 0; round < 2; ++round) {
        for (const char* status : {"", "to_answer", "answered"}) {
            InboxQuery q;
            q.status = status;
            q.country = round ? "ES" : "";
            q.handler = round ? 0 : -1;
            q.unread = round == 1;
            store->inbox_page(m, q);
            store->inbox_page(a, q);
        }
        CHECK(store->search(m, "message", InboxQuery{}, 0, 10).size() == 1);
    }
    // SQLite compiles a statement again at each run when a bound value may change its
    // plan: a cost on every post, inside the write.
    CHECK(sq->statement_reprepares() == before);
}
