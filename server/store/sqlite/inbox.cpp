// SqliteStore: the inbox at volume. One row per (user, request) in `inbox_rows`, kept up
// to date by every write that changes what a user's inbox shows (a message, a read mark,
// a conversation or participant, a status), so that a page reads about 50 rows whatever
// the number of requests; keyset pages (last activity, request id), newest first.
//
// Index: computing one request's rows (refresh_inbox) · the cheap update after a
// message (inbox_after_message) · unread after a read mark · pages and totals · the
// one-time build for data written before the rows existed.
#include <algorithm>
#include <climits>

#include "server/base/text.h"
#include "server/store/sqlite/store.h"

namespace parley::server {

// The users a request's inbox rows belong to: its buyer (once a seller has it) and every
// participant.
static constexpr const char* kLinkedUsers = R"sql(
SELECT r.buyer_id FROM requests r WHERE r.id = ?1 AND EXISTS(SELECT 1 FROM conversations c WHERE c.request_id = r.id)
UNION
SELECT p.user_id FROM participants p JOIN conversations c ON c.id = p.conversation_id WHERE c.request_id = ?1)sql";

bool SqliteStore::unread_of(int64_t user_id, int64_t request_id, bool buyer) {
    // Unread: a message of someone else above my read mark in a conversation I see; for
    // the seller side, also a request never opened (no read mark at all).
    auto s = db_.stmt(R"sql(
WITH vis(cid) AS (
  SELECT c.id FROM conversations c WHERE c.request_id = ?2 AND ?3
  UNION
  SELECT c.id FROM participants p JOIN conversations c ON c.id = p.conversation_id
  WHERE p.user_id = ?1 AND c.request_id = ?2)
SELECT EXISTS(SELECT 1 FROM vis JOIN messages m ON m.conversation_id = vis.cid
              WHERE m.author_id <> ?1
                AND m.id > COALESCE((SELECT cr.last_read_message_id FROM conv_reads cr
                                     WHERE cr.user_id = ?1 AND cr.conversation_id = vis.cid), 0)),
       EXISTS(SELECT 1 FROM conv_reads cr WHERE cr.user_id = ?1 AND cr.conversation_id IN (SELECT cid FROM vis)))sql");
    s.bind(1, user_id).bind(2, request_id).bind(3, int64_t{buyer ? 1 : 0});
    s.step();
    return s.i64(0) != 0 || (!buyer && s.i64(1) == 0);
}

void SqliteStore::refresh_inbox(int64_t request_id) {
    std::vector<int64_t> users;
    {
        auto s = db_.stmt(kLinkedUsers);
        s.bind(1, request_id);
        while (s.step()) users.push_back(s.i64(0));
    }
    int64_t buyer_id = 0;
    Millis created = 0;
    std::string country;
    {
        auto s = db_.stmt("SELECT buyer_id, created, country FROM requests WHERE id = ?1");
        s.bind(1, request_id);
        if (!s.step()) return;
        buyer_id = s.i64(0);
        created = s.i64(1);
        country = s.text(2);
    }
    for (int64_t uid : users) {
        const bool buyer = uid == buyer_id;
        int64_t count = 0, last_id = 0;
        Millis last = created;
        {
            auto s = db_.stmt(R"sql(
WITH vis(cid) AS (
  SELECT c.id FROM conversations c WHERE c.request_id = ?2 AND ?3
  UNION
  SELECT c.id FROM participants p JOIN conversations c ON c.id = p.conversation_id
  WHERE p.user_id = ?1 AND c.request_id = ?2)
SELECT COUNT(*), COALESCE(MAX(m.id), 0) FROM vis JOIN messages m ON m.conversation_id = vis.cid)sql");
            s.bind(1, uid).bind(2, request_id).bind(3, int64_t{buyer ? 1 : 0});
            s.step();
            count = s.i64(0);
            last_id = s.i64(1);
        }
        if (last_id) {
            auto s = db_.stmt("SELECT created FROM messages WHERE id = ?1");
            s.bind(1, last_id);
            if (s.step()) last = std::max(created, s.i64(0));
        }
        // Status and handler: for the seller side, from the conversation they own (else
        // the first they joined), answered also when one routed or forwarded from it was.
        std::string status = buyer ? "open" : "to_answer";
        int64_t handler = 0;
        {
            auto s = db_.stmt(R"sql(
SELECT c.id, c.seller_id, c.status,
  EXISTS(SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_id <> r.buyer_id),
  EXISTS(SELECT 1 FROM messages m JOIN conversations k ON k.id = m.conversation_id
         WHERE k.parent_id = c.id AND m.author_id <> r.buyer_id),
  (SELECT k.seller_id FROM conversations k WHERE k.parent_id = c.id ORDER BY k.id LIMIT 1)
FROM conversations c JOIN requests r ON r.id = c.request_id
WHERE c.request_id = ?2
  AND (?3 OR EXISTS(SELECT 1 FROM participants p WHERE p.conversation_id = c.id AND p.user_id = ?1))
ORDER BY (c.seller_id = ?1) DESC, c.id)sql");
            s.bind(1, uid).bind(2, request_id).bind(3, int64_t{buyer ? 1 : 0});
            while (s.step()) {
                const bool replied = s.i64(3) != 0, child_replied = s.i64(4) != 0;
                if (buyer) {
                    if (replied) status = "answered";
                    continue;
                }
                const std::string st = s.text(2);
                status = st != "open" ? st : (replied || child_replied ? "answered" : "to_answer");
                if (s.i64(1) != uid) handler = s.i64(1);
                else if (!s.is_null(5)) handler = s.i64(5);
                break;
            }
        }
        db_.stmt(R"sql(
INSERT INTO inbox_rows(user_id, request_id, is_buyer, last_activity, unread, status, handler_id, country,
                       message_count, last_message_id)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT(user_id, request_id) DO UPDATE SET is_buyer = excluded.is_buyer,
  last_activity = excluded.last_activity, unread = excluded.unread, status = excluded.status,
  handler_id = excluded.handler_id, country = excluded.country, message_count = excluded.message_count,
  last_message_id = excluded.last_message_id)sql")
            .bind(1, uid).bind(2, request_id).bind(3, int64_t{buyer ? 1 : 0}).bind(4, last)
            .bind(5, int64_t{unread_of(uid, request_id, buyer) ? 1 : 0}).bind(6, status).bind(7, handler)
            .bind(8, country).bind(9, count).bind(10, last_id).run();
    }
}

void SqliteStore::inbox_after_message(int64_t request_id, int64_t conversation_id, int64_t author_id,
                                      int64_t message_id, Millis created, bool first_seller_reply) {
    // Everyone who sees the conversation: one more message, newest activity, unread
    // for all but the author; O(users of the request), not O(messages).
    db_.stmt(R"sql(
UPDATE inbox_rows SET last_activity = MAX(last_activity, ?4), message_count = message_count + 1,
  last_message_id = MAX(last_message_id, ?5), unread = CASE WHEN user_id = ?3 THEN unread ELSE 1 END
WHERE request_id = ?1
  AND (is_buyer = 1 OR user_id IN (SELECT user_id FROM participants WHERE conversation_id = ?2)))sql")
        .bind(1, request_id).bind(2, conversation_id).bind(3, author_id).bind(4, created).bind(5, message_id).run();
    if (first_seller_reply) {
        refresh_inbox(request_id);  // statuses change ("answered"), once per conversation
        return;
    }
    update_unread(author_id, request_id);  // the author's mark moved with the message
}

void SqliteStore::update_unread(int64_t user_id, int64_t request_id) {
    bool buyer = false;
    {
        auto s = db_.stmt("SELECT is_buyer FROM inbox_rows WHERE user_id = ?1 AND request_id = ?2");
        s.bind(1, user_id).bind(2, request_id);
        if (!s.step()) return;
        buyer = s.i64(0) != 0;
    }
    db_.stmt("UPDATE inbox_rows SET unread = ?3 WHERE user_id = ?1 AND request_id = ?2")
        .bind(1, user_id).bind(2, request_id).bind(3, int64_t{unread_of(user_id, request_id, buyer) ? 1 : 0}).run();
}

void SqliteStore::backfill() {
    std::vector<std::string> pending;
    {
        auto s = db_.stmt("SELECT name FROM pending_backfill");
        while (s.step()) pending.push_back(s.text(0));
    }
    for (const std::string& name : pending) {
        Tx tx(db_);
        if (name == "inbox") {
            std::vector<int64_t> ids;
            auto s = db_.stmt("SELECT id FROM requests ORDER BY id");
            while (s.step()) ids.push_back(s.i64(0));
            for (int64_t id : ids) refresh_inbox(id);
        } else if (name == "search") {
            index_all_for_search();
        }
        db_.stmt("DELETE FROM pending_backfill WHERE name = ?1").bind(1, name).run();
        tx.commit();
    }
}

// ---------------------------------------------------------------- pages

// One statement per index: the filter that narrows most uses its index, the others
// are checked on the rows it yields. Columns: request, buyer name, company, country,
// language, product, created, request text, message count, last activity, unread,
// status, handler id, handler name, last message body, last message's first file name,
// manufacturer's name and company.
#define PARLEY_INBOX_COLS(index)                                                                           \
    "SELECT i.request_id, u.name, u.company, r.country, r.language, r.product, r.created, r.message, "    \
    "i.message_count, i.last_activity, i.unread, i.status, i.handler_id, COALESCE(h.name, ''), lm.body, " \
    "(SELECT a.name FROM attachments a WHERE a.message_id = lm.id AND a.message_id <> 0 ORDER BY a.id LIMIT 1), " \
    "mk.name, mk.company " \
    "FROM inbox_rows i INDEXED BY " index " JOIN requests r ON r.id = i.request_id "                      \
    "JOIN users u ON u.id = r.buyer_id JOIN users mk ON mk.id = r.manufacturer_id "                       \
    "LEFT JOIN users h ON h.id = i.handler_id AND i.handler_id <> 0 "                                     \
    "LEFT JOIN messages lm ON lm.id = i.last_message_id AND i.last_message_id <> 0 "
#define PARLEY_INBOX_REST                                                                          \
    " AND (?3 = '' OR i.country = ?3) AND (?4 < 0 OR i.handler_id = ?4) AND (?5 = 0 OR i.unread = 1)" \
    " AND (?2 = '' OR i.status = ?2)"
#define PARLEY_INBOX_ORDER " ORDER BY i.last_activity DESC, i.request_id DESC LIMIT ?8"
#define PARLEY_INBOX_AFTER " AND (i.last_activity, i.request_id) < (?6, ?7)"
#define PARLEY_INBOX_PAGES(index, where)                                                          \
    {PARLEY_INBOX_COLS(index) where PARLEY_INBOX_REST " AND ?6 = ?6 AND ?7 = ?7" PARLEY_INBOX_ORDER, \
     PARLEY_INBOX_COLS(index) where PARLEY_INBOX_REST PARLEY_INBOX_AFTER PARLEY_INBOX_ORDER}

// [plan][first page / after a cursor]: a cursor is a range on the index, so that page
// 2,000 costs what page 1 does.
static const char* const kPageSql[4][2] = {
    PARLEY_INBOX_PAGES("inbox_status", "WHERE i.user_id = ?1 AND i.status = ?2"),
    PARLEY_INBOX_PAGES("inbox_unread", "WHERE i.user_id = ?1 AND i.unread = 1"),
    PARLEY_INBOX_PAGES("inbox_country", "WHERE i.user_id = ?1 AND i.country = ?3"),
    PARLEY_INBOX_PAGES("inbox_recent", "WHERE i.user_id = ?1"),
};
static const char* const kCountSql[] = {
    "SELECT COUNT(*) FROM inbox_rows i INDEXED BY inbox_status WHERE i.user_id = ?1 AND i.status = ?2" PARLEY_INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i INDEXED BY inbox_unread WHERE i.user_id = ?1 AND i.unread = 1" PARLEY_INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i INDEXED BY inbox_country WHERE i.user_id = ?1 AND i.country = ?3" PARLEY_INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i INDEXED BY inbox_recent WHERE i.user_id = ?1" PARLEY_INBOX_REST,
};

static int plan_of(const InboxQuery& q) { return !q.status.empty() ? 0 : q.unread ? 1 : !q.country.empty() ? 2 : 3; }

static void bind_filters(Stmt& s, int64_t user_id, const InboxQuery& q) {
    s.bind(1, user_id).bind(2, q.status).bind(3, q.country).bind(4, q.handler).bind(5, int64_t{q.unread ? 1 : 0});
}

RequestSummary SqliteStore::read_inbox_row(const Stmt& s, int64_t user_id) {
    RequestSummary r;
    r.id = s.i64(0);
    r.buyer_name = s.text(1);
    r.buyer_company = s.text(2);
    r.country = s.text(3);
    r.language = s.text(4);
    r.product = s.text(5);
    r.created = s.i64(6);
    r.message_count = static_cast<int>(s.i64(8));
    r.last_activity = s.i64(9);
    r.unread = s.i64(10) != 0;
    r.status = s.text(11);
    if (s.i64(12) != 0 && s.i64(12) != user_id) r.handler_name = s.text(13);
    const bool has_message = !s.is_null(14);
    r.snippet = snippet_of(has_message ? s.text(14) : s.text(7));
    // A message of attachments only: its first file's name.
    if (has_message && r.snippet.empty() && !s.is_null(15)) r.snippet = snippet_of(s.text(15));
    r.seller_name = s.text(16);
    r.seller_company = s.text(17);
    return r;
}

std::optional<RequestSummary> SqliteStore::inbox_row(int64_t user_id, int64_t request_id) {
    auto s = db_.stmt(PARLEY_INBOX_COLS("sqlite_autoindex_inbox_rows_1") "WHERE i.user_id = ?1 AND i.request_id = ?2");
    s.bind(1, user_id).bind(2, request_id);
    if (!s.step()) return std::nullopt;
    return read_inbox_row(s, user_id);
}

std::optional<RequestSummary> SqliteStore::inbox_entry(int64_t user_id, int64_t request_id) {
    std::lock_guard lk(db_.mu);
    return inbox_row(user_id, request_id);
}

InboxPage SqliteStore::inbox_page(int64_t user_id, const InboxQuery& q) {
    std::lock_guard lk(db_.mu);
    InboxPage out;
    const int plan = plan_of(q);
    const int limit = std::max(1, std::min(q.limit, INT_MAX - 1));
    {
        auto s = db_.stmt(kPageSql[plan][q.after_activity != 0 ? 1 : 0]);
        bind_filters(s, user_id, q);
        s.bind(6, q.after_activity).bind(7, q.after_id).bind(8, int64_t{limit} + 1);
        while (s.step()) {
            if (static_cast<int>(out.rows.size()) == limit) {
                out.more = true;
                break;
            }
            out.rows.push_back(read_inbox_row(s, user_id));
        }
    }
    if (!q.counts) return out;  // an export reads pages only
    {
        auto s = db_.stmt(kCountSql[plan]);
        bind_filters(s, user_id, q);
        s.step();
        out.total = static_cast<int>(s.i64(0));
    }
    {
        auto s = db_.stmt("SELECT (SELECT COUNT(*) FROM inbox_rows WHERE user_id = ?1 AND unread = 1), "
                          "(SELECT COUNT(*) FROM inbox_rows WHERE user_id = ?1 AND status = 'to_answer')");
        s.bind(1, user_id);
        s.step();
        out.unread = static_cast<int>(s.i64(0));
        out.to_answer = static_cast<int>(s.i64(1));
    }
    return out;
}

}  // namespace parley::server
