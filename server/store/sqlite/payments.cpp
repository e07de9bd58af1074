// SqliteStore: online payment of quotes — checkout sessions and the provider
// events processed exactly once (UNIQUE (provider, event_id)).
#include "server/store/sqlite/store.h"

namespace parley::server {

void SqliteStore::add_payment_session(const PaymentSession& p) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO payment_sessions(id, provider, quote_id, amount, currency, success_url, cancel_url, "
             "created, expires) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, p.id).bind(2, p.provider).bind(3, p.quote_id).bind(4, p.amount).bind(5, p.currency)
        .bind(6, p.success_url).bind(7, p.cancel_url).bind(8, p.created).bind(9, p.expires).run();
}

std::optional<PaymentSession> SqliteStore::payment_session(const std::string& id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id, provider, quote_id, amount, currency, success_url, cancel_url, created, expires, "
                      "paid_at FROM payment_sessions WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    PaymentSession p;
    p.id = s.text(0); p.provider = s.text(1); p.quote_id = s.i64(2); p.amount = s.i64(3); p.currency = s.text(4);
    p.success_url = s.text(5); p.cancel_url = s.text(6); p.created = s.i64(7); p.expires = s.i64(8);
    p.paid_at = s.i64(9);
    return p;
}

PaymentRecord SqliteStore::record_payment(const ConfirmedPayment& p, Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    {
        auto seen = db_.stmt("SELECT 1 FROM payment_events WHERE provider = ?1 AND event_id = ?2");
        seen.bind(1, p.provider).bind(2, p.event_id);
        if (seen.step()) return PaymentRecord::duplicate_event;
    }
    std::string status;
    {
        auto q = db_.stmt("SELECT status FROM quotes WHERE id = ?1");
        q.bind(1, p.quote_id);
        if (q.step()) status = q.text(0);
    }
    PaymentRecord outcome;
    if (status == kQuoteAccepted) outcome = PaymentRecord::paid;
    else if (status == kQuotePaid) outcome = PaymentRecord::already_paid;
    else return PaymentRecord::not_payable;  // Tx rolls back (nothing written)

    db_.stmt("INSERT INTO payment_events(provider, event_id, session_id, quote_id, amount, currency, reference, "
             "outcome, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, p.provider).bind(2, p.event_id).bind(3, p.session_id).bind(4, p.quote_id).bind(5, p.amount)
        .bind(6, p.currency).bind(7, p.reference)
        .bind(8, std::string(outcome == PaymentRecord::paid ? "paid" : "already_paid")).bind(9, now).run();
    if (outcome == PaymentRecord::paid) {
        db_.stmt("UPDATE quotes SET status = 'paid', paid_at = ?2, paid_provider = ?3, paid_reference = ?4 "
                 "WHERE id = ?1 AND status = 'accepted'")
            .bind(1, p.quote_id).bind(2, now).bind(3, p.provider).bind(4, p.reference).run();
        db_.stmt("UPDATE payment_sessions SET paid_at = ?2 WHERE id = ?1 AND paid_at = 0")
            .bind(1, p.session_id).bind(2, now).run();
    }
    tx.commit();
    return outcome;
}

}  // namespace parley::server
