// The visibility rules (server/domain/policy.h) as tables, on hand-built facts (no database).
// Every expected value below is written from FEATURES.md "Visibility rights" and
// docs/API.md, not computed from the policy:
// - each conversation is between the buyer and one seller-side party; the manufacturer
//   sees *that* a distributor answered / closed (request-wide "sellers" events), never
//   the distributor's messages, and vice versa;
// - a co-recipient (CC, forward to an address, auto-CC) has exactly the rights of whoever
//   added them: they are participants of that person's conversation;
// - the buyer sees all their conversations but never seller-side events;
// - everyone else sees nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "net/wire.h"
#include "server/domain/policy.h"

using namespace parley;
using namespace parley::server;

namespace {

// The cast (user ids).
constexpr int64_t kBuyer = 1;
constexpr int64_t kMaker = 2;       // the manufacturer who received the request
constexpr int64_t kArea = 3;        // an area manager, auto-CC of the manufacturer's conversation
constexpr int64_t kDistA = 4;       // distributor A: the request was routed to them (conversation 20)
constexpr int64_t kDistB = 5;       // distributor B: another zone, not on the request
constexpr int64_t kCcMaker = 6;     // put in copy by the manufacturer
constexpr int64_t kCcA = 7;         // put in copy by distributor A
constexpr int64_t kFwdMaker = 8;    // the manufacturer forwarded to this address (a guest)
constexpr int64_t kStranger = 9;    // a manufacturer of another organisation
constexpr int64_t kOtherBuyer = 11;  // a buyer of another request

constexpr int64_t kRoot = 10;  // the manufacturer's conversation
constexpr int64_t kConvA = 20;  // distributor A's conversation
constexpr int64_t kConvB = 30;  // distributor B's (only in the second fixture)
constexpr int64_t kMissing = 999;

ConversationFacts conversation(int64_t id, int64_t seller, std::vector<int64_t> members, bool replied = true,
                               const char* status = "open") {
    ConversationFacts c;
    c.id = id;
    c.seller_id = seller;
    c.members = std::move(members);
    c.seller_replied = replied;
    c.status = status;
    return c;
}

// Request 100: the manufacturer's conversation (with the area manager auto-CC, a CC and a
// forward target) and distributor A's routed conversation (with A's CC). Both answered.
RequestFacts request() {
    RequestFacts f;
    f.id = 100;
    f.buyer_id = kBuyer;
    f.manufacturer_id = kMaker;
    f.conversations.push_back(conversation(kRoot, kMaker, {kMaker, kArea, kCcMaker, kFwdMaker}));
    f.conversations.push_back(conversation(kConvA, kDistA, {kDistA, kCcA}));
    return f;
}

// The same request after the manufacturer also forwarded it to distributor B.
RequestFacts request_with_b() {
    RequestFacts f = request();
    f.conversations.push_back(conversation(kConvB, kDistB, {kDistB}));
    return f;
}

struct Who {
    const char* name;
    int64_t user;
    const char* role;
};
const Who kCast[] = {
    {"buyer", kBuyer, kRoleBuyer},
    {"manufacturer", kMaker, kRoleManufacturer},
    {"area manager (auto-CC of the manufacturer)", kArea, kRoleAreaManager},
    {"distributor A (routed)", kDistA, kRoleDistributor},
    {"distributor B (other zone)", kDistB, kRoleDistributor},
    {"CC of the manufacturer", kCcMaker, kRoleGuest},
    {"CC of distributor A", kCcA, kRoleGuest},
    {"forward target of the manufacturer", kFwdMaker, kRoleGuest},
    {"unrelated seller", kStranger, kRoleManufacturer},
    {"another buyer", kOtherBuyer, kRoleBuyer},
    {"signed out", 0, ""},
};

const Who& who(int64_t user) {
    for (const auto& w : kCast)
        if (w.user == user) return w;
    FAIL("no such cast member");
    return kCast[0];
}

Access access(int64_t user, const RequestFacts& f) { return access_of(user, who(user).role, f); }

}  // namespace

TEST_CASE("policy: who is what to the request", "[policy]") {
    const RequestFacts f = request();
    CHECK(f.root() == kRoot);
    CHECK(f.conversation(kConvA)->seller_id == kDistA);
    CHECK(f.conversation(kMissing) == nullptr);
    auto everyone = f.everyone();
    std::sort(everyone.begin(), everyone.end());
    CHECK(everyone == std::vector<int64_t>{kBuyer, kMaker, kArea, kDistA, kCcMaker, kCcA, kFwdMaker});

    struct Row {
        int64_t user;
        bool buyer;
        std::vector<int64_t> conversations;
        int64_t default_conversation;
    };
    const Row rows[] = {
        {kBuyer, true, {kRoot, kConvA}, kRoot},  // every conversation; replies go to the manufacturer
        {kMaker, false, {kRoot}, kRoot},
        {kArea, false, {kRoot}, kRoot},  // the conversation they were copied into
        {kDistA, false, {kConvA}, kConvA},
        {kDistB, false, {}, 0},
        {kCcMaker, false, {kRoot}, kRoot},
        {kCcA, false, {kConvA}, kConvA},
        {kFwdMaker, false, {kRoot}, kRoot},
        {kStranger, false, {}, 0},
        {kOtherBuyer, false, {}, 0},
        {0, false, {}, 0},
    };
    for (const auto& r : rows) {
        INFO(who(r.user).name);
        Access a = access(r.user, f);
        CHECK(a.buyer == r.buyer);
        CHECK(a.conversations == r.conversations);
        CHECK(a.default_conversation == r.default_conversation);
        CHECK(a.any() == (r.buyer || !r.conversations.empty()));
    }

    // The role matters: the buyer's id with a seller role, or a member's id with the
    // buyer role, is nobody.
    CHECK_FALSE(access_of(kBuyer, kRoleManufacturer, f).any());
    CHECK_FALSE(access_of(kMaker, kRoleBuyer, f).any());
    CHECK_FALSE(access_of(kMaker, "admin", f).any());
    CHECK_FALSE(access_of(-kMaker, kRoleManufacturer, f).any());
    // An owner's own conversation is their default even if they joined another first.
    RequestFacts g = request();
    g.conversations[0].members.push_back(kDistA);  // A was also put in copy of the root
    CHECK(access(kDistA, g).default_conversation == kConvA);
    CHECK(access(kDistA, g).conversations == std::vector<int64_t>{kRoot, kConvA});
}

TEST_CASE("policy: actions on the default conversation, per role", "[policy]") {
    const RequestFacts f = request();
    struct Row {
        int64_t user;
        bool view_request, view_messages, reply, mark_read, reveal_phone, cc, forward, decline, close, rate;
    };
    // clang-format off
    const Row rows[] = {
        //             view   msgs   reply  read   phone  cc     fwd    decl   close  rate
        {kBuyer,       true,  true,  true,  true,  false, false, false, false, false, true},
        {kMaker,       true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kArea,        true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kDistA,       true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kDistB,       false, false, false, false, false, false, false, false, false, false},
        {kCcMaker,     true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kCcA,         true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kFwdMaker,    true,  true,  true,  true,  true,  true,  true,  true,  true,  false},
        {kStranger,    false, false, false, false, false, false, false, false, false, false},
        {kOtherBuyer,  false, false, false, false, false, false, false, false, false, false},
        {0,            false, false, false, false, false, false, false, false, false, false},
    };
    // clang-format on
    int cells = 0;
    for (const auto& r : rows) {
        INFO(who(r.user).name);
        Access a = access(r.user, f);
        const bool expected[] = {r.view_request, r.view_messages, r.reply, r.mark_read, r.reveal_phone,
                                 r.cc,           r.forward,       r.decline, r.close,   r.rate};
        size_t i = 0;
        for (Action action : kAllActions) {
            INFO(action_name(action));
            CHECK(allowed(a, f, action) == expected[i++]);
            ++cells;
        }
    }
    CHECK(cells == 11 * 10);
}

TEST_CASE("policy: each conversation's messages only to its own side", "[policy]") {
    const RequestFacts f = request();
    struct Row {
        int64_t user;
        bool root, conv_a;
    };
    const Row rows[] = {
        {kBuyer, true, true},
        {kMaker, true, false},      // the manufacturer does not see A's messages...
        {kArea, true, false},
        {kDistA, false, true},      // ...and A does not see the manufacturer's
        {kDistB, false, false},
        {kCcMaker, true, false},    // the manufacturer's CC: only the manufacturer's conversation
        {kCcA, false, true},        // A's CC: only A's
        {kFwdMaker, true, false},
        {kStranger, false, false},
        {kOtherBuyer, false, false},
        {0, false, false},
    };
    for (const auto& r : rows) {
        INFO(who(r.user).name);
        Access a = access(r.user, f);
        for (Action action : {Action::view_messages, Action::reply, Action::mark_read}) {
            INFO(action_name(action));
            CHECK(allowed(a, f, action, kRoot) == r.root);
            CHECK(allowed(a, f, action, kConvA) == r.conv_a);
            CHECK_FALSE(allowed(a, f, action, kMissing));  // guessing ids gets nothing
        }
        // Seller actions on the other side's conversation are refused too.
        for (Action action : {Action::reveal_phone, Action::cc, Action::forward, Action::decline, Action::close}) {
            INFO(action_name(action));
            const bool seller = !a.buyer;
            CHECK(allowed(a, f, action, kRoot) == (seller && r.root));
            CHECK(allowed(a, f, action, kConvA) == (seller && r.conv_a));
        }
        CHECK(allowed(a, f, Action::rate, kRoot) == (r.user == kBuyer));
        CHECK(allowed(a, f, Action::rate, kConvA) == (r.user == kBuyer));
    }
}

TEST_CASE("policy: rating needs a seller answer; decline only while open; close not after decline", "[policy]") {
    const Access buyer = access(kBuyer, request());
    SECTION("rate") {
        RequestFacts f = request();
        f.conversations[0].seller_replied = false;  // the manufacturer has not answered yet
        CHECK_FALSE(allowed(access(kBuyer, f), f, Action::rate));
        CHECK_FALSE(allowed(access(kBuyer, f), f, Action::rate, kRoot));
        CHECK(allowed(access(kBuyer, f), f, Action::rate, kConvA));  // A has
        f.conversations[1].seller_replied = false;
        CHECK_FALSE(allowed(access(kBuyer, f), f, Action::rate, kConvA));
        // Sellers never rate, answered or not.
        CHECK_FALSE(allowed(access(kMaker, request()), request(), Action::rate));
        CHECK(allowed(buyer, request(), Action::rate));
    }
    SECTION("status") {
        struct Row {
            const char* status;
            bool decline, close, reply;
        };
        const Row rows[] = {
            {"open", true, true, true},
            {"declined", false, false, true},  // declined: no second decline, no close
            {"won", false, true, true},        // closed: may still be marked lost, not declined
            {"lost", false, true, true},
        };
        for (const auto& r : rows) {
            INFO(r.status);
            RequestFacts f = request();
            f.conversations[0].status = r.status;
            for (int64_t u : {kMaker, kArea, kCcMaker, kFwdMaker}) {
                INFO(who(u).name);
                Access a = access(u, f);
                CHECK(allowed(a, f, Action::decline) == r.decline);
                CHECK(allowed(a, f, Action::close) == r.close);
                CHECK(allowed(a, f, Action::reply) == r.reply);
            }
            // The other conversation is not affected.
            CHECK(allowed(access(kDistA, f), f, Action::decline));
            CHECK(allowed(access(kDistA, f), f, Action::close));
            // The buyer may still rate a declined conversation that was answered.
            CHECK(allowed(access(kBuyer, f), f, Action::rate, kRoot));
            CHECK_FALSE(allowed(access(kBuyer, f), f, Action::decline));
            CHECK_FALSE(allowed(access(kBuyer, f), f, Action::close));
        }
    }
}

TEST_CASE("policy: who sees which events", "[policy]") {
    const RequestFacts f = request();
    // Columns: audience on the manufacturer's conversation / on A's conversation. The
    // actor of root events is the manufacturer, of A's events distributor A.
    struct Row {
        int64_t user;
        bool conv_root, conv_a, sellers_side_root, sellers_side_a, sellers_root, sellers_a;
    };
    // clang-format off
    const Row rows[] = {
        //              conversation    conv_sellers    sellers
        //              root   A        root   A        root   A
        {kBuyer,        true,  true,    false, false,   false, false},  // never seller-side events
        {kMaker,        true,  false,   true,  false,   true,  true},   // sees *that* A answered/closed
        {kArea,         true,  false,   true,  false,   true,  true},
        {kDistA,        false, true,    false, true,    true,  true},   // the root's milestones reach A
        {kDistB,        false, false,   false, false,   false, false},
        {kCcMaker,      true,  false,   true,  false,   true,  true},   // = the manufacturer's rights
        {kCcA,          false, true,    false, true,    true,  true},   // = A's rights
        {kFwdMaker,     true,  false,   true,  false,   true,  true},
        {kStranger,     false, false,   false, false,   false, false},
        {kOtherBuyer,   false, false,   false, false,   false, false},
        {0,             false, false,   false, false,   false, false},
    };
    // clang-format on
    for (const auto& r : rows) {
        INFO(who(r.user).name);
        Access a = access(r.user, f);
        CHECK(may_see(a, f, Audience::conversation, kRoot, kMaker) == r.conv_root);
        CHECK(may_see(a, f, Audience::conversation, kConvA, kDistA) == r.conv_a);
        CHECK(may_see(a, f, Audience::conversation_sellers, kRoot, kMaker) == r.sellers_side_root);
        CHECK(may_see(a, f, Audience::conversation_sellers, kConvA, kDistA) == r.sellers_side_a);
        CHECK(may_see(a, f, Audience::sellers, kRoot, kMaker) == r.sellers_root);
        CHECK(may_see(a, f, Audience::sellers, kConvA, kDistA) == r.sellers_a);
        // Events of a conversation that does not exist: nobody but... nobody.
        CHECK_FALSE(may_see(a, f, Audience::conversation, kMissing, kMaker));
        CHECK_FALSE(may_see(a, f, Audience::conversation_sellers, kMissing, kMaker));
    }
    // A read mark or message of the buyer on A's conversation (actor: the buyer) does not
    // reach the manufacturer either.
    CHECK_FALSE(may_see(access(kMaker, f), f, Audience::conversation, kConvA, kBuyer));
    CHECK(may_see(access(kCcA, f), f, Audience::conversation, kConvA, kBuyer));
}

TEST_CASE("policy: two distributors never see each other's events", "[policy]") {
    const RequestFacts f = request_with_b();
    struct Row {
        int64_t user;
        bool sellers_a, sellers_b, sellers_root, side_a, side_b, conv_a, conv_b;
    };
    // clang-format off
    const Row rows[] = {
        //              sellers              conv_sellers   conversation
        //              A      B      root   A      B       A      B
        {kBuyer,        false, false, false, false, false,  true,  true},
        {kMaker,        true,  true,  true,  false, false,  false, false},
        {kArea,         true,  true,  true,  false, false,  false, false},
        {kDistA,        true,  false, true,  true,  false,  true,  false},
        {kDistB,        false, true,  true,  false, true,   false, true},
        {kCcMaker,      true,  true,  true,  false, false,  false, false},
        {kCcA,          true,  false, true,  true,  false,  true,  false},
        {kFwdMaker,     true,  true,  true,  false, false,  false, false},
        {kStranger,     false, false, false, false, false,  false, false},
    };
    // clang-format on
    for (const auto& r : rows) {
        INFO(who(r.user).name);
        Access a = access(r.user, f);
        CHECK(may_see(a, f, Audience::sellers, kConvA, kDistA) == r.sellers_a);
        CHECK(may_see(a, f, Audience::sellers, kConvB, kDistB) == r.sellers_b);
        CHECK(may_see(a, f, Audience::sellers, kRoot, kMaker) == r.sellers_root);
        CHECK(may_see(a, f, Audience::conversation_sellers, kConvA, kDistA) == r.side_a);
        CHECK(may_see(a, f, Audience::conversation_sellers, kConvB, kDistB) == r.side_b);
        CHECK(may_see(a, f, Audience::conversation, kConvA, kDistA) == r.conv_a);
        CHECK(may_see(a, f, Audience::conversation, kConvB, kDistB) == r.conv_b);
    }
    // B may act on their own conversation only.
    Access b = access(kDistB, f);
    CHECK(b.default_conversation == kConvB);
    CHECK(allowed(b, f, Action::reply));
    CHECK_FALSE(allowed(b, f, Action::reply, kConvA));
    CHECK_FALSE(allowed(b, f, Action::view_messages, kRoot));
}

TEST_CASE("policy: the actor always sees their own milestone", "[policy]") {
    // Distributor A forwards the request to another network member C: C gets a conversation
    // of their own (40) and the "forwarded" event (sellers audience) is on it. A is in
    // neither that conversation nor the root, but did it, so sees it; the manufacturer's
    // side sees it through the root; B does not.
    constexpr int64_t kC = 12, kConvC = 40;
    RequestFacts f = request_with_b();
    f.conversations.push_back(conversation(kConvC, kC, {kC}, false));
    CHECK(may_see(access_of(kDistA, kRoleDistributor, f), f, Audience::sellers, kConvC, kDistA));
    CHECK(may_see(access_of(kC, kRoleDistributor, f), f, Audience::sellers, kConvC, kDistA));
    CHECK(may_see(access(kMaker, f), f, Audience::sellers, kConvC, kDistA));
    CHECK(may_see(access(kCcMaker, f), f, Audience::sellers, kConvC, kDistA));
    CHECK_FALSE(may_see(access(kDistB, f), f, Audience::sellers, kConvC, kDistA));
    CHECK_FALSE(may_see(access(kBuyer, f), f, Audience::sellers, kConvC, kDistA));
    // C's messages stay C's.
    CHECK_FALSE(allowed(access(kDistA, f), f, Action::view_messages, kConvC));
    CHECK(allowed(access(kBuyer, f), f, Action::view_messages, kConvC));
    // The actor rule is for "sellers" milestones only, and not for the buyer.
    CHECK_FALSE(may_see(access(kBuyer, f), f, Audience::sellers, kConvA, kBuyer));
    CHECK_FALSE(may_see(access(kDistA, f), f, Audience::conversation, kRoot, kDistA));
    CHECK_FALSE(may_see(access(kDistA, f), f, Audience::conversation_sellers, kRoot, kDistA));
    // Nobody who is not on the request, even as the actor.
    CHECK_FALSE(may_see(access(kStranger, f), f, Audience::sellers, kConvA, kStranger));
}

TEST_CASE("policy: long-poll audiences match may_see", "[policy]") {
    auto sorted = [](std::vector<int64_t> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    const RequestFacts f = request();
    // Explicit expectations (who gets woken).
    CHECK(sorted(audience_users(f, Audience::conversation, kRoot, kMaker)) ==
          std::vector<int64_t>{kBuyer, kMaker, kArea, kCcMaker, kFwdMaker});
    CHECK(sorted(audience_users(f, Audience::conversation, kConvA, kDistA)) ==
          std::vector<int64_t>{kBuyer, kDistA, kCcA});
    CHECK(sorted(audience_users(f, Audience::conversation_sellers, kRoot, kMaker)) ==
          std::vector<int64_t>{kMaker, kArea, kCcMaker, kFwdMaker});
    CHECK(sorted(audience_users(f, Audience::conversation_sellers, kConvA, kDistA)) ==
          std::vector<int64_t>{kDistA, kCcA});
    CHECK(sorted(audience_users(f, Audience::sellers, kConvA, kDistA)) ==
          std::vector<int64_t>{kMaker, kArea, kDistA, kCcMaker, kCcA, kFwdMaker});
    CHECK(sorted(audience_users(f, Audience::sellers, kRoot, kMaker)) ==
          std::vector<int64_t>{kMaker, kArea, kDistA, kCcMaker, kCcA, kFwdMaker});
    const RequestFacts g = request_with_b();
    CHECK(sorted(audience_users(g, Audience::sellers, kConvA, kDistA)) ==
          std::vector<int64_t>{kMaker, kArea, kDistA, kCcMaker, kCcA, kFwdMaker});  // not B
    CHECK(sorted(audience_users(g, Audience::sellers, kConvB, kDistB)) ==
          std::vector<int64_t>{kMaker, kArea, kDistB, kCcMaker, kFwdMaker});  // not A nor A's CC

    // And for every audience × conversation, exactly the people may_see lets in.
    for (const RequestFacts* facts : {&f, &g}) {
        for (Audience aud : {Audience::conversation, Audience::conversation_sellers, Audience::sellers}) {
            for (const auto& c : facts->conversations) {
                INFO(audience_name(aud) << " on " << c.id);
                std::vector<int64_t> expected;
                for (int64_t u : facts->everyone())
                    if (may_see(access(u, *facts), *facts, aud, c.id, c.seller_id)) expected.push_back(u);
                CHECK(sorted(audience_users(*facts, aud, c.id, c.seller_id)) == sorted(expected));
            }
        }
    }
}

TEST_CASE("policy: names round-trip", "[policy]") {
    for (Audience a : {Audience::conversation, Audience::conversation_sellers, Audience::sellers})
        CHECK(audience_from(audience_name(a)) == a);
    CHECK(audience_from("nonsense") == Audience::conversation);
    std::vector<std::string> names;
    for (Action a : kAllActions) names.push_back(action_name(a));
    CHECK(names == std::vector<std::string>{"view_request", "view_messages", "reply", "mark_read", "reveal_phone",
                                            "cc", "forward", "decline", "close", "rate"});
}

TEST_CASE("policy: milestones travel up the hand-over chain, not sideways", "[policy]") {
    // Root 10 (manufacturer 1); A (3, with CC 6) got 11 routed from it and handed it on
    // to C (4) as 12; B (5) has 13 from the root.
    RequestFacts f;
    f.id = 1;
    f.buyer_id = 2;
    f.manufacturer_id = 1;
    auto conv = [](int64_t id, int64_t seller, int64_t parent, std::vector<int64_t> members) {
        ConversationFacts c;
        c.id = id;
        c.seller_id = seller;
        c.parent_id = parent;
        c.members = std::move(members);
        return c;
    };
    f.conversations = {conv(10, 1, 0, {1}), conv(11, 3, 10, {3, 6}), conv(12, 4, 11, {4}), conv(13, 5, 10, {5})};
    auto sees = [&](int64_t user, const char* role) {
        return may_see(access_of(user, role, f), f, Audience::sellers, 12, 4);
    };
    CHECK(sees(4, kRoleDistributor));   // C, the actor
    CHECK(sees(3, kRoleDistributor));   // A handed it to C
    CHECK(sees(6, kRoleGuest));         // A's CC has A's rights
    CHECK(sees(1, kRoleManufacturer));  // the root
    CHECK_FALSE(sees(5, kRoleDistributor));  // B: a sibling branch
    CHECK_FALSE(sees(2, kRoleBuyer));
    CHECK(audience_users(f, Audience::sellers, 12, 4) == std::vector<int64_t>{1, 3, 6, 4});
}
