// PostgreSQL implementation of Store (private to the server): a pool of connections,
// statements prepared once per connection, values always as $n parameters. The methods
// are split by concern like the SQLite store's: store.cpp (connections, transactions,
// users, requests, auth), messages.cpp (posts, attachments, read marks), workflow.cpp
// (network, conversations, request data, events, score), inbox.cpp (the inbox rows),
// search.cpp, commerce.cpp (quotes, payments) and translations.cpp.
//
// Transactions: a store call runs on one connection, pinned to its thread for the call
// (a call made inside another, or inside transaction(fn), uses the same connection), and
// a call that writes several statements opens a transaction unless one is open already,
// which it then joins. Guarantees that must hold across processes on one database are
// the database's: unique keys, conditional updates, counter rows, row locks.
#pragma once
#include <optional>

#include "server/store/pg/db.h"
#include "server/store/store.h"

namespace parley::server::pg {

// What PgStore::read_event reads, from `events e JOIN users a ON a.id = e.actor_id
// LEFT JOIN users t ON t.id = e.target_id` (also the change feed's connection).
#define PARLEY_PG_EVENT_COLS                                                                    \
    "e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, a.name, a.role, " \
    "e.target_id, e.target_name, e.text, e.value, e.created, e.audience, COALESCE(t.role, '')"

class PgStore final : public Store {
public:
    // Opens a pool of up to `connections` connections to a migrated database.
    PgStore(const std::string& url, int connections);

    int schema_version() override;

    int64_t add_user(const UserRecord& u) override;
    std::optional<UserRecord> user(int64_t id) override;
    std::vector<UserRecord> users() override;
    bool empty() override;
    std::optional<UserRecord> user_by_email(const std::string& email) override;
    bool email_undeliverable(int64_t user_id) override;
    void set_user_email(int64_t user_id, const std::string& email) override;

    std::vector<NetworkRecord> network(int64_t manufacturer_id) override;
    std::optional<NetworkRecord> network_member(int64_t member_id) override;
    void set_network_member(int64_t member_id, int64_t manufacturer_id, const std::vector<std::string>& zones,
                            bool auto_cc) override;
    bool remove_network_member(int64_t manufacturer_id, int64_t member_id) override;

    int64_t add_request(const RequestRecord& r) override;
    std::optional<RequestRecord> request(int64_t id) override;
    using Store::inbox;
    using Store::request_data;
    InboxPage inbox_page(int64_t user_id, const InboxQuery& q) override;
    std::optional<RequestSummary> inbox_entry(int64_t user_id, int64_t request_id) override;
    using Store::search;
    std::vector<SearchHit> search(int64_t user_id, const std::string& text, const InboxQuery& filters, int offset,
                                  int limit, SearchCount* count) override;
    int index_for_search(int most) override;
    std::optional<RequestData> request_data(int64_t request_id, const ThreadWindow& window) override;
    std::optional<RequestFacts> facts(int64_t request_id) override;

    std::pair<int64_t, bool> add_conversation(int64_t request_id, int64_t seller_id, const std::string& origin,
                                              int64_t parent_id, Millis now) override;
    bool add_participant(int64_t conversation_id, int64_t user_id, const std::string& via, int64_t added_by,
                         Millis now) override;
    void set_conversation_status(int64_t conversation_id, const std::string& status, const std::string& reason,
                                 const std::string& text, Millis now) override;
    void set_rating(int64_t conversation_id, int stars, const std::string& comment, Millis now) override;
    bool reveal_phone(int64_t user_id, int64_t request_id, Millis now) override;
    bool phone_revealed(int64_t user_id, int64_t request_id) override;
    Event add_event(const EventRecord& e) override;
    SellerScore seller_score(int64_t seller_id, Millis now) override;

    PostOutcome post_message(int64_t conversation_id, int64_t author_id, const std::string& body,
                             const std::string& key, Millis now,
                             const std::vector<int64_t>& attachments = {}) override;
    Attachment add_attachment(const Attachment& a) override;
    std::optional<AttachmentRecord> attachment(int64_t id) override;
    int64_t pending_bytes(int64_t uploader_id) override;
    int delete_pending_before(Millis before, std::vector<std::string>& orphans) override;
    Message add_message(int64_t conversation_id, int64_t author_id, const std::string& body,
                        Millis created) override;
    Quote add_quote(const Quote& q, int64_t seller_id, int year) override;
    std::optional<QuoteRecord> quote(int64_t id) override;
    std::vector<Quote> quotes(int64_t request_id) override;
    bool mark_quote_opened(int64_t id, Millis now) override;
    void accept_quote(int64_t id, const std::string& name, int version, Millis now) override;
    void add_upload(const UploadRecord& u) override;
    std::optional<UploadRecord> upload(const std::string& id) override;
    int64_t open_uploads(int64_t user_id) override;
    bool begin_chunk(const std::string& id, int64_t offset, Millis now, Millis until) override;
    bool advance_upload(const std::string& id, int64_t expected, int64_t new_offset, Millis now) override;
    bool claim_upload(const std::string& id, Millis now, Millis stale_before) override;
    void finish_upload(const std::string& id, const std::string& done_json, Millis now) override;
    bool drop_upload(const std::string& id, Millis idle_before = INT64_MAX) override;
    std::vector<std::string> stale_uploads(Millis before, int limit) override;
    void add_payment_session(const PaymentSession& s) override;
    std::optional<PaymentSession> payment_session(const std::string& id) override;
    PaymentRecord record_payment(const ConfirmedPayment& p, Millis now) override;
    ReadOutcome mark_read(int64_t user_id, int64_t conversation_id, int64_t up_to, Millis now) override;
    std::optional<int64_t> read_mark(int64_t user_id, int64_t conversation_id) override;

    std::vector<EventRecord> events_for_user(int64_t user_id, int64_t after, int limit) override;
    int64_t max_event_id() override;
    std::vector<RequestRecord> requests_after(int64_t after, int limit) override;
    int64_t max_request_id() override;
    std::vector<EventRecord> events_between(int64_t after, int64_t before, int limit) override;
    std::optional<int64_t> claim_notice_sweep(const std::string& owner, Millis now, Millis until) override;
    bool advance_notice_sweep(const std::string& owner, int64_t cursor, bool release) override;
    void skip_notice_sweep(int64_t cursor) override;

    void add_magic_link(const std::string& h, int64_t user_id, Millis expires, bool reusable,
                        int64_t request_id = 0) override;
    std::optional<MagicLinkUse> redeem_magic_link(const std::string& h, Millis now) override;
    void add_session(const std::string& h, int64_t user_id, Millis created, Millis expires,
                     int64_t request_id) override;
    std::optional<SessionInfo> session(const std::string& h, Millis now) override;
    void delete_session(const std::string& h) override;
    void purge_expired(Millis now) override;
    void ping() override;
    void transaction(const std::function<void()>& fn) override;

    void set_text_lang(const std::string& item, int64_t request_id, const std::string& lang) override;
    std::map<std::string, std::string> text_langs(int64_t request_id) override;
    std::map<std::string, std::string> text_langs(const std::vector<std::string>& items) override;
    std::vector<UntaggedText> untagged_texts(int limit) override;
    std::optional<Translation> translation(const std::string& item, const std::string& target) override;
    Translation add_translation(const Translation& t, int64_t request_id, const std::string& version,
                                bool sent) override;
    std::map<std::string, Translation> sent_translations(int64_t request_id) override;
    UserSettings settings(int64_t user_id) override;
    void set_settings(int64_t user_id, const UserSettings& s) override;
    Preferences preferences(int64_t user_id) override;
    void set_preferences(int64_t user_id, const Preferences& p) override;

    // The 15 event columns (id, request_id, conversation_id, message_id, actor_id, kind,
    // actor name, actor role, target_id, target_name, text, value, created, audience,
    // target role) of row `i`: PARLEY_PG_EVENT_COLS over events e, actor a, target t.
    static EventRecord read_event(const Result& r, int i);

private:
    // The connection of one store call: the one pinned to this thread for this store (an
    // enclosing call or transaction), else one leased from the pool and pinned until the
    // call returns.
    class Use {
    public:
        explicit Use(PgStore& s);
        ~Use();
        Use(const Use&) = delete;
        Use& operator=(const Use&) = delete;
        Conn& operator*() { return *c_; }
        Conn* operator->() { return c_; }

    private:
        std::optional<Pool::Lease> lease_;
        Conn* c_ = nullptr;
        const PgStore* pinned_by_me_ = nullptr;
    };
    // A transaction for one call: BEGIN on the call's connection, or the enclosing
    // transaction joined (then commit() does nothing: the outer one decides). It takes the
    // database's write lock first (kEventsLock: writes take turns across instances, events
    // commit in id order) unless `kNoWriteLock`: for a transaction that adds no events and
    // locks no request (the search indexer), so that it never holds up posts.
    enum WriteLock { kWriteLock, kNoWriteLock };
    class Work {
    public:
        explicit Work(PgStore& s, WriteLock lock = kWriteLock);
        ~Work();
        Work(const Work&) = delete;
        Work& operator=(const Work&) = delete;
        Conn& operator*() { return *use_; }
        Conn* operator->() { return &*use_; }
        void commit();

    private:
        Use use_;
        bool own_ = false, done_ = false;
    };

    static UserRecord read_user(const Result& r, int i, int first_col = 0);
    static Message read_message(const Result& r, int i);
    static Attachment read_attachment(const Result& r, int i, int first_col = 0);
    static QuoteRecord read_quote(const Result& r, int i);
    Message message_by_id(Conn& c, int64_t id);
    std::vector<Attachment> attachments_of_message(Conn& c, int64_t message_id);
    EventRecord insert_event(Conn& c, EventRecord e);  // fills in id and actor/target names
    int64_t request_of(Conn& c, int64_t conversation_id);
    // Writes that change a request's inbox rows take turns per request, across instances:
    // the request's row locked (FOR NO KEY UPDATE: inserts that reference it still go on)
    // for the rest of the transaction, before anything the rows are computed from is read.
    int64_t lock_request_of(Conn& c, int64_t conversation_id);  // returns the request
    bool earlier_post(Conn& c, int64_t rid, int64_t cid, int64_t author_id, const std::string& key, PostOutcome& out);
    bool post_in_one_trip(Conn& c, int64_t cid, int64_t author_id, const std::string& body, const std::string& key,
                          Millis now, PostOutcome& out);
    void lock_request(Conn& c, int64_t request_id);
    std::vector<Quote> quotes_of(Conn& c, int64_t request_id);
    // `request_id`: the conversation's request, its row locked by the caller (lock_request_of);
    // `key`: the post's idempotency key, claimed by the caller, now naming the message.
    Message insert_message(Conn& c, int64_t request_id, int64_t conversation_id, int64_t author_id,
                           const std::string& body, Millis now, std::vector<EventRecord>* events,
                           const std::string* key = nullptr);

    // The inbox rows (inbox.cpp), as in the SQLite store.
    void refresh_inbox(Conn& c, int64_t request_id);
    void inbox_after_message(Conn& c, int64_t request_id, int64_t conversation_id, int64_t author_id,
                             int64_t message_id, Millis created, bool first_seller_reply);
    void update_unread(Conn& c, int64_t user_id, int64_t request_id);
    bool unread_of(Conn& c, int64_t user_id, int64_t request_id, bool buyer);
    static RequestSummary read_inbox_row(const Result& r, int i, int64_t user_id);
    std::optional<RequestSummary> inbox_row(Conn& c, int64_t user_id, int64_t request_id);
    // Search (search.cpp).
    void index_request(Conn& c, int64_t request_id);
    int index_queued(Conn& c, int most);
    void backfill();  // rows and index of data written before the main store's tables (once)

    Pool pool_;
};

// Column lists shared by the store's files (tables aliased u, m, a).
#define USER_COLS_U "u.id, u.name, u.company, u.country, u.language, u.role, u.email, u.phone, u.org_id"
#define MESSAGE_COLS_M                                                                                \
    "m.id, m.request_id, m.conversation_id, m.author_id, u.name, u.role, m.body, m.created, "          \
    "EXISTS(SELECT 1 FROM mail_in i WHERE i.message_id = m.id AND i.message_id > 0)"
#define ATTACHMENT_COLS_A                                                                              \
    "a.id, a.conversation_id, a.message_id, a.uploader_id, a.name, a.type, a.kind, a.size, a.sha256, a.created"

// "t"/"f" of a boolean column.
inline bool flag(const Result& r, int i, int col) { return r.text(i, col) == "t"; }

}  // namespace parley::server::pg
