// SqliteStore: structured quotes — versions, per-seller yearly numbering,
// opened and accepted marks.
#include <nlohmann/json.hpp>

#include "server/store/sqlite/store.h"

namespace parley::server {

namespace {
constexpr const char* kQuoteCols =
    "id, request_id, conversation_id, seller_id, number, version, supersedes, status, json, created, "
    "opened_at, accepted_at, accepted_by_name, accepted_version, paid_at, paid_provider, paid_reference";
}

QuoteRecord SqliteStore::read_quote(const Stmt& s) {
    QuoteRecord r;
    Quote& q = r.quote;
    std::string why;
    if (!parse_json(s.text(8), q, &why)) throw StoreError("quote " + std::to_string(s.i64(0)) + ": " + why);
    q.id = s.i64(0); q.request_id = s.i64(1); q.conversation_id = s.i64(2); r.seller_id = s.i64(3);
    q.number = s.text(4); q.version = static_cast<int>(s.i64(5)); q.supersedes = s.i64(6);
    q.status = s.text(7); q.created = s.i64(9); q.opened_at = s.i64(10); q.accepted_at = s.i64(11);
    q.accepted_by_name = s.text(12); r.accepted_version = static_cast<int>(s.i64(13));
    q.paid_at = s.i64(14); q.paid_provider = s.text(15); q.paid_reference = s.text(16);
    return r;
}

Quote SqliteStore::add_quote(const Quote& in, int64_t seller_id, int year) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    Quote q = in;
    q.request_id = request_of(q.conversation_id);
    if (q.supersedes == 0) {
        db_.stmt("INSERT INTO quote_sequences(seller_id, year, last) VALUES(?1, ?2, 1) "
                 "ON CONFLICT(seller_id, year) DO UPDATE SET last = last + 1")
            .bind(1, seller_id).bind(2, int64_t{year}).run();
        auto s = db_.stmt("SELECT last FROM quote_sequences WHERE seller_id = ?1 AND year = ?2");
        s.bind(1, seller_id).bind(2, int64_t{year});
        if (!s.step()) throw StoreError("quote sequence missing");
        q.number = format_quote_number(year, s.i64(0));
        q.version = 1;
    } else {
        db_.stmt("UPDATE quotes SET status = 'superseded' WHERE id = ?1").bind(1, q.supersedes).run();
    }
    q.opened_at = 0;
    q.accepted_at = 0;
    q.accepted_by_name.clear();
    q.paid_at = 0;
    q.paid_provider.clear();
    q.paid_reference.clear();
    Quote content = q;  // the JSON column holds the content; ids and marks live in columns
    content.id = 0;
    db_.stmt("INSERT INTO quotes(request_id, conversation_id, seller_id, number, version, supersedes, status, json, "
             "created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, q.request_id).bind(2, q.conversation_id).bind(3, seller_id).bind(4, q.number)
        .bind(5, int64_t{q.version}).bind(6, q.supersedes).bind(7, q.status).bind(8, dump_json(content))
        .bind(9, q.created).run();
    q.id = db_.last_id();
    tx.commit();
    return q;
}

std::optional<QuoteRecord> SqliteStore::quote(int64_t id) {
    std::lock_guard lk(db_.mu);
    static const std::string sql = std::string("SELECT ") + kQuoteCols + " FROM quotes WHERE id = ?1";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_quote(s);
}

std::vector<Quote> SqliteStore::quotes_locked(int64_t request_id) {
    static const std::string sql =
        std::string("SELECT ") + kQuoteCols + " FROM quotes WHERE request_id = ?1 ORDER BY id DESC";
    auto s = db_.stmt(sql.c_str());
    s.bind(1, request_id);
    std::vector<Quote> out;
    while (s.step()) out.push_back(read_quote(s).quote);
    return out;
}

std::vector<Quote> SqliteStore::quotes(int64_t request_id) {
    std::lock_guard lk(db_.mu);
    return quotes_locked(request_id);
}

bool SqliteStore::mark_quote_opened(int64_t id, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE quotes SET opened_at = ?2, status = CASE WHEN status = 'sent' THEN 'opened' ELSE status END "
             "WHERE id = ?1 AND opened_at = 0")
        .bind(1, id).bind(2, now).run();
    auto s = db_.stmt("SELECT changes()");
    s.step();
    return s.i64(0) > 0;
}

void SqliteStore::accept_quote(int64_t id, const std::string& name, int version, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE quotes SET status = 'accepted', accepted_at = ?2, accepted_by_name = ?3, "
             "accepted_version = ?4 WHERE id = ?1")
        .bind(1, id).bind(2, now).bind(3, name).bind(4, int64_t{version}).run();
}

}  // namespace parley::server
