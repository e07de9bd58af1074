// Notification e-mails of domain events: turns what happened into
// OutgoingMail for the Mailer. Kept out of the domain files so that they only call in.
//
// Every kind picks its recipients with the policy (audience_users / may_see on the
// event's audience), so a mail never tells anyone more than the page would: the
// manufacturer gets nothing about a distributor's conversation and vice versa, a
// co-recipient gets what the one who added them sees. The actor never gets a mail about
// their own action, except "own_copy" (and the buyer's payment receipt). Users without an
// e-mail address are skipped. Texts are in the recipient's language (server/mail/texts.h).
// A mail carries one item and links to the page, never the history.
//
// Links sign the recipient in to that request only: PUBLIC_URL/login/<token>?next=...,
// the token from MailContext::link_token (Domain::issue_mail_link: random, stored hashed,
// scoped to the request, reusable until it expires).
#pragma once
#include <functional>
#include <optional>
#include <unordered_map>
#include <string>
#include <string_view>

#include "net/wire.h"
#include "server/mail/mailer.h"
#include "server/domain/policy.h"
#include "server/store/store.h"

namespace parley::server {

struct MailContext {
    Mailer& mailer;
    Store& store;
    std::string public_url;  // without a trailing '/'
    // A sign-in token for (user, request).
    std::function<std::string(int64_t user_id, int64_t request_id)> link_token;
    // Users and requests read once for a whole batch of notifications (posts: the
    // notification queue); nullptr reads them each time.
    struct Cache {
        std::unordered_map<int64_t, std::optional<UserRecord>> users;
        std::unordered_map<int64_t, std::optional<RequestRecord>> requests;
    };
    Cache* cache = nullptr;

    std::optional<UserRecord> user(int64_t id) const;
    std::optional<RequestRecord> request(int64_t id) const;
};

// Message and request texts longer than this are cut (at a UTF-8 boundary) with a
// "continue on the page" link: below the 20000-byte message limit so that the mail,
// twice (text + HTML) and quoted-printable, stays far under providers' size limits.
constexpr size_t kMailBodyCap = 16 * 1024;

// Percent-encoding of a query value (RFC 3986 unreserved characters and '/' kept).
std::string url_encode(std::string_view s);
// PUBLIC_URL/login/<token>?next=<next, encoded>.
std::string mail_link(const std::string& public_url, const std::string& token, const std::string& next);
// At most `cap` bytes of `body`, cut at a UTF-8 boundary (preferably at a space or line
// break) followed by "…"; `cut` says whether it was cut.
std::string cap_body(std::string_view body, size_t cap, bool& cut);

// A new request (create_request): "new_request" to the seller-side participants of each
// of its conversations (the manufacturer and its auto-CC people, the network member it
// was routed to), with the request text and the buyer's name, company and country.
void notify_new_request(const MailContext& mc, const RequestFacts& facts);

// A message was posted in a conversation: "new_reply" to the other party (the buyer's
// message to the conversation's seller side, a seller-side message to the buyer) with
// the text and attachment links; with own_copy also "own_copy" to the author.
void notify_new_reply(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id,
                      const Message& message, bool own_copy = true);

// `target` was put in copy ("cc_added") or forwarded the request ("forwarded") by
// `actor`; conversation_id is the conversation they joined (their own after a hand-over).
void notify_recipient_added(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id,
                            int64_t actor_id, int64_t target_id, const std::string& note, bool forward);

// `actor` declined the conversation: "declined" to whoever may see its event (the
// buyer gets the reason; the seller side also the free text).
// E-mail in: a reply by mail in `owner`'s name proved nothing about its sender and is held:
// "reply_held" to the owner's real address (which a forger does not read), asking them to
// post or discard it on the page.
void notify_reply_held(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id, int64_t owner_id,
                       const std::string& subject);

void notify_declined(const MailContext& mc, const RequestFacts& facts, int64_t conversation_id, int64_t actor_id,
                     const std::string& reason, const std::string& text);

// A quote event: "quote_sent" to the buyer, "quote_accepted" and "quote_paid" to the
// conversation's seller side; with "quote_paid" the buyer gets a "payment_receipt".
void notify_quote(const MailContext& mc, const RequestFacts& facts, const Quote& quote, std::string_view kind,
                  int64_t actor_id);

// Step up from a scoped session: "sign_in" to the user's own address with `url`, a
// fresh single-use link that signs them in to their whole account (no request, no
// relay Reply-To: there is nothing to answer).
void notify_sign_in_link(Mailer& mailer, const UserRecord& to, const std::string& url);

}  // namespace parley::server
