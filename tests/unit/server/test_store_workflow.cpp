// Store tests through the interface, continued: routing and conversations, their
// status, ratings and phone reveals, sign-in links and sessions, attachments.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "server/domain/seed.h"
#include "tests/unit/server/store_world.h"

using namespace parley;
using namespace parley::server;
using namespace parley::server::testing;

TEST_CASE("store: routing prefers a distributor over an area manager and copies the auto-CC people", "[store]") {
    World w;
    auto member = [&](const std::string& name, const std::string& role, std::vector<std::string> zones, bool auto_cc) {
        int64_t id = w.store->add_user(make_user(name, role, w.m));
        w.store->set_network_member(id, w.m, zones, auto_cc);
        return id;
    };
    const int64_t am = member("Area", "area_manager", {"ES", "PT"}, false);
    const int64_t dist = member("Dist", "distributor", {"FR", "ES"}, false);
    const int64_t am_it = member("Italia", "area_manager", {"IT"}, false);
    const int64_t copy = member("Copy", "area_manager", {}, true);
    // A network member of another manufacturer covering ES never gets M's requests.
    int64_t other_m = w.store->add_user(make_user("Other maker", "manufacturer"));
    int64_t other_d = w.store->add_user(make_user("Other dist", "distributor", other_m));
    w.store->set_network_member(other_d, other_m, {"ES"}, true);

    auto net = w.store->network(w.m);
    REQUIRE(net.size() == 4);
    auto nm = w.store->network_member(dist);
    REQUIRE(nm);
    CHECK(nm->zones == std::vector<std::string>{"FR", "ES"});
    CHECK(nm->manufacturer_id == w.m);

    SECTION("ES: both cover it; the distributor gets it") {
        RequestRecord r{0, w.a, w.m, "Pump", "Need pumps", "ES", "es", 10'000};
        auto events = open_request(*w.store, r, 10'000);
        auto d = w.store->request_data(r.id);
        REQUIRE(d);
        REQUIRE(d->conversations.size() == 2);
        const auto& root = d->conversations[0];
        const auto& routed = d->conversations[1];
        CHECK(root.origin == "received");
        CHECK(root.seller_id == w.m);
        CHECK(routed.origin == "routed");
        CHECK(routed.seller_id == dist);
        CHECK(routed.parent_id == root.id);

        const EventRecord* ev = find_kind(events, "routed");
        REQUIRE(ev);
        CHECK(ev->audience == Audience::sellers);
        CHECK(ev->event.conversation_id == routed.id);
        CHECK(ev->event.target_id == dist);
        CHECK(ev->event.target_name == "Dist");
        CHECK(ev->event.text == "ES");
        CHECK(ev->event.target_role == "distributor");
        // Read back with the request, the role comes from the users table.
        auto stored = std::find_if(d->events.begin(), d->events.end(),
                                   [](const EventRecord& e) { return e.event.kind == "routed"; });
        REQUIRE(stored != d->events.end());
        CHECK(stored->event.target_role == "distributor");
        CHECK(ev->event.actor_id == w.m);
        CHECK(ev->event.id > 0);

        // The auto-CC person joined the manufacturer's conversation (with its rights).
        const EventRecord* cc = find_kind(events, "cc_added");
        REQUIRE(cc);
        CHECK(cc->audience == Audience::conversation_sellers);
        CHECK(cc->event.conversation_id == root.id);
        CHECK(cc->event.target_id == copy);
        CHECK(cc->event.text == "auto");
        CHECK(events.size() == 2);
        auto f = d->facts();
        CHECK(f.conversation(root.id)->has_member(copy));
        CHECK(f.conversation(root.id)->has_member(w.m));
        CHECK_FALSE(f.conversation(routed.id)->has_member(copy));
        CHECK(f.conversation(routed.id)->members == std::vector<int64_t>{dist});
        for (const auto& p : d->participants)
            if (p.user.id == copy) {
                CHECK(p.via == "auto_cc");
                CHECK(p.added_by == w.m);
            }
        CHECK_FALSE(f.conversation(root.id)->has_member(am));
        CHECK_FALSE(f.conversation(root.id)->has_member(other_d));

        // Inboxes: the distributor and the copy see it; the area manager does not.
        auto in_d = w.store->inbox(dist);
        REQUIRE(in_d.size() == 1);
        CHECK(in_d[0].id == r.id);
        CHECK(in_d[0].status == "to_answer");
        CHECK(w.store->inbox(copy).size() == 1);
        CHECK(w.store->inbox(am).empty());
        CHECK(w.store->inbox(other_d).empty());
        // The manufacturer's row names the handler.
        auto in_m = w.store->inbox(w.m);
        CHECK(w.row(in_m, r.id)->handler_name == "Dist");

        // The distributor answers: the manufacturer's row counts it as answered, without
        // counting (or showing) the distributor's message.
        w.store->post_message(routed.id, dist, "Bonjour", "d-1", 11'000);
        in_m = w.store->inbox(w.m);
        CHECK(w.row(in_m, r.id)->status == "answered");
        CHECK(w.row(in_m, r.id)->message_count == 0);
        CHECK(w.row(in_m, r.id)->snippet == "Need pumps");
        auto in_a = w.store->inbox(w.a);
        CHECK(w.row(in_a, r.id)->message_count == 1);  // the buyer sees every conversation
        CHECK(w.row(in_a, r.id)->status == "answered");
    }

    SECTION("IT: only an area manager covers it") {
        RequestRecord r{0, w.a, w.m, "Pump", "Servono pompe", "IT", "it", 10'000};
        auto events = open_request(*w.store, r, 10'000);
        auto d = w.store->request_data(r.id);
        REQUIRE(d->conversations.size() == 2);
        CHECK(d->conversations[1].seller_id == am_it);
        CHECK(d->conversations[1].origin == "routed");
        CHECK(find_kind(events, "routed"));
        CHECK(find_kind(events, "cc_added"));
    }

    SECTION("JP: no zone matches, no routing and no copies") {
        RequestRecord r{0, w.a, w.m, "Pump", "Pumps please", "JP", "ja", 10'000};
        auto events = open_request(*w.store, r, 10'000);
        CHECK(events.empty());
        auto d = w.store->request_data(r.id);
        REQUIRE(d->conversations.size() == 1);
        CHECK(d->conversations[0].origin == "received");
        CHECK(d->participants.size() == 1);
        CHECK(d->events.empty());
    }

    SECTION("an auto-CC member who is the routing target is not copied twice") {
        w.store->set_network_member(dist, w.m, {"FR", "ES"}, true);
        RequestRecord r{0, w.a, w.m, "Pump", "Need pumps", "FR", "fr", 10'000};
        auto events = open_request(*w.store, r, 10'000);
        int ccs = 0;
        for (const auto& e : events) ccs += e.event.kind == "cc_added";
        CHECK(ccs == 1);  // "Copy" only
        auto f = w.store->facts(r.id);
        CHECK_FALSE(f->conversation(f->root())->has_member(dist));
    }

    SECTION("removing a member stops routing to them") {
        CHECK(w.store->remove_network_member(w.m, dist));
        CHECK_FALSE(w.store->remove_network_member(w.m, dist));
        CHECK_FALSE(w.store->remove_network_member(other_m, am));  // not theirs
        RequestRecord r{0, w.a, w.m, "Pump", "Need pumps", "ES", "es", 10'000};
        open_request(*w.store, r, 10'000);
        auto d = w.store->request_data(r.id);
        REQUIRE(d->conversations.size() == 2);
        CHECK(d->conversations[1].seller_id == am);
    }
}

TEST_CASE("store: conversation status, ratings and phone reveals", "[store]") {
    World w;
    w.store->set_conversation_status(w.ca, "declined", "other", "too far", 50);
    auto d = w.store->request_data(w.ra);
    CHECK(d->conversations[0].status == "declined");
    CHECK(d->conversations[0].decline_reason == "other");
    CHECK(d->conversations[0].decline_text == "too far");
    CHECK(w.store->facts(w.ra)->conversations[0].status == "declined");
    CHECK_THROWS_AS(w.store->set_conversation_status(w.ca, "maybe", "", "", 60), StoreError);

    w.store->set_rating(w.ca, 4, "ok", 70);
    w.store->set_rating(w.ca, 5, "great", 80);  // a second rating replaces the first
    d = w.store->request_data(w.ra);
    REQUIRE(d->ratings.size() == 1);
    CHECK(d->ratings[0].rating.stars == 5);
    CHECK(d->ratings[0].rating.comment == "great");
    CHECK_THROWS_AS(w.store->set_rating(w.ca, 6, "", 90), StoreError);

    CHECK_FALSE(w.store->phone_revealed(w.m, w.ra));
    CHECK(w.store->reveal_phone(w.m, w.ra, 100));
    CHECK_FALSE(w.store->reveal_phone(w.m, w.ra, 110));  // logged once
    CHECK(w.store->phone_revealed(w.m, w.ra));
    CHECK_FALSE(w.store->phone_revealed(w.m, w.rb));
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

// ---------------------------------------------------------------- attachments

namespace {
Attachment pending(int64_t conversation, int64_t uploader, const std::string& name) {
    Attachment a;
    a.conversation_id = conversation;
    a.uploader_id = uploader;
    a.name = name;
    a.type = "application/pdf";
    a.kind = "quote";
    a.size = 123;
    a.sha256 = std::string(64, 'a');
    a.created = 50;
    return a;
}
}  // namespace

TEST_CASE("store: attachments are pending until a message names them", "[store][attachments]") {
    World w;
    Attachment a = w.store->add_attachment(pending(w.ca, w.m, "quote.pdf"));
    CHECK(a.id > 0);
    auto rec = w.store->attachment(a.id);
    REQUIRE(rec);
    CHECK(rec->request_id == w.ra);
    CHECK(rec->attachment.message_id == 0);
    CHECK(rec->attachment.name == "quote.pdf");
    CHECK(rec->attachment.kind == "quote");
    CHECK_FALSE(w.store->attachment(a.id + 100));

    auto p = w.store->post_message(w.ca, w.m, "", "k-att", 100, {a.id});
    REQUIRE(p.created);
    REQUIRE(p.message.attachments.size() == 1);
    CHECK(p.message.attachments[0].id == a.id);
    CHECK(p.message.attachments[0].message_id == p.message.id);
    CHECK(w.store->attachment(a.id)->attachment.message_id == p.message.id);

    // An attachments-only message: the inbox snippet is the file's name.
    CHECK(w.row(w.store->inbox(w.a), w.ra)->snippet == "quote.pdf");

    // The request data carries them on the message.
    auto d = w.store->request_data(w.ra);
    REQUIRE(d->messages.size() == 1);
    REQUIRE(d->messages[0].attachments.size() == 1);
    CHECK(d->messages[0].attachments[0].name == "quote.pdf");

    // A replay with the same key returns the same message with its attachments.
    auto again = w.store->post_message(w.ca, w.m, "", "k-att", 200, {a.id});
    CHECK_FALSE(again.created);
    CHECK_FALSE(again.invalid_attachment);
    CHECK(again.message.id == p.message.id);
    REQUIRE(again.message.attachments.size() == 1);

    // Already attached → invalid (a new key).
    auto twice = w.store->post_message(w.ca, w.m, "x", "k-att-2", 300, {a.id});
    CHECK(twice.invalid_attachment);
    CHECK_FALSE(twice.created);
}

TEST_CASE("store: only the author's pending uploads of that conversation", "[store][attachments]") {
    World w;
    Attachment mine = w.store->add_attachment(pending(w.ca, w.m, "a.pdf"));
    Attachment buyers = w.store->add_attachment(pending(w.ca, w.a, "b.pdf"));
    Attachment other_conv = w.store->add_attachment(pending(w.cb, w.m, "c.pdf"));
    CHECK(w.store->post_message(w.ca, w.m, "x", "k1", 100, {buyers.id}).invalid_attachment);
    CHECK(w.store->post_message(w.ca, w.m, "x", "k2", 100, {other_conv.id}).invalid_attachment);
    CHECK(w.store->post_message(w.ca, w.m, "x", "k3", 100, {mine.id, mine.id}).invalid_attachment);
    CHECK(w.store->post_message(w.ca, w.m, "x", "k4", 100, {mine.id, 9999}).invalid_attachment);
    // Nothing was stored by the refused posts, and `mine` is still pending.
    CHECK(w.store->request_data(w.ra)->messages.empty());
    CHECK(w.store->attachment(mine.id)->attachment.message_id == 0);
    auto ok = w.store->post_message(w.ca, w.m, "with file", "k5", 100, {mine.id});
    CHECK(ok.created);
    CHECK(ok.message.attachments.size() == 1);
}
