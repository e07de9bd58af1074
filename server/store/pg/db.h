// Thin libpq helpers shared by the PostgreSQL stores: a connection with statements
// prepared once, results read as text, errors thrown with their SQLSTATE, a small pool,
// RAII transactions and versioned migrations (table schema_version, advisory lock).
// Values always travel as parameters ($1, $2...), never spliced into the SQL text.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "server/store/store.h"

// libpq's handles, declared as <libpq-fe.h> does: only pg/*.cpp include libpq.
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace parley::server::pg {

// A failed statement or connection; `sqlstate` is PostgreSQL's five-character code
// ("23505" unique violation, "40001" serialization failure, "08..." connection).
struct PgError : StoreError {
    PgError(const std::string& what, std::string state) : StoreError(what), sqlstate(std::move(state)) {}
    std::string sqlstate;
};

// The rows of one statement, every value read from libpq's text format.
class Result {
public:
    explicit Result(PGresult* r) : r_(r) {}
    ~Result();
    Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    Result& operator=(Result&&) = delete;
    Result(const Result&) = delete;

    int rows() const;
    bool is_null(int row, int col) const;
    std::string text(int row, int col) const;
    int64_t i64(int row, int col) const;  // NULL reads as 0
    int64_t affected() const;             // rows changed by INSERT/UPDATE/DELETE

private:
    PGresult* r_;
};

// A statement parameter in text format.
inline std::string param(const std::string& v) { return v; }
inline std::string param(const char* v) { return v; }
template <class T, class = std::enable_if_t<std::is_integral_v<T>>>
std::string param(T v) { return std::to_string(v); }
// A bigint[] parameter ("{1,2,3}") for `= ANY($n)`.
std::string array_param(const std::vector<int64_t>& values);

// One connection. Not thread-safe: the pool hands it to one thread at a time.
class Conn {
public:
    explicit Conn(const std::string& url);  // throws PgError
    ~Conn();
    Conn(const Conn&) = delete;
    Conn& operator=(const Conn&) = delete;

    // Runs `sql` with parameters $1..$n, prepared once per connection and text.
    Result exec(const std::string& sql, const std::vector<std::string>& params);
    template <class... A>
    Result run(const std::string& sql, const A&... args) {
        return exec(sql, std::vector<std::string>{param(args)...});
    }
    // Statements without parameters, several at once (migrations, BEGIN, COMMIT).
    void script(const char* sql);

    // After LISTEN: waits up to `wait_ms` (0: not at all) for a notification, then
    // takes every one that arrived; returns how many. Throws PgError when the
    // connection broke.
    int take_notifications(int wait_ms);

    bool usable() const;        // the connection is up
    bool in_transaction() const;  // a transaction is open (or failed)

private:
    PGconn* c_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;  // SQL text → statement name
};

// A transaction on one connection: rolled back unless commit() was called.
class Tx {
public:
    explicit Tx(Conn& c) : c_(c) { c_.script("BEGIN"); }
    ~Tx();
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit();

private:
    Conn& c_;
    bool done_ = false;
};

// Up to `size` connections to one URL, opened when first needed. lease() waits for a
// free one; a connection that broke is dropped when returned and reopened later.
class Pool {
public:
    Pool(std::string url, int size);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    class Lease {
    public:
        Lease(Pool& p, std::unique_ptr<Conn> c) : pool_(&p), c_(std::move(c)) {}
        Lease(Lease&& o) noexcept = default;
        ~Lease();
        Conn& operator*() { return *c_; }
        Conn* operator->() { return c_.get(); }

    private:
        Pool* pool_;
        std::unique_ptr<Conn> c_;
    };
    Lease lease();

private:
    void give_back(std::unique_ptr<Conn> c);
    std::string url_;
    int size_, open_ = 0;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Conn>> idle_;
};

// The advisory lock a transaction takes before adding events (held to its end): event
// ids then commit in id order across every instance of one database.
inline constexpr int64_t kEventsLock = 0x7061726c6576;  // "parlev"

// Brings the database's schema to steps.size(): step i goes from version i to i+1, each
// in its own transaction with the new version. A session advisory lock makes concurrent
// starts (several instances) take turns: the second finds the work done.
void migrate(Conn& c, const std::vector<const char*>& steps);
// The schema version recorded (0: none yet).
int schema_version(Conn& c);

}  // namespace parley::server::pg
