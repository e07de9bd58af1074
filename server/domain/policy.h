// Visibility rights: the one place that decides who may see and do what on a request.
// Pure functions over facts loaded by the store, so the rules are unit-tested as a
// table and every handler, the detail builder and the long-poll hub ask the same code.
//
// The rules (FEATURES.md, "Visibility rights"):
// - A request has conversations, each between the buyer and one seller-side party
//   (the manufacturer who received it, or a distributor/area manager it was routed or
//   forwarded to). Seller-side users join a conversation as its owner or as
//   co-recipients (CC, forward to an address, auto-CC) with the rights of whoever added them.
// - The buyer sees every conversation of their request, but never seller-side events.
// - A seller-side user sees the request, the conversations they are in, and the
//   request-wide seller events (routed, answered, sale closed...) of the others —
//   never another conversation's messages.
// - Everyone else sees nothing; the API answers 404 as if the request did not exist.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace parley::server {

// Who may see an event.
enum class Audience {
    conversation,          // the conversation's participants and the buyer
    conversation_sellers,  // the conversation's seller-side participants only
    // Milestones (routed, answered, sale closed...): the seller side of the conversation
    // and of every conversation it was routed/forwarded from, up to the manufacturer's
    // (the root); milestones of the root itself reach every seller-side participant.
    // Two distributors never see each other's unless one handed the request to the other.
    sellers,
};
const char* audience_name(Audience);
Audience audience_from(const std::string&);

struct ConversationFacts {
    int64_t id = 0;
    int64_t seller_id = 0;              // the owner
    int64_t parent_id = 0;              // routed/forwarded from this conversation (0: the root)
    std::string status = "open";        // open | declined | won | lost
    std::vector<int64_t> members;       // seller-side participants, owner included
    bool seller_replied = false;        // a seller-side message exists
    bool has_member(int64_t user) const;
};

struct RequestFacts {
    int64_t id = 0, buyer_id = 0, manufacturer_id = 0;
    std::vector<ConversationFacts> conversations;  // the first is the manufacturer's (the root)
    int64_t root() const { return conversations.empty() ? 0 : conversations.front().id; }
    const ConversationFacts* conversation(int64_t id) const;
    std::vector<int64_t> everyone() const;          // buyer + every seller-side participant
};

// What one user is to one request.
struct Access {
    int64_t user = 0;
    bool buyer = false;
    std::vector<int64_t> conversations;  // conversations whose messages they may see
    int64_t default_conversation = 0;    // where their replies go (own, else first joined)
    bool any() const { return buyer || !conversations.empty(); }
    bool in(int64_t conversation) const;
};
// `user` 0 = signed out. `role` is the user's role.
Access access_of(int64_t user, const std::string& role, const RequestFacts&);

enum class Action {
    view_request,    // the request card, inbox row, the request-wide events
    view_messages,   // a conversation's messages and conversation events
    reply,
    mark_read,
    reveal_phone,
    cc,
    forward,
    decline,
    close,           // close the sale or mark it lost
    rate,            // the buyer rates a conversation
};
const char* action_name(Action);
inline constexpr Action kAllActions[] = {Action::view_request, Action::view_messages, Action::reply,
                                         Action::mark_read,    Action::reveal_phone,  Action::cc,
                                         Action::forward,      Action::decline,       Action::close,
                                         Action::rate};

// May the user do `action` on conversation `conversation` (0 = their default one)?
bool allowed(const Access&, const RequestFacts&, Action, int64_t conversation = 0);

// May the user see an event with this audience on this conversation? The seller who
// did something always sees their own event.
bool may_see(const Access&, const RequestFacts&, Audience, int64_t conversation, int64_t actor);

// The users (of facts.everyone()) who may see such an event: long-poll wake-ups.
std::vector<int64_t> audience_users(const RequestFacts&, Audience, int64_t conversation, int64_t actor);

}  // namespace parley::server
