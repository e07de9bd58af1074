// The main PostgreSQL store (server/store/pg/store.h) where its guarantees differ in kind
// from SQLite's one process: several instances (each with its own pool) on one database,
// many threads at once — one message per idempotency key, inbox rows exact under
// concurrent posts into one request, quote numbers without gap or
// duplicate, a single-use sign-in link redeemed once, read marks only forward; a
// transaction(fn) that every call of its thread joins; and search with PostgreSQL's own
// means (accents, CJK substrings, visibility). On the server of PARLEY_TEST_PG_URL (the
// rest of the store's behaviour: the whole suite with PARLEY_TEST_STORE_URL).
#include "tests/unit/server/email_store_kit.h"

#if PARLEY_WITH_POSTGRES
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "server/domain/workflow.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

namespace {

// A migrated schema and `instances` stores on it, as that many processes would have.
struct PgWorld {
    PgTestSchema schema;
    std::vector<std::unique_ptr<Store>> stores;
    int64_t m = 0, a = 0, request = 0, conversation = 0;
    PgWorld(const std::string& base, int instances) : schema(base) {
        for (int i = 0; i < instances; ++i) stores.push_back(pg::open_pg_store(schema.url, 4));
        Store& s = *stores[0];
        m = s.add_user(make_user("Maker", "manufacturer"));
        a = s.add_user(make_user("Alice", "buyer"));
        RequestRecord r{0, a, m, "Pump", "Need pumps", "ES", "es", 1000};
        conversation = open(s, r);
        request = r.id;
    }
    Store& at(int i) { return *stores[static_cast<size_t>(i) % stores.size()]; }
};

// Runs fn(i) on `n` threads started together.
void together(int n, const std::function<void(int)>& fn) {
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            ++ready;
            while (ready.load() < n) std::this_thread::yield();
            fn(i);
        });
    for (auto& t : threads) t.join();
}

}  // namespace

TEST_CASE("postgres store: one idempotency key posted at once by two instances is one message", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    for (int round = 0; round < 5; ++round) {
        const std::string key = "key-" + std::to_string(round);
        std::vector<PostOutcome> outs(8);
        std::atomic<int> errors{0};
        together(8, [&](int i) {
            try {
                outs[static_cast<size_t>(i)] =
                    w.at(i).post_message(w.conversation, w.a, "Hello " + key, key, 2000 + round);
            } catch (const std::exception& e) {
                ++errors;
                UNSCOPED_INFO(e.what());
            }
        });
        CHECK(errors == 0);
        int created = 0;
        std::set<int64_t> ids;
        for (const auto& o : outs) {
            created += o.created ? 1 : 0;
            CHECK_FALSE(o.key_conflict);
            ids.insert(o.message.id);
        }
        CHECK(created == 1);
        CHECK(ids.size() == 1);
        CHECK(*ids.begin() > 0);
    }
    auto d = w.at(1).request_data(w.request);
    REQUIRE(d);
    CHECK(d->messages.size() == 5);
}

TEST_CASE("postgres store: posts into one request from many threads and two instances keep its inbox rows exact",
          "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    const int64_t d = w.at(0).add_user(make_user("Dist", "distributor"));
    w.at(0).set_network_member(d, w.m, {"ES"}, false);
    const int64_t fwd = w.at(0).add_conversation(w.request, d, "forwarded", w.conversation, 1500).first;
    constexpr int kThreads = 8, kEach = 10;
    std::atomic<int> errors{0};
    together(kThreads, [&](int i) {
        for (int k = 0; k < kEach; ++k) {
            const bool mine = (i + k) % 2 == 0;  // the manufacturer's conversation, or the distributor's
            const int64_t author = k % 3 == 0 ? w.a : mine ? w.m : d;
            try {
                w.at(i).post_message(mine ? w.conversation : fwd, author, "m", std::to_string(i) + "-" + std::to_string(k),
                                     2000 + i * 100 + k);
                if (k % 4 == 0) w.at(i + 1).mark_read(author == w.a ? w.m : w.a, mine ? w.conversation : fwd, 0, 3000);
            } catch (const std::exception& e) {
                ++errors;
                UNSCOPED_INFO(e.what());
            }
        }
    });
    CHECK(errors == 0);
    auto data = w.at(0).request_data(w.request);
    REQUIRE(data);
    int in_mine = 0, in_fwd = 0;
    int64_t newest = 0;
    for (const auto& msg : data->messages) {
        (msg.conversation_id == w.conversation ? in_mine : in_fwd) += 1;
        newest = std::max(newest, msg.created);
    }
    CHECK(in_mine + in_fwd == kThreads * kEach);
    // Each row counts the messages of the conversations its user sees, whoever wrote them.
    auto row = [&](int64_t user) {
        auto r = w.at(1).inbox_entry(user, w.request);
        REQUIRE(r);
        return *r;
    };
    CHECK(row(w.a).message_count == kThreads * kEach);
    CHECK(row(w.m).message_count == in_mine);
    CHECK(row(d).message_count == in_fwd);
    CHECK(row(w.a).last_activity == newest);
    CHECK(row(w.a).status == "answered");
}

TEST_CASE("postgres store: quotes of one seller and year from many threads and two instances are numbered 1..N",
          "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    constexpr int kThreads = 6, kEach = 8;
    std::vector<std::vector<std::string>> numbers(kThreads);
    std::atomic<int> errors{0};
    together(kThreads, [&](int i) {
        for (int k = 0; k < kEach; ++k) {
            Quote q;
            q.conversation_id = w.conversation;
            q.created = 5000 + k;
            try {
                numbers[static_cast<size_t>(i)].push_back(w.at(i).add_quote(q, w.m, 2026).number);
            } catch (const std::exception& e) {
                ++errors;
                UNSCOPED_INFO(e.what());
            }
        }
    });
    CHECK(errors == 0);
    std::set<std::string> all;
    for (const auto& v : numbers) all.insert(v.begin(), v.end());
    std::set<std::string> expected;
    for (int n = 1; n <= kThreads * kEach; ++n) expected.insert(format_quote_number(2026, n));
    CHECK(all == expected);
    // Another year starts again at 1.
    Quote q;
    q.conversation_id = w.conversation;
    CHECK(w.at(1).add_quote(q, w.m, 2027).number == format_quote_number(2027, 1));
}

TEST_CASE("postgres store: a single-use link redeemed at once by two instances has one winner", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    for (int round = 0; round < 5; ++round) {
        const std::string h = "hash-" + std::to_string(round);
        w.at(0).add_magic_link(h, w.a, 10'000, false, w.request);
        std::atomic<int> winners{0};
        together(8, [&](int i) {
            auto use = w.at(i).redeem_magic_link(h, 5000);
            if (use) {
                ++winners;
                CHECK(use->user_id == w.a);
                CHECK(use->request_id == w.request);
            }
        });
        CHECK(winners == 1);
    }
    // A reusable one serves every redeemer; an expired one none.
    w.at(0).add_magic_link("again", w.a, 10'000, true);
    std::atomic<int> uses{0};
    together(4, [&](int i) { uses += w.at(i).redeem_magic_link("again", 5000) ? 1 : 0; });
    CHECK(uses == 4);
    CHECK_FALSE(w.at(1).redeem_magic_link("again", 10'000));
}

TEST_CASE("postgres store: read marks only move forward, also when marked at once", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    std::vector<int64_t> ids;
    for (int i = 0; i < 10; ++i) ids.push_back(w.at(0).add_message(w.conversation, w.a, "m", 2000 + i).id);
    std::atomic<int> moved{0};
    together(10, [&](int i) {
        if (w.at(i).mark_read(w.m, w.conversation, ids[static_cast<size_t>(i)], 3000).moved) ++moved;
    });
    CHECK(moved >= 1);
    CHECK(w.at(1).read_mark(w.m, w.conversation) == ids.back());
    CHECK_FALSE(w.at(0).mark_read(w.m, w.conversation, ids[2], 4000).moved);
    CHECK(w.at(0).read_mark(w.m, w.conversation) == ids.back());
}

TEST_CASE("postgres store: transaction(fn) — every call of the thread joins it; a throw rolls it all back",
          "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 2);
    const size_t users = w.at(0).users().size();
    w.at(0).transaction([&] {
        const int64_t u = w.at(0).add_user(make_user("Inside", "buyer"));
        CHECK(w.at(0).user(u));                 // the same transaction sees it…
        CHECK_FALSE(w.at(1).user(u));           // …another instance does not, yet
        w.at(0).post_message(w.conversation, w.a, "inside", "tx-1", 2500);  // a call with its own transaction joins
        w.at(0).transaction([&] { w.at(0).add_user(make_user("Nested", "buyer")); });
    });
    CHECK(w.at(1).users().size() == users + 2);
    CHECK(w.at(1).request_data(w.request)->messages.size() == 1);
    CHECK_THROWS(w.at(0).transaction([&] {
        w.at(0).add_user(make_user("Gone", "buyer"));
        w.at(0).post_message(w.conversation, w.a, "gone", "tx-2", 2600);
        throw std::runtime_error("abort");
    }));
    CHECK(w.at(1).users().size() == users + 2);
    CHECK(w.at(1).request_data(w.request)->messages.size() == 1);
    // The schema's constraints: a request of unknown users is refused.
    RequestRecord bad{0, 999999, w.m, "X", "Y", "ES", "es", 1};
    CHECK_THROWS_AS(w.at(0).add_request(bad), StoreError);
}

TEST_CASE("postgres store: search folds accents, finds CJK substrings and keeps to what a user sees", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgWorld w(base, 1);
    Store& s = w.at(0);
    const int64_t d = s.add_user(make_user("Dist", "distributor"));
    s.set_network_member(d, w.m, {"ES"}, false);
    s.post_message(w.conversation, w.m, "Confidential: the Größenprüfung of the válvulas", "k1", 3000);
    const int64_t fwd = s.add_conversation(w.request, d, "forwarded", w.conversation, 3100).first;
    s.post_message(fwd, d, "Price for the 球阀门 order", "k2", 3200);
    auto found = [&](int64_t user, const std::string& text) {
        std::vector<int64_t> out;
        for (const auto& h : s.search(user, text, InboxQuery{}, 0, 10)) out.push_back(h.message_id);
        return out;
    };
    // An accented word, typed with or without its accents, and as a prefix.
    CHECK(found(w.m, "VALVULAS").size() == 1);
    CHECK(found(w.m, "grössenprüf").empty());  // ö folds to o, ß stays
    CHECK(found(w.m, "GROßENPRUF").size() == 1);
    CHECK(found(w.m, "válv").size() == 1);
    // A CJK substring, not a reordering of it.
    CHECK(found(d, "阀门").size() == 1);
    CHECK(found(d, "门阀").empty());
    // The distributor never finds the manufacturer's conversation; the buyer sees both.
    CHECK(found(d, "confidential").empty());
    CHECK(found(w.a, "confidential").size() == 1);
    CHECK(found(w.a, "阀门").size() == 1);
    CHECK(found(w.m, "阀门").empty());  // the forwarded conversation is the distributor's
    // The request's own fields: the buyer's name.
    auto hits = s.search(w.m, "alice", InboxQuery{}, 0, 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].message_id == 0);
    CHECK(hits[0].request.id == w.request);
}

TEST_CASE("postgres store: data of a schema-3 database (e-mail stores only) gets its inbox rows and search index",
          "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    PgTestSchema schema(base);
    {
        pg::Conn c(schema.url);
        const auto& all = pg::pg_migrations();
        pg::migrate(c, std::vector<const char*>(all.begin(), all.begin() + 3));
        const char* user = "INSERT INTO users(name, role, email) VALUES($1, $2, $3) RETURNING id";
        const int64_t seller = c.run(user, "Marta", "manufacturer", "marta@example.com").i64(0, 0);
        const int64_t buyer = c.run(user, "Stefan", "buyer", "stefan@example.com").i64(0, 0);
        const int64_t request = c.run("INSERT INTO requests(buyer_id, manufacturer_id, product, message, created) "
                                      "VALUES($1, $2, 'Zahnradpumpe', 'Need pumps', 1000) RETURNING id",
                                      buyer, seller)
                                    .i64(0, 0);
        const int64_t conv = c.run("INSERT INTO conversations(request_id, seller_id, origin, created) "
                                   "VALUES($1, $2, 'received', 1000) RETURNING id",
                                   request, seller)
                                 .i64(0, 0);
        c.run("INSERT INTO messages(request_id, conversation_id, author_id, body, created) "
              "VALUES($1, $2, $3, 'Unser Angebot für Größe 3', 2000)",
              request, conv, seller);
    }
    auto s = pg::open_pg_store(schema.url, 2);
    CHECK(s->schema_version() == static_cast<int>(pg::pg_migrations().size()));
    const auto users = s->users();
    REQUIRE(users.size() == 2);
    const int64_t seller = users[0].id, buyer = users[1].id;
    auto seller_rows = s->inbox(seller);
    REQUIRE(seller_rows.size() == 1);
    CHECK(seller_rows[0].message_count == 1);
    CHECK(seller_rows[0].status == "answered");
    REQUIRE(s->inbox(buyer).size() == 1);
    CHECK(s->search(seller, "zahnrad", InboxQuery{}, 0, 10).size() == 1);  // the request's text
    auto hits = s->search(buyer, "grosse", InboxQuery{}, 0, 10);          // ß is not "ss"
    CHECK(hits.empty());
    hits = s->search(buyer, "größe", InboxQuery{}, 0, 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].message_id > 0);
    // A second instance finds the work done.
    auto again = pg::open_pg_store(schema.url, 2);
    CHECK(again->inbox(seller).size() == 1);
}

#endif
