// SQLite implementation of Store: one connection guarded by a mutex, WAL mode,
// versioned migrations (PRAGMA user_version), parameterised statements only.
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "server/store.h"
#include "server/text.h"

namespace parley::server {
namespace {

// Migration steps: step i brings the schema from version i to i+1. Never edit a step
// once released; append a new one.
const char* const kMigrations[] = {
    // 1: base tables
    R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('buyer', 'manufacturer')),
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '');
CREATE TABLE requests(
  id INTEGER PRIMARY KEY,
  buyer_id INTEGER NOT NULL REFERENCES users(id),
  manufacturer_id INTEGER NOT NULL REFERENCES users(id),
  product TEXT NOT NULL,
  message TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  created INTEGER NOT NULL);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  created INTEGER NOT NULL);
CREATE TABLE reads(
  user_id INTEGER NOT NULL REFERENCES users(id),
  request_id INTEGER NOT NULL REFERENCES requests(id),
  last_read_message_id INTEGER NOT NULL DEFAULT 0,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, request_id)) WITHOUT ROWID;
CREATE TABLE events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  kind TEXT NOT NULL,
  message_id INTEGER NOT NULL DEFAULT 0,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL);
CREATE TABLE magic_links(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created INTEGER NOT NULL,
  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE idempotency(
  user_id INTEGER NOT NULL REFERENCES users(id),
  key TEXT NOT NULL,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  message_id INTEGER NOT NULL REFERENCES messages(id),
  UNIQUE (user_id, key));
)sql",
    // 2: indexes for the inbox, thread and event queries
    R"sql(
CREATE INDEX requests_buyer ON requests(buyer_id);
CREATE INDEX requests_manufacturer ON requests(manufacturer_id);
CREATE INDEX messages_request ON messages(request_id, id);
CREATE INDEX events_request ON events(request_id, id);
)sql",
    // 3: single-use vs reusable magic links (demo links are reusable)
    R"sql(
ALTER TABLE magic_links ADD COLUMN reusable INTEGER NOT NULL DEFAULT 0;
)sql",
};
constexpr int kSchemaVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

// A cached prepared statement, reset when the Stmt goes out of scope.
class Stmt {
public:
    Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
    ~Stmt() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, int64_t v) { check(sqlite3_bind_int64(s_, i, v)); return *this; }
    Stmt& bind(int i, const std::string& v) {
        check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    // true while a row is available
    bool step() {
        int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    void run() { while (step()) {} }
    int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    std::string text(int col) const {
        const unsigned char* p = sqlite3_column_text(s_, col);
        int n = sqlite3_column_bytes(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw StoreError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* s_;
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path) {
        int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw StoreError("cannot open database " + path + ": " + why);
        }
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA foreign_keys=ON");
        migrate();
    }
    ~SqliteStore() override {
        for (auto& [sql, s] : stmts_) sqlite3_finalize(s);
        if (db_) sqlite3_close(db_);
    }

    int schema_version() override {
        std::lock_guard lk(mu_);
        return user_version();
    }

    // ---------------- users ----------------
    int64_t add_user(const UserRecord& u) override {
        std::lock_guard lk(mu_);
        auto s = stmt("INSERT INTO users(name, company, country, language, role, email, phone) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        s.bind(1, u.name).bind(2, u.company).bind(3, u.country).bind(4, u.language)
            .bind(5, u.role).bind(6, u.email).bind(7, u.phone).run();
        return sqlite3_last_insert_rowid(db_);
    }
    std::optional<UserRecord> user(int64_t id) override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT id, name, company, country, language, role, email, phone FROM users WHERE id=?1");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_user(s);
    }
    std::vector<UserRecord> users() override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT id, name, company, country, language, role, email, phone FROM users ORDER BY id");
        std::vector<UserRecord> out;
        while (s.step()) out.push_back(read_user(s));
        return out;
    }
    bool empty() override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT EXISTS(SELECT 1 FROM users)");
        s.step();
        return s.i64(0) == 0;
    }

    // ---------------- requests ----------------
    int64_t add_request(const RequestRecord& r) override {
        std::lock_guard lk(mu_);
        auto s = stmt("INSERT INTO requests(buyer_id, manufacturer_id, product, message, country, language, created) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        s.bind(1, r.buyer_id).bind(2, r.manufacturer_id).bind(3, r.product).bind(4, r.message)
            .bind(5, r.country).bind(6, r.language).bind(7, r.created).run();
        return sqlite3_last_insert_rowid(db_);
    }
    std::optional<RequestRecord> request(int64_t id) override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT id, buyer_id, manufacturer_id, product, message, country, language, created "
                      "FROM requests WHERE id=?1");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        RequestRecord r;
        r.id = s.i64(0); r.buyer_id = s.i64(1); r.manufacturer_id = s.i64(2);
        r.product = s.text(3); r.message = s.text(4); r.country = s.text(5);
        r.language = s.text(6); r.created = s.i64(7);
        return r;
    }

    std::vector<RequestSummary> inbox(int64_t user_id) override {
        std::lock_guard lk(mu_);
        // One row per visible request; the newest message via the (request_id, id) index.
        auto s = stmt(R"sql(
SELECT r.id, u.name, u.company, r.country, r.language, r.product, r.created, r.message,
       (r.manufacturer_id = ?1) AS is_manufacturer,
       (SELECT COUNT(*) FROM messages m WHERE m.request_id = r.id) AS n,
       lm.body, lm.created,
       rd.last_read_message_id,
       EXISTS(SELECT 1 FROM messages m WHERE m.request_id = r.id AND m.author_id <> ?1
              AND m.id > COALESCE(rd.last_read_message_id, 0)) AS unread_msg
FROM requests r
JOIN users u ON u.id = r.buyer_id
LEFT JOIN reads rd ON rd.request_id = r.id AND rd.user_id = ?1
LEFT JOIN messages lm ON lm.id = (SELECT MAX(id) FROM messages WHERE request_id = r.id)
WHERE r.buyer_id = ?1 OR r.manufacturer_id = ?1)sql");
        s.bind(1, user_id);
        std::vector<RequestSummary> out;
        while (s.step()) {
            RequestSummary r;
            r.id = s.i64(0);
            r.buyer_name = s.text(1);
            r.buyer_company = s.text(2);
            r.country = s.text(3);
            r.language = s.text(4);
            r.product = s.text(5);
            r.created = s.i64(6);
            bool is_manufacturer = s.i64(8) != 0;
            r.message_count = static_cast<int>(s.i64(9));
            bool has_message = !s.is_null(10);
            r.snippet = snippet_of(has_message ? s.text(10) : s.text(7));
            r.last_activity = has_message ? std::max(r.created, s.i64(11)) : r.created;
            bool never_read = s.is_null(12);
            // The request itself is news for its manufacturer until they open it once.
            r.unread = s.i64(13) != 0 || (is_manufacturer && never_read);
            out.push_back(std::move(r));
        }
        std::stable_sort(out.begin(), out.end(), [](const RequestSummary& a, const RequestSummary& b) {
            if (a.unread != b.unread) return a.unread;
            if (a.last_activity != b.last_activity) return a.last_activity > b.last_activity;
            return a.id > b.id;
        });
        return out;
    }

    std::optional<RequestDetail> detail(int64_t request_id) override {
        std::lock_guard lk(mu_);
        RequestDetail d;
        {
            auto s = stmt(R"sql(
SELECT r.id, r.product, r.message, r.country, r.language, r.created,
       b.id, b.name, b.company, b.country, b.language, b.role, m.name
FROM requests r JOIN users b ON b.id = r.buyer_id JOIN users m ON m.id = r.manufacturer_id
WHERE r.id = ?1)sql");
            s.bind(1, request_id);
            if (!s.step()) return std::nullopt;
            d.id = s.i64(0); d.product = s.text(1); d.message = s.text(2);
            d.country = s.text(3); d.language = s.text(4); d.created = s.i64(5);
            d.buyer = User{s.i64(6), s.text(7), s.text(8), s.text(9), s.text(10), s.text(11)};
            d.manufacturer_name = s.text(12);
        }
        auto s = stmt(R"sql(
SELECT m.id, m.request_id, m.author_id, u.name, u.role, m.body, m.created
FROM messages m JOIN users u ON u.id = m.author_id
WHERE m.request_id = ?1 ORDER BY m.id DESC)sql");
        s.bind(1, request_id);
        while (s.step()) d.messages.push_back(read_message(s));
        return d;
    }

    // ---------------- messages ----------------
    PostOutcome post_message(int64_t request_id, int64_t author_id, const std::string& body,
                             const std::string& key, Millis now) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        PostOutcome out;
        {
            auto s = stmt("SELECT request_id, message_id FROM idempotency WHERE user_id=?1 AND key=?2");
            s.bind(1, author_id).bind(2, key);
            if (s.step()) {
                if (s.i64(0) != request_id) {
                    out.key_conflict = true;
                    return out;
                }
                int64_t mid = s.i64(1);
                out.message = message_by_id(mid);
                return out;  // read-only: the transaction rolls back harmlessly
            }
        }
        stmt("INSERT INTO messages(request_id, author_id, body, created) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, request_id).bind(2, author_id).bind(3, body).bind(4, now).run();
        int64_t mid = sqlite3_last_insert_rowid(db_);
        stmt("INSERT INTO idempotency(user_id, key, request_id, message_id) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, author_id).bind(2, key).bind(3, request_id).bind(4, mid).run();
        out.event = insert_event(request_id, "message", mid, author_id, now);
        upsert_read(author_id, request_id, mid, now);
        out.message = message_by_id(mid);
        out.created = true;
        tx.commit();
        return out;
    }

    Message add_message(int64_t request_id, int64_t author_id, const std::string& body,
                        Millis created) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        stmt("INSERT INTO messages(request_id, author_id, body, created) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, request_id).bind(2, author_id).bind(3, body).bind(4, created).run();
        int64_t mid = sqlite3_last_insert_rowid(db_);
        insert_event(request_id, "message", mid, author_id, created);
        upsert_read(author_id, request_id, mid, created);
        Message m = message_by_id(mid);
        tx.commit();
        return m;
    }

    // ---------------- read marks ----------------
    ReadOutcome mark_read(int64_t user_id, int64_t request_id, Millis now) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        ReadOutcome out;
        int64_t newest = 0;
        {
            auto s = stmt("SELECT COALESCE(MAX(id), 0) FROM messages WHERE request_id=?1");
            s.bind(1, request_id);
            s.step();
            newest = s.i64(0);
        }
        std::optional<int64_t> cur = read_mark_locked(user_id, request_id);
        if (cur && *cur >= newest) return out;
        upsert_read(user_id, request_id, newest, now);
        out.event = insert_event(request_id, "read", newest, user_id, now);
        out.moved = true;
        tx.commit();
        return out;
    }
    std::optional<int64_t> read_mark(int64_t user_id, int64_t request_id) override {
        std::lock_guard lk(mu_);
        return read_mark_locked(user_id, request_id);
    }

    // ---------------- events ----------------
    std::vector<Event> events_for_user(int64_t user_id, int64_t after, int limit) override {
        std::lock_guard lk(mu_);
        auto s = stmt(R"sql(
SELECT e.id, e.request_id, e.message_id, e.actor_id, e.kind, e.created
FROM events e JOIN requests r ON r.id = e.request_id
WHERE e.id > ?1 AND (r.buyer_id = ?2 OR r.manufacturer_id = ?2)
ORDER BY e.id LIMIT ?3)sql");
        s.bind(1, after).bind(2, user_id).bind(3, static_cast<int64_t>(limit));
        std::vector<Event> out;
        while (s.step()) {
            Event e;
            e.id = s.i64(0); e.request_id = s.i64(1); e.message_id = s.i64(2);
            e.actor_id = s.i64(3); e.kind = s.text(4); e.created = s.i64(5);
            out.push_back(std::move(e));
        }
        return out;
    }
    int64_t max_event_id() override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT COALESCE(MAX(id), 0) FROM events");
        s.step();
        return s.i64(0);
    }

    // ---------------- auth ----------------
    void add_magic_link(const std::string& h, int64_t user_id, Millis expires, bool reusable) override {
        std::lock_guard lk(mu_);
        stmt("INSERT OR REPLACE INTO magic_links(token_hash, user_id, expires, reusable) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, h).bind(2, user_id).bind(3, expires).bind(4, int64_t{reusable ? 1 : 0}).run();
    }
    std::optional<int64_t> use_magic_link(const std::string& h, Millis now) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        auto s = stmt("SELECT user_id, expires, reusable FROM magic_links WHERE token_hash=?1");
        s.bind(1, h);
        if (!s.step()) return std::nullopt;
        int64_t uid = s.i64(0), expires = s.i64(1);
        bool reusable = s.i64(2) != 0;
        if (expires <= now) return std::nullopt;
        if (!reusable) {
            stmt("DELETE FROM magic_links WHERE token_hash=?1").bind(1, h).run();
            tx.commit();
        }
        return uid;
    }
    void add_session(const std::string& h, int64_t user_id, Millis created, Millis expires) override {
        std::lock_guard lk(mu_);
        stmt("INSERT OR REPLACE INTO sessions(token_hash, user_id, created, expires) VALUES(?1, ?2, ?3, ?4)")
            .bind(1, h).bind(2, user_id).bind(3, created).bind(4, expires).run();
    }
    std::optional<SessionInfo> session(const std::string& h, Millis now) override {
        std::lock_guard lk(mu_);
        auto s = stmt("SELECT user_id, expires FROM sessions WHERE token_hash=?1");
        s.bind(1, h);
        if (!s.step()) return std::nullopt;
        SessionInfo out{s.i64(0), s.i64(1)};
        if (out.expires <= now) return std::nullopt;
        return out;
    }
    void delete_session(const std::string& h) override {
        std::lock_guard lk(mu_);
        stmt("DELETE FROM sessions WHERE token_hash=?1").bind(1, h).run();
    }
    void purge_expired(Millis now) override {
        std::lock_guard lk(mu_);
        stmt("DELETE FROM magic_links WHERE expires <= ?1").bind(1, now).run();
        stmt("DELETE FROM sessions WHERE expires <= ?1").bind(1, now).run();
    }

    void transaction(const std::function<void()>& fn) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        fn();
        tx.commit();
    }

private:
    // Nested-safe transaction: only the outermost one talks to SQLite. Destroyed without
    // commit() → rollback (of the outermost transaction).
    class Tx {
    public:
        explicit Tx(SqliteStore& st) : st_(st) {
            if (st_.tx_depth_++ == 0) st_.exec("BEGIN IMMEDIATE");
        }
        void commit() {
            if (done_) return;
            done_ = true;
            if (--st_.tx_depth_ == 0) st_.exec("COMMIT");
        }
        ~Tx() {
            if (done_) return;
            if (--st_.tx_depth_ == 0) sqlite3_exec(st_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    private:
        SqliteStore& st_;
        bool done_ = false;
    };

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string why = err ? err : "unknown error";
            sqlite3_free(err);
            throw StoreError(std::string("sqlite: ") + why);
        }
    }
    int user_version() {
        auto s = stmt("PRAGMA user_version");
        s.step();
        return static_cast<int>(s.i64(0));
    }
    void migrate() {
        int v = user_version();
        if (v > kSchemaVersion)
            throw StoreError("database schema version " + std::to_string(v) +
                             " is newer than this server (" + std::to_string(kSchemaVersion) + ")");
        for (; v < kSchemaVersion; ++v) {
            exec("BEGIN IMMEDIATE");
            try {
                exec(kMigrations[v]);
                exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
                exec("COMMIT");
            } catch (...) {
                sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
                throw;
            }
        }
    }

    // Statements are prepared once and cached by their (literal) text pointer.
    Stmt stmt(const char* sql) {
        auto it = stmts_.find(sql);
        if (it == stmts_.end()) {
            sqlite3_stmt* s = nullptr;
            if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
                throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
            it = stmts_.emplace(sql, s).first;
        }
        return Stmt(db_, it->second);
    }

    static UserRecord read_user(const Stmt& s) {
        UserRecord u;
        u.id = s.i64(0); u.name = s.text(1); u.company = s.text(2); u.country = s.text(3);
        u.language = s.text(4); u.role = s.text(5); u.email = s.text(6); u.phone = s.text(7);
        return u;
    }
    static Message read_message(const Stmt& s) {
        Message m;
        m.id = s.i64(0); m.request_id = s.i64(1); m.author_id = s.i64(2);
        m.author_name = s.text(3); m.author_role = s.text(4); m.body = s.text(5); m.created = s.i64(6);
        return m;
    }
    Message message_by_id(int64_t id) {
        auto s = stmt("SELECT m.id, m.request_id, m.author_id, u.name, u.role, m.body, m.created "
                      "FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id=?1");
        s.bind(1, id);
        if (!s.step()) throw StoreError("message " + std::to_string(id) + " vanished");
        return read_message(s);
    }
    Event insert_event(int64_t request_id, const std::string& kind, int64_t message_id,
                       int64_t actor_id, Millis now) {
        stmt("INSERT INTO events(request_id, kind, message_id, actor_id, created) VALUES(?1, ?2, ?3, ?4, ?5)")
            .bind(1, request_id).bind(2, kind).bind(3, message_id).bind(4, actor_id).bind(5, now).run();
        Event e;
        e.id = sqlite3_last_insert_rowid(db_);
        e.request_id = request_id; e.kind = kind; e.message_id = message_id;
        e.actor_id = actor_id; e.created = now;
        return e;
    }
    void upsert_read(int64_t user_id, int64_t request_id, int64_t message_id, Millis now) {
        stmt("INSERT INTO reads(user_id, request_id, last_read_message_id, read_at) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(user_id, request_id) DO UPDATE SET "
             "last_read_message_id = MAX(last_read_message_id, excluded.last_read_message_id), "
             "read_at = excluded.read_at")
            .bind(1, user_id).bind(2, request_id).bind(3, message_id).bind(4, now).run();
    }
    std::optional<int64_t> read_mark_locked(int64_t user_id, int64_t request_id) {
        auto s = stmt("SELECT last_read_message_id FROM reads WHERE user_id=?1 AND request_id=?2");
        s.bind(1, user_id).bind(2, request_id);
        if (!s.step()) return std::nullopt;
        return s.i64(0);
    }

    std::recursive_mutex mu_;
    sqlite3* db_ = nullptr;
    int tx_depth_ = 0;
    std::unordered_map<const char*, sqlite3_stmt*> stmts_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace parley::server
