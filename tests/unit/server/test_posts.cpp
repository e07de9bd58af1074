// Posts: concurrent posts stored together (group commit) and their notification mails
// queued off the request path by the notification queue, with its durable cursor: a
// crash loses no mail and a restart sends none twice.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/base/text.h"
#include "server/domain/domain.h"
#include "server/domain/notify_queue.h"
#include "server/domain/search_indexer.h"
#include "server/mail/outbox.h"
#include "domain_fixture.h"

using namespace parley;
using namespace parley::server;

namespace {

constexpr Millis kStart = 2'000'000'000'000;

std::string body(const std::string& text) { return nlohmann::json{{"body", text}}.dump(); }

// A manufacturer and a buyer with one request, a development-mailbox outbox and the
// delivery status wired as main() does.
struct PostWorld : testing::TempDomain {
    User maker, buyer;
    int64_t request = 0;
    std::unique_ptr<Outbox> outbox;
    std::string cursor_path;

    PostWorld() : TempDomain("posts", kStart) {
        maker = add_user("Marta Iglesias", kRoleManufacturer);
        buyer = add_user("Stefan Mueller", kRoleBuyer);
        request = add_request(buyer, maker, "Pump", "Wir brauchen Pumpen", "DE", "de", now - 1000);
        start_domain();
        MailSettings ms;  // no SMTP: the development mailbox
        outbox = std::make_unique<Outbox>(*stores.outbox, ms, [this] { return now; });
        domain->set_mailer(outbox.get(), "http://parley.test");
        domain->set_outbox(stores.outbox.get());
        outbox->set_listener([this](const OutboxRow& r) { domain->delivery_changed(r); });
        cursor_path = sibling(".notify-cursor");
    }
    ~PostWorld() {
        domain->set_notify_queue(nullptr);
        std::error_code ec;
        std::filesystem::remove(cursor_path, ec);
        std::filesystem::remove(cursor_path + ".tmp", ec);
    }
    Message post(const User& u, const std::string& key, const std::string& text) {
        auto r = domain->post_message(u, request, &key, body(text));
        INFO(r.error.message);
        REQUIRE(r);
        return r->message;
    }
    // (message, recipient, kind) of every notification mail of the request's messages.
    std::multiset<std::tuple<int64_t, int64_t, std::string>> mails() {
        std::multiset<std::tuple<int64_t, int64_t, std::string>> out;
        for (const auto& d : stores.outbox->deliveries(request)) out.emplace(d.row.message_ref, d.row.to_user_id, d.row.kind);
        return out;
    }
    // A queue as main() starts it: the cursor, the posts a crash may have lost, the thread.
    int start_queue(NotifyQueue& q) {
        domain->set_notify_queue(&q);
        int n = domain->recover_notifications(q.load_cursor(store->max_event_id()),
                                              [this](int64_t after) { return stores.changes->events_after(after, 500); });
        q.start([this](std::vector<PostNotice>& batch) { domain->notify_posts(batch); });
        return n;
    }
};

}  // namespace

TEST_CASE("posts: concurrent posts are each stored once, published in order, with their language", "[posts]") {
    PostWorld w;
    std::vector<Event> seen;
    int64_t cursor = w.store->max_event_id();
    constexpr int kThreads = 6, kEach = 40;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const User& u = t % 2 ? w.maker : w.buyer;
            for (int i = 0; i < kEach; ++i) {
                std::string key = std::to_string(t * 1000 + i);
                std::string text = t % 2 ? "Thank you for your order, we will deliver the pumps to your warehouse next week." : "Vielen Dank, wir warten auf die Lieferung der Pumpen in unser Lager.";
                auto r = w.domain->post_message(u, w.request, &key, body(text));
                auto again = w.domain->post_message(u, w.request, &key, body(text));  // a replay
                if (!r || !r->created || !again || again->created || again->message.id != r->message.id) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    auto events = w.store->events_for_user(w.maker.id, cursor, 10000);
    int messages = 0;
    int64_t last = 0;
    for (const auto& e : events) {
        CHECK(e.event.id > last);
        last = e.event.id;
        messages += e.event.kind == "message";
    }
    CHECK(messages == kThreads * kEach);
    CHECK(w.hub->last_id() == w.store->max_event_id());  // every event reached the hub
    auto langs = w.store->text_langs(w.request);
    auto d = w.store->request_data(w.request);
    REQUIRE(d);
    int tagged = 0;
    for (const auto& m : d->messages) {
        auto it = langs.find(tagged_id("m", m.id));
        if (it == langs.end()) continue;
        ++tagged;
        CHECK(it->second == (m.author_id == w.buyer.id ? "de" : "en"));
    }
    CHECK(tagged == kThreads * kEach);
}

TEST_CASE("posts: without a queue the mails are queued before the post returns", "[posts]") {
    PostWorld w;
    Message m = w.post(w.buyer, "a", "Wann liefern Sie?");
    CHECK(w.mails() == std::multiset<std::tuple<int64_t, int64_t, std::string>>{
                           {m.id, w.maker.id, "new_reply"}, {m.id, w.buyer.id, "own_copy"}});
}

TEST_CASE("posts: the queue sends each post's mails once, also across a crash", "[posts]") {
    PostWorld w;
    std::vector<Message> posted;
    {
        NotifyQueue q(w.cursor_path);
        CHECK(w.start_queue(q) == 0);
        for (const char* key : {"a0", "a1", "a2"}) posted.push_back(w.post(w.buyer, key, std::string("Frage ") + key));
        q.settle();
        CHECK(w.mails().size() == 6);  // new_reply to the maker, own_copy to the buyer, each
        q.stop();                      // a clean stop writes the cursor
        w.domain->set_notify_queue(nullptr);
    }
    const int64_t after_clean_stop = w.store->max_event_id();
    {
        std::ifstream in(w.cursor_path);
        int64_t c = 0;
        in >> c;
        CHECK(c == after_clean_stop);
    }
    {
        // A crash: two posts are stored and queued, the queue never runs.
        NotifyQueue dead(w.cursor_path + ".unused");
        w.domain->set_notify_queue(&dead);
        posted.push_back(w.post(w.maker, "b1", "Our offer follows."));
        posted.push_back(w.post(w.buyer, "b2", "Danke!"));
        CHECK(dead.backlog() == 2);
        w.domain->set_notify_queue(nullptr);
    }
    CHECK(w.mails().size() == 6);
    {
        NotifyQueue q(w.cursor_path);
        CHECK(w.start_queue(q) == 2);  // the two posts after the cursor
        q.settle();
        q.stop();
        w.domain->set_notify_queue(nullptr);
    }
    auto all = w.mails();
    CHECK(all.size() == 10);
    for (const auto& m : posted) {
        bool by_buyer = m.author_id == w.buyer.id;
        CHECK(all.count({m.id, by_buyer ? w.maker.id : w.buyer.id, "new_reply"}) == 1);
        CHECK(all.count({m.id, m.author_id, "own_copy"}) == 1);
    }
    {
        // A cursor that lags (written before the last mails were stored): those posts are
        // looked at again and nothing is sent twice.
        std::ofstream(w.cursor_path) << after_clean_stop - 3 << "\n";
        NotifyQueue q(w.cursor_path);
        CHECK(w.start_queue(q) >= 2);
        q.settle();
        q.stop();
        w.domain->set_notify_queue(nullptr);
    }
    CHECK(w.mails() == all);
}

TEST_CASE("posts: on a shared database the notice sweep mails the posts of an instance that died first", "[posts]") {
    PostWorld w;
    constexpr Millis kGrace = 60'000;
    if (!w.db.postgres()) {
        // One process on SQLite: its cursor file does this; the store has no shared sweep.
        CHECK_FALSE(w.store->claim_notice_sweep("a", w.now, w.now + 1000));
        CHECK(w.domain->sweep_notifications("a", kGrace) == 0);
        return;
    }
    std::vector<Message> posted;
    {
        NotifyQueue q(w.cursor_path);
        w.start_queue(q);
        posted.push_back(w.post(w.buyer, "a0", "Frage"));
        q.settle();
        q.stop();
        w.domain->set_notify_queue(nullptr);
    }
    CHECK(w.mails().size() == 2);
    {
        // An instance that stores two posts and dies before queueing their mails; its data
        // directory (and cursor) never comes back.
        NotifyQueue dead(w.cursor_path + ".unused");
        w.domain->set_notify_queue(&dead);
        posted.push_back(w.post(w.maker, "b1", "Our offer follows."));
        posted.push_back(w.post(w.buyer, "b2", "Danke!"));
        w.domain->set_notify_queue(nullptr);
    }
    // Younger than the grace: still their own instance's to notify.
    CHECK(w.domain->sweep_notifications("B", kGrace) == 0);
    CHECK(w.mails().size() == 2);
    w.now += 2 * kGrace;
    // While another instance holds the sweep, this one does nothing.
    REQUIRE(w.store->claim_notice_sweep("C", w.now, w.now + 10'000));
    CHECK(w.domain->sweep_notifications("B", kGrace) == 0);
    CHECK(w.mails().size() == 2);
    CHECK(w.store->advance_notice_sweep("C", 0, /*release=*/true));
    // Then it notifies the two posts without mails (not the first one), each mail once.
    CHECK(w.domain->sweep_notifications("B", kGrace) == 2);
    auto all = w.mails();
    CHECK(all.size() == 6);
    for (const auto& m : posted) {
        bool by_buyer = m.author_id == w.buyer.id;
        CHECK(all.count({m.id, by_buyer ? w.maker.id : w.buyer.id, "new_reply"}) == 1);
        CHECK(all.count({m.id, m.author_id, "own_copy"}) == 1);
    }
    // The cursor moved past them: nothing again, and a late copy by their own instance
    // (it was only slow) is refused by the outbox.
    CHECK(w.domain->sweep_notifications("B", kGrace) == 0);
    std::vector<PostNotice> late;
    for (size_t i = 1; i < posted.size(); ++i)
        late.push_back(PostNotice{0, w.request, posted[i].conversation_id, posted[i], true, false});
    w.domain->notify_posts(late);
    CHECK(w.mails() == all);
}

TEST_CASE("posts: the queue's cursor file", "[posts]") {
    const std::string path = testing::temp_store_location("cursor");
    std::error_code ec;
    std::filesystem::remove(path, ec);
    {
        NotifyQueue q(path);
        CHECK(q.load_cursor(42) == 42);  // none yet: the newest event, written at once
    }
    {
        std::ifstream in(path);
        int64_t c = 0;
        in >> c;
        CHECK(c == 42);
    }
    std::ofstream(path) << "17\n";
    CHECK(NotifyQueue(path).load_cursor(42) == 17);
    std::ofstream(path) << "99\n";  // ahead of the database (restored from a backup)
    CHECK(NotifyQueue(path).load_cursor(42) == 42);
    std::ofstream(path) << "garbage";
    CHECK(NotifyQueue(path).load_cursor(40) == 40);
    {
        // The work runs in order, settle() waits for it, stop() finishes the queue.
        NotifyQueue q(path);
        q.load_cursor(0);
        std::vector<int64_t> done;
        for (int64_t i = 1; i <= 5; ++i) q.push(PostNotice{i, 1, 1, {}, true, false});
        q.start([&](std::vector<PostNotice>& batch) {
            for (const auto& n : batch) done.push_back(n.event_id);
        });
        q.settle();
        CHECK(done == std::vector<int64_t>{1, 2, 3, 4, 5});
        q.push(PostNotice{6, 1, 1, {}, true, false});
        q.stop();
        CHECK(done.size() == 6);
    }
    {
        std::ifstream in(path);
        int64_t c = 0;
        in >> c;
        CHECK(c == 6);
    }
    std::filesystem::remove(path, ec);
}

TEST_CASE("posts: messages are indexed for search behind their posts, durably, and found at once", "[posts][search]") {
    PostWorld w;
    const Message a = w.post(w.maker, "k1", "Die Wälzlagerprüfstand Messung ist fertig.");
    const Message b = w.post(w.buyer, "k2", "Danke, wir prüfen den Prüfstand morgen.");
    // The post's transaction did not index: two messages wait behind the cursor.
    CHECK(w.store->index_for_search(1) == 1);  // the oldest first, one per call here
    // A search indexes what still waits before it reads: the newest message is found.
    auto hits = w.store->search(w.maker.id, "morgen", InboxQuery{}, 0, 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].message_id == b.id);
    CHECK(w.store->index_for_search(100) == 0);  // caught up: nothing indexed twice

    // The worker, as main() runs it: woken by the post's batch, it indexes off the path.
    SearchIndexer indexer([&] { return w.domain->index_for_search(); }, std::chrono::seconds(60));
    w.domain->set_search_indexer(&indexer);
    indexer.start();
    const Message c = w.post(w.maker, "k3", "Lieferung der Hydraulikaggregate in KW 12.");
    for (int i = 0; i < 500 && indexer.indexed() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(indexer.indexed() == 1);                 // the worker took it (its idle round is a minute away)…
    CHECK(w.store->index_for_search(100) == 0);    // …so nothing waits
    hits = w.store->search(w.maker.id, "Hydraulikaggregate", InboxQuery{}, 0, 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].message_id == c.id);
    indexer.stop();
    w.domain->set_search_indexer(nullptr);
    (void)a;

    // The cursor is durable: a store opened again has nothing left to index.
    auto again = std::move(open_stores(w.db.location).main);
    CHECK(again->index_for_search(100) == 0);
    CHECK(again->search(w.maker.id, "Wälzlagerprüfstand", InboxQuery{}, 0, 10).size() == 1);
}

TEST_CASE("posts: an event another process stored before ours goes out first, so no long-poll cursor skips it",
          "[posts]") {
    testing::TempDomain w("posts-order", kStart);
    User maker = w.add_user("Marta Iglesias", kRoleManufacturer);
    User buyer = w.add_user("Stefan Mueller", kRoleBuyer);
    int64_t rid = w.add_request(buyer, maker, "Pump", "Need pumps", "DE", "de", kStart - 1000);
    w.start_domain();
    // Marta's long-poll waits on this process.
    std::shared_ptr<const std::string> answer;
    const int64_t cursor = w.hub->last_id();
    REQUIRE_FALSE(w.domain->poll_events(maker, cursor, Hub::Clock::now() + std::chrono::seconds(30),
                                        [&](Hub::Body b) { answer = std::move(b); }));
    // Another process (e-mail in, another instance) stores the buyer's message; this
    // process has not looked at the database since.
    Stores other = w.db.open();
    Hub hub2(other.main->max_event_id());
    Domain d2(*other.main, hub2, [&] { return w.now; });
    const std::string k1 = "from-elsewhere", k2 = "from-here";
    auto theirs = d2.post_message(buyer, rid, &k1, body("Sent through the other instance"));
    REQUIRE(theirs);
    // Then Marta posts here: her event's id is above theirs.
    auto mine = w.domain->post_message(maker, rid, &k2, body("Sent here"));
    REQUIRE(mine);
    REQUIRE(mine->message.id > theirs->message.id);
    // The waiter hears the other process's message first (its id is the lower).
    REQUIRE(answer);
    auto batch = nlohmann::json::parse(*answer);
    REQUIRE(batch["events"].size() == 1);
    CHECK(batch["events"][0]["message_id"] == theirs->message.id);
    // Asked again from that cursor: Marta's own follows.
    auto next = w.domain->poll_events(maker, batch["cursor"].get<int64_t>(), Hub::Clock::now(),
                                      [](Hub::Body) {});
    REQUIRE(next);
    REQUIRE_FALSE(next->events.empty());
    CHECK(next->events[0].message_id == mine->message.id);
}
