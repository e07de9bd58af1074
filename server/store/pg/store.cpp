// PgStore: connections and transactions, users, requests and auth (sign-in links,
// sessions). See store.h.
#include "server/store/pg/store.h"

#include <utility>
#include <vector>

#include "server/store/pg/open.h"

namespace parley::server::pg {

// ---------------------------------------------------------------- connections

namespace {
// The connection each store instance has pinned to this thread (a call in progress or
// transaction(fn)); a few entries at most.
thread_local std::vector<std::pair<const PgStore*, Conn*>> t_pinned;

Conn* pinned(const PgStore* s) {
    for (auto& [store, conn] : t_pinned)
        if (store == s) return conn;
    return nullptr;
}
}  // namespace

PgStore::Use::Use(PgStore& s) {
    c_ = pinned(&s);
    if (c_) return;
    lease_.emplace(s.pool_.lease());
    c_ = &**lease_;
    t_pinned.emplace_back(&s, c_);
    pinned_by_me_ = &s;
}

PgStore::Use::~Use() {
    if (!pinned_by_me_) return;
    for (size_t i = 0; i < t_pinned.size(); ++i)
        if (t_pinned[i].first == pinned_by_me_) {
            t_pinned.erase(t_pinned.begin() + static_cast<std::ptrdiff_t>(i));
            break;
        }
}

// A write transaction of the main store takes the database's one write lock first
// (kEventsLock, to its end): the store's write transactions run one at a time across every
// instance, as SQLite's writers do, and never deadlock on each other's row locks (two
// instances' batches of posts into the same requests in different orders would). Each
// instance still stores the posts that wait together in one transaction (group commit).
// It is also what makes event ids commit in id order (insert_event).
PgStore::Work::Work(PgStore& s, WriteLock lock) : use_(s) {
    if (!use_->in_transaction()) {
        use_->script("BEGIN");
        own_ = true;
        if (lock == kWriteLock) use_->run("SELECT pg_advisory_xact_lock($1)", kEventsLock);
    }
}

void PgStore::Work::commit() {
    if (done_) return;
    done_ = true;
    if (own_) use_->script("COMMIT");
}

PgStore::Work::~Work() {
    if (done_ || !own_) return;
    try {
        use_->script("ROLLBACK");
    } catch (...) {
        // A broken connection: the pool drops it when it comes back.
    }
}

void PgStore::transaction(const std::function<void()>& fn) {
    Work w(*this);
    fn();
    w.commit();
}

PgStore::PgStore(const std::string& url, int connections) : pool_(url, connections) { backfill(); }

int PgStore::schema_version() {
    Use c(*this);
    return pg::schema_version(*c);
}

// ---------------------------------------------------------------- users

#define USER_COLS "id, name, company, country, language, role, email, phone, org_id"

UserRecord PgStore::read_user(const Result& r, int i, int c) {
    UserRecord u;
    u.id = r.i64(i, c); u.name = r.text(i, c + 1); u.company = r.text(i, c + 2); u.country = r.text(i, c + 3);
    u.language = r.text(i, c + 4); u.role = r.text(i, c + 5); u.email = r.text(i, c + 6);
    u.phone = r.text(i, c + 7); u.org_id = r.i64(i, c + 8);
    return u;
}

int64_t PgStore::add_user(const UserRecord& u) {
    Work w(*this);
    const int64_t id = w->run("INSERT INTO users(name, company, country, language, role, email, phone, org_id) "
                              "VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                              u.name, u.company, u.country, u.language, u.role, u.email, u.phone, u.org_id)
                           .i64(0, 0);
    // A manufacturer is its own organisation.
    if (u.role == kRoleManufacturer && u.org_id == 0) w->run("UPDATE users SET org_id = id WHERE id = $1", id);
    w.commit();
    return id;
}

std::optional<UserRecord> PgStore::user(int64_t id) {
    Use c(*this);
    auto r = c->run("SELECT " USER_COLS " FROM users WHERE id = $1", id);
    if (r.rows() == 0) return std::nullopt;
    return read_user(r, 0);
}

std::vector<UserRecord> PgStore::users() {
    Use c(*this);
    auto r = c->run("SELECT " USER_COLS " FROM users ORDER BY id");
    std::vector<UserRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_user(r, i));
    return out;
}

bool PgStore::empty() {
    Use c(*this);
    return c->run("SELECT EXISTS(SELECT 1 FROM users)").text(0, 0) != "t";
}

std::optional<UserRecord> PgStore::user_by_email(const std::string& email) {
    Use c(*this);
    auto r = c->run("SELECT " USER_COLS " FROM users WHERE email <> '' AND lower(email) = lower($1) "
                    "ORDER BY id LIMIT 1",
                    email);
    if (r.rows() == 0) return std::nullopt;
    return read_user(r, 0);
}

bool PgStore::email_undeliverable(int64_t user_id) {
    Use c(*this);
    auto r = c->run(R"sql(
SELECT u.email = '' OR EXISTS (SELECT 1 FROM outbox o WHERE o.to_user_id = u.id AND lower(o.to_address) = lower(u.email)
                               AND o.status = 'failed_permanent' AND o.error_kind = 'address_rejected')
  FROM users u WHERE u.id = $1)sql",
                    user_id);
    return r.rows() > 0 && flag(r, 0, 0);
}

void PgStore::set_user_email(int64_t user_id, const std::string& email) {
    Use c(*this);
    c->run("UPDATE users SET email = $2 WHERE id = $1", user_id, email);
}

// ---------------------------------------------------------------- requests

int64_t PgStore::add_request(const RequestRecord& r) {
    Work w(*this);
    const int64_t id = w->run("INSERT INTO requests(buyer_id, manufacturer_id, product, message, country, language, "
                              "created) VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                              r.buyer_id, r.manufacturer_id, r.product, r.message, r.country, r.language, r.created)
                           .i64(0, 0);
    index_request(*w, id);
    w.commit();
    return id;
}

std::optional<RequestRecord> PgStore::request(int64_t id) {
    Use c(*this);
    auto s = c->run("SELECT id, buyer_id, manufacturer_id, product, message, country, language, created "
                    "FROM requests WHERE id = $1",
                    id);
    if (s.rows() == 0) return std::nullopt;
    RequestRecord r;
    r.id = s.i64(0, 0); r.buyer_id = s.i64(0, 1); r.manufacturer_id = s.i64(0, 2);
    r.product = s.text(0, 3); r.message = s.text(0, 4); r.country = s.text(0, 5);
    r.language = s.text(0, 6); r.created = s.i64(0, 7);
    return r;
}

// ---------------------------------------------------------------- auth

void PgStore::add_magic_link(const std::string& h, int64_t user_id, Millis expires, bool reusable,
                             int64_t request_id) {
    Use c(*this);
    c->run("INSERT INTO magic_links(token_hash, user_id, expires, reusable, request_id) VALUES($1, $2, $3, $4, $5) "
           "ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, expires = excluded.expires, "
           "reusable = excluded.reusable, request_id = excluded.request_id",
           h, user_id, expires, reusable, request_id);
}

std::optional<Store::MagicLinkUse> PgStore::redeem_magic_link(const std::string& h, Millis now) {
    Use c(*this);
    // A single-use link is consumed by one conditional DELETE: of two redeemers at once,
    // one gets the row, the other finds nothing.
    auto r = c->run("DELETE FROM magic_links WHERE token_hash = $1 AND expires > $2 AND NOT reusable "
                    "RETURNING user_id, request_id",
                    h, now);
    if (r.rows() > 0) return MagicLinkUse{r.i64(0, 0), r.i64(0, 1)};
    auto k = c->run("SELECT user_id, request_id FROM magic_links WHERE token_hash = $1 AND expires > $2 AND reusable",
                    h, now);
    if (k.rows() == 0) return std::nullopt;
    return MagicLinkUse{k.i64(0, 0), k.i64(0, 1)};
}

void PgStore::add_session(const std::string& h, int64_t user_id, Millis created, Millis expires,
                          int64_t request_id) {
    Use c(*this);
    c->run("INSERT INTO sessions(token_hash, user_id, created, expires, request_id) VALUES($1, $2, $3, $4, $5) "
           "ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, created = excluded.created, "
           "expires = excluded.expires, request_id = excluded.request_id",
           h, user_id, created, expires, request_id);
}

std::optional<Store::SessionInfo> PgStore::session(const std::string& h, Millis now) {
    Use c(*this);
    auto r = c->run("SELECT user_id, expires, request_id FROM sessions WHERE token_hash = $1", h);
    if (r.rows() == 0) return std::nullopt;
    SessionInfo out{r.i64(0, 0), r.i64(0, 1), r.i64(0, 2)};
    if (out.expires <= now) return std::nullopt;
    return out;
}

void PgStore::delete_session(const std::string& h) {
    Use c(*this);
    c->run("DELETE FROM sessions WHERE token_hash = $1", h);
}

void PgStore::purge_expired(Millis now) {
    Use c(*this);
    c->run("DELETE FROM magic_links WHERE expires <= $1", now);
    c->run("DELETE FROM sessions WHERE expires <= $1", now);
}

void PgStore::ping() {
    Use c(*this);
    c->run("SELECT 1");
}

std::unique_ptr<Store> open_pg_store(const std::string& url, int connections) {
    migrate_pg_database(url);
    return std::make_unique<PgStore>(url, connections);
}

}  // namespace parley::server::pg
