// Seller score (Store::seller_score) on fixed fixtures with answers worked out by hand.
// Rules (FEATURES.md, seller score): per seller, over the conversations they first received
// (received by the manufacturer, or routed to a network member) in the last 90 days:
// - response rate = answered or declined within 5 days / requests already decided
//   (answered, or unanswered and older than 5 days); declining counts as answering;
// - median first-response time (a decline is a response);
// - forwarded requests count for whoever first received them: an answer in a
//   conversation forwarded/routed from theirs (parent_id) is their answer; the
//   forwardee's own "forwarded" conversation does not count for the forwardee.
#include <catch2/catch.hpp>

#include <string>

#include "server/store/store.h"
#include "tests/unit/server/store_fixture.h"

using namespace parley;
using namespace parley::server;

namespace {

constexpr Millis kH = 3600LL * 1000;
constexpr Millis kD = 24 * kH;
constexpr Millis kNow = 400 * kD;

struct ScoreWorld {
    testing::TempStore db{"score"};
    std::unique_ptr<Store> store;
    int64_t maker = 0, maker2 = 0, routed_dist = 0, fwd_dist = 0, buyer = 0, fresh = 0;

    ScoreWorld() {
        store = std::move(db.open().main);
        auto add = [&](const char* name, const char* role, int64_t org) {
            UserRecord u;
            u.name = name;
            u.role = role;
            u.org_id = org;
            return store->add_user(u);
        };
        maker = add("Maker", "manufacturer", 0);
        maker2 = add("Maker two", "manufacturer", 0);
        routed_dist = add("Routed distributor", "distributor", maker);
        fwd_dist = add("Forwarded distributor", "distributor", maker);
        fresh = add("Fresh", "area_manager", maker);
        buyer = add("Buyer", "buyer", 0);
    }
    // A request to `to`, created `age` before now; returns its "received" conversation.
    int64_t request(int64_t to, Millis age) {
        Millis t = kNow - age;
        int64_t r = store->add_request(RequestRecord{0, buyer, to, "p", "m", "ES", "es", t});
        return store->add_conversation(r, to, "received", 0, t).first;
    }
    Millis created(int64_t conversation) {
        auto d = request_data_of(conversation);
        for (const auto& c : d.conversations)
            if (c.id == conversation) return c.created;
        FAIL("no conversation");
        return 0;
    }
    RequestData request_data_of(int64_t conversation) {
        for (int64_t r = 1;; ++r) {
            auto d = store->request_data(r);
            if (!d) break;
            for (const auto& c : d->conversations)
                if (c.id == conversation) return *d;
        }
        FAIL("no request");
        return {};
    }
    // A conversation routed/forwarded from `parent` to `seller`, at the parent's time + after.
    int64_t child(int64_t parent, int64_t seller, const char* origin, Millis after) {
        auto d = request_data_of(parent);
        return store->add_conversation(d.request.id, seller, origin, parent, created(parent) + after).first;
    }
    void say(int64_t conversation, int64_t author, Millis after) {
        store->add_message(conversation, author, "text", created(conversation) + after);
    }
    void say_at(int64_t conversation, int64_t author, Millis at) { store->add_message(conversation, author, "text", at); }
    void decline(int64_t conversation, Millis after) {
        store->set_conversation_status(conversation, "declined", "not_my_product", "", created(conversation) + after);
    }
};

}  // namespace

TEST_CASE("score: nothing received yet", "[score]") {
    ScoreWorld w;
    SellerScore s = w.store->seller_score(w.fresh, kNow);
    CHECK(s.received == 0);
    CHECK(s.answered_in_time == 0);
    CHECK(s.counted == 0);
    CHECK(s.response_rate == -1);
    CHECK(s.median_first_response == -1);
}

TEST_CASE("score: response rate, window, young requests, declines, forwards and routing", "[score]") {
    ScoreWorld w;
    const int64_t M = w.maker, B = w.buyer;

    // The manufacturer's requests (age = how long before now it was received):
    const int64_t r1 = w.request(M, 10 * kD);
    w.say(r1, M, 2 * kH);  // answered after 2 h: in time
    const int64_t r2 = w.request(M, 20 * kD);
    w.say(r2, M, 3 * kD);  // after 3 days: in time
    w.say(r2, M, 3 * kD + kH);  // a second answer changes nothing
    const int64_t r3 = w.request(M, 30 * kD);
    w.decline(r3, 1 * kD);  // declined after 1 day: counts as an answer in time
    const int64_t r4 = w.request(M, 40 * kD);
    w.say(r4, M, 6 * kD);  // after 6 days: decided but late
    const int64_t r5 = w.request(M, 50 * kD);  // never answered, older than 5 days: counted, not in time
    (void)r5;
    const int64_t r6 = w.request(M, 2 * kD);  // never answered, 2 days old: not counted yet
    (void)r6;
    const int64_t r7 = w.request(M, 3 * kD);
    w.say(r7, M, 1 * kH);  // 3 days old but answered after 1 h: counted, in time
    const int64_t r8 = w.request(M, 100 * kD);
    w.say(r8, M, 1 * kH);  // older than 90 days: excluded altogether
    const int64_t r9 = w.request(M, 60 * kD);
    w.say(r9, B, 1 * kH);  // the buyer's follow-up is not an answer
    w.say(r9, M, 4 * kD);  // answered after 4 days: in time
    const int64_t r10 = w.request(M, 70 * kD);
    const int64_t r10f = w.child(r10, w.fwd_dist, "forwarded", 1 * kH);  // forwarded after 1 h...
    w.say_at(r10f, w.fwd_dist, w.created(r10) + 12 * kH);  // ...answered by the forwardee 12 h after receipt
    const int64_t r12 = w.request(M, 15 * kD);
    const int64_t r12r = w.child(r12, w.routed_dist, "routed", 0);  // routed at once
    w.say(r12r, B, 1 * kH);  // the buyer writes to the distributor first: not an answer
    w.say(r12r, w.routed_dist, 5 * kH);  // the distributor answers after 5 h

    // Manufacturer, by hand:
    //   received (in the 90-day window): r1 r2 r3 r4 r5 r6 r7 r9 r10 r12 = 10 (r8 is 100 days old)
    //   first response: r1 2h, r2 3d, r3 1d (decline), r4 6d, r7 1h, r9 4d,
    //                   r10 12h (forwardee), r12 5h (routed distributor); r5 r6 none
    //   answered in time (<= 5 days): r1 r2 r3 r7 r9 r10 r12 = 7
    //   counted: the 8 answered + r5 (unanswered, 50 days) = 9; r6 (2 days) not yet
    //   response rate: 7 / 9 = 77.8 % -> 78
    //   median of the 8 delays 1h 2h 5h 12h 24h 72h 96h 144h: (12h + 24h) / 2 = 18h
    SellerScore m = w.store->seller_score(M, kNow);
    CHECK(m.received == 10);
    CHECK(m.answered_in_time == 7);
    CHECK(m.counted == 9);
    CHECK(m.response_rate == 78);
    CHECK(m.median_first_response == 18 * kH);

    // The routed distributor: r12's routed conversation (received 15 days ago),
    // answered after 5 h by them: 1 received, 1 in time, 1 counted, 100 %, median 5 h.
    SellerScore rd = w.store->seller_score(w.routed_dist, kNow);
    CHECK(rd.received == 1);
    CHECK(rd.answered_in_time == 1);
    CHECK(rd.counted == 1);
    CHECK(rd.response_rate == 100);
    CHECK(rd.median_first_response == 5 * kH);

    // The forwardee's own "forwarded" conversation does not count for them.
    SellerScore fd = w.store->seller_score(w.fwd_dist, kNow);
    CHECK(fd.received == 0);
    CHECK(fd.counted == 0);
    CHECK(fd.response_rate == -1);
    CHECK(fd.median_first_response == -1);

    // Time moves on 4 more days: r6 (now 6 days old, unanswered) becomes counted, and
    // r5 (54 days), r4 etc. stay in; nothing leaves the window yet (r10 is 74 days old).
    //   counted 10, in time 7 -> 70 %; delays unchanged -> 18h.
    SellerScore later = w.store->seller_score(M, kNow + 4 * kD);
    CHECK(later.received == 10);
    CHECK(later.counted == 10);
    CHECK(later.answered_in_time == 7);
    CHECK(later.response_rate == 70);
    CHECK(later.median_first_response == 18 * kH);

    // 25 days later r10 (70 + 25 = 95 days old) has left the window; r9 (85) is still in:
    //   received r1 r2 r3 r4 r5 r6 r7 r9 r12 = 9
    //   in time: r1 r2 r3 r7 r9 r12 = 6; counted: all 9 (everything is older than 5 days)
    //   rate 6 / 9 = 66.7 -> 67; delays 1h 2h 5h 24h 72h 96h 144h (odd count, 7): median 24h
    SellerScore much_later = w.store->seller_score(M, kNow + 25 * kD);
    CHECK(much_later.received == 9);
    CHECK(much_later.answered_in_time == 6);
    CHECK(much_later.counted == 9);
    CHECK(much_later.response_rate == 67);
    CHECK(much_later.median_first_response == 24 * kH);
}

TEST_CASE("score: medians of odd and even counts, the 5-day and 90-day boundaries", "[score]") {
    ScoreWorld w;
    const int64_t M2 = w.maker2, R = w.routed_dist;

    // Second manufacturer; two requests routed to the distributor, two answered by M2:
    const int64_t a = w.request(M2, 8 * kD);
    w.say(w.child(a, R, "routed", 0), R, 2 * kD);  // distributor: 2 days
    const int64_t b = w.request(M2, 9 * kD);
    w.say(w.child(b, R, "routed", 0), R, 1 * kH);  // distributor: 1 h
    const int64_t c = w.request(M2, 30 * kD);
    w.say(c, M2, 5 * kD);  // exactly 5 days: still in time
    const int64_t d = w.request(M2, 40 * kD);
    w.say(d, M2, 5 * kD + 1);  // 1 ms over: late
    const int64_t e = w.request(M2, 90 * kD);
    w.say(e, M2, 1 * kH);  // received exactly 90 days ago: outside the window
    const int64_t f = w.request(M2, 5 * kD);  // exactly 5 days old, unanswered: not counted yet
    (void)f;

    // M2: received a b c d f = 5 (e is out)
    //     first responses: a 2d, b 1h (through the routed conversations), c 5d, d 5d+1ms
    //     in time: a b c = 3; counted: a b c d = 4 (f is not older than 5 days)
    //     rate 3 / 4 = 75 %; median of 1h 2d 5d 5d+1ms (even): (2d + 5d) / 2 = 3.5 d
    SellerScore m = w.store->seller_score(M2, kNow);
    CHECK(m.received == 5);
    CHECK(m.answered_in_time == 3);
    CHECK(m.counted == 4);
    CHECK(m.response_rate == 75);
    CHECK(m.median_first_response == 84 * kH);

    // One millisecond later f is older than 5 days: counted, not in time.
    //     rate 3 / 5 = 60 %
    SellerScore m1 = w.store->seller_score(M2, kNow + 1);
    CHECK(m1.received == 5);
    CHECK(m1.counted == 5);
    CHECK(m1.response_rate == 60);

    // Distributor: a third routed conversation of the first manufacturer, answered after 5 h:
    //     delays 1h 5h 2d (odd): median 5 h; 3 received, 3 in time, 100 %.
    const int64_t g = w.request(w.maker, 12 * kD);
    w.say(w.child(g, R, "routed", 0), R, 5 * kH);
    SellerScore r = w.store->seller_score(R, kNow);
    CHECK(r.received == 3);
    CHECK(r.answered_in_time == 3);
    CHECK(r.counted == 3);
    CHECK(r.response_rate == 100);
    CHECK(r.median_first_response == 5 * kH);

    // A single answer is its own median; a declined one without messages too.
    SellerScore one = w.store->seller_score(w.maker, kNow);
    CHECK(one.received == 1);
    CHECK(one.median_first_response == 5 * kH);
    const int64_t h = w.request(w.maker, 20 * kD);
    w.decline(h, 3 * kD);
    // maker: g 5h, h 3d (decline) -> median (5h + 72h) / 2 = 38.5 h; 2 of 2 in time.
    SellerScore two = w.store->seller_score(w.maker, kNow);
    CHECK(two.received == 2);
    CHECK(two.answered_in_time == 2);
    CHECK(two.response_rate == 100);
    CHECK(two.median_first_response == 38 * kH + 30 * 60 * 1000);
    // A decline after a first answer does not move the first response.
    const int64_t i = w.request(w.maker, 25 * kD);
    w.say(i, w.maker, 1 * kH);
    w.decline(i, 7 * kD);
    // maker: 1h 5h 72h (odd): median 5 h; 3 of 3 in time.
    SellerScore three = w.store->seller_score(w.maker, kNow);
    CHECK(three.received == 3);
    CHECK(three.answered_in_time == 3);
    CHECK(three.median_first_response == 5 * kH);
    // Rounding of the rate to the nearest percent.
    const int64_t j = w.request(w.maker, 26 * kD);
    (void)j;  // unanswered, old: maker 3 in time of 4 -> 75
    CHECK(w.store->seller_score(w.maker, kNow).response_rate == 75);
    const int64_t k = w.request(w.maker, 27 * kD);
    (void)k;  // 3 of 5 -> 60
    CHECK(w.store->seller_score(w.maker, kNow).response_rate == 60);
    const int64_t l = w.request(w.maker, 28 * kD);
    (void)l;  // 3 of 6 -> 50
    CHECK(w.store->seller_score(w.maker, kNow).response_rate == 50);
    const int64_t n = w.request(w.maker, 29 * kD);
    (void)n;  // 3 of 7 = 42.86 -> 43
    CHECK(w.store->seller_score(w.maker, kNow).response_rate == 43);
}

TEST_CASE("score: a decline or an answer further down the hand-over chain counts for the first receiver",
          "[score]") {
    ScoreWorld w;
    const int64_t M = w.maker;
    // r1: forwarded to a distributor, who declines after 2 days → answered in 2 days.
    const int64_t r1 = w.request(M, 20 * kD);
    const int64_t r1f = w.child(r1, w.fwd_dist, "forwarded", 1 * kH);
    w.store->set_conversation_status(r1f, "declined", "cannot_deliver", "", w.created(r1) + 2 * kD);
    // r2: routed, then handed on again; the grandchild answers after 4 days → in time.
    const int64_t r2 = w.request(M, 30 * kD);
    const int64_t r2r = w.child(r2, w.routed_dist, "routed", 0);
    const int64_t r2g = w.store->add_conversation(w.request_data_of(r2).request.id, w.fwd_dist, "forwarded", r2r,
                                                  w.created(r2) + kD).first;
    w.say_at(r2g, w.fwd_dist, w.created(r2) + 4 * kD);
    // r3: a grandchild answers only after 7 days → counted, late.
    const int64_t r3 = w.request(M, 40 * kD);
    const int64_t r3r = w.child(r3, w.routed_dist, "routed", 0);
    const int64_t r3g = w.store->add_conversation(w.request_data_of(r3).request.id, w.fwd_dist, "forwarded", r3r,
                                                  w.created(r3) + kD).first;
    w.say_at(r3g, w.fwd_dist, w.created(r3) + 7 * kD);

    SellerScore s = w.store->seller_score(M, kNow);
    CHECK(s.received == 3);
    CHECK(s.counted == 3);
    CHECK(s.answered_in_time == 2);   // r1 (decline, 2 d) and r2 (4 d)
    CHECK(s.response_rate == 67);     // 2/3 rounded
    CHECK(s.median_first_response == 4 * kD);  // delays 2 d, 4 d, 7 d
}
