// The PostgreSQL change feed (server/store/pg/change_feed.cpp): what several instances on
// one database rely on for live events — a commit on one wakes the feed of another, the
// events arrive in id order with none skipped even when transactions that add them
// overlap, and a feed whose connection was cut catches up from its last ids. On the server
// of PARLEY_TEST_PG_URL.
#include "tests/unit/server/email_store_kit.h"

#if PARLEY_WITH_POSTGRES
#include <chrono>
#include <future>
#include <thread>

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;
using namespace std::chrono_literals;

namespace {

struct FeedWorld {
    PgTestSchema schema;
    std::unique_ptr<Store> a, b;  // two instances
    int64_t m = 0, buyer = 0, request = 0, conversation = 0;
    explicit FeedWorld(const std::string& base) : schema(base) {
        a = pg::open_pg_store(schema.url, 4);
        b = pg::open_pg_store(schema.url, 4);
        m = a->add_user(make_user("Maker", "manufacturer"));
        buyer = a->add_user(make_user("Alice", "buyer"));
        RequestRecord r{0, buyer, m, "Pump", "Need pumps", "ES", "es", 1000};
        conversation = open(*a, r);
        request = r.id;
    }
    EventRecord event(const std::string& kind, Millis at) const {
        EventRecord e;
        e.event.request_id = request;
        e.event.conversation_id = conversation;
        e.event.actor_id = buyer;
        e.event.kind = kind;
        e.event.created = at;
        return e;
    }
};

}  // namespace

TEST_CASE("postgres change feed: another instance's commit wakes it; events come in id order", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    FeedWorld w(base);
    auto feed = pg::open_pg_change_feed(w.schema.url);
    CHECK_FALSE(feed->changed_requests());  // the first call: "from now on"
    CHECK(feed->wait_for_change(0ms));      // it can wait for news
    CHECK_FALSE(feed->changed_requests());  // nothing new

    // A commit on instance B, while the feed waits: it wakes well before its timeout.
    auto t0 = std::chrono::steady_clock::now();
    std::thread writer([&] {
        std::this_thread::sleep_for(100ms);
        w.b->add_event(w.event("phone_revealed", 5000));
    });
    feed->wait_for_change(5000ms);
    auto waited = std::chrono::steady_clock::now() - t0;
    writer.join();
    CHECK(waited < 2000ms);
    auto touched = feed->changed_requests();
    REQUIRE(touched);
    CHECK(touched->empty());  // only an event: its request's caches go as it is published
    auto events = feed->events_after(w.a->max_event_id() - 1, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event.kind == "phone_revealed");
    CHECK(events[0].event.actor_name == "Alice");
}

TEST_CASE("postgres change feed: overlapping transactions that add events commit in id order", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    FeedWorld w(base);
    auto feed = pg::open_pg_change_feed(w.schema.url);
    feed->changed_requests();
    const int64_t before = w.a->max_event_id();
    // Instance A adds an event and holds its transaction open; instance B's event must
    // not become visible first (a reader after "A's id - 1" would skip A's for good).
    std::promise<void> a_added, a_commit;
    std::thread ta([&] {
        w.a->transaction([&] {
            w.a->add_event(w.event("cc_added", 6000));
            a_added.set_value();
            a_commit.get_future().wait();
        });
    });
    a_added.get_future().wait();
    auto b_done = std::async(std::launch::async, [&] { return w.b->add_event(w.event("forwarded", 6001)).id; });
    CHECK(b_done.wait_for(300ms) == std::future_status::timeout);  // B waits for A's commit
    auto seen_early = feed->events_after(before, 10);
    CHECK(seen_early.empty());  // nothing visible while A is open
    a_commit.set_value();
    ta.join();
    int64_t b_id = b_done.get();
    auto all = feed->events_after(before, 10);
    REQUIRE(all.size() == 2);
    CHECK(all[0].event.kind == "cc_added");
    CHECK(all[1].event.kind == "forwarded");
    CHECK(all[1].event.id == b_id);
    CHECK(all[0].event.id < all[1].event.id);
}

TEST_CASE("postgres change feed: a feed whose connection was cut catches up from its last ids", "[store_pg]") {
    std::string base = pg_test_url();
    if (base.empty()) return;
    FeedWorld w(base);
    // The feed's connection under a name of its own, to cut that one alone.
    const std::string app = "feed_" + w.schema.name;
    auto feed = pg::open_pg_change_feed(w.schema.url + "&application_name=" + app);
    feed->changed_requests();
    // Cut it (as a restarted database or a network cut would), then write while nobody
    // listens.
    pg::Conn admin(w.schema.url);
    CHECK(admin.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app)
              .rows() == 1);
    w.b->add_event(w.event("phone_revealed", 7000));
    // The broken connection shows up (an error is logged by the watch, or the wait says
    // "look now"); the next calls reconnect and find what was written meanwhile.
    std::optional<std::vector<int64_t>> touched;
    for (int i = 0; i < 20 && !touched; ++i) {
        try {
            feed->wait_for_change(100ms);
            touched = feed->changed_requests();
        } catch (const StoreError&) {
        }
    }
    REQUIRE(touched);
    auto events = feed->events_after(w.a->max_event_id() - 1, 10);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event.request_id == w.request);
}

#endif
