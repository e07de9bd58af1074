// SQLite implementation of Store (private to the server): one connection guarded by a
// mutex, WAL mode, versioned migrations, parameterised statements only. The methods
// are split by concern over store.cpp (users, requests, messages, auth) and
// workflow.cpp (conversations, network, events, score).
#pragma once
#include "server/store/sqlite/db.h"
#include "server/store/store.h"

namespace parley::server {

// Migration steps (schema.cpp): step i brings the schema from version i to
// i+1. Never edit a step once released; append a new one.
const std::vector<const char*>& sqlite_migrations();

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path);

    int schema_version() override;
    int64_t statement_reprepares();  // SqliteDb::reprepares of the main connection

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

    // One event row from the 15 event columns (id, request_id, conversation_id,
    // message_id, actor_id, kind, actor name, actor role, target_id, target_name, text,
    // value, created, audience, target role): shared with DbWatch's own connection.
    static EventRecord read_event(const Stmt& s);
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

private:
    using Tx = SqliteDb::Tx;
    static UserRecord read_user(const Stmt& s, int first_col = 0);
    static Message read_message(const Stmt& s);
    static NetworkRecord read_member(const Stmt& s);
    Message message_by_id(int64_t id);
    static Attachment read_attachment(const Stmt& s, int first_col = 0);
    std::vector<Attachment> attachments_of_message(int64_t message_id);
    EventRecord insert_event(EventRecord e);  // fills in id and actor/target names
    int64_t request_of(int64_t conversation_id);
    static QuoteRecord read_quote(const Stmt& s);
    std::vector<Quote> quotes_locked(int64_t request_id);
    void upsert_read(int64_t user_id, int64_t conversation_id, int64_t message_id, Millis now);
    Message insert_message(int64_t conversation_id, int64_t author_id, const std::string& body, Millis now,
                           std::vector<EventRecord>* events);

    // The inbox rows (inbox.cpp): recomputed for a request after a structural change,
    // updated cheaply after a message and a read mark.
    void refresh_inbox(int64_t request_id);
    void inbox_after_message(int64_t request_id, int64_t conversation_id, int64_t author_id, int64_t message_id,
                             Millis created, bool first_seller_reply);
    void update_unread(int64_t user_id, int64_t request_id);
    bool unread_of(int64_t user_id, int64_t request_id, bool buyer);
    static RequestSummary read_inbox_row(const Stmt& s, int64_t user_id);
    std::optional<RequestSummary> inbox_row(int64_t user_id, int64_t request_id);
    // Search (search.cpp): a request is indexed with its text, in the same transaction;
    // messages behind a cursor (index_for_search), off the post's transaction.
    void index_message(int64_t message_id, const std::string& body);
    void index_request(int64_t request_id);
    void index_all_for_search();
    void backfill();  // rows and index of data written before they existed (once)

    SqliteDb db_;
    // Sessions are read on every request (a sign-out anywhere ends them at once): on a
    // connection of their own, so that a request's session check never waits behind the
    // main connection's commit (WAL: a reader goes on while the writer syncs).
    SqliteDb session_db_;
};

// FTS5 text and query (search.cpp): CJK characters as single tokens; each term a
// quoted phrase, words as prefixes.
std::string fts_index_text(const std::string& text);
struct SearchTerm;
std::string fts_match(const std::vector<SearchTerm>& terms);

}  // namespace parley::server
