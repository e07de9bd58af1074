// Notices writes by another process. See db_watch.h.
#include "server/domain/change_watch.h"

#include "server/store/sqlite/store.h"

#include <algorithm>

#include "server/base/log.h"
#include "server/domain/policy.h"

namespace parley::server {

DbWatch::DbWatch(const std::string& db_path, Domain& domain, std::chrono::milliseconds period)
    : db_(db_path), domain_(domain), period_(period) {
    std::lock_guard lk(db_.mu);
    // Only what is written from now on: the hub starts at the newest event too.
    auto v = db_.stmt("PRAGMA data_version");
    if (v.step()) data_version_ = v.i64(0);
    auto e = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM events");
    if (e.step()) seen_event_ = e.i64(0);
    auto m = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM mail_in");
    if (m.step()) seen_mail_ = m.i64(0);
}

DbWatch::~DbWatch() { stop(); }

void DbWatch::start() {
    std::lock_guard lk(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
}

void DbWatch::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DbWatch::run() {
    std::unique_lock lk(mu_);
    while (!stopping_) {
        lk.unlock();
        check_once();
        lk.lock();
        cv_.wait_for(lk, period_, [this] { return stopping_; });
    }
}

// The 15 columns of SqliteStore::read_event (store_sqlite_workflow.cpp), on this
// connection, for every user.
std::vector<EventRecord> DbWatch::events_after(int64_t after) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(R"sql(
SELECT e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, a.name, a.role,
       e.target_id, e.target_name, e.text, e.value, e.created, e.audience, COALESCE(t.role, '')
FROM events e JOIN users a ON a.id = e.actor_id LEFT JOIN users t ON t.id = e.target_id
WHERE e.id > ?1 ORDER BY e.id LIMIT 1000)sql");
    s.bind(1, after);
    std::vector<EventRecord> out;
    while (s.step()) out.push_back(SqliteStore::read_event(s));
    if (out.size() >= 1000) data_version_ = -1;  // more to come: look again next time
    return out;
}

bool DbWatch::check_once() {
    try {
        std::vector<int64_t> touched;
        {
            std::lock_guard lk(db_.mu);
            auto v = db_.stmt("PRAGMA data_version");
            if (!v.step() || v.i64(0) == data_version_) return false;
            data_version_ = v.i64(0);
            // Every request with new events (also ours: an event of another process may
            // have an id below one we published, and its request's caches must go) and
            // with newly received mails (via_email appears after the post's event).
            auto e = db_.stmt("SELECT id, request_id FROM events WHERE id > ?1 ORDER BY id LIMIT 5000");
            e.bind(1, seen_event_);
            while (e.step()) {
                seen_event_ = e.i64(0);
                touched.push_back(e.i64(1));
            }
            auto m = db_.stmt(
                "SELECT i.id, c.request_id FROM mail_in i JOIN conversations c ON c.id = i.conversation_id "
                "WHERE i.id > ?1 ORDER BY i.id LIMIT 5000");
            m.bind(1, seen_mail_);
            while (m.step()) {
                seen_mail_ = m.i64(0);
                touched.push_back(m.i64(1));
            }
            if (touched.size() >= 5000) data_version_ = -1;  // a backlog: look again next time
        }
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        domain_.sync_external([this](int64_t after) { return events_after(after); }, touched);
        return true;
    } catch (const std::exception& e) {
        log_line(std::string("parley: database watch: ") + e.what());
        return false;
    }
}

}  // namespace parley::server
