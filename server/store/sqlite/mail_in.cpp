// Table mail_in (schema: kMigrations step 9) on its own connection. See
// server/store/mail_in_store.h.
#include "server/store/mail_in_store.h"
#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"

namespace parley::server {

namespace {

class SqliteMailInStore final : public MailInStore {
public:
    explicit SqliteMailInStore(const std::string& db_path) : db_(db_path) {}
    std::optional<Row> find(const std::string& key) override;
    bool add(const Row& r) override;
    std::optional<Original> original(int64_t message_id) override;
    std::optional<Thread> thread_of(const std::string& message_id) override;
    int64_t request_of(int64_t conversation_id) override;

private:
    SqliteDb db_;
};

std::optional<MailInStore::Row> SqliteMailInStore::find(const std::string& key) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT key, conversation_id, user_id, status, message_id, event_id, subject, received "
        "FROM mail_in WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    Row r;
    r.key = s.text(0);
    r.conversation_id = s.i64(1);
    r.user_id = s.i64(2);
    r.status = s.text(3);
    r.message_id = s.i64(4);
    r.event_id = s.i64(5);
    r.subject = s.text(6);
    r.received = s.i64(7);
    return r;
}

bool SqliteMailInStore::add(const Row& r) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "INSERT OR IGNORE INTO mail_in(key, conversation_id, user_id, status, message_id, event_id, subject, raw, "
        "received) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    s.bind(1, r.key).bind(2, r.conversation_id).bind(3, r.user_id).bind(4, r.status).bind(5, r.message_id);
    s.bind(6, r.event_id).bind(7, r.subject).bind(8, r.raw).bind(9, r.received);
    s.run();
    return db_.changes() > 0;
}

std::optional<MailInStore::Original> SqliteMailInStore::original(int64_t message_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT m.request_id, m.conversation_id, m.author_id, i.raw FROM mail_in i "
        "JOIN messages m ON m.id = i.message_id WHERE i.message_id = ?1 AND i.message_id > 0 ORDER BY i.id LIMIT 1");
    s.bind(1, message_id);
    if (!s.step()) return std::nullopt;
    return Original{s.i64(0), s.i64(1), s.i64(2), s.text(3)};
}

std::optional<MailInStore::Thread> SqliteMailInStore::thread_of(const std::string& message_id) {
    std::lock_guard lk(db_.mu);
    // outbox.message_id is stored with its angle brackets (UNIQUE index).
    auto s = db_.stmt("SELECT conversation_id, to_user_id FROM outbox WHERE message_id = ?1");
    s.bind(1, "<" + message_id + ">");
    if (!s.step() || s.i64(0) <= 0 || s.i64(1) <= 0) return std::nullopt;
    return Thread{s.i64(0), s.i64(1)};
}

int64_t SqliteMailInStore::request_of(int64_t conversation_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT request_id FROM conversations WHERE id = ?1");
    s.bind(1, conversation_id);
    return s.step() ? s.i64(0) : 0;
}

}  // namespace

std::unique_ptr<MailInStore> open_sqlite_mail_in_store(const std::string& path) {
    return std::make_unique<SqliteMailInStore>(path);
}

}  // namespace parley::server
