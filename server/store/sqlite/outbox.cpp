// The outbox table (schema: kMigrations step 8) on its own connection. See server/store/outbox_store.h.
#include "server/store/outbox_store.h"
#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"

namespace parley::server {

namespace {
constexpr const char* kCols =
    "id, to_address, to_user_id, kind, request_id, conversation_id, message_id, subject, text, raw, status, "
    "attempts, next_attempt_at, last_error, error_kind, last_code, created, sent_at, message_ref, failure_event_id";

// Table outbox on its own connection.
class SqliteOutboxStore final : public OutboxStore {
public:
    explicit SqliteOutboxStore(const std::string& db_path) : db_(db_path) {}
    int64_t add(const OutboxRow& r) override;
    void add_all(std::vector<OutboxRow>& rows) override;
    std::optional<OutboxRow> get(int64_t id) override;
    std::vector<OutboxRow> due(int64_t now, int limit) override;
    std::optional<int64_t> next_due() override;
    void update_attempt(const OutboxRow& r) override;
    std::vector<OutboxRow> for_user(int64_t user_id, int limit) override;
    std::vector<std::string> thread(int64_t conversation_id, int64_t user_id, int limit) override;
    std::vector<DeliveryInfo> deliveries(int64_t request_id) override;
    std::vector<DeliveryInfo> deliveries_of(const std::vector<int64_t>& message_ids) override;
    std::optional<DeliveryInfo> delivery(int64_t id) override;
    bool requeue(int64_t id, int64_t now) override;
    bool set_failure_event(int64_t id, int64_t event_id) override;
    Backlog backlog(int64_t cap) override;

private:
    static OutboxRow read(const Stmt& s);
    SqliteDb db_;
};


OutboxRow SqliteOutboxStore::read(const Stmt& s) {
    OutboxRow r;
    r.id = s.i64(0);
    r.to_address = s.text(1);
    r.to_user_id = s.i64(2);
    r.kind = s.text(3);
    r.request_id = s.i64(4);
    r.conversation_id = s.i64(5);
    r.message_id = s.text(6);
    r.subject = s.text(7);
    r.text = s.text(8);
    r.raw = s.text(9);
    r.status = s.text(10);
    r.attempts = static_cast<int>(s.i64(11));
    r.next_attempt_at = s.i64(12);
    r.last_error = s.text(13);
    r.error_kind = s.text(14);
    r.last_code = static_cast<int>(s.i64(15));
    r.created = s.i64(16);
    r.sent_at = s.i64(17);
    r.message_ref = s.i64(18);
    r.failure_event_id = s.i64(19);
    return r;
}

int64_t SqliteOutboxStore::add(const OutboxRow& r) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "INSERT INTO outbox(to_address, to_user_id, kind, request_id, conversation_id, message_id, subject, text, "
        "raw, status, attempts, next_attempt_at, last_error, error_kind, last_code, created, sent_at, message_ref) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
    s.bind(1, r.to_address).bind(2, r.to_user_id).bind(3, r.kind).bind(4, r.request_id).bind(5, r.conversation_id);
    s.bind(6, r.message_id).bind(7, r.subject).bind(8, r.text).bind(9, r.raw).bind(10, r.status);
    s.bind(11, int64_t{r.attempts}).bind(12, r.next_attempt_at).bind(13, r.last_error).bind(14, r.error_kind);
    s.bind(15, int64_t{r.last_code}).bind(16, r.created).bind(17, r.sent_at).bind(18, r.message_ref);
    s.run();
    return db_.last_id();
}

void SqliteOutboxStore::add_all(std::vector<OutboxRow>& rows) {
    std::lock_guard lk(db_.mu);
    SqliteDb::Tx tx(db_);
    for (auto& r : rows) r.id = add(r);
    tx.commit();
}

std::optional<OutboxRow> SqliteOutboxStore::get(int64_t id) {
    std::lock_guard lk(db_.mu);
    static const std::string sql = std::string("SELECT ") + kCols + " FROM outbox WHERE id = ?1";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read(s);
}

std::vector<OutboxRow> SqliteOutboxStore::due(int64_t now, int limit) {
    std::lock_guard lk(db_.mu);
    static const std::string sql = std::string("SELECT ") + kCols +
                                   " FROM outbox WHERE status IN ('queued', 'failed_temporary') AND "
                                   "next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, now).bind(2, int64_t{limit});
    std::vector<OutboxRow> out;
    while (s.step()) out.push_back(read(s));
    return out;
}

std::optional<int64_t> SqliteOutboxStore::next_due() {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('queued', 'failed_temporary')");
    if (!s.step() || s.is_null(0)) return std::nullopt;
    return s.i64(0);
}

void SqliteOutboxStore::update_attempt(const OutboxRow& r) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5, error_kind = ?6, "
        "last_code = ?7, sent_at = ?8 WHERE id = ?1");
    s.bind(1, r.id).bind(2, r.status).bind(3, int64_t{r.attempts}).bind(4, r.next_attempt_at);
    s.bind(5, r.last_error).bind(6, r.error_kind).bind(7, int64_t{r.last_code}).bind(8, r.sent_at);
    s.run();
}

std::vector<OutboxRow> SqliteOutboxStore::for_user(int64_t user_id, int limit) {
    std::lock_guard lk(db_.mu);
    static const std::string sql =
        std::string("SELECT ") + kCols + " FROM outbox WHERE to_user_id = ?1 ORDER BY id DESC LIMIT ?2";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, user_id).bind(2, int64_t{limit});
    std::vector<OutboxRow> out;
    while (s.step()) out.push_back(read(s));
    return out;
}

std::vector<std::string> SqliteOutboxStore::thread(int64_t conversation_id, int64_t user_id, int limit) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "SELECT message_id FROM (SELECT id, message_id FROM outbox WHERE conversation_id = ?1 AND to_user_id = ?2 "
        "ORDER BY id DESC LIMIT ?3) ORDER BY id");
    s.bind(1, conversation_id).bind(2, user_id).bind(3, int64_t{limit});
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

// Delivery status. The recipient's name and the message's author come from
// the same database (users, messages); raw and text are left out.
namespace {
constexpr const char* kDeliverySql =
    "SELECT o.id, o.to_user_id, o.kind, o.request_id, o.conversation_id, o.status, o.attempts, "
    "o.next_attempt_at, o.error_kind, o.last_code, o.created, o.sent_at, o.message_ref, o.failure_event_id, "
    "COALESCE(u.name, ''), COALESCE(m.author_id, 0) "
    "FROM outbox o LEFT JOIN users u ON u.id = o.to_user_id LEFT JOIN messages m ON m.id = o.message_ref ";

DeliveryInfo read_delivery(const Stmt& s) {
    DeliveryInfo d;
    OutboxRow& r = d.row;
    r.id = s.i64(0);
    r.to_user_id = s.i64(1);
    r.kind = s.text(2);
    r.request_id = s.i64(3);
    r.conversation_id = s.i64(4);
    r.status = s.text(5);
    r.attempts = static_cast<int>(s.i64(6));
    r.next_attempt_at = s.i64(7);
    r.error_kind = s.text(8);
    r.last_code = static_cast<int>(s.i64(9));
    r.created = s.i64(10);
    r.sent_at = s.i64(11);
    r.message_ref = s.i64(12);
    r.failure_event_id = s.i64(13);
    d.recipient_name = s.text(14);
    d.author_id = s.i64(15);
    return d;
}
}  // namespace

std::vector<DeliveryInfo> SqliteOutboxStore::deliveries(int64_t request_id) {
    std::lock_guard lk(db_.mu);
    static const std::string sql =
        // Through the request's messages: the (partial) index on message_ref, not a scan of the outbox.
        std::string(kDeliverySql) +
        "WHERE o.message_ref IN (SELECT id FROM messages WHERE request_id = ?1) AND o.message_ref > 0 ORDER BY o.id";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, request_id);
    std::vector<DeliveryInfo> out;
    while (s.step()) out.push_back(read_delivery(s));
    return out;
}

std::vector<DeliveryInfo> SqliteOutboxStore::deliveries_of(const std::vector<int64_t>& message_ids) {
    std::vector<DeliveryInfo> out;
    if (message_ids.empty()) return out;
    std::string list = "[";
    for (int64_t id : message_ids) {
        if (list.size() > 1) list.push_back(',');
        list.append(std::to_string(id));
    }
    list.push_back(']');
    std::lock_guard lk(db_.mu);
    static const std::string sql = std::string(kDeliverySql) +
        "WHERE o.message_ref IN (SELECT value FROM json_each(?1)) AND o.message_ref > 0 ORDER BY o.id";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, list);
    while (s.step()) out.push_back(read_delivery(s));
    return out;
}

std::optional<DeliveryInfo> SqliteOutboxStore::delivery(int64_t id) {
    std::lock_guard lk(db_.mu);
    static const std::string sql = std::string(kDeliverySql) + "WHERE o.id = ?1";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_delivery(s);
}

bool SqliteOutboxStore::requeue(int64_t id, int64_t now) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(
        "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?2, failure_event_id = 0 "
        "WHERE id = ?1 AND status = 'failed_permanent'");
    s.bind(1, id).bind(2, now);
    s.run();
    return db_.changes() > 0;
}

bool SqliteOutboxStore::set_failure_event(int64_t id, int64_t event_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("UPDATE outbox SET failure_event_id = ?2 WHERE id = ?1 AND failure_event_id = 0");
    s.bind(1, id).bind(2, event_id);
    s.run();
    return db_.changes() > 0;
}

OutboxStore::Backlog SqliteOutboxStore::backlog(int64_t cap) {
    std::lock_guard lk(db_.mu);
    // Both through outbox_due (partial: pending rows only); MIN is its first entry.
    auto s = db_.stmt(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE status IN ('queued', 'failed_temporary') "
        "LIMIT ?1)), (SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('queued', 'failed_temporary'))");
    s.bind(1, cap);
    Backlog b;
    if (!s.step()) return b;
    b.pending = s.i64(0);
    if (!s.is_null(1)) b.earliest_due = s.i64(1);
    return b;
}

}  // namespace

std::unique_ptr<OutboxStore> open_sqlite_outbox_store(const std::string& path) {
    return std::make_unique<SqliteOutboxStore>(path);
}

}  // namespace parley::server
