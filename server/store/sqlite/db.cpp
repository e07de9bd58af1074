#include "server/store/sqlite/db.h"

#include <chrono>
#include <map>

namespace parley::server {

// One per database file, shared by its connections (while any is open).
static std::shared_ptr<WriteTurn> write_turn_of(const std::string& path) {
    static std::mutex registry_mu;
    static std::map<std::string, std::weak_ptr<WriteTurn>> registry;
    std::lock_guard lk(registry_mu);
    auto& slot = registry[path];
    auto turn = slot.lock();
    if (!turn) {
        turn = std::make_shared<WriteTurn>();
        slot = turn;
    }
    return turn;
}

SqliteDb::SqliteDb(const std::string& path) : write_turn_(write_turn_of(path)) {
    int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw StoreError("cannot open database " + path + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
}

SqliteDb::~SqliteDb() {
    for (auto& [sql, s] : stmts_) sqlite3_finalize(s);
    if (db_) sqlite3_close(db_);
}

SqliteDb::Tx::~Tx() {
    if (done_) return;
    if (--db_.tx_depth_ == 0) sqlite3_exec(db_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

void SqliteDb::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string why = err ? err : "unknown error";
        sqlite3_free(err);
        throw StoreError(std::string("sqlite: ") + why);
    }
}

Stmt SqliteDb::stmt(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
            throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
        it = stmts_.emplace(sql, s).first;
    }
    // A write outside a transaction takes the turn as a transaction would.
    WriteTurn* turn = tx_depth_ == 0 && !sqlite3_stmt_readonly(it->second) ? write_turn_.get() : nullptr;
    return Stmt(db_, it->second, turn);
}

void Stmt::take_turn() {
    // Bounded: a caller that already holds another connection's turn elsewhere in an
    // unforeseen order falls back to SQLite's busy handler instead of waiting for ever.
    turn_ = std::unique_lock<WriteTurn>(*write_turn_, std::defer_lock);
    if (!turn_.try_lock_for(std::chrono::seconds(5))) {
        turn_ = {};
        write_turn_ = nullptr;
    }
}

int64_t SqliteDb::reprepares() {
    int64_t n = 0;
    for (auto& [sql, s] : stmts_) n += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_REPREPARE, 0);
    return n;
}

int SqliteDb::user_version() {
    auto s = stmt("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.i64(0));
}

void SqliteDb::migrate(const std::vector<const char*>& migrations) {
    const int target = static_cast<int>(migrations.size());
    int v = user_version();
    if (v > target)
        throw StoreError("database schema version " + std::to_string(v) + " is newer than this server (" +
                         std::to_string(target) + ")");
    // Table rebuilds (SQLite's 12-step ALTER) need foreign keys off, which only works
    // outside a transaction; the check below proves the data is still consistent.
    exec("PRAGMA foreign_keys=OFF");
    std::lock_guard turn(*write_turn_);
    for (; v < target; ++v) {
        exec("BEGIN IMMEDIATE");
        try {
            exec(migrations[static_cast<size_t>(v)]);
            {
                auto s = stmt("PRAGMA foreign_key_check");
                if (s.step()) throw StoreError("migration " + std::to_string(v + 1) + " broke a foreign key");
            }
            exec(("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
            exec("COMMIT");
        } catch (...) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            exec("PRAGMA foreign_keys=ON");
            throw;
        }
    }
    exec("PRAGMA foreign_keys=ON");
}

}  // namespace parley::server
