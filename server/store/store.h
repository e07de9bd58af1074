// Storage interface of the Parley server. The domain layer talks only to this
// interface, so that a PostgreSQL implementation can follow the SQLite one.
// Every method is thread-safe. Times are Unix milliseconds.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/quote.h"
#include "net/wire.h"
#include "server/payments/providers.h"
#include "server/domain/policy.h"

namespace parley::server {

// A user as stored (the wire User plus private contact fields).
struct UserRecord {
    int64_t id = 0;
    std::string name, company, country, language;
    std::string role;  // kRole* (net/wire.h)
    std::string email, phone;
    int64_t org_id = 0;  // seller side: the manufacturer whose organisation they belong to

    User to_wire() const { return User{id, name, company, country, language, role}; }
};

struct RequestRecord {
    int64_t id = 0, buyer_id = 0, manufacturer_id = 0;
    std::string product, message, country, language;
    Millis created = 0;
};

struct ConversationRecord {
    int64_t id = 0, request_id = 0, seller_id = 0;
    int64_t parent_id = 0;     // the conversation it was routed/forwarded from (score credit)
    std::string origin;        // "received" | "routed" | "forwarded"
    std::string status = "open", decline_reason, decline_text;
    Millis created = 0;
};

struct ParticipantRecord {
    int64_t conversation_id = 0;
    UserRecord user;
    std::string via;           // owner | cc | forward | auto_cc
    int64_t added_by = 0;
};

// An event as stored: the wire event plus who may see it.
struct EventRecord {
    Event event;
    Audience audience = Audience::conversation;
};

struct ReadRecord {
    int64_t user_id = 0, conversation_id = 0, last_read_message_id = 0;
    Millis read_at = 0;
};

struct RatingRecord {
    int64_t conversation_id = 0;
    Rating rating;
};

// The e-mail notification of one message to one recipient: the wire
// Delivery and the message it belongs to, whose author alone sees it.
struct DeliveryRecord {
    int64_t message_id = 0, author_id = 0;
    Delivery delivery;
};

// Everything about one request, unfiltered: the domain applies the policy.
struct RequestData {
    RequestRecord request;
    UserRecord buyer, manufacturer;
    std::vector<ConversationRecord> conversations;  // oldest first (the received one first)
    std::vector<ParticipantRecord> participants;
    std::vector<Message> messages;                  // newest first
    std::vector<EventRecord> events;                // non-message events, oldest first
    std::vector<ReadRecord> reads;
    std::vector<RatingRecord> ratings;
    std::vector<Quote> quotes;                      // every version, newest first (stored status)
    std::vector<DeliveryRecord> deliveries;         // outbox rows about its messages (filled by the domain)
    // Thread pages (ThreadWindow): the oldest message id of this page when older
    // messages exist (pass it as `before` for the next page), else 0; and how many
    // messages the window's conversations hold in all.
    int64_t older = 0;
    int message_total = 0;
    // `after` and `around` windows: the newest message id of the page when newer
    // messages exist above it (pass it as `after` for the next newer page), else 0.
    int64_t newer = 0;
    RequestFacts facts() const;
};

// Which part of a request's history request_data() loads. Messages: those of
// `conversations` (empty = every conversation) with id < before (0 = the newest), newest
// first, at most `limit` (0 = all) but always down to `down_to` when given (a jump to an
// older message). Events: the non-message events between the page's oldest message and
// `before` (everything newer for the first page, everything older for the last).
// Instead of `before`, a window may be placed by `after` (the `limit` oldest messages
// newer than it: scrolling up from a jump) or `around` (about limit/2 messages newer
// than it, it, and older ones down to `limit` in all: a jump to an old message); then
// RequestData::newer tells whether newer messages exist above the page.
struct ThreadWindow {
    std::vector<int64_t> conversations;
    int64_t before = 0;
    int64_t down_to = 0;
    int limit = 0;
    int64_t after = 0;
    int64_t around = 0;
};

// One page of the inbox (inbox_page): newest activity first, a keyset cursor.
struct InboxQuery {
    std::string status;         // "" | seller side: to_answer answered declined won lost | buyer: open answered
    bool unread = false;        // only unread requests
    std::string country;        // "" | ISO code
    int64_t handler = -1;       // -1: anyone; 0: nobody else (mine); > 0: that handler
    // The cursor: rows strictly after (older than) this key; after_activity 0 = from the top.
    Millis after_activity = 0;
    int64_t after_id = 0;
    int limit = 50;
    bool counts = true;  // also total, unread and to_answer (InboxPage); false: the rows only
};
struct InboxPage {
    std::vector<RequestSummary> rows;
    bool more = false;          // older rows exist after the last one
    int total = 0;              // rows matching the filters, all pages
    int unread = 0, to_answer = 0;  // of all the user's requests (the inbox's badges)
};

// Search over what a user may see: requests (buyer name, company, country, product, the
// request's text) and messages of conversations they may see. The store decides how it
// indexes text (SQLite: FTS5); the filters of InboxQuery apply (not the cursor).
// How many requests a search found: those of its ranked pool (see search.cpp), `more`
// when the pool was full (there may be others, found by a more precise search).
struct SearchCount {
    int found = 0;
    bool more = false;
};

struct SearchHit {
    RequestSummary request;     // the inbox row of the request
    int64_t message_id = 0;     // the best matching message; 0 = the request itself matched
    std::string text;           // the matching text (message body, or the request's fields)
};

struct NetworkRecord {
    UserRecord user;
    int64_t manufacturer_id = 0;
    std::vector<std::string> zones;
    bool auto_cc = false;
};


// Result of an idempotent message insert.
struct PostOutcome {
    Message message;
    bool created = false;       // false: an earlier post with the same key was found
    bool key_conflict = false;  // the key was already used by this user for another conversation
    bool invalid_attachment = false;  // an id is not the author's pending upload in that conversation
    std::vector<EventRecord> events;  // "message" (+ "answered"), only when created
};

struct ReadOutcome {
    bool moved = false;         // the mark advanced (then `event` is the "read" event)
    EventRecord event;
};

// An attachment as stored, with the request its conversation belongs to.
struct AttachmentRecord {
    Attachment attachment;
    int64_t request_id = 0;
};

// A quote as stored: the wire Quote plus its issuer (the conversation's owner, whose
// numbering sequence it uses) and the version the buyer accepted (0: not accepted).
struct QuoteRecord {
    Quote quote;
    int64_t seller_id = 0;
    int accepted_version = 0;
};

// A checkout session created with a payment provider for a quote.
struct PaymentSession {
    std::string id, provider;          // the provider's session id; "demo" | "stripe"
    int64_t quote_id = 0;
    Money amount = 0;                  // what was asked for, minor units
    std::string currency;
    std::string success_url, cancel_url;
    Millis created = 0, expires = 0;
    Millis paid_at = 0;                // set when a confirmation for it was recorded
};

// Outcome of recording a provider's confirmation (Store::record_payment).
enum class PaymentRecord {
    paid,             // the quote went accepted → paid now
    duplicate_event,  // this (provider, event id) was processed before: nothing changed
    already_paid,     // a new event for a quote paid earlier: recorded, quote unchanged
    not_payable,      // the quote is not accepted: nothing recorded
};

// Thrown by implementations on storage failure (disk full, corruption...).
struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A chunked upload in progress, shared by every instance on the database. `id` is the
// hash (token_hash) of the random token the API hands out: the token itself is never
// stored, and the temp file is named by the hash.
struct UploadRecord {
    std::string id;
    int64_t user_id = 0, request_id = 0, conversation_id = 0;
    std::string kind, name;   // as asked (kind "quote" | "other")
    int64_t size = 0;         // declared
    int64_t offset = 0;       // bytes written and committed
    std::string status = "open";  // open | completing (claimed by one instance) | done
    std::string done_json;        // the Attachment once done (a repeated complete answers it)
    Millis writing_until = 0;     // a chunk is being written until then (one writer at a time)
    Millis created = 0, touched = 0;
};

class Store {
public:
    virtual ~Store() = default;

    // Schema version after migrations (for tests and diagnostics).
    virtual int schema_version() = 0;

    // --- users ---
    virtual int64_t add_user(const UserRecord& u) = 0;  // returns the new id
    virtual std::optional<UserRecord> user(int64_t id) = 0;
    virtual std::vector<UserRecord> users() = 0;        // ordered by id
    virtual bool empty() = 0;                            // no users at all
    virtual std::optional<UserRecord> user_by_email(const std::string& email) = 0;
    // The "From" case: true when the user has no e-mail address, or when mail to
    // their current address failed for good with "address rejected".
    virtual bool email_undeliverable(int64_t user_id) = 0;
    virtual void set_user_email(int64_t user_id, const std::string& email) = 0;

    // --- sales network ---
    virtual std::vector<NetworkRecord> network(int64_t manufacturer_id) = 0;
    virtual std::optional<NetworkRecord> network_member(int64_t member_id) = 0;
    // Adds (or re-attaches) a member to a manufacturer's network.
    virtual void set_network_member(int64_t member_id, int64_t manufacturer_id,
                                    const std::vector<std::string>& zones, bool auto_cc) = 0;
    virtual bool remove_network_member(int64_t manufacturer_id, int64_t member_id) = 0;

    // --- requests ---
    virtual int64_t add_request(const RequestRecord& r) = 0;
    virtual std::optional<RequestRecord> request(int64_t id) = 0;
    // Inbox rows of requests the user is the buyer of or a participant in; counts,
    // snippet and `unread` cover only the conversations they may see; status and
    // handler are filled in. Kept up to date on every write, so that a page costs the
    // same with 100 requests or 100,000.
    virtual InboxPage inbox_page(int64_t user_id, const InboxQuery& q) = 0;
    // The user's inbox row of one request (a scoped session's one-row inbox); nullopt
    // when the request is not in their inbox.
    virtual std::optional<RequestSummary> inbox_entry(int64_t user_id, int64_t request_id) = 0;
    // Every row, newest activity first (tests, small tools).
    std::vector<RequestSummary> inbox(int64_t user_id) {
        InboxQuery q;
        q.limit = 1 << 30;
        return inbox_page(user_id, q).rows;
    }
    // Ranked best first (one hit per request), `offset` hits skipped, at most `limit`.
    // Messages are indexed for search behind their posts, by a worker
    // (index_for_search); a search first indexes whatever is still waiting, so it
    // always finds every stored message.
    virtual std::vector<SearchHit> search(int64_t user_id, const std::string& text, const InboxQuery& filters,
                                          int offset, int limit, SearchCount* count) = 0;
    std::vector<SearchHit> search(int64_t user_id, const std::string& text, const InboxQuery& filters, int offset,
                                  int limit) {
        return search(user_id, text, filters, offset, limit, nullptr);
    }
    // Indexes up to `most` of the oldest messages not yet indexed, in one transaction
    // that also moves the durable cursor; returns how many (0: caught up).
    virtual int index_for_search(int most) = 0;
    // A request (no visibility check: the caller applies the policy), its history limited
    // to the window.
    virtual std::optional<RequestData> request_data(int64_t request_id, const ThreadWindow& window) = 0;
    std::optional<RequestData> request_data(int64_t request_id) { return request_data(request_id, ThreadWindow{}); }
    // Only the facts the policy needs (cheaper than request_data).
    virtual std::optional<RequestFacts> facts(int64_t request_id) = 0;

    // --- conversations ---
    // Creates the conversation of (request, seller) with its owner participant, or
    // returns the existing one's id (created = false).
    virtual std::pair<int64_t, bool> add_conversation(int64_t request_id, int64_t seller_id,
                                                      const std::string& origin, int64_t parent_id,
                                                      Millis now) = 0;
    // Adds a participant; false if already there.
    virtual bool add_participant(int64_t conversation_id, int64_t user_id, const std::string& via,
                                 int64_t added_by, Millis now) = 0;
    virtual void set_conversation_status(int64_t conversation_id, const std::string& status,
                                         const std::string& reason, const std::string& text,
                                         Millis now) = 0;
    virtual void set_rating(int64_t conversation_id, int stars, const std::string& comment, Millis now) = 0;
    // Records the first reveal; false if already revealed to this user.
    virtual bool reveal_phone(int64_t user_id, int64_t request_id, Millis now) = 0;
    virtual bool phone_revealed(int64_t user_id, int64_t request_id) = 0;
    virtual Event add_event(const EventRecord& e) = 0;  // returns it with its id

    // Response metrics of a seller over [now - 90 days, now].
    virtual SellerScore seller_score(int64_t seller_id, Millis now) = 0;

    // --- messages ---
    // Inserts a message, an idempotency record, a "message" event (plus an "answered"
    // event when it is the first seller-side message of the conversation) and moves the
    // author's read mark, in one transaction. With the same (author, key) returns the
    // first message. `attachments` (the author's pending uploads in that conversation,
    // each at most once) are attached to the new message in the same transaction;
    // otherwise nothing is stored and `invalid_attachment` is set.
    virtual PostOutcome post_message(int64_t conversation_id, int64_t author_id, const std::string& body,
                                     const std::string& idempotency_key, Millis now,
                                     const std::vector<int64_t>& attachments = {}) = 0;
    // Raw insert for demo data: the same with the given time and no key.
    virtual Message add_message(int64_t conversation_id, int64_t author_id, const std::string& body,
                                Millis created) = 0;

    // --- attachments ---
    // Records a pending upload (message_id 0); returns it with its id.
    virtual Attachment add_attachment(const Attachment& a) = 0;
    virtual std::optional<AttachmentRecord> attachment(int64_t id) = 0;
    // Bytes of one user's pending uploads (not named by a message yet).
    virtual int64_t pending_bytes(int64_t uploader_id) = 0;
    // Deletes pending uploads created before `before`; returns how many, and in `orphans`
    // the hashes that no attachment names any more (their files may go).
    virtual int delete_pending_before(Millis before, std::vector<std::string>& orphans) = 0;

    // --- structured quotes ---
    // Inserts q (id assigned; q.totals stored as given). With q.supersedes == 0 a new number
    // is taken from the seller's sequence for `year` ("Q-<year>-<seq>"); otherwise q keeps
    // its number and the superseded quote's status becomes "superseded" in the same
    // transaction. Returns the stored quote.
    virtual Quote add_quote(const Quote& q, int64_t seller_id, int year) = 0;
    virtual std::optional<QuoteRecord> quote(int64_t id) = 0;
    // Every quote (all versions) of a request, newest first.
    virtual std::vector<Quote> quotes(int64_t request_id) = 0;
    // Sets opened_at (and sent → opened) the first time; false if it was already opened.
    virtual bool mark_quote_opened(int64_t id, Millis now) = 0;
    // Records the acceptance: status accepted, who (typed name), when, which version.
    virtual void accept_quote(int64_t id, const std::string& name, int version, Millis now) = 0;

    // --- chunked uploads (sqlite/uploads.cpp, pg/uploads.cpp) ---
    virtual void add_upload(const UploadRecord& u) = 0;
    virtual std::optional<UploadRecord> upload(const std::string& id) = 0;
    // Uploads of the user not done yet (open or completing).
    virtual int64_t open_uploads(int64_t user_id) = 0;
    // Claims the right to write the chunk at `offset`: true when the upload is open,
    // stands at `offset` and nobody writes (or a writer's claim ran out before `now`);
    // the claim holds until `until`.
    virtual bool begin_chunk(const std::string& id, int64_t offset, Millis now, Millis until) = 0;
    // One conditional update: offset `expected` → `new_offset` (and the write claim
    // released) if the upload is still open at `expected`; false when it lost.
    // new_offset == expected only releases the claim.
    virtual bool advance_upload(const std::string& id, int64_t expected, int64_t new_offset, Millis now) = 0;
    // open → completing when every byte is there, or takes over a completion left
    // (the instance died) with no activity since `stale_before`: true for one caller.
    virtual bool claim_upload(const std::string& id, Millis now, Millis stale_before) = 0;
    // completing → done, with the Attachment JSON.
    virtual void finish_upload(const std::string& id, const std::string& done_json, Millis now) = 0;
    // Deletes the row if it had no activity since `idle_before` (always by default);
    // true when it deleted it (the caller then removes the temp file).
    virtual bool drop_upload(const std::string& id, Millis idle_before = INT64_MAX) = 0;
    // Ids of uploads with no activity since `before` (the sweep), at most `limit`.
    virtual std::vector<std::string> stale_uploads(Millis before, int limit) = 0;

    // --- online payment ---
    virtual void add_payment_session(const PaymentSession& s) = 0;
    virtual std::optional<PaymentSession> payment_session(const std::string& id) = 0;
    // In one transaction: records (provider, event id) once (UNIQUE), and when the quote
    // is accepted sets it paid (paid_at = now, paid_provider, paid_reference) and marks
    // the session paid.
    virtual PaymentRecord record_payment(const ConfirmedPayment& p, Millis now) = 0;

    // --- read marks (per user and conversation) ---
    // Moves the user's mark up to `up_to` (0 = newest message of the conversation; never
    // past the newest, never backwards); emits a "read" event if it moved.
    virtual ReadOutcome mark_read(int64_t user_id, int64_t conversation_id, int64_t up_to, Millis now) = 0;
    virtual std::optional<int64_t> read_mark(int64_t user_id, int64_t conversation_id) = 0;

    // --- events ---
    // Candidate events with id > after on requests the user is linked to (buyer or
    // participant), oldest first; the caller filters them with the policy.
    virtual std::vector<EventRecord> events_for_user(int64_t user_id, int64_t after, int limit) = 0;
    virtual int64_t max_event_id() = 0;
    // New requests, ids > after, oldest first (the CRM dispatcher: "request.created").
    virtual std::vector<RequestRecord> requests_after(int64_t after, int limit) = 0;
    virtual int64_t max_request_id() = 0;
    // Every stored event with after < id < before, oldest first, at most `limit`, whoever
    // may see it: what another process (e-mail in, another instance) wrote before an
    // event this process is about to publish.
    virtual std::vector<EventRecord> events_between(int64_t after, int64_t before, int limit) = 0;

    // --- the notice sweep (a database shared by several instances) ---
    // One instance at a time makes sure every post had its notification mails queued,
    // also the posts of an instance that died first (Domain::sweep_notifications). Claims
    // the sweep for `owner` until `until` — free, expired before `now`, or already
    // `owner`'s — and answers the event id the last sweep reached; nullopt when another
    // owner holds it, or when the store serves one process only (SQLite: that process's
    // cursor file does the same, notify_queue.h).
    virtual std::optional<int64_t> claim_notice_sweep(const std::string& /*owner*/, Millis /*now*/,
                                                      Millis /*until*/) {
        return std::nullopt;
    }
    // Moves the cursor forward (never back) while `owner` holds the claim; `release` ends
    // the claim. False when the claim was lost (it expired and another took it).
    virtual bool advance_notice_sweep(const std::string& /*owner*/, int64_t /*cursor*/, bool /*release*/) {
        return false;
    }
    // Data written without notifications (demo data): the sweep starts after `cursor`.
    virtual void skip_notice_sweep(int64_t /*cursor*/) {}

    // --- translation (server/store/sqlite/translations.cpp) ---
    // Items: "m<message id>" | "r<request id>" (the request's own text).
    virtual void set_text_lang(const std::string& item, int64_t request_id, const std::string& lang) = 0;
    // item → detected language, for every text of the request that has one.
    virtual std::map<std::string, std::string> text_langs(int64_t request_id) = 0;
    // Only these items ("m12", "r3"): a page of a long thread.
    virtual std::map<std::string, std::string> text_langs(const std::vector<std::string>& items) = 0;
    struct UntaggedText {
        std::string item, text, hint;  // hint: the author's language
        int64_t request_id = 0;
    };
    // Texts with no detected language yet (older data), at most `limit`.
    virtual std::vector<UntaggedText> untagged_texts(int limit) = 0;
    virtual std::optional<Translation> translation(const std::string& item, const std::string& target) = 0;
    // Stores a translation once: when (item, target) is there already, that one is kept
    // and returned. `sent`: the author sent it along with the message.
    virtual Translation add_translation(const Translation& t, int64_t request_id, const std::string& version,
                                        bool sent) = 0;
    // The translations authors sent along, in the request: item → translation.
    virtual std::map<std::string, Translation> sent_translations(int64_t request_id) = 0;
    virtual UserSettings settings(int64_t user_id) = 0;
    virtual void set_settings(int64_t user_id, const UserSettings& s) = 0;
    // Dark mode: how the interface looks for a user (its colour theme); defaults until set.
    // Kept beside the settings, each written alone (neither resets the other).
    virtual Preferences preferences(int64_t user_id) = 0;
    virtual void set_preferences(int64_t user_id, const Preferences& p) = 0;

    // --- auth (tokens are stored only as hashes) ---
    // request_id > 0 scopes the link to that request (links sent in e-mails):
    // it may only land on that request's page.
    virtual void add_magic_link(const std::string& token_hash, int64_t user_id, Millis expires,
                                bool reusable, int64_t request_id = 0) = 0;
    struct MagicLinkUse {
        int64_t user_id = 0;
        int64_t request_id = 0;  // the scope (0: any page)
    };
    // The link's user and scope if it exists and has not expired; a single-use link is
    // consumed by this call.
    virtual std::optional<MagicLinkUse> redeem_magic_link(const std::string& token_hash, Millis now) = 0;
    // The same, only the user id.
    std::optional<int64_t> use_magic_link(const std::string& token_hash, Millis now) {
        auto u = redeem_magic_link(token_hash, now);
        return u ? std::optional<int64_t>(u->user_id) : std::nullopt;
    }
    // request_id > 0: a scoped session (made from a notification's sign-in link) that
    // opens only that request.
    virtual void add_session(const std::string& token_hash, int64_t user_id, Millis created,
                             Millis expires, int64_t request_id = 0) = 0;
    struct SessionInfo {
        int64_t user_id = 0;
        Millis expires = 0;
        int64_t request_id = 0;  // the scope (0: the whole account)
    };
    virtual std::optional<SessionInfo> session(const std::string& token_hash, Millis now) = 0;
    virtual void delete_session(const std::string& token_hash) = 0;
    virtual void purge_expired(Millis now) = 0;  // old links and sessions

    // Runs fn inside one transaction (used by the demo seeder for speed).
    virtual void transaction(const std::function<void()>& fn) = 0;

    // Operators (GET /healthz): one cheap query (constant cost) proving that the
    // database answers; throws when it does not.
    virtual void ping() = 0;
};

}  // namespace parley::server
