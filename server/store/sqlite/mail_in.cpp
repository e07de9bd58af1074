// Table mail_in (schema: kMigrations step 9) on its own connection. See
// server/store/mail_in_store.h.
#include "server/store/mail_in_store.h"

#include <algorithm>

#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"

namespace parley::server {

namespace {

#define ROW_COLUMNS \
    "id, key, conversation_id, user_id, status, message_id, event_id, subject, received, hold_reason, preview"

template <class Stmt>
MailInStore::Row read_row(Stmt& s) {
    MailInStore::Row r;
    r.id = s.i64(0);
    r.key = s.text(1);
    r.conversation_id = s.i64(2);
    r.user_id = s.i64(3);
    r.status = s.text(4);
    r.message_id = s.i64(5);
    r.event_id = s.i64(6);
    r.subject = s.text(7);
    r.received = s.i64(8);
    r.hold_reason = s.text(9);
    r.preview = s.text(10);
    return r;
}

class SqliteMailInStore final : public MailInStore {
public:
    explicit SqliteMailInStore(const std::string& db_path) : db_(db_path) {}
    std::optional<Row> find(const std::string& key) override;
    bool add(const Row& r) override;
    std::vector<Row> held(int64_t user_id, const std::vector<int64_t>& conversations, int limit) override;
    std::optional<Row> by_id(int64_t id) override;
    bool settle_held(int64_t id, const std::string& status, int64_t message_id) override;
    std::optional<Original> original(int64_t message_id) override;
    std::optional<Thread> thread_of(const std::string& message_id) override;
    int64_t request_of(int64_t conversation_id) override;

private:
    SqliteDb db_;
};

std::optional<MailInStore::Row> SqliteMailInStore::find(const std::string& key) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT " ROW_COLUMNS " FROM mail_in WHERE key = ?1");
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return read_row(s);
}

std::vector<MailInStore::Row> SqliteMailInStore::held(int64_t user_id, const std::vector<int64_t>& conversations,
                                                      int limit) {
    std::vector<Row> out;
    std::lock_guard lk(db_.mu);
    // One indexed look-up per conversation (mail_in_held): a viewer sees a handful.
    for (int64_t c : conversations) {
        auto s = db_.stmt("SELECT " ROW_COLUMNS " FROM mail_in WHERE user_id = ?1 AND conversation_id = ?2 "
                          "AND status = 'held' ORDER BY id LIMIT ?3");
        s.bind(1, user_id).bind(2, c).bind(3, static_cast<int64_t>(limit));
        while (s.step() && out.size() < static_cast<size_t>(limit)) out.push_back(read_row(s));
    }
    std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
    return out;
}

std::optional<MailInStore::Row> SqliteMailInStore::by_id(int64_t id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT " ROW_COLUMNS ", raw FROM mail_in WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    Row r = read_row(s);
    r.raw = s.text(11);
    return r;
}

bool SqliteMailInStore::settle_held(int64_t id, const std::string& status, int64_t message_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("UPDATE mail_in SET status = ?2, message_id = ?3 WHERE id = ?1 AND status = 'held'");
    s.bind(1, id).bind(2, status).bind(3, message_id);
    s.run();
    return db_.changes() > 0;
}

bool SqliteMailInStore::add(const Row& r) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "INSERT OR IGNORE INTO mail_in(key, conversation_id, user_id, status, message_id, event_id, subject, raw, "
        "received, hold_reason, preview) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    s.bind(1, r.key).bind(2, r.conversation_id).bind(3, r.user_id).bind(4, r.status).bind(5, r.message_id);
    s.bind(6, r.event_id).bind(7, r.subject).bind(8, r.raw).bind(9, r.received);
    s.bind(10, r.hold_reason).bind(11, r.preview);
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
