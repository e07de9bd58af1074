// Wire types: the one place each JSON shape of the API is defined.
// Used by the server (to write) and the client (to read); round-trip tested.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <nlohmann/json_fwd.hpp>

namespace parley {

// Times on the wire are Unix milliseconds (UTC).
using Millis = int64_t;

// Roles. Seller side: manufacturer and its sales network (area managers, distributors);
// "guest" is someone outside the marketplace added by e-mail address (CC or forward).
inline constexpr const char* kRoleBuyer = "buyer";
inline constexpr const char* kRoleManufacturer = "manufacturer";
inline constexpr const char* kRoleAreaManager = "area_manager";
inline constexpr const char* kRoleDistributor = "distributor";
inline constexpr const char* kRoleGuest = "guest";
bool is_seller_role(const std::string& role);
// An e-mail address we accept (local@domain.tld, ≤ 254 bytes, no spaces, controls,
// brackets, commas, semicolons or quotes). Client and server check the same way.
bool valid_email(const std::string& s);

struct User {
    int64_t id = 0;
    std::string name, company, country, language;
    std::string role;  // one of the kRole* values
};

// Seller-side response metrics (inbox header), computed by the server.
struct SellerScore {
    int received = 0;           // requests first received in the last 90 days
    int answered_in_time = 0;   // of those: answered or declined within 5 days
    int counted = 0;            // of those: already decided (answered, or older than 5 days)
    int response_rate = -1;     // percent of `counted`; -1 = nothing to count yet
    Millis median_first_response = -1;  // ms; -1 = no answer yet
};

// One row of the inbox.
struct RequestSummary {
    int64_t id = 0;
    std::string buyer_name, buyer_company, country, language, product;
    std::string snippet;        // start of the newest visible message (or of the request)
    Millis created = 0;
    Millis last_activity = 0;
    bool unread = false;
    int message_count = 0;
    // For the seller side: "to_answer" | "answered" | "declined" | "won" | "lost";
    // for a buyer: "open" | "answered".
    std::string status;
    std::string handler_name;   // who handles it when that is not me (routing/forward)
    // The manufacturer the request was sent to: what a buyer's rows are headed with.
    std::string seller_name, seller_company;
    // Search results only: the best matching message (0 = the request's own fields),
    // the matching text cut around the match, and the matches in it as (byte offset,
    // byte length) pairs, to highlight.
    int64_t match_message_id = 0;
    std::string match_text;
    std::vector<std::pair<int, int>> match_ranges;
};

// GET /requests: one page. Newest activity first (search: best match first), the
// filters of the query applied; `next_page` is passed back as ?page= for the next one.
struct Inbox {
    User me;
    std::vector<RequestSummary> requests;
    std::string next_page;                 // "" = this is the last page
    int total = 0;                         // rows matching the filters, all pages (a search: requests found)
    bool total_more = false;               // a search: there may be more than `total` (its pool is full)
    std::string search;                    // the search this page answers ("" = none)
    int unread = 0;                        // of all my requests (the badges), whatever the filters
    int to_answer = 0;
    int64_t cursor = 0;                    // newest event id: start long-polling after it
    std::optional<SellerScore> score;      // seller side only
    // A scoped session (signed in by a notification e-mail's link): the inbox is this one
    // request and nothing else opens; 0 = a full session.
    int64_t scope_request_id = 0;
};

// Dark mode: the colour theme a user chose, remembered on the server per user.
// "system" follows the device (prefers-color-scheme); "light" and "dark" are fixed.
inline constexpr const char* kThemeSystem = "system";
inline constexpr const char* kThemeLight = "light";
inline constexpr const char* kThemeDark = "dark";
bool valid_theme(const std::string& s);  // one of the three

// GET /me: the User's fields, flat, what this session opens, and my preferences.
struct Me {
    User user;
    int64_t scope_request_id = 0;  // a scoped session: only this request; 0 = the whole account
    std::string theme = kThemeSystem;  // dark mode: my colour theme (Preferences.theme)
};

// PUT /me/preferences (body and answer): how the interface looks for me, on every device.
struct Preferences {
    std::string theme = kThemeSystem;  // "system" | "light" | "dark"
};

// POST /auth/full-link (from a scoped session): the address the sign-in link went to.
struct FullLinkSent {
    std::string email;
};

// A file uploaded to a conversation (an attachment). Pending (message_id 0) until a message
// names it; then it has that message's visibility.
struct Attachment {
    int64_t id = 0, conversation_id = 0, message_id = 0, uploader_id = 0;
    std::string name;           // sanitised file name
    std::string type;           // MIME type decided by the server from the content
    std::string kind;           // "quote" | "other"
    int64_t size = 0;           // bytes
    std::string sha256;         // hex of the content (storage key)
    Millis created = 0;
};

// The e-mail notification of one message to one recipient. Shown only to the
// message's author: the recipient by name (never their address) and how delivery went.
struct Delivery {
    int64_t id = 0;              // outbox row: POST /deliveries/{id}/retry
    int64_t recipient_id = 0;
    std::string recipient_name;
    std::string status;          // "queued" | "sent" | "failed_temporary" | "failed_permanent" | "dev_mailbox"
    std::string error_kind;      // failed_*: "address_rejected" | "mailbox_full" | "too_large" | "spam" | "unreachable" | "other"
    Millis updated = 0;
};

// E-mail in: a reply by e-mail from my address that proved nothing about its sender
// (no trusted SPF/DKIM/DMARC verdict), held for me alone to post or discard:
// POST /mail/held/{id}/post | /discard.
struct HeldReply {
    int64_t id = 0;
    int64_t conversation_id = 0;
    std::string subject;
    std::string preview;  // the start of its new text
    std::string reason;   // no_trusted_results | not_aligned | dmarc_fail | envelope_mismatch | not_configured | null_sender
    Millis received = 0;
};

struct Message {
    int64_t id = 0, request_id = 0, conversation_id = 0, author_id = 0;
    std::string author_name, author_role, body;
    Millis created = 0;
    std::vector<Attachment> attachments;
    bool via_email = false;              // posted from a reply e-mail (its original: GET /messages/{id}/original)
    std::string lang;                    // detected source language (for translation), "" = unknown
    std::string sent_lang, sent_translation;  // a translation the author sent along ("" = none)
    std::vector<Delivery> deliveries;    // the author's view only; empty for everyone else
};

// A co-recipient or owner of a conversation.
struct Participant {
    User user;
    std::string via;            // "owner" | "cc" | "forward" | "auto_cc"
    int64_t added_by = 0;
};

// The buyer's rating of one conversation.
struct Rating {
    int stars = 0;              // 1..5; 0 = not rated
    std::string comment;
    Millis created = 0;
};

// One conversation of a request: the buyer and one seller-side party.
struct Conversation {
    int64_t id = 0;
    User seller;                // the seller-side party (manufacturer, distributor, area manager)
    std::string status;         // "open" | "declined" | "won" | "lost"
    std::string decline_reason; // seller side only
    std::vector<Participant> participants;  // seller side only (empty for the buyer)
    Rating rating;
    // Read marks of the other side: my messages up to this id were displayed to them.
    int64_t other_read_id = 0;
    Millis other_read_at = 0;
};

// What the signed-in user may do on the open request (computed by the server's policy).
struct Permissions {
    bool reply = false, reveal_phone = false, cc = false, forward = false;
    bool decline = false, close = false, rate = false;
    bool quote = false;  // send and revise structured quotes (the seller side of a conversation)
    // E-mail, the "From" case: the server knows no working e-mail address of mine, so the
    // composer asks for one (NewMessage.from_email) before I can reply.
    bool from_required = false;
};

struct Event {
    int64_t id = 0, request_id = 0, conversation_id = 0, message_id = 0, actor_id = 0;
    // "message" | "read" | "phone_revealed" | "cc_added" | "forwarded" | "declined" |
    // "routed" | "answered" | "sale_closed" | "sale_lost" | "rated" | "reopened" |
    // "quote_sent" | "quote_superseded" | "quote_opened" | "quote_accepted"
    std::string kind;
    std::string actor_name, actor_role;
    int64_t target_id = 0;      // cc/forward/route target user
    std::string target_name;    // their name (or the address)
    std::string target_role;    // their role (kRole*), so that lines can say "distributor"
    std::string text;           // decline reason, forward note, rating comment; quote number
                                // (quote_accepted: the name the buyer typed)
    int value = 0;              // rating stars; quote version
    Millis created = 0;
};

// Structured quotes (net/quote.h, included at the end of this file: quote.h needs the
// basics above, and RequestDetail only holds a vector of them).
struct Quote;

struct RequestDetail {
    int64_t id = 0;
    User buyer;
    std::string manufacturer_name, product, message, country, language;
    std::string manufacturer_company;  // a buyer's request card is headed with it
    std::string message_lang;       // detected language of `message` (for translation), "" = unknown
    Millis created = 0;
    std::string phone;          // the buyer's phone: only once revealed to me (or mine)
    int64_t my_conversation = 0;  // the conversation my replies go to by default
    std::vector<Conversation> conversations;  // those I may see
    std::vector<Message> messages;  // newest first, of visible conversations only: the newest page
    std::vector<Event> events;      // visible non-message events from the page's oldest message on, oldest first
    Permissions can;
    std::vector<Quote> quotes;      // of visible conversations, newest first, effective status
    int64_t older = 0;              // older messages exist: GET .../history?before=<older>; 0 = none
    int message_total = 0;          // visible messages in all
    std::vector<HeldReply> held_replies;  // mine only, oldest first (e-mail in)
};

// GET /requests/{id}/history?before=<id>[&down_to=<id>]: the next older page of a
// thread — messages with id < before, newest first, and the non-message events between
// them (oldest first); `older` as in RequestDetail. ?around=<id> (a jump to an old
// message: a page with it in the middle) and ?after=<id> (the next newer page above
// such a page) answer the same, with `newer`.
struct HistoryPage {
    int64_t request_id = 0;
    std::vector<Message> messages;
    std::vector<Event> events;
    int64_t older = 0;
    int64_t newer = 0;  // newer messages exist above the page: GET .../history?after=<newer>; 0 = none
};

// Body of POST /api/v1/requests/{id}/messages (header Idempotency-Key required).
struct NewMessage {
    std::string body;             // may be empty when attachments are given
    int64_t conversation_id = 0;  // 0: my default conversation
    std::vector<int64_t> attachments;  // ids of my pending uploads in that conversation
    std::string translate_to;     // also send a translation into this language ("" = no)
    std::string from_email;       // my e-mail sending address, when the server does not know it
};

// Translation. `item`: "m<id>" a message, "r<id>" a request's own text.
struct Translation {
    std::string item;
    std::string source, target, text;
    std::string provider;         // "apertium" | "apertium via es" | "remote"
    Millis created = 0;
};
// GET /requests/{id}/translations?to=: every visible text not already in `to`.
struct TranslationBatch {
    std::vector<Translation> translations;
    std::vector<std::string> unavailable;  // items whose pair no provider covers
};
struct TranslationPair {
    std::string from, to, provider;
};
// GET /translation/languages: the nine languages and the pairs this server translates.
struct TranslationLanguages {
    std::vector<std::string> languages;
    std::vector<TranslationPair> pairs;
};
// GET/PUT /me/settings.
struct UserSettings {
    bool auto_translate = false;  // always translate incoming messages into my language
};

// Bodies of the request actions. `conversation_id` 0 means my default conversation.
struct ReadMark { int64_t conversation_id = 0, message_id = 0; };
struct AddRecipient {                 // POST .../cc and .../forward
    int64_t conversation_id = 0;
    int64_t user_id = 0;              // a colleague or sales-network member, or
    std::string email;                // an address outside the marketplace
    std::string note;                 // forward only, optional
};
struct Decline {
    int64_t conversation_id = 0;
    std::string reason;               // not_my_product | cannot_deliver | quantity_too_small | other
    std::string text;                 // required for "other"
};
struct CloseSale { int64_t conversation_id = 0; std::string outcome; };  // "won" | "lost"
struct NewRating { int64_t conversation_id = 0; int stars = 0; std::string comment; };
struct PhoneNumber { std::string phone; };
// Buyer sends a request (POST /api/v1/requests).
struct NewRequest { int64_t manufacturer_id = 0; std::string product, message; };

// The sales network (GET /api/v1/network, manufacturer only).
struct NetworkMember {
    User user;
    std::vector<std::string> zones;   // ISO country codes covered (distributors, area managers)
    bool auto_cc = false;             // gets a copy of requests sent to the network
};
struct Network {
    std::vector<NetworkMember> members;
};
// POST /api/v1/network/members (add) and /network/members/{id} (update).
struct NetworkMemberInput {
    std::string name, company, email, country, language, role;  // role: area_manager | distributor | colleague
    std::vector<std::string> zones;
    bool auto_cc = false;
};
// People I may put in copy or forward to (GET /api/v1/contacts).
struct Contacts {
    std::vector<User> users;
};

// Answer of GET /api/v1/events?after=N.
struct EventBatch {
    std::vector<Event> events;
    int64_t cursor = 0;  // pass as ?after= on the next poll
};

// Body of POST /api/v1/quotes/{id}/accept: the buyer's typed full name and the version
// they saw (refused with 409 "stale_version" when a newer version exists).
struct AcceptQuote {
    std::string name;
    int version = 0;
};

// Answer of POST /api/v1/quotes/{id}/pay: where to send the buyer's browser to pay, and
// which provider serves it ("demo" | "stripe").
struct PayQuote {
    std::string checkout_url, provider;
};

// Every error answer: {"error": {"code": ..., "message": ...}}.
struct ApiError {
    std::string code, message;
    int retry_after = 0;  // 429: seconds to wait before trying again
};

#define PARLEY_WIRE_TYPES(X)                                                                  \
    X(User) X(SellerScore) X(RequestSummary) X(Inbox) X(Attachment) X(Delivery) X(HeldReply) X(Message) X(Participant) X(Rating)    \
    X(Conversation) X(Permissions) X(Event) X(RequestDetail) X(HistoryPage) X(NewMessage) X(ReadMark) \
    X(AddRecipient) X(Decline) X(CloseSale) X(NewRating) X(PhoneNumber) X(NewRequest)        \
    X(NetworkMember) X(Network) X(NetworkMemberInput) X(Contacts) X(EventBatch) X(AcceptQuote) X(PayQuote) X(ApiError) \
    X(Translation) X(TranslationBatch) X(TranslationPair) X(TranslationLanguages) X(UserSettings) X(Me) X(Preferences) X(FullLinkSent)

#define PARLEY_DECLARE_JSON(T)                      \
    void to_json(nlohmann::json&, const T&);        \
    void from_json(const nlohmann::json&, T&);
PARLEY_WIRE_TYPES(PARLEY_DECLARE_JSON)
#undef PARLEY_DECLARE_JSON

// Helpers that never throw: parse text into T, or say why not.
template <class T> bool parse_json(const std::string& text, T& out, std::string* why = nullptr);
template <class T> std::string dump_json(const T& value);
std::string error_body(const std::string& code, const std::string& message, int retry_after = 0);

// Limits shared by client and server.
constexpr size_t kMaxMessageChars = 20000;     // bytes of UTF-8 in one message body
constexpr size_t kMaxJsonBody = 256 * 1024;    // larger JSON request bodies get 413
constexpr size_t kMaxNoteChars = 2000;         // forward notes, decline texts, rating comments
constexpr int kMaxZones = 250;
constexpr int64_t kMaxUploadBytes = 10 * 1024 * 1024;  // one file
constexpr size_t kMaxAttachmentsPerMessage = 10;

}  // namespace parley

#include "net/quote.h"  // completes RequestDetail::quotes (see above)
