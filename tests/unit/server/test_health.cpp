// Operators: the health of an instance (Domain::health, GET /healthz) from the store's
// pending mails and the mailer's failures, and the outbox's backlog counted up to a cap
// (OutboxStore::backlog) — on SQLite, and on PostgreSQL with PARLEY_TEST_STORE_URL.
#include <catch2/catch.hpp>

#include <string>

#include "server/mail/mailer.h"
#include "server/store/outbox_store.h"
#include "tests/unit/server/domain_fixture.h"

using namespace parley::server;
using parley::Millis;
using parley::server::testing::TempDomain;

namespace {

constexpr Millis kMinute = 60'000;

// A mailer that reports how sending goes, and sends nothing.
struct ReportingMailer final : Mailer {
    SendingStatus status;
    void enqueue(const OutgoingMail&) override {}
    std::string mailbox_json(int64_t, int) override { return "{}"; }
    SendingStatus sending_status() const override { return status; }
};

OutboxRow pending(const std::string& id, Millis due) {
    OutboxRow r;
    r.to_address = "someone@example.test";
    r.kind = "test";
    r.message_id = "<" + id + "@parley.test>";
    r.raw = "raw";
    r.status = kOutQueued;
    r.next_attempt_at = due;
    r.created = due;
    return r;
}

}  // namespace

TEST_CASE("health: ok, then outbox_stuck once a mail has been due too long", "[health]") {
    TempDomain w("health-stuck", 1'800'000'000'000);
    w.start_domain();
    Domain& d = *w.domain;
    d.set_outbox(w.stores.outbox.get());
    Domain::Health h = d.health();
    CHECK(h.ok);
    CHECK(h.reason.empty());
    CHECK(d.outbox_backlog() == 0);

    OutboxRow r = pending("stuck", w.now - 10 * kMinute);
    r.id = w.stores.outbox->add(r);
    CHECK(d.health().ok);  // due 10 minutes ago: within the default 15
    CHECK(d.outbox_backlog() == 1);

    w.now += 6 * kMinute;
    h = d.health();
    CHECK_FALSE(h.ok);
    CHECK(h.reason == "outbox_stuck");
    CHECK(h.message.find("16 minutes") != std::string::npos);

    d.set_health_limits({30 * kMinute, 5});
    CHECK(d.health().ok);
    d.set_health_limits({0, 5});  // not checked
    CHECK(d.health().ok);
    d.set_health_limits({15 * kMinute, 5});
    CHECK_FALSE(d.health().ok);

    r.status = kOutSent;  // sent at last: nothing pending
    w.stores.outbox->update_attempt(r);
    CHECK(d.health().ok);
    CHECK(d.outbox_backlog() == 0);
}

TEST_CASE("health: outbox_failing after failed sends in a row, the latest recent", "[health]") {
    TempDomain w("health-failing", 1'800'000'000'000);
    w.start_domain();
    Domain& d = *w.domain;
    ReportingMailer mailer;
    d.set_mailer(&mailer, "http://127.0.0.1:1");
    CHECK(d.health().ok);

    mailer.status = {5, w.now - 1000};
    Domain::Health h = d.health();
    CHECK_FALSE(h.ok);
    CHECK(h.reason == "outbox_failing");
    CHECK(h.message.find("last 5 attempts") != std::string::npos);

    mailer.status = {4, w.now - 1000};  // under the limit
    CHECK(d.health().ok);
    mailer.status = {50, w.now - 20 * kMinute};  // the latest failure long ago
    CHECK(d.health().ok);
    mailer.status = {50, w.now};
    d.set_health_limits({15 * kMinute, 0});  // not checked
    CHECK(d.health().ok);
    d.set_health_limits({15 * kMinute, 100});
    CHECK(d.health().ok);
    d.set_health_limits({15 * kMinute, 50});
    CHECK(d.health().reason == "outbox_failing");
}

TEST_CASE("health: the outbox's backlog counts pending mails up to the cap", "[health][store]") {
    TempDomain w("health-backlog", 1'800'000'000'000);
    OutboxStore& o = *w.stores.outbox;
    OutboxStore::Backlog b = o.backlog(10);
    CHECK(b.pending == 0);
    CHECK_FALSE(b.earliest_due);
    for (int i = 0; i < 5; ++i) o.add(pending(std::string("b") + std::to_string(i), w.now + i * kMinute));
    OutboxRow done = pending("done", w.now - 60 * kMinute);
    done.status = kOutSent;  // not pending
    o.add(done);
    OutboxRow dev = pending("dev", w.now - 60 * kMinute);
    dev.status = kOutDevMailbox;  // never sent: not pending either
    o.add(dev);
    OutboxRow retry = pending("retry", w.now - kMinute);
    retry.status = kOutFailedTemporary;  // to be retried: pending
    o.add(retry);

    b = o.backlog(100);
    CHECK(b.pending == 6);
    REQUIRE(b.earliest_due);
    CHECK(*b.earliest_due == w.now - kMinute);
    CHECK(o.backlog(3).pending == 3);  // bounded
    CHECK(o.backlog(1).earliest_due == b.earliest_due);
    w.store->ping();  // the database answers
}
