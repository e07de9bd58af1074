// SqliteStore: full-text search with FTS5. One contentless index (`search_fts`): a
// message under its own id, a request (buyer name, company, country, product, text)
// under minus its id. unicode61 folds case and accents; CJK text, written without
// spaces, is indexed one character per token and searched as a phrase of characters,
// so that any substring is found. Visibility: a message only in conversations the user
// sees, a request only when it is in their inbox rows.
#include "server/base/search_text.h"
#include "server/store/sqlite/store.h"

namespace parley::server {

std::string fts_index_text(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (size_t i = 0; i < text.size();) {
        const size_t at = i;
        const char32_t c = utf8_next(text, i);
        if (is_cjk(c)) {
            out += ' ';
            out.append(text, at, i - at);
            out += ' ';
        } else {
            out.append(text, at, i - at);
        }
    }
    return out;
}

std::string fts_match(const std::vector<SearchTerm>& terms) {
    std::string q;
    for (const SearchTerm& t : terms) {
        if (!q.empty()) q += ' ';
        // Terms hold letters and digits only (search_terms), never a quote.
        q += '"';
        q += t.cjk ? fts_index_text(t.text) : t.text;
        q += '"';
        if (!t.cjk) q += '*';  // a word prefix: "valv" finds "valves"
    }
    return q;
}

static std::string request_search_text(const std::string& name, const std::string& company,
                                       const std::string& country, const std::string& product,
                                       const std::string& message) {
    std::string t = name;
    for (const std::string* p : {&company, &country, &product, &message}) {
        t += '\n';
        t += *p;
    }
    return t;
}

void SqliteStore::index_message(int64_t message_id, const std::string& body) {
    db_.stmt("INSERT INTO search_fts(rowid, text) VALUES(?1, ?2)").bind(1, message_id).bind(2, fts_index_text(body)).run();
}

void SqliteStore::index_request(int64_t request_id) {
    auto s = db_.stmt("SELECT u.name, u.company, r.country, r.product, r.message FROM requests r "
                      "JOIN users u ON u.id = r.buyer_id WHERE r.id = ?1");
    s.bind(1, request_id);
    if (!s.step()) return;
    const std::string text = request_search_text(s.text(0), s.text(1), s.text(2), s.text(3), s.text(4));
    db_.stmt("INSERT INTO search_fts(rowid, text) VALUES(?1, ?2)").bind(1, -request_id).bind(2, fts_index_text(text)).run();
}

void SqliteStore::index_all_for_search() {
    {
        std::vector<int64_t> ids;
        auto s = db_.stmt("SELECT id FROM requests ORDER BY id");
        while (s.step()) ids.push_back(s.i64(0));
        for (int64_t id : ids) index_request(id);
    }
    auto s = db_.stmt("SELECT id, body FROM messages ORDER BY id");
    while (s.step()) index_message(s.i64(0), s.text(1));
}

std::vector<SearchHit> SqliteStore::search(int64_t user_id, const std::string& text, const InboxQuery& f, int offset,
                                           int limit) {
    const std::string match = fts_match(search_terms(text));
    if (match.empty()) return {};
    std::lock_guard lk(db_.mu);
    std::vector<std::pair<int64_t, int64_t>> found;  // (request, message)
    {
        // The best hit per request among what the user may see, ranked by bm25; the
        // inbox filters apply through the user's inbox row.
        auto s = db_.stmt(R"sql(
WITH hits(id, score) AS (SELECT rowid, bm25(search_fts) FROM search_fts WHERE search_fts MATCH ?6),
seen(rid, mid, score) AS (
  SELECT m.request_id, m.id, h.score FROM hits h JOIN messages m ON m.id = h.id
  WHERE h.id > 0
    AND (EXISTS(SELECT 1 FROM participants p WHERE p.conversation_id = m.conversation_id AND p.user_id = ?1)
         OR EXISTS(SELECT 1 FROM requests r WHERE r.id = m.request_id AND r.buyer_id = ?1))
  UNION ALL
  SELECT -h.id, 0, h.score FROM hits h WHERE h.id < 0)
SELECT seen.rid, seen.mid, MIN(seen.score) AS best FROM seen
JOIN inbox_rows i ON i.user_id = ?1 AND i.request_id = seen.rid
WHERE (?3 = '' OR i.country = ?3) AND (?4 < 0 OR i.handler_id = ?4) AND (?5 = 0 OR i.unread = 1)
  AND (?2 = '' OR i.status = ?2)
GROUP BY seen.rid ORDER BY best, seen.rid DESC LIMIT ?7 OFFSET ?8)sql");
        s.bind(1, user_id).bind(2, f.status).bind(3, f.country).bind(4, f.handler)
            .bind(5, int64_t{f.unread ? 1 : 0}).bind(6, match).bind(7, int64_t{limit}).bind(8, int64_t{offset});
        while (s.step()) found.push_back({s.i64(0), s.i64(1)});
    }
    std::vector<SearchHit> out;
    for (const auto& [rid, mid] : found) {
        SearchHit h;
        auto row = inbox_row(user_id, rid);
        if (!row) continue;
        h.request = std::move(*row);
        h.message_id = mid;
        if (mid) {
            auto s = db_.stmt("SELECT body FROM messages WHERE id = ?1");
            s.bind(1, mid);
            if (s.step()) h.text = s.text(0);
        } else {
            auto s = db_.stmt("SELECT u.name, u.company, r.country, r.product, r.message FROM requests r "
                              "JOIN users u ON u.id = r.buyer_id WHERE r.id = ?1");
            s.bind(1, rid);
            if (s.step()) h.text = request_search_text(s.text(0), s.text(1), s.text(2), s.text(3), s.text(4));
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace parley::server
