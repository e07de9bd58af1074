#include "server/store/pg/db.h"

#include <libpq-fe.h>

#include <poll.h>

#include <cstdlib>

namespace parley::server::pg {

namespace {

// The error of a failed result (or of the connection when libpq returned none).
[[noreturn]] void fail(PGconn* c, PGresult* r, const std::string& what) {
    std::string state = "08000";  // connection exception: no result to ask
    std::string msg = PQerrorMessage(c);
    if (r) {
        if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
        if (const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) msg = m;
        if (const char* d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) msg += std::string(" (") + d + ")";
        PQclear(r);
    }
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    throw PgError("postgres " + what + ": " + msg + " [SQLSTATE " + state + "]", state);
}

bool ok(PGresult* r) {
    auto s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

}  // namespace

Result::~Result() {
    if (r_) PQclear(r_);
}
int Result::rows() const { return PQntuples(r_); }
bool Result::is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col)));
}
int64_t Result::i64(int row, int col) const {
    return is_null(row, col) ? 0 : std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
}
int64_t Result::affected() const {
    const char* n = PQcmdTuples(r_);
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::string array_param(const std::vector<int64_t>& values) {
    std::string out = "{";
    for (int64_t v : values) {
        if (out.size() > 1) out.push_back(',');
        out += std::to_string(v);
    }
    return out + "}";
}

Conn::Conn(const std::string& url) {
    c_ = PQconnectdb(url.c_str());
    if (!c_ || PQstatus(c_) != CONNECTION_OK) {
        std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
        if (c_) PQfinish(c_);
        c_ = nullptr;
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        throw PgError("postgres connect: " + msg + " [SQLSTATE 08001]", "08001");
    }
    // Quiet NOTICEs ("relation already exists, skipping") instead of libpq's stderr.
    PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
}

Conn::~Conn() {
    if (c_) PQfinish(c_);
}

Result Conn::exec(const std::string& sql, const std::vector<std::string>& params) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        std::string name = std::to_string(prepared_.size() + 1);
        name.insert(0, 1, 'p');  // not "p" + …: GCC 12 warns falsely (-Wrestrict) on that
        PGresult* r = PQprepare(c_, name.c_str(), sql.c_str(), 0, nullptr);
        if (!ok(r)) fail(c_, r, "prepare");
        PQclear(r);
        it = prepared_.emplace(sql, std::move(name)).first;
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecPrepared(c_, it->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                 nullptr, 0);
    if (!ok(r)) fail(c_, r, "statement");
    return Result(r);
}

void Conn::script(const char* sql) {
    PGresult* r = PQexec(c_, sql);
    if (!ok(r)) fail(c_, r, "statement");
    PQclear(r);
}

int Conn::take_notifications(int wait_ms) {
    auto drain = [this] {
        if (!PQconsumeInput(c_)) fail(c_, nullptr, "listen");
        int n = 0;
        while (PGnotify* note = PQnotifies(c_)) {
            PQfreemem(note);
            ++n;
        }
        return n;
    };
    int n = drain();
    if (n > 0 || wait_ms <= 0) return n;
    pollfd p{PQsocket(c_), POLLIN, 0};
    if (p.fd < 0) fail(c_, nullptr, "listen");
    if (::poll(&p, 1, wait_ms) > 0) n = drain();
    return n;
}

bool Conn::usable() const { return PQstatus(c_) == CONNECTION_OK; }
bool Conn::in_transaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }

Tx::~Tx() {
    if (done_) return;
    try {
        c_.script("ROLLBACK");
    } catch (...) {
        // A broken connection: the pool drops it when it comes back.
    }
}

void Tx::commit() {
    done_ = true;
    c_.script("COMMIT");
}

Pool::Pool(std::string url, int size) : url_(std::move(url)), size_(size < 1 ? 1 : size) {
    give_back(std::make_unique<Conn>(url_));  // fail at start, not at the first query
    open_ = 1;
}

Pool::~Pool() = default;

Pool::Lease Pool::lease() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(c));
    }
    ++open_;  // a new connection, opened outside the lock
    lk.unlock();
    try {
        return Lease(*this, std::make_unique<Conn>(url_));
    } catch (...) {
        std::lock_guard relock(mu_);
        --open_;
        cv_.notify_one();
        throw;
    }
}

void Pool::give_back(std::unique_ptr<Conn> c) {
    // A transaction left open (an exception outside a Tx) must not leak into the next user.
    if (c->usable() && c->in_transaction()) {
        try {
            c->script("ROLLBACK");
        } catch (...) {
        }
    }
    std::lock_guard lk(mu_);
    if (c->usable() && !c->in_transaction())
        idle_.push_back(std::move(c));
    else
        --open_;  // dropped; reopened when needed
    cv_.notify_one();
}

Pool::Lease::~Lease() {
    if (c_) pool_->give_back(std::move(c_));
}

int schema_version(Conn& c) {
    auto r = c.run("SELECT to_regclass('schema_version') IS NOT NULL");
    if (r.text(0, 0) != "t") return 0;
    auto v = c.run("SELECT COALESCE(MAX(version), 0) FROM schema_version");
    return static_cast<int>(v.i64(0, 0));
}

// One key for every Parley database: instances starting together take turns.
constexpr int64_t kMigrationLock = 0x7061726c6579;  // "parley"

void migrate(Conn& c, const std::vector<const char*>& steps) {
    c.run("SELECT pg_advisory_lock($1)", kMigrationLock);
    struct Unlock {
        Conn& c;
        ~Unlock() {
            try {
                c.run("SELECT pg_advisory_unlock($1)", kMigrationLock);
            } catch (...) {
            }
        }
    } unlock{c};
    c.script("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
    const int target = static_cast<int>(steps.size());
    int v = schema_version(c);
    if (v > target)
        throw StoreError("database schema version " + std::to_string(v) + " is newer than this server (" +
                         std::to_string(target) + ")");
    for (; v < target; ++v) {
        Tx tx(c);
        c.script(steps[static_cast<size_t>(v)]);
        c.run("DELETE FROM schema_version");
        c.run("INSERT INTO schema_version(version) VALUES($1)", v + 1);
        tx.commit();
    }
}

}  // namespace parley::server::pg
