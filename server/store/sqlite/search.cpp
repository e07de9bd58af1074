// SqliteStore: full-text search with FTS5. One contentless index (`search_fts`): a
// message under its own id, a request (buyer name, company, country, product, text)
// under minus its id. unicode61 folds case and accents; CJK text, written without
// spaces, is indexed one character per token and searched as a phrase of characters,
// so that any substring is found. Visibility: a message only in conversations the user
// sees, a request only when it is in their inbox rows.
#include <algorithm>
#include <unordered_map>

#include "server/base/search_text.h"
#include "server/store/rules.h"
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
    db_.stmt("UPDATE search_cursor SET message_id = (SELECT COALESCE(MAX(id), 0) FROM messages)").run();
}

int SqliteStore::index_for_search(int most) {
    std::lock_guard lk(db_.mu);
    // Message ids grow with every insert (one writer), so "not yet indexed" is "above
    // the cursor"; the cursor moves in the transaction that indexes them.
    auto cursor_now = [&] {
        auto s = db_.stmt("SELECT message_id FROM search_cursor");
        return s.step() ? s.i64(0) : int64_t{0};
    };
    {
        auto s = db_.stmt("SELECT 1 FROM messages WHERE id > ?1 LIMIT 1");
        s.bind(1, cursor_now());
        if (!s.step()) return 0;  // nothing waits: no write transaction
    }
    Tx tx(db_);
    int64_t cursor = cursor_now();  // again, in the transaction: another process may have moved it
    int n = 0;
    {
        auto s = db_.stmt("SELECT id, body FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2");
        s.bind(1, cursor).bind(2, int64_t{most});
        while (s.step()) {
            cursor = s.i64(0);
            index_message(cursor, s.text(1));
            ++n;
        }
    }
    db_.stmt("UPDATE search_cursor SET message_id = ?1").bind(1, cursor).run();
    tx.commit();
    return n;
}

// How far a search reads: the newest matches first, until kPool requests are found or
// kScan matches were read in each stream (messages, requests). The ranking (bm25) is over
// that pool, the same for every page of the search, so that a search costs the same
// with 1,000 or 1,000,000 messages; an older match beyond the pool is found by a more
// precise query.
using store_rules::kSearchPool;
using store_rules::kSearchScan;

// The filters of InboxQuery on the user's inbox row `i` (?2 user, ?3 status, ?4 country,
// ?5 handler, ?6 unread).
#define PARLEY_SEARCH_FILTERS \
    " AND (?3 = '' OR i.status = ?3) AND (?4 = '' OR i.country = ?4) AND (?5 < 0 OR i.handler_id = ?5)" \
    " AND (?6 = 0 OR i.unread = 1)"

std::vector<SearchHit> SqliteStore::search(int64_t user_id, const std::string& text, const InboxQuery& f, int offset,
                                           int limit, SearchCount* count) {
    if (count) *count = SearchCount{};
    const std::string match = fts_match(search_terms(text));
    if (match.empty()) return {};
    std::lock_guard lk(db_.mu);
    while (index_for_search(1000) > 0) {}  // read-your-writes: the latest messages too
    // request → (best score, best message; 0 = the request's own fields)
    std::unordered_map<int64_t, std::pair<double, int64_t>> best;
    bool capped = false;  // a stream stopped before its end
    auto take = [&](Stmt& s) {
        s.bind(1, match).bind(2, user_id).bind(3, f.status).bind(4, f.country).bind(5, f.handler)
            .bind(6, int64_t{f.unread ? 1 : 0});
        for (int read = 0;; ++read) {
            if (read >= kSearchScan || static_cast<int>(best.size()) >= kSearchPool) {
                capped = capped || s.step();
                break;
            }
            if (!s.step()) break;
            const int64_t rid = s.i64(0), mid = s.i64(1);
            const double score = s.f64(2);
            auto it = best.find(rid);
            if (it == best.end()) best.emplace(rid, std::make_pair(score, mid));
            else if (score < it->second.first) it->second = {score, mid};
        }
    };
    {
        // Messages, newest first, in conversations the user sees (the buyer: all of theirs).
        auto s = db_.stmt(R"sql(
SELECT m.request_id, h.rowid, h.score
FROM (SELECT rowid, bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ?1 AND rowid > 0
      ORDER BY rowid DESC) h
JOIN messages m ON m.id = h.rowid
JOIN inbox_rows i ON i.user_id = ?2 AND i.request_id = m.request_id
WHERE (i.is_buyer = 1 OR EXISTS(SELECT 1 FROM participants p WHERE p.conversation_id = m.conversation_id
                                                               AND p.user_id = ?2)))sql" PARLEY_SEARCH_FILTERS);
        take(s);
    }
    {
        // Requests' own fields (rowid = minus the id), newest first.
        auto s = db_.stmt(R"sql(
SELECT -h.rowid, 0, h.score
FROM (SELECT rowid, bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ?1 AND rowid < 0
      ORDER BY rowid ASC) h
JOIN inbox_rows i ON i.user_id = ?2 AND i.request_id = -h.rowid
WHERE 1)sql" PARLEY_SEARCH_FILTERS);
        take(s);
    }
    if (count) *count = SearchCount{static_cast<int>(best.size()), capped};
    std::vector<std::pair<int64_t, std::pair<double, int64_t>>> ranked(best.begin(), best.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        if (a.second.first != b.second.first) return a.second.first < b.second.first;  // bm25: lower is better
        return a.first > b.first;
    });
    std::vector<std::pair<int64_t, int64_t>> found;  // (request, message)
    for (size_t k = static_cast<size_t>(std::max(0, offset)); k < ranked.size() && static_cast<int>(found.size()) < limit; ++k)
        found.push_back({ranked[k].first, ranked[k].second.second});
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
