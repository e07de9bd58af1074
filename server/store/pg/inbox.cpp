// PgStore: the inbox at volume, as in the SQLite store (../sqlite/inbox.cpp). One row per
// (user, request) in `inbox_rows`, kept up to date by every write that changes what a
// user's inbox shows, so that a page reads about 50 rows whatever the number of requests;
// keyset pages (last activity, request id), newest first.
//
// Index: computing one request's rows (refresh_inbox) · the cheap update after a
// message · unread after a read mark · the one-time build · pages and totals.
#include <algorithm>
#include <climits>

#include "server/base/text.h"
#include "server/store/pg/inbox_sql.h"
#include "server/store/pg/store.h"

namespace parley::server::pg {

// The users a request's inbox rows belong to: its buyer (once a seller has it) and every
// participant.
static constexpr const char* kLinkedUsers = R"sql(
SELECT r.buyer_id FROM requests r WHERE r.id = $1 AND EXISTS(SELECT 1 FROM conversations c WHERE c.request_id = r.id)
UNION
SELECT p.user_id FROM participants p JOIN conversations c ON c.id = p.conversation_id WHERE c.request_id = $1)sql";

bool PgStore::unread_of(Conn& c, int64_t user_id, int64_t request_id, bool buyer) {
    auto r = c.run(VISIBLE_CTE "SELECT " UNREAD_MESSAGES ", " EVER_READ, user_id, request_id, buyer);
    return flag(r, 0, 0) || (!buyer && !flag(r, 0, 1));
}

void PgStore::refresh_inbox(Conn& c, int64_t request_id) {
    std::vector<int64_t> users;
    {
        auto r = c.run(kLinkedUsers, request_id);
        for (int i = 0; i < r.rows(); ++i) users.push_back(r.i64(i, 0));
    }
    auto req = c.run("SELECT buyer_id, created, country FROM requests WHERE id = $1", request_id);
    if (req.rows() == 0) return;
    const int64_t buyer_id = req.i64(0, 0);
    const Millis created = req.i64(0, 1);
    const std::string country = req.text(0, 2);
    for (int64_t uid : users) {
        const bool buyer = uid == buyer_id;
        auto counts = c.run(VISIBLE_CTE "SELECT COUNT(*), COALESCE(MAX(m.id), 0), MAX(m.created) FROM vis "
                                        "JOIN messages m ON m.conversation_id = vis.cid",
                            uid, request_id, buyer);
        const int64_t count = counts.i64(0, 0), last_id = counts.i64(0, 1);
        Millis last = created;
        if (last_id) {
            auto m = c.run("SELECT created FROM messages WHERE id = $1", last_id);
            if (m.rows() > 0) last = std::max(created, m.i64(0, 0));
        }
        // Status and handler: for the seller side, from the conversation they own (else
        // the first they joined), answered also when one routed or forwarded from it was.
        std::string status = buyer ? "open" : "to_answer";
        int64_t handler = 0;
        auto s = c.run(R"sql(
SELECT c.id, c.seller_id, c.status,
  EXISTS(SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.author_id <> r.buyer_id),
  EXISTS(SELECT 1 FROM messages m JOIN conversations k ON k.id = m.conversation_id
         WHERE k.parent_id = c.id AND m.author_id <> r.buyer_id),
  (SELECT k.seller_id FROM conversations k WHERE k.parent_id = c.id ORDER BY k.id LIMIT 1)
FROM conversations c JOIN requests r ON r.id = c.request_id
WHERE c.request_id = $2
  AND ($3::boolean OR EXISTS(SELECT 1 FROM participants p WHERE p.conversation_id = c.id AND p.user_id = $1))
ORDER BY (c.seller_id = $1) DESC, c.id)sql",
                       uid, request_id, buyer);
        for (int i = 0; i < s.rows(); ++i) {
            const bool replied = flag(s, i, 3), child_replied = flag(s, i, 4);
            if (buyer) {
                if (replied) status = "answered";
                continue;
            }
            const std::string st = s.text(i, 2);
            status = st != "open" ? st : (replied || child_replied ? "answered" : "to_answer");
            if (s.i64(i, 1) != uid) handler = s.i64(i, 1);
            else if (!s.is_null(i, 5)) handler = s.i64(i, 5);
            break;
        }
        c.run(R"sql(
INSERT INTO inbox_rows(user_id, request_id, is_buyer, last_activity, unread, status, handler_id, country,
                       message_count, last_message_id)
VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (user_id, request_id) DO UPDATE SET is_buyer = excluded.is_buyer,
  last_activity = excluded.last_activity, unread = excluded.unread, status = excluded.status,
  handler_id = excluded.handler_id, country = excluded.country, message_count = excluded.message_count,
  last_message_id = excluded.last_message_id)sql",
              uid, request_id, buyer, last, unread_of(c, uid, request_id, buyer), status, handler, country, count,
              last_id);
    }
}

void PgStore::inbox_after_message(Conn& c, int64_t request_id, int64_t conversation_id, int64_t author_id,
                                  int64_t message_id, Millis created, bool first_seller_reply) {
    // Everyone who sees the conversation: one more message, newest activity, unread
    // for all but the author; O(users of the request), not O(messages).
    c.run(INBOX_AFTER_MESSAGE, request_id, conversation_id, author_id, created, message_id);
    if (first_seller_reply) {
        refresh_inbox(c, request_id);  // statuses change ("answered"), once per conversation
        return;
    }
    update_unread(c, author_id, request_id);  // the author's mark moved with the message
}

void PgStore::update_unread(Conn& c, int64_t user_id, int64_t request_id) {
    // unread_of in the UPDATE itself (one round trip: it runs after every post and read
    // mark), with the row's is_buyer as the buyer flag.
    c.run(UPDATE_UNREAD, user_id, request_id);
}

void PgStore::backfill() {
    Use c(*this);
    // Data written before the main store's tables (step 4): its inbox rows and its
    // requests in the search index, once. The DELETE takes the row: a second instance
    // starting at the same time waits, then finds it gone.
    for (const char* name : {"inbox", "search_requests"}) {
        Work w(*this);
        if (w->run("DELETE FROM pending_backfill WHERE name = $1", std::string(name)).affected() == 0) continue;
        auto ids = w->run("SELECT id FROM requests ORDER BY id");
        for (int i = 0; i < ids.rows(); ++i) {
            if (std::string(name) == "inbox") refresh_inbox(*w, ids.i64(i, 0));
            else index_request(*w, ids.i64(i, 0));
        }
        w.commit();
    }
}

// ---------------------------------------------------------------- pages

// One statement per index: the filter that narrows most leads, the others are checked
// on the rows it yields. Columns: request, buyer name, company, country, language,
// product, created, request text, message count, last activity, unread, status, handler
// id, handler name, last message body, last message's first file name,
// manufacturer's name and company.
#define INBOX_COLS                                                                                        \
    "SELECT i.request_id, u.name, u.company, r.country, r.language, r.product, r.created, r.message, "    \
    "i.message_count, i.last_activity, i.unread, i.status, i.handler_id, COALESCE(h.name, ''), lm.body, " \
    "(SELECT a.name FROM attachments a WHERE a.message_id = lm.id AND a.message_id <> 0 ORDER BY a.id LIMIT 1), " \
    "mk.name, mk.company " \
    "FROM inbox_rows i JOIN requests r ON r.id = i.request_id "                                           \
    "JOIN users u ON u.id = r.buyer_id JOIN users mk ON mk.id = r.manufacturer_id "                       \
    "LEFT JOIN users h ON h.id = i.handler_id AND i.handler_id <> 0 "                                     \
    "LEFT JOIN messages lm ON lm.id = i.last_message_id AND i.last_message_id <> 0 "
#define INBOX_REST                                                                                 \
    " AND ($3::text = '' OR i.country = $3) AND ($4::bigint < 0 OR i.handler_id = $4)"              \
    " AND (NOT $5::boolean OR i.unread) AND ($2::text = '' OR i.status = $2)"
#define INBOX_ORDER " ORDER BY i.last_activity DESC, i.request_id DESC LIMIT $8"
#define INBOX_AFTER " AND (i.last_activity, i.request_id) < ($6::bigint, $7::bigint)"
#define INBOX_PAGES(where)                                                                                   \
    {INBOX_COLS where INBOX_REST " AND $6::bigint = $6 AND $7::bigint = $7" INBOX_ORDER,                      \
     INBOX_COLS where INBOX_REST INBOX_AFTER INBOX_ORDER}

// [plan][first page / after a cursor]: a cursor is a range on the index, so that page
// 2,000 costs what page 1 does.
static const char* const kPageSql[4][2] = {
    INBOX_PAGES("WHERE i.user_id = $1 AND i.status = $2"),
    INBOX_PAGES("WHERE i.user_id = $1 AND i.unread"),
    INBOX_PAGES("WHERE i.user_id = $1 AND i.country = $3"),
    INBOX_PAGES("WHERE i.user_id = $1"),
};
static const char* const kCountSql[] = {
    "SELECT COUNT(*) FROM inbox_rows i WHERE i.user_id = $1 AND i.status = $2" INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i WHERE i.user_id = $1 AND i.unread" INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i WHERE i.user_id = $1 AND i.country = $3" INBOX_REST,
    "SELECT COUNT(*) FROM inbox_rows i WHERE i.user_id = $1" INBOX_REST,
};

static int plan_of(const InboxQuery& q) { return !q.status.empty() ? 0 : q.unread ? 1 : !q.country.empty() ? 2 : 3; }

RequestSummary PgStore::read_inbox_row(const Result& s, int i, int64_t user_id) {
    RequestSummary r;
    r.id = s.i64(i, 0);
    r.buyer_name = s.text(i, 1);
    r.buyer_company = s.text(i, 2);
    r.country = s.text(i, 3);
    r.language = s.text(i, 4);
    r.product = s.text(i, 5);
    r.created = s.i64(i, 6);
    r.message_count = static_cast<int>(s.i64(i, 8));
    r.last_activity = s.i64(i, 9);
    r.unread = flag(s, i, 10);
    r.status = s.text(i, 11);
    if (s.i64(i, 12) != 0 && s.i64(i, 12) != user_id) r.handler_name = s.text(i, 13);
    const bool has_message = !s.is_null(i, 14);
    r.snippet = snippet_of(has_message ? s.text(i, 14) : s.text(i, 7));
    // A message of attachments only: its first file's name.
    if (has_message && r.snippet.empty() && !s.is_null(i, 15)) r.snippet = snippet_of(s.text(i, 15));
    r.seller_name = s.text(i, 16);
    r.seller_company = s.text(i, 17);
    return r;
}

std::optional<RequestSummary> PgStore::inbox_row(Conn& c, int64_t user_id, int64_t request_id) {
    auto r = c.run(INBOX_COLS "WHERE i.user_id = $1 AND i.request_id = $2", user_id, request_id);
    if (r.rows() == 0) return std::nullopt;
    return read_inbox_row(r, 0, user_id);
}

std::optional<RequestSummary> PgStore::inbox_entry(int64_t user_id, int64_t request_id) {
    Use c(*this);
    return inbox_row(*c, user_id, request_id);
}

InboxPage PgStore::inbox_page(int64_t user_id, const InboxQuery& q) {
    Use c(*this);
    InboxPage out;
    const int plan = plan_of(q);
    const int limit = std::max(1, std::min(q.limit, INT_MAX - 1));
    {
        auto r = c->run(kPageSql[plan][q.after_activity != 0 ? 1 : 0], user_id, q.status, q.country, q.handler,
                        q.unread, q.after_activity, q.after_id, int64_t{limit} + 1);
        for (int i = 0; i < r.rows(); ++i) {
            if (static_cast<int>(out.rows.size()) == limit) {
                out.more = true;
                break;
            }
            out.rows.push_back(read_inbox_row(r, i, user_id));
        }
    }
    if (!q.counts) return out;  // an export reads pages only
    out.total = static_cast<int>(
        c->run(kCountSql[plan], user_id, q.status, q.country, q.handler, q.unread).i64(0, 0));
    auto r = c->run("SELECT (SELECT COUNT(*) FROM inbox_rows WHERE user_id = $1 AND unread), "
                    "(SELECT COUNT(*) FROM inbox_rows WHERE user_id = $1 AND status = 'to_answer')",
                    user_id);
    out.unread = static_cast<int>(r.i64(0, 0));
    out.to_answer = static_cast<int>(r.i64(0, 1));
    return out;
}

}  // namespace parley::server::pg
