// Notices commits by another process with `PRAGMA data_version` (it changes when any
// other connection commits; ~free otherwise). See server/store/change_feed.h.
#include <algorithm>

#include "server/store/change_feed.h"
#include "server/store/sqlite/db.h"
#include "server/store/sqlite/open.h"
#include "server/store/sqlite/store.h"

namespace parley::server {

namespace {

class SqliteChangeFeed final : public ChangeFeed {
public:
    explicit SqliteChangeFeed(const std::string& path) : db_(path) {}

    std::optional<std::vector<int64_t>> changed_requests() override {
        std::lock_guard lk(db_.mu);
        if (!started_) {
            // Only what is written from now on: the hub starts at the newest event too.
            started_ = true;
            auto v = db_.stmt("PRAGMA data_version");
            if (v.step()) data_version_ = v.i64(0);
            auto m = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM mail_in");
            if (m.step()) seen_mail_ = m.i64(0);
            return std::nullopt;
        }
        auto v = db_.stmt("PRAGMA data_version");
        if (!v.step() || v.i64(0) == data_version_) return std::nullopt;
        data_version_ = v.i64(0);
        // The requests with newly received mails (via_email appears after the post's
        // event); events are read by the caller through events_after.
        std::vector<int64_t> touched;
        auto m = db_.stmt(
            "SELECT i.id, c.request_id FROM mail_in i JOIN conversations c ON c.id = i.conversation_id "
            "WHERE i.id > ?1 ORDER BY i.id LIMIT 5000");
        m.bind(1, seen_mail_);
        while (m.step()) {
            seen_mail_ = m.i64(0);
            touched.push_back(m.i64(1));
        }
        if (touched.size() >= 5000) data_version_ = -1;  // a backlog: look again next time
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        return touched;
    }

    // The columns of SqliteStore::read_event, on this connection, for every user.
    std::vector<EventRecord> events_after(int64_t after, int limit) override {
        std::lock_guard lk(db_.mu);
        auto s = db_.stmt(R"sql(
SELECT e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, a.name, a.role,
       e.target_id, e.target_name, e.text, e.value, e.created, e.audience, COALESCE(t.role, '')
FROM events e JOIN users a ON a.id = e.actor_id LEFT JOIN users t ON t.id = e.target_id
WHERE e.id > ?1 ORDER BY e.id LIMIT ?2)sql");
        s.bind(1, after).bind(2, int64_t{limit});
        std::vector<EventRecord> out;
        while (s.step()) out.push_back(SqliteStore::read_event(s));
        if (static_cast<int>(out.size()) >= limit) data_version_ = -1;  // more to come: look again next time
        return out;
    }

private:
    SqliteDb db_;
    bool started_ = false;
    int64_t data_version_ = -1;
    int64_t seen_mail_ = 0;  // newest mail_in row looked at
};

}  // namespace

std::unique_ptr<ChangeFeed> open_sqlite_change_feed(const std::string& path) {
    return std::make_unique<SqliteChangeFeed>(path);
}

}  // namespace parley::server
