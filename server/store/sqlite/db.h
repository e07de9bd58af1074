// Thin SQLite helpers shared by the store's source files: cached prepared statements,
// nested-safe transactions and versioned migrations (PRAGMA user_version).
#pragma once
#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/store/store.h"

namespace parley::server {

// The turn the connections of this process to one file take to write (SqliteDb).
using WriteTurn = std::recursive_timed_mutex;

// A cached prepared statement, reset when the Stmt goes out of scope.
class Stmt {
public:
    // `turn`: given for a statement that writes outside a transaction; its first step
    // takes the turn, held until the statement is reset (its autocommit's end).
    Stmt(sqlite3* db, sqlite3_stmt* s, WriteTurn* turn = nullptr) : db_(db), s_(s), write_turn_(turn) {}
    ~Stmt() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }  // then turn_ is released
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, int64_t v) { check(sqlite3_bind_int64(s_, i, v)); return *this; }
    Stmt& bind(int i, const std::string& v) {
        check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    // true while a row is available
    bool step() {
        if (write_turn_ && !turn_.owns_lock()) take_turn();
        int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    void run() { while (step()) {} }
    int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    double f64(int col) const { return sqlite3_column_double(s_, col); }
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
    void take_turn();
    sqlite3* db_;
    sqlite3_stmt* s_;
    WriteTurn* write_turn_;
    std::unique_lock<WriteTurn> turn_;
};

class SqliteDb {
public:
    explicit SqliteDb(const std::string& path);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    // Nested-safe transaction: only the outermost one talks to SQLite. Destroyed without
    // commit() → rollback (of the outermost transaction).
    class Tx {
    public:
        explicit Tx(SqliteDb& db) : db_(db) {
            if (db_.tx_depth_ == 0) {
                turn_ = std::unique_lock(*db_.write_turn_);
                db_.exec("BEGIN IMMEDIATE");
            }
            ++db_.tx_depth_;
        }
        void commit() {
            if (done_) return;
            done_ = true;
            if (--db_.tx_depth_ == 0) {
                db_.exec("COMMIT");
                if (turn_.owns_lock()) turn_.unlock();
            }
        }
        ~Tx();
    private:
        SqliteDb& db_;
        bool done_ = false;
        std::unique_lock<WriteTurn> turn_;  // the outermost transaction's turn
    };

    void exec(const char* sql);
    // Statements are prepared once and cached by their (literal) text pointer.
    Stmt stmt(const char* sql);
    int user_version();
    // Brings the schema to migrations.size(); step i goes from version i to i+1.
    void migrate(const std::vector<const char*>& migrations);
    int64_t last_id() { return sqlite3_last_insert_rowid(db_); }
    int changes() { return sqlite3_changes(db_); }  // rows changed by the last statement
    // How often the cached statements were compiled again since they were prepared: SQLite
    // does that at every run of a statement whose plan depends on a bound value (a
    // parameter compared where a partial index has a constant). Tests keep the hot path at 0.
    int64_t reprepares();

    std::recursive_mutex mu;  // one connection: every public store call holds it

private:
    // The connections of this process to one file take turns to write here (Tx, and a
    // statement that writes outside one): the one that waits is woken when the other
    // commits. SQLite's own busy handler would have it sleep 1, 2, 5 … 100 ms between
    // tries — posts stood still behind a batch of mails, or behind the CRM dispatcher's
    // one-statement cursor update. Other processes (mail-in) still meet the busy handler.
    std::shared_ptr<WriteTurn> write_turn_;
    sqlite3* db_ = nullptr;
    int tx_depth_ = 0;
    std::unordered_map<const char*, sqlite3_stmt*> stmts_;
};

}  // namespace parley::server
