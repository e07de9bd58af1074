// SqliteStore: users, requests, inbox, messages, read marks and auth.
//
// Index: users · requests (inbox, request data) · messages (idempotent posts) ·
// attachments · read marks · auth (magic links, sessions). The workflow, quotes,
// payments and translations are in their own files beside this one.
#include "server/store/sqlite/store.h"
#include "server/store/sqlite/open.h"

#include <algorithm>

#include "server/base/text.h"

namespace parley::server {

SqliteStore::SqliteStore(const std::string& path) : db_(path), session_db_(path) {
    db_.migrate(sqlite_migrations());
    std::lock_guard lk(db_.mu);
    backfill();
}

int64_t SqliteStore::statement_reprepares() {
    std::lock_guard lk(db_.mu);
    return db_.reprepares();
}

int SqliteStore::schema_version() {
    std::lock_guard lk(db_.mu);
    return db_.user_version();
}

// ---------------------------------------------------------------- users

constexpr const char* kUserCols = "id, name, company, country, language, role, email, phone, org_id";

UserRecord SqliteStore::read_user(const Stmt& s, int c) {
    UserRecord u;
    u.id = s.i64(c); u.name = s.text(c + 1); u.company = s.text(c + 2); u.country = s.text(c + 3);
    u.language = s.text(c + 4); u.role = s.text(c + 5); u.email = s.text(c + 6); u.phone = s.text(c + 7);
    u.org_id = s.i64(c + 8);
    return u;
}

int64_t SqliteStore::add_user(const UserRecord& u) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO users(name, company, country, language, role, email, phone, org_id) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .bind(1, u.name).bind(2, u.company).bind(3, u.country).bind(4, u.language)
        .bind(5, u.role).bind(6, u.email).bind(7, u.phone).bind(8, u.org_id).run();
    int64_t id = db_.last_id();
    // A manufacturer is its own organisation.
    if (u.role == kRoleManufacturer && u.org_id == 0)
        db_.stmt("UPDATE users SET org_id = id WHERE id = ?1").bind(1, id).run();
    return id;
}

std::optional<UserRecord> SqliteStore::user(int64_t id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id, name, company, country, language, role, email, phone, org_id FROM users WHERE id=?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

std::vector<UserRecord> SqliteStore::users() {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id, name, company, country, language, role, email, phone, org_id FROM users ORDER BY id");
    std::vector<UserRecord> out;
    while (s.step()) out.push_back(read_user(s));
    return out;
}

bool SqliteStore::empty() {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT EXISTS(SELECT 1 FROM users)");
    s.step();
    return s.i64(0) == 0;
}

std::optional<UserRecord> SqliteStore::user_by_email(const std::string& email) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id, name, company, country, language, role, email, phone, org_id FROM users "
                      "WHERE email <> '' AND lower(email) = lower(?1) ORDER BY id LIMIT 1");
    s.bind(1, email);
    if (!s.step()) return std::nullopt;
    return read_user(s);
}

bool SqliteStore::email_undeliverable(int64_t user_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(R"sql(
SELECT u.email = '' OR EXISTS (SELECT 1 FROM outbox o WHERE o.to_user_id = u.id AND lower(o.to_address) = lower(u.email)
                               AND o.status = 'failed_permanent' AND o.error_kind = 'address_rejected')
  FROM users u WHERE u.id = ?1)sql");
    s.bind(1, user_id);
    return s.step() && s.i64(0) != 0;
}

void SqliteStore::set_user_email(int64_t user_id, const std::string& email) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE users SET email = ?2 WHERE id = ?1").bind(1, user_id).bind(2, email).run();
}

// ---------------------------------------------------------------- requests

int64_t SqliteStore::add_request(const RequestRecord& r) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    db_.stmt("INSERT INTO requests(buyer_id, manufacturer_id, product, message, country, language, created) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, r.buyer_id).bind(2, r.manufacturer_id).bind(3, r.product).bind(4, r.message)
        .bind(5, r.country).bind(6, r.language).bind(7, r.created).run();
    const int64_t id = db_.last_id();
    index_request(id);
    tx.commit();
    return id;
}

std::optional<RequestRecord> SqliteStore::request(int64_t id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id, buyer_id, manufacturer_id, product, message, country, language, created "
                      "FROM requests WHERE id=?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    RequestRecord r;
    r.id = s.i64(0); r.buyer_id = s.i64(1); r.manufacturer_id = s.i64(2);
    r.product = s.text(3); r.message = s.text(4); r.country = s.text(5);
    r.language = s.text(6); r.created = s.i64(7);
    return r;
}

// ---------------------------------------------------------------- messages

Message SqliteStore::read_message(const Stmt& s) {
    Message m;
    m.id = s.i64(0); m.request_id = s.i64(1); m.conversation_id = s.i64(2); m.author_id = s.i64(3);
    m.author_name = s.text(4); m.author_role = s.text(5); m.body = s.text(6); m.created = s.i64(7);
    // Column 8: posted from a reply e-mail (a mail_in row names it: e-mail in).
    m.via_email = s.i64(8) != 0;
    return m;
}

Message SqliteStore::message_by_id(int64_t id) {
    auto s = db_.stmt("SELECT m.id, m.request_id, m.conversation_id, m.author_id, u.name, u.role, m.body, m.created, "
                      "EXISTS(SELECT 1 FROM mail_in i WHERE i.message_id = m.id AND i.message_id > 0) "
                      "FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id=?1");
    s.bind(1, id);
    if (!s.step()) throw StoreError("message " + std::to_string(id) + " vanished");
    Message m = read_message(s);
    m.attachments = attachments_of_message(id);
    return m;
}

// ---------------------------------------------------------------- attachments

Attachment SqliteStore::read_attachment(const Stmt& s, int c) {
    Attachment a;
    a.id = s.i64(c); a.conversation_id = s.i64(c + 1); a.message_id = s.i64(c + 2); a.uploader_id = s.i64(c + 3);
    a.name = s.text(c + 4); a.type = s.text(c + 5); a.kind = s.text(c + 6); a.size = s.i64(c + 7);
    a.sha256 = s.text(c + 8); a.created = s.i64(c + 9);
    return a;
}

std::vector<Attachment> SqliteStore::attachments_of_message(int64_t message_id) {
    // CAST: "message_id = ?1" next to the partial index of pending uploads ("message_id = 0")
    // made SQLite compile the statement again at every run (the plan depends on the value);
    // it runs at every post.
    auto s = db_.stmt("SELECT a.id, a.conversation_id, a.message_id, a.uploader_id, a.name, a.type, a.kind, a.size, "
                      "a.sha256, a.created FROM attachments a WHERE a.message_id = CAST(?1 AS INTEGER) "
                      "AND a.message_id <> 0 ORDER BY a.id");
    s.bind(1, message_id);
    std::vector<Attachment> out;
    while (s.step()) out.push_back(read_attachment(s));
    return out;
}

Attachment SqliteStore::add_attachment(const Attachment& in) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO attachments(conversation_id, message_id, uploader_id, name, type, kind, size, sha256, "
             "created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, in.conversation_id).bind(2, in.message_id).bind(3, in.uploader_id).bind(4, in.name)
        .bind(5, in.type).bind(6, in.kind).bind(7, in.size).bind(8, in.sha256).bind(9, in.created).run();
    Attachment a = in;
    a.id = db_.last_id();
    return a;
}

std::optional<AttachmentRecord> SqliteStore::attachment(int64_t id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT a.id, a.conversation_id, a.message_id, a.uploader_id, a.name, a.type, a.kind, a.size, "
                      "a.sha256, a.created, c.request_id FROM attachments a "
                      "JOIN conversations c ON c.id = a.conversation_id WHERE a.id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return AttachmentRecord{read_attachment(s), s.i64(10)};
}

int64_t SqliteStore::pending_bytes(int64_t uploader_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = ?1 AND message_id = 0");
    s.bind(1, uploader_id);
    return s.step() ? s.i64(0) : 0;
}

int SqliteStore::delete_pending_before(Millis before, std::vector<std::string>& orphans) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    std::vector<std::string> hashes;
    {
        auto s = db_.stmt("SELECT DISTINCT sha256 FROM attachments WHERE message_id = 0 AND created < ?1");
        s.bind(1, before);
        while (s.step()) hashes.push_back(s.text(0));
    }
    db_.stmt("DELETE FROM attachments WHERE message_id = 0 AND created < ?1").bind(1, before).run();
    const int deleted = db_.changes();
    for (const auto& h : hashes) {
        auto s = db_.stmt("SELECT 1 FROM attachments WHERE sha256 = ?1 LIMIT 1");
        s.bind(1, h);
        if (!s.step()) orphans.push_back(h);
    }
    tx.commit();
    return deleted;
}

int64_t SqliteStore::request_of(int64_t conversation_id) {
    auto s = db_.stmt("SELECT request_id FROM conversations WHERE id=?1");
    s.bind(1, conversation_id);
    if (!s.step()) throw StoreError("conversation " + std::to_string(conversation_id) + " does not exist");
    return s.i64(0);
}

Message SqliteStore::insert_message(int64_t cid, int64_t author_id, const std::string& body, Millis now,
                                    std::vector<EventRecord>* events) {
    int64_t rid = request_of(cid);
    // The first seller-side message of a conversation is the "answered" milestone.
    bool first_seller_reply = false;
    {
        auto s = db_.stmt("SELECT r.buyer_id <> ?2 AND NOT EXISTS(SELECT 1 FROM messages m WHERE "
                          "m.conversation_id = ?1 AND m.author_id <> r.buyer_id) "
                          "FROM conversations c JOIN requests r ON r.id = c.request_id WHERE c.id = ?1");
        s.bind(1, cid).bind(2, author_id);
        first_seller_reply = s.step() && s.i64(0) != 0;
    }
    db_.stmt("INSERT INTO messages(request_id, conversation_id, author_id, body, created) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, rid).bind(2, cid).bind(3, author_id).bind(4, body).bind(5, now).run();
    int64_t mid = db_.last_id();
    EventRecord e;
    e.event.request_id = rid;
    e.event.conversation_id = cid;
    e.event.kind = "message";
    e.event.message_id = mid;
    e.event.actor_id = author_id;
    e.event.created = now;
    EventRecord stored = insert_event(e);
    if (events) events->push_back(stored);
    if (first_seller_reply) {
        e.event.kind = "answered";
        e.audience = Audience::sellers;
        EventRecord a = insert_event(e);
        if (events) events->push_back(a);
    }
    upsert_read(author_id, cid, mid, now);
    inbox_after_message(rid, cid, author_id, mid, now, first_seller_reply);
    // Indexed for search later, many messages per transaction (index_for_search).
    return message_by_id(mid);
}

PostOutcome SqliteStore::post_message(int64_t cid, int64_t author_id, const std::string& body,
                                      const std::string& key, Millis now,
                                      const std::vector<int64_t>& attachments) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    PostOutcome out;
    int64_t rid = request_of(cid);
    {
        auto s = db_.stmt("SELECT i.request_id, i.message_id, m.conversation_id FROM idempotency i "
                          "JOIN messages m ON m.id = i.message_id WHERE i.user_id=?1 AND i.key=?2");
        s.bind(1, author_id).bind(2, key);
        if (s.step()) {
            if (s.i64(0) != rid || s.i64(2) != cid) {
                out.key_conflict = true;
                return out;
            }
            int64_t mid = s.i64(1);
            out.message = message_by_id(mid);
            return out;  // read-only: the transaction rolls back harmlessly
        }
    }
    // Only the author's own pending uploads of this conversation, each once.
    for (size_t i = 0; i < attachments.size(); ++i) {
        for (size_t k = 0; k < i; ++k)
            if (attachments[k] == attachments[i]) { out.invalid_attachment = true; return out; }
        auto s = db_.stmt("SELECT conversation_id = ?2 AND uploader_id = ?3 AND message_id = 0 "
                          "FROM attachments WHERE id = ?1");
        s.bind(1, attachments[i]).bind(2, cid).bind(3, author_id);
        if (!s.step() || s.i64(0) == 0) { out.invalid_attachment = true; return out; }
    }
    out.message = insert_message(cid, author_id, body, now, &out.events);
    for (int64_t aid : attachments)
        db_.stmt("UPDATE attachments SET message_id = ?2 WHERE id = ?1").bind(1, aid).bind(2, out.message.id).run();
    if (!attachments.empty()) out.message.attachments = attachments_of_message(out.message.id);
    db_.stmt("INSERT INTO idempotency(user_id, key, request_id, message_id) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, author_id).bind(2, key).bind(3, rid).bind(4, out.message.id).run();
    out.created = true;
    tx.commit();
    return out;
}

Message SqliteStore::add_message(int64_t cid, int64_t author_id, const std::string& body, Millis created) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    Message m = insert_message(cid, author_id, body, created, nullptr);
    tx.commit();
    return m;
}

// ---------------------------------------------------------------- read marks

void SqliteStore::upsert_read(int64_t user_id, int64_t cid, int64_t message_id, Millis now) {
    db_.stmt("INSERT INTO conv_reads(user_id, conversation_id, last_read_message_id, read_at) "
             "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(user_id, conversation_id) DO UPDATE SET "
             "last_read_message_id = MAX(last_read_message_id, excluded.last_read_message_id), "
             "read_at = excluded.read_at")
        .bind(1, user_id).bind(2, cid).bind(3, message_id).bind(4, now).run();
}

ReadOutcome SqliteStore::mark_read(int64_t user_id, int64_t cid, int64_t up_to, Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    ReadOutcome out;
    int64_t target = 0;
    {
        // The newest message of the conversation at or below up_to (0 = newest).
        auto s = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id=?1 AND (?2 = 0 OR id <= ?2)");
        s.bind(1, cid).bind(2, up_to);
        s.step();
        target = s.i64(0);
    }
    std::optional<int64_t> cur;
    {
        auto s = db_.stmt("SELECT last_read_message_id FROM conv_reads WHERE user_id=?1 AND conversation_id=?2");
        s.bind(1, user_id).bind(2, cid);
        if (s.step()) cur = s.i64(0);
    }
    if (cur && *cur >= target) return out;
    upsert_read(user_id, cid, target, now);
    update_unread(user_id, request_of(cid));
    EventRecord e;
    e.event.request_id = request_of(cid);
    e.event.conversation_id = cid;
    e.event.kind = "read";
    e.event.message_id = target;
    e.event.actor_id = user_id;
    e.event.created = now;
    out.event = insert_event(e);
    out.moved = true;
    tx.commit();
    return out;
}

std::optional<int64_t> SqliteStore::read_mark(int64_t user_id, int64_t cid) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT last_read_message_id FROM conv_reads WHERE user_id=?1 AND conversation_id=?2");
    s.bind(1, user_id).bind(2, cid);
    if (!s.step()) return std::nullopt;
    return s.i64(0);
}

// ---------------------------------------------------------------- auth

void SqliteStore::add_magic_link(const std::string& h, int64_t user_id, Millis expires, bool reusable,
                                 int64_t request_id) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT OR REPLACE INTO magic_links(token_hash, user_id, expires, reusable, request_id) "
             "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, h).bind(2, user_id).bind(3, expires).bind(4, int64_t{reusable ? 1 : 0}).bind(5, request_id).run();
}

std::optional<Store::MagicLinkUse> SqliteStore::redeem_magic_link(const std::string& h, Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    auto s = db_.stmt("SELECT user_id, expires, reusable, request_id FROM magic_links WHERE token_hash=?1");
    s.bind(1, h);
    if (!s.step()) return std::nullopt;
    MagicLinkUse out{s.i64(0), s.i64(3)};
    Millis expires = s.i64(1);
    bool reusable = s.i64(2) != 0;
    if (expires <= now) return std::nullopt;
    if (!reusable) {
        db_.stmt("DELETE FROM magic_links WHERE token_hash=?1").bind(1, h).run();
        tx.commit();
    }
    return out;
}

void SqliteStore::add_session(const std::string& h, int64_t user_id, Millis created, Millis expires,
                              int64_t request_id) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT OR REPLACE INTO sessions(token_hash, user_id, created, expires, request_id) "
             "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, h).bind(2, user_id).bind(3, created).bind(4, expires).bind(5, request_id).run();
}

std::optional<Store::SessionInfo> SqliteStore::session(const std::string& h, Millis now) {
    std::lock_guard lk(session_db_.mu);
    auto s = session_db_.stmt("SELECT user_id, expires, request_id FROM sessions WHERE token_hash=?1");
    s.bind(1, h);
    if (!s.step()) return std::nullopt;
    SessionInfo out{s.i64(0), s.i64(1), s.i64(2)};
    if (out.expires <= now) return std::nullopt;
    return out;
}

void SqliteStore::delete_session(const std::string& h) {
    std::lock_guard lk(db_.mu);
    db_.stmt("DELETE FROM sessions WHERE token_hash=?1").bind(1, h).run();
}

void SqliteStore::purge_expired(Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("DELETE FROM magic_links WHERE expires <= ?1").bind(1, now).run();
    db_.stmt("DELETE FROM sessions WHERE expires <= ?1").bind(1, now).run();
}

void SqliteStore::transaction(const std::function<void()>& fn) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    fn();
    tx.commit();
}

void SqliteStore::ping() {
    std::lock_guard lk(db_.mu);
    // Reads the schema's first page: the file is there and readable.
    auto s = db_.stmt("SELECT 1 FROM sqlite_master LIMIT 1");
    s.step();
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace parley::server
