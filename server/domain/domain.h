// Domain layer: authentication, inbox, thread, posting, read marks, the workflow
// actions, the sales network and event polling. Every visibility decision is asked of
// server/domain/policy.h. HTTP handlers call these and only translate results to responses.
// Thread-safe. Keeps in-memory caches (sessions, request participants, serialized
// thread JSON) so that the hot paths do no SQL.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "net/crm.h"
#include "net/wire.h"
#include "server/base/result.h"
#include "server/documents/files.h"
#include "server/domain/hub.h"
#include "server/domain/limits.h"
#include "server/domain/notify_queue.h"
#include "server/domain/search_indexer.h"
#include "server/mail/inbound.h"
#include "server/store/crm_store.h"
#include "server/store/mail_in_store.h"
#include "server/store/outbox_store.h"
#include "server/mail/mailer.h"
#include "server/documents/pdf_preview.h"
#include "server/payments/providers.h"
#include "server/domain/policy.h"
#include "server/store/store.h"
#include "server/translate/translator.h"

namespace parley::server {

class TableWriter;  // server/documents/table_export.h

struct MailContext;  // server/mail/notify.h
struct ParsedAttachment;  // server/mail/parse.h
struct ParsedMail;
struct LeadFields;  // server/crm/odoo.h

// An error to show the client: HTTP status + ApiError code and message.
// Leads into the seller's CRM (Domain::set_crm).
struct CrmOptions {
    Millis retry_base = 30000;  // backoff between tries: base × 1, 4, 20, 60, 120, 360, 720, 1440
    int max_attempts = 8;       // then the delivery is given up ("failed"; Retry in the log)
    bool allow_private = false; // receivers on loopback or private addresses (tests, a CRM on the LAN)
    Millis grace = 2000;        // events younger than this wait a round: another instance's
                                // transaction with a smaller id may still be committing
};

// The Parley-Signature header of a webhook delivery: "t=<unix_s>,v1=<hex HMAC-SHA256 of
// "<unix_s>.<body>" under the secret>" — the payment providers' scheme (crm_send.cpp).
std::string webhook_signature(const std::string& secret, int64_t unix_s, const std::string& body);

using DomainError = Error;  // a refusal: status, ApiError code, message (server/base/result.h)

// Where a request-scoped sign-in link lands: `next` when it is /requests/{id} itself,
// optionally with ?reply=1, ?quote=<n> (and &paid=1); otherwise /requests/{id}?reply=1.
std::string scoped_landing(int64_t request_id, std::string_view next);

Millis system_now_ms();

class Domain {
public:
    using Now = std::function<Millis()>;
    Domain(Store& store, Hub& hub, Now now = system_now_ms);

    Store& store() { return store_; }
    Hub& hub() { return hub_; }

    // --- authentication ---
    // A new magic sign-in token for the user (only its hash is stored).
    std::string issue_magic_link(int64_t user_id, Millis ttl, bool reusable);
    // The sign-in token of the links in a notification e-mail: scoped to one request,
    // reusable until kMailLinkTtl (mail scanners prefetch links; single use would break them).
    std::string issue_mail_link(int64_t user_id, int64_t request_id);
    struct Login {
        std::string session_token;
        Millis max_age_ms = 0;
        User user;
        // The link's scope: it may only land on /requests/{id}, and the session opens
        // that request alone (kScopedSessionTtl); 0: anywhere, a full session (kSessionTtl).
        int64_t request_id = 0;
    };
    // Exchanges a magic token for a new session; nullopt if invalid or expired.
    std::optional<Login> login(std::string_view magic_token);
    // A signed-in session: its user and, for a scoped session, the one request it opens.
    struct Session {
        User user;
        int64_t scope = 0;  // 0: the whole account
    };
    // The session of a token; nullopt if unknown or expired. The row is read every time
    // (revocation is immediate), the user is cached.
    std::optional<Session> session(std::string_view session_token);
    std::optional<User> authenticate(std::string_view session_token) {
        auto s = session(session_token);
        return s ? std::optional<User>(s->user) : std::nullopt;
    }
    void logout(std::string_view session_token);
    // Step up from a scoped session: mails a fresh single-use sign-in link (kFullLinkTtl)
    // for the whole account to the user's own address, landing on `request_id`. Answers
    // the address it went to. 409 already_full for a full session, 409 no_address
    // without an address, 503 mail_disabled without a mailer.
    Result<std::string> mail_full_link(const Session& s);
    // What a scoped session's check needs: the request a quote, attachment, mailed
    // message or delivery belongs to (0: none).
    enum class Owned { quote, attachment, message, delivery, held_reply };
    int64_t request_of(Owned kind, int64_t id);

    // Called for users created by the API (network members, guests) with a sign-in
    // token, so that the operator can hand it over until e-mail does.
    std::function<void(const UserRecord&, const std::string& token)> on_new_user;

    // --- reading ---
    // One inbox page (reading.cpp): filters, keyset cursor, or a search.
    struct InboxRequest {
        std::string page;      // the previous page's next_page ("" = the first)
        std::string status;    // "" | to_answer answered declined won lost | (buyer) open answered
        bool unread = false;
        std::string country;   // "" | ISO 3166 code
        std::string handler;   // "" anyone | "me" | a user id
        std::string search;    // words; "" = no search
        int limit = 50;
        bool counts = true;    // totals, badges and score; false: the rows only (an export)
    };
    Result<Inbox> inbox(const User& me, const InboxRequest& q);
    // Export (export.cpp): every request of my inbox that the filters and search of `q`
    // keep (its page and limit aside), in inbox order, one row each written to `out`
    // (table_export.h) page by page; `link_base` starts each request's link. Returns how
    // many rows.
    Result<int> export_inbox(const User& me, InboxRequest q, TableWriter& out);
    // A scoped session's inbox: that one request (filters and pages do not apply; a
    // search is refused with 403 scoped_session), Inbox.scope_request_id set.
    Result<Inbox> scoped_inbox(const User& me, int64_t request_id, const InboxRequest& q);
    Inbox inbox(const User& me) { return *inbox(me, InboxRequest{}); }
    // The newest page of the thread (kThreadPage messages), or down to `down_to`.
    Result<RequestDetail> detail(const User& me, int64_t request_id, int64_t down_to = 0);
    // Other pages of the thread (reading.cpp): older ones (messages with id < before,
    // down to `down_to` when given), one around a message (a jump), newer ones above it.
    struct HistoryQuery {
        int64_t before = 0, down_to = 0, after = 0, around = 0;
        int limit = kThreadPage;
    };
    Result<HistoryPage> history(const User& me, int64_t request_id, const HistoryQuery& q);
    // Serialized RequestDetail for this user, cached until the request changes.
    Result<std::shared_ptr<const std::string>> detail_json(const User& me, int64_t request_id);
    Result<Contacts> contacts(const User& me);

    // --- writing (every body is JSON text; bad input gets a 4xx DomainError) ---
    struct Posted {
        Message message;
        bool created = false;  // false: idempotent replay of an earlier post
    };
    // Validates everything (visibility, key, body size, JSON, text) then stores once per key.
    Result<Posted> post_message(const User& me, int64_t request_id, const std::string* idempotency_key,
                                const std::string& json_body);
    // Moves the read mark (body: ReadMark, or empty = newest of my conversation); true if it moved.
    Result<bool> mark_read(const User& me, int64_t request_id, const std::string& json_body);
    Result<PhoneNumber> reveal_phone(const User& me, int64_t request_id);
    Result<RequestDetail> add_recipient(const User& me, int64_t request_id, const std::string& json_body,
                                        bool forward);
    Result<RequestDetail> decline(const User& me, int64_t request_id, const std::string& json_body);
    Result<RequestDetail> close(const User& me, int64_t request_id, const std::string& json_body);
    Result<RequestDetail> rate(const User& me, int64_t request_id, const std::string& json_body);
    Result<RequestDetail> create_request(const User& me, const std::string& json_body);

    // --- attachments ---
    // Where uploaded files live (<data-dir>/files); must be set before uploads.
    void set_files_dir(const std::string& dir) { files_.emplace(dir); }
    struct UploadParams {
        std::string kind = "other";  // "quote" | "other"
        std::string name;            // as given by the client (sanitised here)
        int64_t conversation_id = 0; // 0: my default conversation
    };
    // Checks visibility and the reply right, size and type (by content), stores the
    // file by its hash and records a pending attachment. `data` is not copied.
    Result<Attachment> upload(const User& me, int64_t request_id, const UploadParams& p, std::string_view data);
    // Chunked uploads (server/domain/uploads.h): the checks of `upload` that need no content
    // (visibility, kind, the reply right, 0 < size ≤ 10 MB); gives the conversation the
    // upload goes to (p.conversation_id resolved).
    Result<int64_t> upload_check(const User& me, int64_t request_id, const UploadParams& p, int64_t size);
    // Re-checks the rights, moves the complete temp file `tmp_path` into the store under
    // facts.sha256 and records a pending attachment, as `upload` does. `a` carries
    // name, kind, type, size and sha256; the rest is filled here.
    Result<Attachment> upload_file(const User& me, int64_t request_id, const UploadParams& p, Attachment a,
                                   const std::string& tmp_path);
    const FileStore* files() const { return files_ ? &*files_ : nullptr; }
    // Deletes uploads never sent with a message after kPendingUploadTtl, and their files
    // when no attachment names them any more; returns how many. Called on a timer.
    int sweep_abandoned_uploads();
    struct Download {
        Attachment attachment;
        std::string path;  // the stored file
    };
    // A visible attachment (its conversation's messages, or my own pending upload).
    Result<Download> download(const User& me, int64_t attachment_id);

    // --- structured quotes ---
    // A quote has the visibility of its conversation. The seller side of a conversation
    // (Action::reply, not the buyer) sends and revises; the buyer opens and accepts.
    // Bodies: Quote (content only: ids, number, status and totals are the server's).
    Result<Quote> create_quote(const User& me, int64_t request_id, const std::string& json_body);
    Result<Quote> revise_quote(const User& me, int64_t quote_id, const std::string& json_body);
    // The quote with its effective status ("expired" past valid_until); 404 when not visible.
    Result<Quote> quote(const User& me, int64_t quote_id);
    // The buyer opened it: the first time sets opened_at (sent → opened) and tells the
    // conversation; true if that happened now. Seller-side users get 403.
    Result<bool> open_quote(const User& me, int64_t quote_id);
    // Body AcceptQuote. The buyer accepts the current version.
    Result<Quote> accept_quote(const User& me, int64_t quote_id, const std::string& json_body);

    // --- documents (documents.cpp): quote PDFs and PDF page previews ---
    // Where rendered PDFs and previews are cached (<data-dir>/cache); "" renders every time.
    void set_cache_dir(const std::string& dir) { cache_dir_ = dir; }
    struct Document {
        std::string bytes, file_name;
    };
    // The quote's PDF ("Q-2026-0042-v2.pdf"); the visibility of quote(); opens nothing.
    Result<Document> quote_pdf(const User& me, int64_t quote_id);
    // Previews of a visible PDF attachment (415 not_a_pdf, 422 unreadable_pdf,
    // 404 no_such_page) or of a quote's PDF. `page` from 1; width clamped to 100..1600.
    Result<PdfPages> attachment_pages(const User& me, int64_t attachment_id);
    Result<std::string> attachment_page_png(const User& me, int64_t attachment_id, int page, int width);
    Result<PdfPages> quote_pdf_pages(const User& me, int64_t quote_id);
    Result<std::string> quote_pdf_page_png(const User& me, int64_t quote_id, int page, int width);

    // --- online payment of accepted quotes (payments.cpp) ---
    // The provider and the public URL its success/cancel URLs point back to.
    void set_payment_provider(std::unique_ptr<PaymentProvider> provider, std::string public_url);
    PaymentProvider* payment_provider() { return payments_.get(); }
    // Buyer only (403), on an accepted quote with online_payment (409 not_accepted,
    // already_paid, online_payment_disabled): creates a checkout session.
    Result<PayQuote> pay_quote(const User& me, int64_t quote_id);
    // The provider's confirmation: the only way a quote becomes paid. Checks the session,
    // amount and currency (400 payment_rejected otherwise, logged), then records it once
    // per (provider, event id). true: paid now (quote_paid event); false: nothing to do
    // (redelivered event, or the quote was already paid).
    Result<bool> confirm_payment(const ConfirmedPayment& p);
    // A provider's webhook call: verified and read by the provider, then confirm_payment.
    Result<bool> payment_webhook(const std::string& provider, std::string_view body, std::string_view signature);
    // The demo provider's checkout page: an open (unexpired) demo session and its quote.
    struct DemoCheckout {
        PaymentSession session;
        Quote quote;
        std::string seller_name;
    };
    Result<DemoCheckout> demo_checkout(const std::string& session_id);
    // The card typed on the demo page; approved → confirm_payment (event "evt_<session>").
    Result<CardOutcome> demo_pay(const std::string& session_id, std::string_view card);

    // --- the sales network (manufacturer only) ---
    Result<Network> network(const User& me);
    Result<NetworkMember> add_member(const User& me, const std::string& json_body);
    Result<NetworkMember> update_member(const User& me, int64_t member_id, const std::string& json_body);
    Result<bool> remove_member(const User& me, int64_t member_id);

    // --- e-mail notifications (server/mail/notify.h) ---
    // The outbox to queue notifications in (nullptr: none) and the base of their links.
    void set_mailer(Mailer* mailer, std::string public_url) {
        mailer_ = mailer;
        mail_url_ = std::move(public_url);
    }
    Mailer* mailer() { return mailer_; }
    // Posts: their notifications go through this queue (notify_queue.h), off the request
    // path; without one (tests, the mail-in command) they are queued before the post returns.
    void set_notify_queue(NotifyQueue* queue) { notify_queue_ = queue; }
    // Search: the worker that indexes messages behind their posts (nullptr: none; a
    // search still indexes what waits before it reads), and its step: one batch, posts
    // first; returns how many messages it indexed.
    void set_search_indexer(SearchIndexer* indexer) { search_indexer_ = indexer; }
    int index_for_search();
    // The queue's work: composes the mails of a batch of posts, stores the sign-in links
    // they carry in one transaction, then queues them in the outbox (recovered notices:
    // only the mails the outbox does not hold yet). Throws on storage errors.
    void notify_posts(std::vector<PostNotice>& batch);
    // At start-up, before serving: the posts after `cursor` (NotifyQueue::load_cursor)
    // whose mails may be missing, from `read_events(after)` (every stored event with id >
    // after, oldest first), pushed to the queue as recovered. Returns how many.
    int recover_notifications(int64_t cursor, const std::function<std::vector<EventRecord>(int64_t after)>& read_events);
    // Several instances on one database: claims the store's notice sweep for `owner`
    // (Store::claim_notice_sweep) and composes the mails of every post older than `grace`
    // after the sweep's cursor that has none in the outbox — the posts of an instance that
    // died before queueing them, whose data directory (and cursor) may never come back.
    // The outbox stores each mail once, so a slow instance and the sweep never both send
    // one. Returns how many posts it notified; 0 also when another instance sweeps.
    int sweep_notifications(const std::string& owner, Millis grace);
    // Returns once the mails of every post so far are in the outbox (the development mailbox).
    void settle_notifications() {
        if (notify_queue_) notify_queue_->settle();
    }

    // --- delivery status of notifications (deliveries.cpp) ---
    // The outbox whose rows about messages become Message.deliveries (nullptr: none).
    void set_outbox(OutboxStore* rows) { outbox_ = rows; }
    // The outbox's listener (Outbox::set_listener): a row about a message changed. Drops
    // the request's cached details; a permanent failure records one "delivery_failed"
    // event (text: the failure kind, target: the recipient by name) for the author's
    // side and wakes them. Any thread, no lock of the domain held.
    void delivery_changed(const OutboxRow& row);
    // POST /api/v1/deliveries/{id}/retry: the message's author only (404 for anyone
    // else, as for a missing row), failed_permanent only (409 not_failed). Queues it
    // again and answers the request's detail as the author now sees it.
    Result<RequestDetail> retry_delivery(const User& me, int64_t delivery_id);

    // --- leads into the seller's CRM (crm.cpp, crm_send.cpp) ---
    // The store of integrations and their deliveries (nullptr: the feature is off).
    void set_crm(CrmStore* store, CrmOptions o) { crm_ = store, crm_opt_ = o; }
    // GET /api/v1/integrations and the writes on it (manufacturers only, 403 for anyone
    // else): their outgoing webhook (a URL, a generated signing secret) and their Odoo
    // connection, each with the newest deliveries of its log.
    Result<CrmIntegrations> integrations(const User& me);
    // PUT /api/v1/integrations/{kind}: CrmWebhookInput | CrmOdooInput (400 on a bad URL).
    Result<CrmIntegrations> save_integration(const User& me, const std::string& kind, const std::string& json_body);
    Result<CrmIntegrations> remove_integration(const User& me, const std::string& kind);
    // POST /api/v1/integrations/webhook/secret: a new signing secret (the old one stops).
    Result<CrmIntegrations> new_webhook_secret(const User& me);
    // POST /api/v1/integrations/{kind}/test: a "ping" event (webhook) or a connection
    // check (Odoo) queued now; the log shows how it went.
    Result<CrmIntegrations> test_integration(const User& me, const std::string& kind);
    Result<CrmLog> integration_log(const User& me, const std::string& kind, int64_t before);
    // POST /api/v1/integrations/deliveries/{id}/retry: a failed delivery of mine, again.
    Result<CrmIntegrations> retry_crm_delivery(const User& me, int64_t delivery_id);
    // The dispatcher (a timer; one instance at a time holds its lease as `owner`): new
    // requests and events after its cursor become deliveries for each enabled
    // integration whose owner may see them (the visibility policy, exactly as on screen).
    // Returns how many deliveries it queued.
    int crm_dispatch(const std::string& owner);
    // The sender: due deliveries sent (webhooks signed; Odoo leads created or updated),
    // retried with backoff, given up after CrmOptions::max_attempts. Returns how many tried.
    int crm_send(int limit);

    // --- inbound replies (mail_in.cpp, server/mail/inbound.h) ---
    // The relay key and the database of received mails; without it receive_mail refuses.
    // relay_domain: of the relay addresses shown instead of an author's real address.
    void set_mail_in(const RelayKey& key, MailInStore* received, std::string relay_domain = "relay.localhost");
    bool mail_in_enabled() const { return mail_in_ != nullptr; }
    // One raw RFC 5322 message: a relay address r+<token>@... among Delivered-To /
    // X-Original-To / To / Cc names conversation and participant; From must be that
    // participant's address. Posts the new text (strip_reply) as their message via
    // post_message; auto-replies become an "auto_reply" event; the same Message-ID
    // twice posts once. Never throws for bad input (storage errors may throw).
    // `envelope_to`: the SMTP/LMTP envelope recipients, tried before the headers.
    // Without a relay address: In-Reply-To/References against our outbox Message-IDs.
    // Attachments are imported like uploads; refused ones are named in a note.
    // The sender must prove the From address (server/mail/sender_auth.h): a trusted
    // Authentication-Results verdict, or origin.signed_in. A reply that proves nothing is
    // held for the relay address's owner (status "held", reason), who is told by mail.
    MailInResult receive_mail(std::string_view raw, const std::vector<std::string>& envelope_to = {},
                              const MailInOrigin& origin = {});
    // The authserv-id of the receiving MTA whose Authentication-Results are trusted; ""
    // (the default) trusts none, so every reply by e-mail is held.
    void set_mail_authserv_id(std::string id) { mail_authserv_id_ = std::move(id); }
    // A held reply of mine posted as if it had been proven (answers the request's detail),
    // or discarded. 404 unless it is mine and the request still visible; 409 not_held
    // when it was settled already.
    Result<RequestDetail> post_held_reply(const User& me, int64_t held_id);
    Result<RequestDetail> discard_held_reply(const User& me, int64_t held_id);
    // The raw mail a message was posted from (404 unless the message is visible to me
    // and came by mail); for anyone but its author the author's real address is
    // replaced by their relay address.
    Result<std::string> original_mail(const User& me, int64_t message_id);

    // --- the development mailbox (dev_mailbox.cpp) ---
    // Without SMTP, my notification `mail_id` answered "from my mailbox": a real RFC 5322
    // reply (From my address, To its Reply-To, In-Reply-To its Message-ID, the mail
    // quoted under "On … wrote:") delivered through receive_mail as an MTA would.
    // 404 unless it is my mail in the development mailbox; 400 empty_message.
    Result<MailInResult> dev_mail_reply(const User& me, int64_t mail_id, const std::string& text);

    // --- writes by another process on the same database (change_watch.h, external.cpp) ---
    // Under the write lock: `read_events(after)` gives the stored events with id > after
    // (after = the hub's newest); they are published to the hub as if written here.
    // The cached facts and details of `touched` requests are dropped as well.
    void sync_external(const std::function<std::vector<EventRecord>(int64_t after)>& read_events,
                       const std::vector<int64_t>& touched);

    // --- translation (translations.cpp) ---
    // The translation service (nullptr: every pair is unavailable).
    void set_translator(std::unique_ptr<Translator> t);
    Translator* translator() { return translator_.get(); }
    // The nine languages and every pair some provider covers.
    TranslationLanguages translation_languages();
    // Translations into `to` of the request's texts visible to me ("r<id>" its own text,
    // "m<id>" a message): `items` (empty = every text not already in `to`). Stored ones
    // are served from the store; the rest are translated in one provider call per source
    // language and stored. 400 invalid_language, 404 for an item I cannot see; with
    // explicit items 422 same_language / translation_unavailable; 503 when a provider
    // fails (retry_after_s set when it asked to wait).
    Result<TranslationBatch> translations(const User& me, int64_t request_id, const std::string& to,
                                          const std::vector<std::string>& items, long* retry_after_s = nullptr);
    // Detects and stores the language of a new text (request or message).
    void tag_language(const std::string& item, int64_t request_id, const std::string& text, const std::string& hint);
    // Tags older texts that have no language yet (called once at start-up).
    int tag_untagged_texts();
    Result<UserSettings> settings(const User& me);
    Result<UserSettings> update_settings(const User& me, const std::string& json_body);
    // Dark mode: my preferences (the colour theme), on every device I sign in on.
    // update: {"theme": "system"|"light"|"dark"} and nothing else, else 400 invalid_field.
    Preferences preferences(const User& me);
    Result<Preferences> update_preferences(const User& me, const std::string& json_body);

    // --- operators (health.cpp) ---
    // What GET /healthz checks: the database answers (a cheap query), and e-mail is not
    // stuck — no mail due for longer than outbox_stuck_ms, and not outbox_failures
    // failed attempts in a row, the latest within outbox_stuck_ms. Constant cost.
    struct HealthLimits {
        Millis outbox_stuck_ms = 15LL * 60 * 1000;
        int outbox_failures = 5;  // 0: not checked
    };
    void set_health_limits(HealthLimits l) { health_limits_ = l; }
    struct Health {
        bool ok = true;
        std::string reason;   // "" | database_unreachable | outbox_stuck | outbox_failing
        std::string message;  // for people, without internals (those go to the log)
    };
    // Logs each change of the answer (with the error behind it).
    Health health();
    // GET /metrics: the mails waiting to be sent, counted up to kOutboxBacklogCap; -1
    // when the database does not answer.
    static constexpr int64_t kOutboxBacklogCap = 100000;
    int64_t outbox_backlog();

    // --- events ---
    // The batch to answer now, or nullopt when `reply` was registered with the hub and will
    // be called (from another thread) when a visible event arrives or at `deadline`.
    // scope > 0 (a scoped session): only the events of that request.
    std::optional<EventBatch> poll_events(const User& me, int64_t after, Hub::Clock::time_point deadline,
                                          const Hub::Reply& reply, int64_t scope = 0);
    // Answers expired waiters (call periodically).
    void expire_waiters();

private:
    struct View {
        RequestFacts facts;
        Access access;
    };
    struct CachedSession {
        User user;
        Millis expires = 0;
    };
    std::optional<RequestFacts> facts(int64_t request_id);  // cached
    // Inbound attachments as uploads of `me` (mail_in.cpp): the accepted ids,
    // a note line per refused one appended to *notes.
    // E-mail in (mail_in.cpp): the new text of a reply (and its attachments) posted as
    // `me`; the post's idempotency key derives from the mail's `key`.
    MailInResult post_mail_reply(const User& me, int64_t request_id, int64_t conversation, ParsedMail& mail,
                                 const std::string& key);
    Result<RequestDetail> settle_held_reply(const User& me, int64_t held_id, bool post);
    // My held replies on this request (the detail shows them to me alone).
    std::vector<HeldReply> held_replies(const User& me, const RequestFacts& facts);
    std::vector<int64_t> import_mail_attachments(const User& me, int64_t request_id, int64_t conversation,
                                                 std::vector<ParsedAttachment>& parts, std::string* notes);
    // The request as this user may see it; nullopt when they may not see it at all.
    std::optional<View> view(const User& me, int64_t request_id);
    // Leads into the seller's CRM: a request as an Odoo lead, as `owner` sees it (crm_send.cpp).
    std::optional<LeadFields> crm_lead(const User& owner, int64_t request_id);
    void crm_try(CrmDelivery& d, const CrmIntegration& i);  // one try of a delivery (crm_send.cpp)
    // A request's page for this viewer, its history limited to `window` (reading.cpp).
    // `newer`: where an `after` or `around` window says newer messages start.
    Result<RequestDetail> detail_window(const User& me, int64_t request_id, ThreadWindow window,
                                        int64_t* newer = nullptr);
    // A view that allows `action` on the conversation named in the body (0 = default).
    Result<View> permit(const User& me, int64_t request_id, Action action, int64_t& conversation);
    void publish_in_order(const std::vector<EventRecord>& events, Hub::Wakeups& wake);  // publish's step
    void forget(int64_t request_id);  // drop cached facts and details (write_mu_ held)
    void forget_details(int64_t request_id);  // only the details (no lock needed)
    void forget_user_details(int64_t user_id);  // one user's cached details of every request
    // Store::email_undeliverable, cached per user (asked on every seller's post and page):
    // dropped when their address changes (check_from) or mail to it fails for good
    // (delivery_changed), and read again after kUndeliverableTtl at most — another
    // instance on the same database may have seen the address change or bounce.
    bool email_undeliverable(int64_t user_id);
    void forget_undeliverable(int64_t user_id);
    void fill_deliveries(RequestData& data);  // from the outbox (deliveries.cpp)
    void fill_languages(RequestDetail& d);  // detected languages, sent translations (translations.cpp)
    // The "From" case: when no working address of mine is known, `from_email`
    // must be a valid address (not a relay address, not someone else's); it becomes mine.
    Result<bool> check_from(const User& me, const std::string& from_email);
    // A translation into the buyer's language sent along with a message (NewMessage.translate_to),
    // made before the message is stored so that a failure keeps the draft.
    Result<Translation> translate_for_sending(const std::string& text, const std::string& hint, const std::string& to);
    // Posts (post_commit.cpp): one waiting to be stored. Whichever poster commits next
    // stores every post queued meanwhile in one transaction (group commit).
    struct PendingPost {
        int64_t request_id = 0, conversation = 0, author = 0;
        const std::string* text = nullptr;
        const std::string* key = nullptr;
        const std::vector<int64_t>* attachments = nullptr;
        std::string lang;              // detected language of the text
        Translation* sent = nullptr;   // a translation sent along
        PostOutcome outcome;           // out: as Store::post_message answered
        std::exception_ptr error;      // out: the storage error, if any
        std::optional<PostNotice> notice;  // out: its notifications when there is no queue
        bool done = false;
    };
    // Returns once p is stored (or failed: p.error), published and its notice queued.
    void commit_post(PendingPost& p);
    // Waits, at most kPostsFirst, until no post is being stored or waiting (the
    // notification queue before its writes: posts go first, mails follow).
    void yield_to_posts();
    static constexpr std::chrono::milliseconds kPostsFirst{20};
    static constexpr int kSearchIndexBatch = 500;  // messages indexed per transaction
    // Stores a batch (write_mu_ taken here): together, or one by one when that fails.
    void store_posts(std::vector<PendingPost*>& batch, Hub::Wakeups& wake);
    // Records events and wakes their audience (write_mu_ held; the request's facts are
    // re-read so that new participants see the event that added them, except after a
    // message or a read mark, which change no fact).
    void publish(const std::vector<EventRecord>& events, Hub::Wakeups& wake);
    Result<RequestDetail> fresh_detail(const User& me, int64_t request_id);
    // Routes a new request to the network member covering the buyer's country.
    std::vector<EventRecord> route(const RequestRecord& r, int64_t received_conversation);
    static DomainError not_found();
    // Queues notification e-mails (server/mail/notify.h) when a mailer is set; a failure
    // is logged, never the caller's: what they did is already stored.
    void notify(const char* what, const std::function<void(const MailContext&)>& fn);
    // Quote helpers (quotes.cpp).
    struct QuoteView {
        QuoteRecord record;
        View view;
    };
    Result<QuoteView> quote_view(const User& me, int64_t quote_id, Action action);
    Result<Quote> quote_content(const std::string& json_body, Quote base);
    // Document helpers (documents.cpp).
    struct PdfSource {
        std::string bytes, sha256;
    };
    Result<PdfSource> attachment_pdf(const User& me, int64_t attachment_id);
    Result<PdfSource> quote_pdf_source(const User& me, int64_t quote_id);
    Result<PdfPages> pdf_pages_of(const PdfSource& src);
    Result<std::string> pdf_page_png_of(const PdfSource& src, int page, int width);
    std::string preview_cache_path(const std::string& sha256, const std::string& name) const;

    Store& store_;
    Hub& hub_;
    std::optional<FileStore> files_;
    std::string cache_dir_;  // rendered documents (documents.cpp)
    std::unique_ptr<PaymentProvider> payments_;
    std::unique_ptr<Translator> translator_;
    std::string public_url_;
    Mailer* mailer_ = nullptr;
    NotifyQueue* notify_queue_ = nullptr;  // posts' notifications (not owned)
    SearchIndexer* search_indexer_ = nullptr;  // not owned
    OutboxStore* outbox_ = nullptr;  // delivery status
    std::string mail_url_;
    RelayKey relay_key_{};
    std::string relay_domain_;
    MailInStore* mail_in_ = nullptr;  // received mails (not owned)
    CrmStore* crm_ = nullptr;         // leads into the seller's CRM (not owned)
    CrmOptions crm_opt_;
    std::string mail_authserv_id_;    // trusted Authentication-Results (sender_auth.h)
    std::mutex files_mu_;    // a file stored and its row added, or a file removed after its last row: one at a time
    std::mutex mail_in_mu_;  // serialises receive_mail (dedup check, then insert)
    Now now_;
    std::mutex write_mu_;  // serialises commits + hub publication (event-id order)
    std::mutex commit_mu_;  // the posts waiting to be stored (post_commit.cpp)
    std::condition_variable commit_cv_;
    // Notified only when no post is waiting or being stored: the background writers that
    // let posts go first wait on it (not woken by every batch, as on commit_cv_).
    std::condition_variable posts_idle_cv_;
    std::vector<PendingPost*> commit_queue_;
    bool committing_ = false;  // a poster is storing a batch

    std::shared_mutex sessions_mu_;
    std::unordered_map<std::string, CachedSession> sessions_;  // token hash → session

    std::shared_mutex facts_mu_;
    std::unordered_map<int64_t, RequestFacts> facts_;
    std::atomic<uint64_t> facts_gen_{0};  // bumped by forget(): a slow reader must not cache stale facts

    // Serialized details per request and viewer: different users see different things.
    std::shared_mutex details_mu_;
    std::unordered_map<int64_t, std::unordered_map<int64_t, std::shared_ptr<const std::string>>> details_;
    std::atomic<uint64_t> details_gen_{0};
    // Seller scores (a 90-day statistic) by seller, recomputed at most once a minute and when
    // the seller's "to answer" count moved: the inbox's first page must not cost a scan of a
    // year of conversations (reading.cpp).
    std::mutex scores_mu_;
    struct CachedScore {
        Millis at = 0;
        int64_t to_answer = 0;  // the seller's "to answer" count then: an answer or a decline changes it
        SellerScore score;
    };
    std::unordered_map<int64_t, CachedScore> scores_;

    // The sign-in tokens of notification mails by (recipient, request) (notify_posts).
    struct MailLink {
        std::string token;
        Millis issued = 0;
    };
    std::mutex mail_links_mu_;
    std::map<std::pair<int64_t, int64_t>, MailLink> mail_links_;

    HealthLimits health_limits_;
    std::mutex health_mu_;
    std::string health_said_;  // the reason last logged ("" = ok)

    std::mutex undeliverable_mu_;
    struct Undeliverable {
        bool value = false;
        Millis read = 0;  // when the store said so
    };
    std::unordered_map<int64_t, Undeliverable> undeliverable_;  // user → Store::email_undeliverable
    uint64_t undeliverable_gen_ = 0;                   // bumped by forget_undeliverable
};

}  // namespace parley::server
