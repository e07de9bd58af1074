// PgStore: structured quotes (versions, per-seller yearly numbering, opened and
// accepted marks) and online payment (checkout sessions, provider events processed once).
//
// Quote numbers come from a counter row per (seller, year) moved by one
// `INSERT … ON CONFLICT DO UPDATE … RETURNING` in the quote's transaction: the row lock
// makes concurrent quotes of one seller take turns, a rolled back quote gives its number
// back — no gap, no duplicate, whatever the number of instances.
#include <nlohmann/json.hpp>

#include "server/store/pg/store.h"

namespace parley::server::pg {

#define QUOTE_COLS                                                                                      \
    "id, request_id, conversation_id, seller_id, number, version, supersedes, status, json, created, "   \
    "opened_at, accepted_at, accepted_by_name, accepted_version, paid_at, paid_provider, paid_reference"

QuoteRecord PgStore::read_quote(const Result& r, int i) {
    QuoteRecord out;
    Quote& q = out.quote;
    std::string why;
    if (!parse_json(r.text(i, 8), q, &why)) throw StoreError("quote " + std::to_string(r.i64(i, 0)) + ": " + why);
    q.id = r.i64(i, 0); q.request_id = r.i64(i, 1); q.conversation_id = r.i64(i, 2); out.seller_id = r.i64(i, 3);
    q.number = r.text(i, 4); q.version = static_cast<int>(r.i64(i, 5)); q.supersedes = r.i64(i, 6);
    q.status = r.text(i, 7); q.created = r.i64(i, 9); q.opened_at = r.i64(i, 10); q.accepted_at = r.i64(i, 11);
    q.accepted_by_name = r.text(i, 12); out.accepted_version = static_cast<int>(r.i64(i, 13));
    q.paid_at = r.i64(i, 14); q.paid_provider = r.text(i, 15); q.paid_reference = r.text(i, 16);
    return out;
}

Quote PgStore::add_quote(const Quote& in, int64_t seller_id, int year) {
    Work w(*this);
    Quote q = in;
    q.request_id = request_of(*w, q.conversation_id);
    if (q.supersedes == 0) {
        const int64_t seq = w->run("INSERT INTO quote_sequences(seller_id, year, last) VALUES($1, $2, 1) "
                                   "ON CONFLICT (seller_id, year) DO UPDATE SET last = quote_sequences.last + 1 "
                                   "RETURNING last",
                                   seller_id, year)
                                .i64(0, 0);
        q.number = format_quote_number(year, seq);
        q.version = 1;
    } else {
        w->run("UPDATE quotes SET status = 'superseded' WHERE id = $1", q.supersedes);
    }
    q.opened_at = 0;
    q.accepted_at = 0;
    q.accepted_by_name.clear();
    q.paid_at = 0;
    q.paid_provider.clear();
    q.paid_reference.clear();
    Quote content = q;  // the JSON column holds the content; ids and marks live in columns
    content.id = 0;
    q.id = w->run("INSERT INTO quotes(request_id, conversation_id, seller_id, number, version, supersedes, status, "
                  "json, created) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                  q.request_id, q.conversation_id, seller_id, q.number, q.version, q.supersedes, q.status,
                  dump_json(content), q.created)
               .i64(0, 0);
    w.commit();
    return q;
}

std::optional<QuoteRecord> PgStore::quote(int64_t id) {
    Use c(*this);
    auto r = c->run("SELECT " QUOTE_COLS " FROM quotes WHERE id = $1", id);
    if (r.rows() == 0) return std::nullopt;
    return read_quote(r, 0);
}

std::vector<Quote> PgStore::quotes_of(Conn& c, int64_t request_id) {
    auto r = c.run("SELECT " QUOTE_COLS " FROM quotes WHERE request_id = $1 ORDER BY id DESC", request_id);
    std::vector<Quote> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_quote(r, i).quote);
    return out;
}

std::vector<Quote> PgStore::quotes(int64_t request_id) {
    Use c(*this);
    return quotes_of(*c, request_id);
}

bool PgStore::mark_quote_opened(int64_t id, Millis now) {
    Use c(*this);
    return c->run("UPDATE quotes SET opened_at = $2, status = CASE WHEN status = 'sent' THEN 'opened' ELSE status END "
                  "WHERE id = $1 AND opened_at = 0",
                  id, now)
               .affected() > 0;
}

void PgStore::accept_quote(int64_t id, const std::string& name, int version, Millis now) {
    Use c(*this);
    c->run("UPDATE quotes SET status = 'accepted', accepted_at = $2, accepted_by_name = $3, accepted_version = $4 "
           "WHERE id = $1",
           id, now, name, version);
}

// ---------------------------------------------------------------- payments

void PgStore::add_payment_session(const PaymentSession& p) {
    Use c(*this);
    c->run("INSERT INTO payment_sessions(id, provider, quote_id, amount, currency, success_url, cancel_url, created, "
           "expires) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
           p.id, p.provider, p.quote_id, p.amount, p.currency, p.success_url, p.cancel_url, p.created, p.expires);
}

std::optional<PaymentSession> PgStore::payment_session(const std::string& id) {
    Use c(*this);
    auto r = c->run("SELECT id, provider, quote_id, amount, currency, success_url, cancel_url, created, expires, "
                    "paid_at FROM payment_sessions WHERE id = $1",
                    id);
    if (r.rows() == 0) return std::nullopt;
    PaymentSession p;
    p.id = r.text(0, 0); p.provider = r.text(0, 1); p.quote_id = r.i64(0, 2); p.amount = r.i64(0, 3);
    p.currency = r.text(0, 4); p.success_url = r.text(0, 5); p.cancel_url = r.text(0, 6); p.created = r.i64(0, 7);
    p.expires = r.i64(0, 8); p.paid_at = r.i64(0, 9);
    return p;
}

PaymentRecord PgStore::record_payment(const ConfirmedPayment& p, Millis now) {
    Work w(*this);
    // The quote's row lock first: two confirmations of one quote (the same event twice,
    // or two events) take turns, and the second sees what the first recorded.
    auto q = w->run("SELECT status FROM quotes WHERE id = $1 FOR UPDATE", p.quote_id);
    if (w->run("SELECT 1 FROM payment_events WHERE provider = $1 AND event_id = $2", p.provider, p.event_id).rows() > 0)
        return PaymentRecord::duplicate_event;
    const std::string status = q.rows() > 0 ? q.text(0, 0) : std::string();
    PaymentRecord outcome;
    if (status == kQuoteAccepted) outcome = PaymentRecord::paid;
    else if (status == kQuotePaid) outcome = PaymentRecord::already_paid;
    else return PaymentRecord::not_payable;  // rolled back: nothing written

    // UNIQUE (provider, event_id) still decides for an event of a quote that vanished.
    if (w->run("INSERT INTO payment_events(provider, event_id, session_id, quote_id, amount, currency, reference, "
               "outcome, created) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (provider, event_id) DO NOTHING",
               p.provider, p.event_id, p.session_id, p.quote_id, p.amount, p.currency, p.reference,
               std::string(outcome == PaymentRecord::paid ? "paid" : "already_paid"), now)
            .affected() == 0)
        return PaymentRecord::duplicate_event;
    if (outcome == PaymentRecord::paid) {
        w->run("UPDATE quotes SET status = 'paid', paid_at = $2, paid_provider = $3, paid_reference = $4 "
               "WHERE id = $1 AND status = 'accepted'",
               p.quote_id, now, p.provider, p.reference);
        w->run("UPDATE payment_sessions SET paid_at = $2 WHERE id = $1 AND paid_at = 0", p.session_id, now);
    }
    w.commit();
    return outcome;
}

}  // namespace parley::server::pg
