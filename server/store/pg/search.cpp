// PgStore: full-text search with PostgreSQL's own means, the same observable behaviour as
// the SQLite store's FTS5 search (../sqlite/search.cpp).
//
// Table `search_index`: a message under its own id, a request (buyer name, company,
// country, product, text) under minus its id; `folded` is the text folded here with
// search_fold (case and Latin accents, one code point per code point — the folding the
// snippets use), `words` its words as a tsvector (lexemes given as they are: no parser,
// no dictionary, so that words are cut exactly as search_terms cuts a query). A word term
// is a prefix query on `words` (GIN index); a CJK term, written without spaces, is a
// substring of `folded` (LIKE, GIN trigram index). Visibility as in SQLite: a message only
// in conversations the user sees, a request only when it is in their inbox rows.
// Messages are queued (search_queue) in the post's transaction and indexed behind it
// by index_for_search; several instances take disjoint batches (SKIP LOCKED).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "server/base/search_text.h"
#include "server/base/text.h"
#include "server/store/rules.h"
#include "server/store/pg/store.h"

namespace parley::server::pg {
namespace {

// PostgreSQL's limits: a lexeme under 2 KB, positions up to 16383, 256 per lexeme.
constexpr size_t kMaxLexeme = 2000;
constexpr int kMaxPosition = 16383;
constexpr size_t kMaxPositions = 255;

std::string fold_text(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) append_utf8(out, search_fold(utf8_next(text, i)));
    return out;
}

// The words of a folded text as a tsvector literal: 'word':1,7 'other':2. Words hold no
// ASCII quote or backslash (is_search_word), so they need no escaping.
std::string words_of(const std::string& folded) {
    std::map<std::string, std::vector<int>> lexemes;
    std::string cur;
    int pos = 0;
    auto flush = [&] {
        if (!cur.empty() && cur.size() <= kMaxLexeme) {
            auto& p = lexemes[cur];
            if (p.size() < kMaxPositions) p.push_back(std::min(++pos, kMaxPosition));
        }
        cur.clear();
    };
    for (size_t i = 0; i < folded.size();) {
        const size_t at = i;
        const char32_t c = utf8_next(folded, i);
        if (!is_search_word(c) || c == 0xFFFD || is_cjk(c)) {
            flush();
            continue;
        }
        cur.append(folded, at, i - at);
    }
    flush();
    std::string out;
    for (const auto& [w, positions] : lexemes) {
        if (!out.empty()) out += ' ';
        out += '\'';
        out += w;
        out += "':";
        for (size_t k = 0; k < positions.size(); ++k) {
            if (k) out += ',';
            out += std::to_string(positions[k]);
        }
    }
    return out;
}

std::string request_search_text(const Result& r, int i) {
    std::string t = r.text(i, 0);
    for (int col = 1; col <= 4; ++col) {
        t += '\n';
        t += r.text(i, col);
    }
    return t;
}

void put(Conn& c, int64_t id, const std::string& text) {
    const std::string folded = fold_text(text);
    c.run("INSERT INTO search_index(id, folded, words) VALUES($1, $2, $3::tsvector) "
          "ON CONFLICT (id) DO UPDATE SET folded = excluded.folded, words = excluded.words",
          id, folded, words_of(folded));
}

constexpr const char* kRequestText = "SELECT u.name, u.company, r.country, r.product, r.message FROM requests r "
                                     "JOIN users u ON u.id = r.buyer_id WHERE r.id = $1";

}  // namespace

void PgStore::index_request(Conn& c, int64_t request_id) {
    auto r = c.run(kRequestText, request_id);
    if (r.rows() == 0) return;
    put(c, -request_id, request_search_text(r, 0));
}

int PgStore::index_queued(Conn& c, int most) {
    // The oldest waiting messages, taken off the queue in this transaction; rows another
    // instance is taking are skipped, not waited for.
    auto r = c.run("WITH q AS (DELETE FROM search_queue WHERE message_id IN (SELECT message_id FROM search_queue "
                   "ORDER BY message_id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING message_id) "
                   "SELECT m.id, m.body FROM q JOIN messages m ON m.id = q.message_id ORDER BY m.id",
                   most);
    for (int i = 0; i < r.rows(); ++i) put(c, r.i64(i, 0), r.text(i, 1));
    return r.rows();
}

int PgStore::index_for_search(int most) {
    Use c(*this);
    // Nothing waits: no write transaction.
    if (c->run("SELECT 1 FROM search_queue LIMIT 1").rows() == 0) return 0;
    // Queue rows claimed with SKIP LOCKED, index rows of those messages only: nothing a
    // post waits for, so not under the write lock.
    Work w(*this, kNoWriteLock);
    const int n = index_queued(*w, std::max(1, most));
    w.commit();
    return n;
}

// How far a search reads: the newest matches first, until kPool requests are found or
// kScan matches were read in each stream (messages, requests). The ranking is over that
// pool, the same for every page of the search, so that a search costs the same with
// 1,000 or 1,000,000 messages; an older match beyond the pool is found by a more precise
// query.
using store_rules::kSearchPool;
using store_rules::kSearchScan;

// The filters of InboxQuery on the user's inbox row `i` ($2 user, $3 status, $4 country,
// $5 handler, $6 unread).
#define SEARCH_FILTERS                                                                           \
    " AND ($3::text = '' OR i.status = $3) AND ($4::text = '' OR i.country = $4)"                 \
    " AND ($5::bigint < 0 OR i.handler_id = $5) AND (NOT $6::boolean OR i.unread)"

std::vector<SearchHit> PgStore::search(int64_t user_id, const std::string& text, const InboxQuery& f, int offset,
                                       int limit, SearchCount* count) {
    if (count) *count = SearchCount{};
    const std::vector<SearchTerm> terms = search_terms(text);
    if (terms.empty()) return {};
    // Word terms: one prefix tsquery ($1); CJK terms: a LIKE pattern each ($8...).
    std::string query;
    std::vector<std::string> patterns;
    for (const SearchTerm& t : terms) {
        const std::string folded = fold_text(t.text);
        if (t.cjk) {
            patterns.push_back("%" + folded + "%");  // CJK characters only: nothing to escape
            continue;
        }
        if (folded.size() > kMaxLexeme) continue;
        if (!query.empty()) query += " & ";
        query += "'" + folded + "':*";
    }
    std::string match = query.empty() ? " AND $1::text = ''" : " AND s.words @@ $1::tsquery";
    for (size_t k = 0; k < patterns.size(); ++k) match += " AND s.folded LIKE $" + std::to_string(8 + k);
    const std::string rank = query.empty() ? "0::real" : "ts_rank(s.words, $1::tsquery)";

    Use c(*this);
    while (index_for_search(1000) > 0) {
    }  // read-your-writes: the latest messages too
    std::vector<std::string> params{query, std::to_string(user_id), f.status, f.country, std::to_string(f.handler),
                                    f.unread ? "t" : "f", std::to_string(kSearchScan + 1)};
    params.insert(params.end(), patterns.begin(), patterns.end());

    // request → (best score, best message; 0 = the request's own fields); lower is better
    std::unordered_map<int64_t, std::pair<double, int64_t>> best;
    bool capped = false;  // a stream stopped before its end
    auto take = [&](const std::string& sql) {
        auto r = c->exec(sql, params);
        for (int read = 0;; ++read) {
            if (read >= kSearchScan || static_cast<int>(best.size()) >= kSearchPool) {
                capped = capped || read < r.rows();
                break;
            }
            if (read >= r.rows()) break;
            const int64_t rid = r.i64(read, 0), mid = r.i64(read, 1);
            const double score = -std::stod(r.text(read, 2));
            auto it = best.find(rid);
            if (it == best.end()) best.emplace(rid, std::make_pair(score, mid));
            else if (score < it->second.first) it->second = {score, mid};
        }
    };
    // Messages, newest first, in conversations the user sees (the buyer: all of theirs).
    take("SELECT m.request_id, s.id, " + rank +
         " FROM search_index s JOIN messages m ON m.id = s.id "
         "JOIN inbox_rows i ON i.user_id = $2 AND i.request_id = m.request_id "
         "WHERE s.id > 0" + match +
         " AND (i.is_buyer OR EXISTS(SELECT 1 FROM participants p WHERE p.conversation_id = m.conversation_id "
         "AND p.user_id = $2))" SEARCH_FILTERS " ORDER BY s.id DESC LIMIT $7");
    // Requests' own fields (id = minus the request's), newest first.
    take("SELECT -s.id, 0, " + rank +
         " FROM search_index s JOIN inbox_rows i ON i.user_id = $2 AND i.request_id = -s.id "
         "WHERE s.id < 0" + match + SEARCH_FILTERS " ORDER BY s.id ASC LIMIT $7");
    if (count) *count = SearchCount{static_cast<int>(best.size()), capped};

    std::vector<std::pair<int64_t, std::pair<double, int64_t>>> ranked(best.begin(), best.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        if (a.second.first != b.second.first) return a.second.first < b.second.first;
        return a.first > b.first;
    });
    std::vector<SearchHit> out;
    for (size_t k = static_cast<size_t>(std::max(0, offset));
         k < ranked.size() && static_cast<int>(out.size()) < limit; ++k) {
        const int64_t rid = ranked[k].first, mid = ranked[k].second.second;
        auto row = inbox_row(*c, user_id, rid);
        if (!row) continue;
        SearchHit h;
        h.request = std::move(*row);
        h.message_id = mid;
        if (mid) {
            auto r = c->run("SELECT body FROM messages WHERE id = $1", mid);
            if (r.rows() > 0) h.text = r.text(0, 0);
        } else {
            auto r = c->run(kRequestText, rid);
            if (r.rows() > 0) h.text = request_search_text(r, 0);
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace parley::server::pg
