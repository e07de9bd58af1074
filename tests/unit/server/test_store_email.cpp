// The e-mail stores through their interfaces, the same tests on SQLite and PostgreSQL
// (email_store_kit.h): the outbox (queue, retries, delivery status, claims by several
// instances) and received mails (deduplication, held replies, threading).
#include <algorithm>
#include <set>
#include <thread>

#include "tests/unit/server/email_store_kit.h"

using namespace parley::server;
using namespace parley::server::testing;

namespace {

OutboxRow mail(const std::string& mid, int64_t to_user, int64_t due_at, int64_t conversation = 0) {
    OutboxRow r;
    r.to_address = "user" + std::to_string(to_user) + "@example.com";
    r.to_user_id = to_user;
    r.kind = "message";
    r.conversation_id = conversation;
    r.message_id = mid;
    r.subject = "Re: Pump";
    r.text = "text of " + mid;
    r.raw = "raw of " + mid;
    r.next_attempt_at = due_at;
    r.created = due_at;
    return r;
}

std::vector<int64_t> ids(const std::vector<OutboxRow>& rows) {
    std::vector<int64_t> out;
    for (const auto& r : rows) out.push_back(r.id);
    return out;
}

MailInStore::Row received(const std::string& key, const EmailWorld& w, const std::string& status, int64_t at) {
    MailInStore::Row r;
    r.key = key;
    r.conversation_id = w.conversation;
    r.user_id = w.buyer;
    r.status = status;
    r.subject = "Re: Pump";
    r.raw = "From: stefan@example.com\r\n\r\nraw " + key;
    r.received = at;
    if (status == "held") {
        r.hold_reason = "no_verdict";
        r.preview = "Yes, 40 pumps";
    }
    return r;
}

}  // namespace

EMAIL_STORE_TEST(outbox_round_trip, "outbox: rows round-trip, add_all sets ids, a Message-ID is stored once",
                 "[store_email]") {
    auto out = kit.outbox();
    OutboxRow a = mail("<a@parley>", 7, 100, 3);
    a.message_ref = 0;
    int64_t id = out->add(a);
    auto got = out->get(id);
    REQUIRE(got);
    CHECK(got->to_address == "user7@example.com");
    CHECK(got->message_id == "<a@parley>");
    CHECK(got->raw == "raw of <a@parley>");
    CHECK(got->text == "text of <a@parley>");
    CHECK(got->status == kOutQueued);
    CHECK(got->next_attempt_at == 100);
    CHECK(got->conversation_id == 3);
    CHECK_FALSE(out->get(id + 1000));

    std::vector<OutboxRow> batch{mail("<b@parley>", 7, 200), mail("<c@parley>", 8, 300)};
    out->add_all(batch);
    CHECK(batch[0].id > id);
    CHECK(batch[1].id > batch[0].id);
    CHECK(out->get(batch[1].id)->to_user_id == 8);
    CHECK_THROWS_AS(out->add(mail("<a@parley>", 9, 400)), StoreError);
    // A batch with a duplicate stores nothing.
    std::vector<OutboxRow> bad{mail("<d@parley>", 7, 500), mail("<b@parley>", 7, 500)};
    CHECK_THROWS_AS(out->add_all(bad), StoreError);
    CHECK(out->for_user(7, 10).size() == 2);
}

EMAIL_STORE_TEST(outbox_due, "outbox: due rows oldest first, retries, next_due, for_user and thread", "[store_email]") {
    auto out = kit.outbox();
    CHECK_FALSE(out->next_due());
    int64_t late = out->add(mail("<late@p>", 1, 500, 4));
    int64_t early = out->add(mail("<early@p>", 1, 100, 4));
    int64_t future = out->add(mail("<future@p>", 2, 9000, 4));
    OutboxRow done = mail("<done@p>", 1, 50, 4);
    done.status = kOutSent;
    int64_t sent = out->add(done);
    CHECK(out->next_due() == 100);

    auto due = out->due(1000, 10);
    CHECK(ids(due) == std::vector<int64_t>{early, late});
    CHECK(due[0].next_attempt_at == 100);  // the time it was due

    // A temporary failure comes back when its retry time has come.
    OutboxRow r = due[0];
    r.status = kOutFailedTemporary;
    r.attempts = 1;
    r.next_attempt_at = 3000;
    r.last_error = "451 try later";
    r.error_kind = "temporary";
    r.last_code = 451;
    out->update_attempt(r);
    OutboxRow s = due[1];
    s.status = kOutSent;
    s.attempts = 1;
    s.sent_at = 1001;
    out->update_attempt(s);
    CHECK(out->next_due() == 3000);
    CHECK(out->due(2000, 10).empty());
    auto again = out->due(3000, 10);
    REQUIRE(ids(again) == std::vector<int64_t>{early});
    CHECK(again[0].status == kOutFailedTemporary);
    CHECK(again[0].attempts == 1);
    CHECK(again[0].last_error == "451 try later");
    CHECK(again[0].last_code == 451);
    CHECK(out->get(late)->sent_at == 1001);
    CHECK(out->due(20000, 1).size() == 1);  // the limit

    CHECK(ids(out->for_user(1, 10)) == std::vector<int64_t>{sent, early, late});  // newest first
    CHECK(ids(out->for_user(1, 1)) == std::vector<int64_t>{sent});
    CHECK(out->thread(4, 1, 2) == std::vector<std::string>{"<early@p>", "<done@p>"});  // the last two, oldest first
    CHECK(out->thread(4, 2, 10) == std::vector<std::string>{"<future@p>"});
    CHECK(out->thread(5, 1, 10).empty());
    (void)future;
}

EMAIL_STORE_TEST(outbox_deliveries, "outbox: delivery status with recipient and author, requeue, failure event once",
                 "[store_email]") {
    EmailWorld w = kit.seed();
    auto out = kit.outbox();
    OutboxRow m = mail("<m@p>", w.buyer, 100, w.conversation);
    m.request_id = w.request;
    m.message_ref = w.message;
    int64_t id = out->add(m);
    out->add(mail("<other@p>", w.buyer, 100, w.conversation));  // about no message

    auto all = out->deliveries(w.request);
    REQUIRE(all.size() == 1);
    CHECK(all[0].row.id == id);
    CHECK(all[0].recipient_name == "Stefan");
    CHECK(all[0].author_id == w.seller);
    CHECK(all[0].row.raw.empty());
    CHECK(all[0].row.message_ref == w.message);
    CHECK(out->deliveries(w.request + 100).empty());
    CHECK(out->deliveries_of({w.message, w.message + 100}).size() == 1);
    CHECK(out->deliveries_of({w.message + 100}).empty());
    CHECK(out->deliveries_of({}).empty());
    REQUIRE(out->delivery(id));
    CHECK(out->delivery(id)->recipient_name == "Stefan");
    CHECK_FALSE(out->delivery(id + 100));

    CHECK_FALSE(out->requeue(id, 500));  // queued: nothing to requeue
    OutboxRow r = *out->get(id);
    r.status = kOutFailedPermanent;
    r.attempts = 5;
    out->update_attempt(r);
    CHECK(out->set_failure_event(id, 77));
    CHECK_FALSE(out->set_failure_event(id, 78));
    CHECK(out->get(id)->failure_event_id == 77);
    CHECK(out->requeue(id, 500));
    auto back = out->get(id);
    CHECK(back->status == kOutQueued);
    CHECK(back->attempts == 0);
    CHECK(back->next_attempt_at == 500);
    CHECK(back->failure_event_id == 0);
    CHECK_FALSE(out->requeue(id, 600));
}

EMAIL_STORE_TEST(outbox_claims, "outbox: two instances claiming due mails at once never get the same one",
                 "[store_email]") {
    if (!kit.shared_outbox()) {
        WARN("skipped: one process sends a SQLite database's mail (its outbox is not shared)");
        return;
    }
    auto setup = kit.outbox();
    std::vector<OutboxRow> rows;
    for (int i = 0; i < 300; ++i) rows.push_back(mail("<c" + std::to_string(i) + "@p>", 1, i));
    setup->add_all(rows);
    auto a = kit.outbox(), b = kit.outbox();
    std::vector<int64_t> got_a, got_b;
    auto worker = [](OutboxStore& s, std::vector<int64_t>& got) {
        for (;;) {
            auto due = s.due(1000, 7);
            if (due.empty()) return;
            for (auto& r : due) {
                got.push_back(r.id);
                r.status = kOutSent;
                r.attempts = 1;
                r.sent_at = 1000;
                s.update_attempt(r);
            }
        }
    };
    std::thread ta([&] { worker(*a, got_a); }), tb([&] { worker(*b, got_b); });
    ta.join();
    tb.join();
    std::set<int64_t> all(got_a.begin(), got_a.end());
    for (int64_t id : got_b) CHECK(all.insert(id).second);  // in both: sent twice
    CHECK(all.size() == 300);
    CHECK(got_a.size() + got_b.size() == 300);
    CHECK_FALSE(setup->next_due());
}

EMAIL_STORE_TEST(outbox_claim_runs_out, "outbox: a claimed mail is due again only when its claim runs out",
                 "[store_email]") {
    if (!kit.shared_outbox()) {
        WARN("skipped: a SQLite outbox does not claim (one process sends its mail)");
        return;
    }
    auto a = kit.outbox(), b = kit.outbox();
    int64_t id = a->add(mail("<x@p>", 1, 100));
    REQUIRE(ids(a->due(1000, 5)) == std::vector<int64_t>{id});
    CHECK(b->due(1000, 5).empty());  // claimed by a (a died before recording an attempt)
    CHECK(b->due(100 + 1000 * 60, 5).empty());
    CHECK(ids(b->due(1000 + 5 * 60 * 1000, 5)) == std::vector<int64_t>{id});  // the claim ran out
}

EMAIL_STORE_TEST(mail_in_dedup, "mail in: a key is stored once, found again without its raw mail", "[store_email]") {
    EmailWorld w = kit.seed();
    auto in = kit.mail_in();
    CHECK_FALSE(in->find("<k1@mail>"));
    auto r = received("<k1@mail>", w, "posted", 5000);
    r.message_id = w.message;
    r.event_id = 9;
    CHECK(in->add(r));
    auto again = received("<k1@mail>", w, "auto_reply", 6000);
    CHECK_FALSE(in->add(again));
    auto found = in->find("<k1@mail>");
    REQUIRE(found);
    CHECK(found->status == "posted");
    CHECK(found->message_id == w.message);
    CHECK(found->event_id == 9);
    CHECK(found->received == 5000);
    CHECK(found->conversation_id == w.conversation);
    CHECK(found->raw.empty());
    CHECK(found->id > 0);
    CHECK(in->by_id(found->id)->raw == r.raw);
    CHECK_FALSE(in->by_id(found->id + 100));

    // The original of a posted message, where that message lives.
    auto orig = in->original(w.message);
    REQUIRE(orig);
    CHECK(orig->request_id == w.request);
    CHECK(orig->conversation_id == w.conversation);
    CHECK(orig->author_id == w.seller);
    CHECK(orig->raw == r.raw);
    CHECK_FALSE(in->original(w.message + 100));
    CHECK_FALSE(in->original(0));
    CHECK(in->request_of(w.conversation) == w.request);
    CHECK(in->request_of(w.conversation + 100) == 0);
}

EMAIL_STORE_TEST(mail_in_held, "mail in: held replies by owner and conversation, settled once", "[store_email]") {
    EmailWorld w = kit.seed();
    auto in = kit.mail_in();
    REQUIRE(in->add(received("<h1@mail>", w, "held", 100)));
    REQUIRE(in->add(received("<h2@mail>", w, "held", 200)));
    REQUIRE(in->add(received("<p1@mail>", w, "posted", 300)));
    auto other = received("<h3@mail>", w, "held", 400);
    other.user_id = w.seller;  // someone else's
    REQUIRE(in->add(other));
    auto elsewhere = received("<h4@mail>", w, "held", 500);
    elsewhere.conversation_id = w.conversation + 1;
    REQUIRE(in->add(elsewhere));

    auto held = in->held(w.buyer, {w.conversation}, 10);
    REQUIRE(held.size() == 2);
    CHECK(held[0].key == "<h1@mail>");  // oldest first
    CHECK(held[1].key == "<h2@mail>");
    CHECK(held[0].hold_reason == "no_verdict");
    CHECK(held[0].preview == "Yes, 40 pumps");
    CHECK(held[0].raw.empty());
    CHECK(in->held(w.buyer, {w.conversation}, 1).size() == 1);
    CHECK(in->held(w.buyer, {w.conversation, w.conversation + 1}, 10).size() == 3);
    CHECK(in->held(w.buyer, {}, 10).empty());

    CHECK(in->settle_held(held[0].id, "posted", w.message));
    CHECK_FALSE(in->settle_held(held[0].id, "discarded", 0));  // settled already
    CHECK(in->settle_held(held[1].id, "discarded", 0));
    CHECK(in->by_id(held[0].id)->status == "posted");
    CHECK(in->by_id(held[0].id)->message_id == w.message);
    CHECK(in->by_id(held[1].id)->status == "discarded");
    CHECK(in->held(w.buyer, {w.conversation}, 10).empty());
    auto posted = in->find("<p1@mail>");
    CHECK_FALSE(in->settle_held(posted->id, "discarded", 0));  // never held
}

EMAIL_STORE_TEST(mail_in_threading, "mail in: our outbound Message-ID names its conversation and recipient",
                 "[store_email]") {
    EmailWorld w = kit.seed();
    auto out = kit.outbox();
    auto in = kit.mail_in();
    out->add(mail("<n1.abc@parley.example>", w.buyer, 100, w.conversation));
    out->add(mail("<n2.abc@parley.example>", w.buyer, 100, 0));  // no conversation
    auto t = in->thread_of("n1.abc@parley.example");
    REQUIRE(t);
    CHECK(t->conversation_id == w.conversation);
    CHECK(t->user_id == w.buyer);
    CHECK_FALSE(in->thread_of("n2.abc@parley.example"));
    CHECK_FALSE(in->thread_of("unknown@elsewhere"));
}

EMAIL_STORE_TEST(mail_in_race, "mail in: two instances receiving the same mail at once store it once",
                 "[store_email]") {
    EmailWorld w = kit.seed();
    auto a = kit.mail_in(), b = kit.mail_in();
    for (int i = 0; i < 20; ++i) {
        auto r = received("<race" + std::to_string(i) + "@mail>", w, "posted", i);
        bool ra = false, rb = false;
        std::thread ta([&] { ra = a->add(r); }), tb([&] { rb = b->add(r); });
        ta.join();
        tb.join();
        CHECK(ra != rb);
    }
}

EMAIL_STORE_TEST(outbox_once_per_recipient,
                 "outbox: shared by instances, it queues one mail per message, recipient and kind",
                 "[store_email]") {
    if (!kit.shared_outbox()) return;  // one process queues every mail of its own posts
    EmailWorld w = kit.seed();
    auto a = kit.outbox(), b = kit.outbox();  // two instances
    OutboxRow r = mail("<m1@parley>", w.buyer, 1000, w.conversation);
    r.message_ref = w.message;
    r.request_id = w.request;
    CHECK(a->add(r) > 0);
    r.message_id = "<m1a@parley>";
    CHECK(b->add(r) == 0);  // queued already: the second instance's copy is refused
    std::vector<OutboxRow> batch{r, r, r};  // as another instance composes them: Message-IDs of its own
    batch[0].message_id = "<m1b@parley>";
    batch[1].message_id = "<m1c@parley>";
    batch[1].kind = "own_copy";  // another kind: a mail of its own
    batch[2].message_id = "<m1d@parley>";
    batch[2].to_user_id = w.seller;  // another recipient
    b->add_all(batch);
    CHECK(batch[0].id == 0);
    CHECK(batch[1].id > 0);
    CHECK(batch[2].id > 0);
    OutboxRow other = mail("<m2@parley>", w.buyer, 1000, w.conversation);  // no message: never refused
    CHECK(a->add(other) > 0);
    other.message_id = "<m2b@parley>";
    CHECK(b->add(other) > 0);
    CHECK(a->due(2000, 10).size() == 5);
}
