// build_detail: what each viewer gets of one request, from hand-made RequestData.
#include <catch2/catch.hpp>

#include <algorithm>

#include "server/domain/detail.h"

using namespace parley;
using namespace parley::server;

namespace {

UserRecord person(int64_t id, const char* name, const char* role) {
    UserRecord u;
    u.id = id;
    u.name = name;
    u.role = role;
    u.company = std::string(name) + " Co";
    u.phone = id == 2 ? "+33 1 23 45 67 89" : "";
    return u;
}

// Request 7 of buyer 2 to manufacturer 1: conversation 10 (the manufacturer, with
// colleague 5 in copy) and 11 (distributor 3, routed from 10).
RequestData sample() {
    RequestData d;
    d.request = RequestRecord{7, 2, 1, "Pump", "Need 10 pumps", "FR", "fr", 1000};
    d.buyer = person(2, "Buyer", kRoleBuyer);
    d.manufacturer = person(1, "Maker", kRoleManufacturer);
    d.conversations = {{10, 7, 1, 0, "received", "open", "", "", 1000},
                       {11, 7, 3, 10, "routed", "declined", "other", "too far", 1000}};
    d.participants = {{10, person(1, "Maker", kRoleManufacturer), "owner", 0},
                      {10, person(5, "Colleague", kRoleGuest), "cc", 1},
                      {11, person(3, "Distributor", kRoleDistributor), "owner", 0}};
    auto msg = [](int64_t id, int64_t conv, int64_t author, const char* name, const char* role, const char* body,
                  Millis created) {
        Message m;
        m.id = id;
        m.request_id = 7;
        m.conversation_id = conv;
        m.author_id = author;
        m.author_name = name;
        m.author_role = role;
        m.body = body;
        m.created = created;
        return m;
    };
    d.messages = {msg(104, 11, 2, "Buyer", "buyer", "to distributor", 1400),
                  msg(103, 11, 3, "Distributor", "distributor", "distributor answer", 1300),
                  msg(102, 10, 1, "Maker", "manufacturer", "maker answer", 1200),
                  msg(101, 10, 2, "Buyer", "buyer", "to maker", 1100)};
    auto ev = [](int64_t id, int64_t conv, const char* kind, Audience a, int64_t actor) {
        EventRecord e;
        e.event.id = id;
        e.event.request_id = 7;
        e.event.conversation_id = conv;
        e.event.kind = kind;
        e.event.actor_id = actor;
        e.audience = a;
        return e;
    };
    d.events = {ev(1, 11, "routed", Audience::sellers, 1),         ev(2, 10, "phone_revealed", Audience::conversation_sellers, 1),
                ev(3, 11, "answered", Audience::sellers, 3),       ev(4, 10, "read", Audience::conversation, 2),
                ev(5, 11, "declined", Audience::conversation, 3),  ev(6, 10, "cc_added", Audience::conversation_sellers, 1)};
    d.reads = {{2, 10, 102, 1250}, {1, 10, 102, 1200}, {5, 10, 101, 1150}, {3, 11, 103, 1300}, {2, 11, 103, 1350}};
    d.ratings = {{10, Rating{4, "good", 1500}}};
    return d;
}

std::vector<int64_t> message_ids(const RequestDetail& d) {
    std::vector<int64_t> out;
    for (const auto& m : d.messages) out.push_back(m.id);
    return out;
}
std::vector<std::string> event_kinds(const RequestDetail& d) {
    std::vector<std::string> out;
    for (const auto& e : d.events) out.push_back(e.kind);
    return out;
}
RequestDetail view_as(int64_t user, const char* role, bool revealed = false) {
    RequestData d = sample();
    return build_detail(d, access_of(user, role, d.facts()), revealed);
}

}  // namespace

TEST_CASE("detail: the manufacturer sees its conversation and the network's milestones only", "[detail]") {
    auto d = view_as(1, kRoleManufacturer);
    CHECK(message_ids(d) == std::vector<int64_t>{102, 101});
    CHECK(event_kinds(d) == std::vector<std::string>{"routed", "phone_revealed", "answered", "read", "cc_added"});
    REQUIRE(d.conversations.size() == 1);
    CHECK(d.conversations[0].participants.size() == 2);
    CHECK(d.conversations[0].rating.stars == 4);
    // The buyer's mark (102) is the other side's; the colleague's is the same side.
    CHECK(d.conversations[0].other_read_id == 102);
    CHECK(d.conversations[0].other_read_at == 1250);
    CHECK(d.my_conversation == 10);
    CHECK(d.phone.empty());
    CHECK(d.can.reveal_phone);
    CHECK(d.can.decline);
}

TEST_CASE("detail: the phone appears once revealed, and the button goes", "[detail]") {
    auto d = view_as(1, kRoleManufacturer, true);
    CHECK(d.phone == "+33 1 23 45 67 89");
    CHECK_FALSE(d.can.reveal_phone);
}

TEST_CASE("detail: a CC has exactly the rights of who added them", "[detail]") {
    auto d = view_as(5, kRoleGuest);
    CHECK(message_ids(d) == std::vector<int64_t>{102, 101});
    CHECK(d.my_conversation == 10);
    // Milestones of another conversation reach the manufacturer's conversation.
    auto kinds = event_kinds(d);
    CHECK(std::count(kinds.begin(), kinds.end(), "answered") == 1);
}

TEST_CASE("detail: the distributor sees its own conversation, not the manufacturer's", "[detail]") {
    auto d = view_as(3, kRoleDistributor);
    CHECK(message_ids(d) == std::vector<int64_t>{104, 103});
    CHECK(event_kinds(d) == std::vector<std::string>{"routed", "answered", "declined"});
    REQUIRE(d.conversations.size() == 1);
    CHECK(d.conversations[0].decline_reason == "other: too far");
    CHECK_FALSE(d.can.decline);  // already declined
    CHECK_FALSE(d.can.close);
    CHECK(d.can.reply);
}

TEST_CASE("detail: the buyer sees every conversation and no seller-side event", "[detail]") {
    auto d = view_as(2, kRoleBuyer);
    CHECK(message_ids(d) == std::vector<int64_t>{104, 103, 102, 101});
    CHECK(event_kinds(d) == std::vector<std::string>{"read", "declined"});
    REQUIRE(d.conversations.size() == 2);
    for (const auto& c : d.conversations) {
        CHECK(c.participants.empty());     // who is in copy is the seller side's business
        CHECK(c.decline_reason.empty());   // the free text stays on the seller side
    }
    CHECK(d.conversations[0].other_read_id == 102);  // the seller side's newest mark
    CHECK(d.phone == "+33 1 23 45 67 89");           // their own number
    CHECK(d.manufacturer_name == "Maker");           // whom they asked heads their page
    CHECK(d.manufacturer_company == "Maker Co");
    CHECK(d.can.rate);
    CHECK_FALSE(d.can.cc);
    CHECK_FALSE(d.can.reveal_phone);
}

TEST_CASE("detail: anyone else gets nothing", "[detail]") {
    for (auto [user, role] : {std::pair<int64_t, const char*>{9, kRoleDistributor}, {0, kRoleBuyer}, {8, kRoleBuyer}}) {
        auto d = view_as(user, role);
        CHECK(d.messages.empty());
        CHECK(d.events.empty());
        CHECK(d.conversations.empty());
        CHECK_FALSE(d.can.reply);
    }
}
