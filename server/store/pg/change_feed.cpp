// Writes by other instances on one PostgreSQL database, as a ChangeFeed: a connection of
// its own LISTENs on the channel that inserting events or received mails notifies (a
// trigger of the schema), and the changes themselves are read from the tables after
// the ids seen last — so nothing is lost while the connection was down: the first call
// after a reconnect catches up from there. Event ids commit in id order (the store
// takes a database lock for the transactions that add events), so "after the last id
// seen" misses nothing. See server/store/change_feed.h.
#include <algorithm>
#include <chrono>
#include <thread>

#include "server/store/change_feed.h"
#include "server/store/pg/db.h"
#include "server/store/pg/open.h"
#include "server/store/pg/store.h"

namespace parley::server::pg {

namespace {

constexpr int kBacklog = 5000;  // rows read per call at most; more: again next call

class PgChangeFeed final : public ChangeFeed {
public:
    explicit PgChangeFeed(std::string url) : url_(std::move(url)) { connect(); }

    bool wait_for_change(std::chrono::milliseconds most) override {
        if (pending_) return true;
        try {
            if (!c_) connect();
            pending_ = c_->take_notifications(static_cast<int>(most.count())) > 0;
        } catch (const PgError&) {
            drop();  // reconnect next time and catch up; meanwhile, no busy loop
            std::this_thread::sleep_for(most);
        }
        return true;
    }

    std::optional<std::vector<int64_t>> changed_requests() override {
        if (!c_) connect();  // throws while the database is away; the watch logs it
        if (!started_) {
            // Only what is written from now on: the hub starts at the newest event too.
            started_ = true;
            seen_event_ = c_->run("SELECT COALESCE(MAX(id), 0) FROM events").i64(0, 0);
            seen_mail_ = c_->run("SELECT COALESCE(MAX(id), 0) FROM mail_in").i64(0, 0);
            pending_ = false;
            return std::nullopt;
        }
        try {
            if (!pending_) pending_ = c_->take_notifications(0) > 0;
            if (!pending_) return std::nullopt;
            pending_ = false;
            // New events (read by the caller through events_after) and the requests
            // with newly received mails.
            std::vector<int64_t> touched;
            const int64_t newest = c_->run("SELECT COALESCE(MAX(id), 0) FROM events").i64(0, 0);
            auto m = c_->run(
                "SELECT i.id, c.request_id FROM mail_in i JOIN conversations c ON c.id = i.conversation_id "
                "WHERE i.id > $1 ORDER BY i.id LIMIT $2",
                seen_mail_, kBacklog);
            // Both read: only now is anything "seen" (a connection cut between the two
            // statements must not lose the news of new events until the next change).
            const bool events = newest > seen_event_;
            seen_event_ = std::max(seen_event_, newest);
            for (int i = 0; i < m.rows(); ++i) {
                seen_mail_ = m.i64(i, 0);
                touched.push_back(m.i64(i, 1));
            }
            if (m.rows() >= kBacklog) pending_ = true;  // a backlog: again next call
            if (touched.empty() && !events) return std::nullopt;  // told of rows read already
            std::sort(touched.begin(), touched.end());
            touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
            return touched;
        } catch (const PgError&) {
            drop();
            throw;
        }
    }

    std::vector<EventRecord> events_after(int64_t after, int limit) override {
        if (!c_) connect();
        try {
            auto r = c_->run("SELECT " PARLEY_PG_EVENT_COLS " FROM events e JOIN users a ON a.id = e.actor_id "
                             "LEFT JOIN users t ON t.id = e.target_id WHERE e.id > $1 ORDER BY e.id LIMIT $2",
                             after, limit);
            std::vector<EventRecord> out;
            out.reserve(static_cast<size_t>(r.rows()));
            for (int i = 0; i < r.rows(); ++i) out.push_back(PgStore::read_event(r, i));
            if (static_cast<int>(out.size()) >= limit) pending_ = true;  // more to come: again next call
            return out;
        } catch (const PgError&) {
            drop();
            throw;
        }
    }

private:
    void connect() {
        auto c = std::make_unique<Conn>(url_);
        c->script("LISTEN " PARLEY_PG_CHANGES_CHANNEL);
        c_ = std::move(c);
        pending_ = true;  // whatever happened while nobody listened
    }
    void drop() { c_.reset(); }

    std::string url_;
    std::unique_ptr<Conn> c_;
    bool started_ = false, pending_ = false;
    int64_t seen_event_ = 0, seen_mail_ = 0;  // newest event / mail_in row looked at
};

}  // namespace

std::unique_ptr<ChangeFeed> open_pg_change_feed(const std::string& url) {
    return std::make_unique<PgChangeFeed>(url);
}

}  // namespace parley::server::pg
