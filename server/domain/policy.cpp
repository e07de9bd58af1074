#include "server/domain/policy.h"

#include <algorithm>

#include "net/wire.h"

namespace parley::server {

const char* audience_name(Audience a) {
    switch (a) {
        case Audience::conversation: return "conversation";
        case Audience::conversation_sellers: return "conversation_sellers";
        case Audience::sellers: return "sellers";
    }
    return "conversation";
}

Audience audience_from(const std::string& s) {
    if (s == "conversation_sellers") return Audience::conversation_sellers;
    if (s == "sellers") return Audience::sellers;
    return Audience::conversation;
}

bool ConversationFacts::has_member(int64_t user) const {
    return std::find(members.begin(), members.end(), user) != members.end();
}

const ConversationFacts* RequestFacts::conversation(int64_t cid) const {
    for (const auto& c : conversations)
        if (c.id == cid) return &c;
    return nullptr;
}

std::vector<int64_t> RequestFacts::everyone() const {
    std::vector<int64_t> out{buyer_id};
    for (const auto& c : conversations)
        for (int64_t m : c.members)
            if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

bool Access::in(int64_t c) const {
    return std::find(conversations.begin(), conversations.end(), c) != conversations.end();
}

Access access_of(int64_t user, const std::string& role, const RequestFacts& f) {
    Access a;
    a.user = user;
    if (user <= 0) return a;
    if (role == kRoleBuyer) {
        if (f.buyer_id != user) return a;
        a.buyer = true;
        for (const auto& c : f.conversations) a.conversations.push_back(c.id);
        if (!f.conversations.empty()) a.default_conversation = f.conversations.front().id;
        return a;
    }
    if (!is_seller_role(role)) return a;
    for (const auto& c : f.conversations) {
        if (!c.has_member(user)) continue;
        a.conversations.push_back(c.id);
        if (c.seller_id == user && a.default_conversation == 0) a.default_conversation = c.id;
    }
    if (a.default_conversation == 0 && !a.conversations.empty())
        a.default_conversation = a.conversations.front();
    return a;
}

const char* action_name(Action a) {
    switch (a) {
        case Action::view_request: return "view_request";
        case Action::view_messages: return "view_messages";
        case Action::reply: return "reply";
        case Action::mark_read: return "mark_read";
        case Action::reveal_phone: return "reveal_phone";
        case Action::cc: return "cc";
        case Action::forward: return "forward";
        case Action::decline: return "decline";
        case Action::close: return "close";
        case Action::rate: return "rate";
    }
    return "?";
}

bool allowed(const Access& a, const RequestFacts& f, Action action, int64_t cid) {
    if (!a.any()) return false;
    if (action == Action::view_request) return true;
    if (cid == 0) cid = a.default_conversation;
    const ConversationFacts* c = f.conversation(cid);
    if (!c || !a.in(cid)) return false;
    switch (action) {
        case Action::view_request:
        case Action::view_messages:
        case Action::reply:
        case Action::mark_read:
            return true;
        case Action::reveal_phone:
        case Action::cc:
        case Action::forward:
            return !a.buyer;
        case Action::decline:
            return !a.buyer && c->status == "open";
        case Action::close:
            return !a.buyer && c->status != "declined";
        case Action::rate:
            // After the conversation: the seller side has answered.
            return a.buyer && c->seller_replied;
    }
    return false;
}

bool may_see(const Access& a, const RequestFacts& f, Audience audience, int64_t cid, int64_t actor) {
    if (!a.any()) return false;
    switch (audience) {
        case Audience::conversation: return a.in(cid);
        case Audience::conversation_sellers: return !a.buyer && a.in(cid);
        case Audience::sellers:
            if (a.buyer) return false;
            if (a.user == actor || cid == f.root()) return true;
            // Up the chain of hand-overs (bounded: a corrupt cycle must not hang).
            for (int depth = 0; cid != 0 && depth < 64; ++depth) {
                if (a.in(cid)) return true;
                const ConversationFacts* c = f.conversation(cid);
                cid = c ? c->parent_id : 0;
            }
            return a.in(f.root());
    }
    return false;
}

std::vector<int64_t> audience_users(const RequestFacts& f, Audience audience, int64_t cid, int64_t actor) {
    std::vector<int64_t> out;
    for (int64_t u : f.everyone()) {
        Access a = access_of(u, u == f.buyer_id ? kRoleBuyer : kRoleManufacturer, f);
        if (may_see(a, f, audience, cid, actor)) out.push_back(u);
    }
    return out;
}

}  // namespace parley::server
