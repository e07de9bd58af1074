// The outbox table (schema: pg_migrations step 2) on its own pool. See
// server/store/outbox_store.h. Several instances share it: due() claims its rows.
#include "server/store/outbox_store.h"

#include <algorithm>

#include "server/store/pg/db.h"
#include "server/store/pg/open.h"

namespace parley::server::pg {

namespace {

#define OUTBOX_COLS                                                                                          \
    "id, to_address, to_user_id, kind, request_id, conversation_id, message_id, subject, text, raw, status, " \
    "attempts, next_attempt_at, last_error, error_kind, last_code, created, sent_at, message_ref, failure_event_id"

OutboxRow read_row(const Result& r, int i) {
    OutboxRow o;
    o.id = r.i64(i, 0);
    o.to_address = r.text(i, 1);
    o.to_user_id = r.i64(i, 2);
    o.kind = r.text(i, 3);
    o.request_id = r.i64(i, 4);
    o.conversation_id = r.i64(i, 5);
    o.message_id = r.text(i, 6);
    o.subject = r.text(i, 7);
    o.text = r.text(i, 8);
    o.raw = r.text(i, 9);
    o.status = r.text(i, 10);
    o.attempts = static_cast<int>(r.i64(i, 11));
    o.next_attempt_at = r.i64(i, 12);
    o.last_error = r.text(i, 13);
    o.error_kind = r.text(i, 14);
    o.last_code = static_cast<int>(r.i64(i, 15));
    o.created = r.i64(i, 16);
    o.sent_at = r.i64(i, 17);
    o.message_ref = r.i64(i, 18);
    o.failure_event_id = r.i64(i, 19);
    return o;
}

// Delivery status: the recipient's name and the message's author from the same
// database; raw and text left out.
#define DELIVERY_SQL                                                                                   \
    "SELECT o.id, o.to_user_id, o.kind, o.request_id, o.conversation_id, o.status, o.attempts, "       \
    "o.next_attempt_at, o.error_kind, o.last_code, o.created, o.sent_at, o.message_ref, "              \
    "o.failure_event_id, COALESCE(u.name, ''), COALESCE(m.author_id, 0) "                              \
    "FROM outbox o LEFT JOIN users u ON u.id = o.to_user_id LEFT JOIN messages m ON m.id = o.message_ref "

DeliveryInfo read_delivery(const Result& r, int i) {
    DeliveryInfo d;
    OutboxRow& o = d.row;
    o.id = r.i64(i, 0);
    o.to_user_id = r.i64(i, 1);
    o.kind = r.text(i, 2);
    o.request_id = r.i64(i, 3);
    o.conversation_id = r.i64(i, 4);
    o.status = r.text(i, 5);
    o.attempts = static_cast<int>(r.i64(i, 6));
    o.next_attempt_at = r.i64(i, 7);
    o.error_kind = r.text(i, 8);
    o.last_code = static_cast<int>(r.i64(i, 9));
    o.created = r.i64(i, 10);
    o.sent_at = r.i64(i, 11);
    o.message_ref = r.i64(i, 12);
    o.failure_event_id = r.i64(i, 13);
    d.recipient_name = r.text(i, 14);
    d.author_id = r.i64(i, 15);
    return d;
}

std::vector<DeliveryInfo> read_deliveries(const Result& r) {
    std::vector<DeliveryInfo> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_delivery(r, i));
    return out;
}

class PgOutboxStore final : public OutboxStore {
public:
    PgOutboxStore(const std::string& url, int connections) : pool_(url, connections) {}

    int64_t add(const OutboxRow& r) override {
        auto c = pool_.lease();
        return insert(*c, r);
    }

    void add_all(std::vector<OutboxRow>& rows) override {
        auto c = pool_.lease();
        Tx tx(*c);
        for (auto& r : rows) r.id = insert(*c, r);
        tx.commit();
    }

    std::optional<OutboxRow> get(int64_t id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " OUTBOX_COLS " FROM outbox WHERE id = $1", id);
        if (r.rows() == 0) return std::nullopt;
        return read_row(r, 0);
    }

    // Claims the due rows: locked rows (another instance claiming them right now) are
    // skipped, and the claimed ones move to now + kOutboxClaimMs, so no other caller
    // sees them due until update_attempt records the attempt (or the claim runs out).
    // The rows come back with the time they were due.
    std::vector<OutboxRow> due(int64_t now, int limit) override {
        auto c = pool_.lease();
        auto r = c->run(
            "WITH claimed AS (SELECT id, next_attempt_at FROM outbox "
            "  WHERE status IN ('queued', 'failed_temporary') AND next_attempt_at <= $1 "
            "  ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
            "UPDATE outbox o SET next_attempt_at = $3 FROM claimed WHERE o.id = claimed.id "
            "RETURNING o.id, o.to_address, o.to_user_id, o.kind, o.request_id, o.conversation_id, o.message_id, "
            "o.subject, o.text, o.raw, o.status, o.attempts, claimed.next_attempt_at, o.last_error, o.error_kind, "
            "o.last_code, o.created, o.sent_at, o.message_ref, o.failure_event_id",
            now, limit, now + kOutboxClaimMs);
        std::vector<OutboxRow> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_row(r, i));
        std::sort(out.begin(), out.end(), [](const OutboxRow& a, const OutboxRow& b) {
            return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at : a.id < b.id;
        });
        return out;
    }

    std::optional<int64_t> next_due() override {
        auto c = pool_.lease();
        auto r = c->run("SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('queued', 'failed_temporary')");
        if (r.is_null(0, 0)) return std::nullopt;
        return r.i64(0, 0);
    }

    void update_attempt(const OutboxRow& o) override {
        auto c = pool_.lease();
        c->run("UPDATE outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = $5, "
               "error_kind = $6, last_code = $7, sent_at = $8 WHERE id = $1",
               o.id, o.status, o.attempts, o.next_attempt_at, o.last_error, o.error_kind, o.last_code, o.sent_at);
    }

    std::vector<OutboxRow> for_user(int64_t user_id, int limit) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " OUTBOX_COLS " FROM outbox WHERE to_user_id = $1 ORDER BY id DESC LIMIT $2",
                        user_id, limit);
        std::vector<OutboxRow> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_row(r, i));
        return out;
    }

    std::vector<std::string> thread(int64_t conversation_id, int64_t user_id, int limit) override {
        auto c = pool_.lease();
        auto r = c->run(
            "SELECT message_id FROM (SELECT id, message_id FROM outbox WHERE conversation_id = $1 "
            "AND to_user_id = $2 ORDER BY id DESC LIMIT $3) t ORDER BY id",
            conversation_id, user_id, limit);
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
        return out;
    }

    std::vector<DeliveryInfo> deliveries(int64_t request_id) override {
        auto c = pool_.lease();
        // Through the request's messages: the partial index on message_ref, not a scan.
        return read_deliveries(c->run(DELIVERY_SQL
                                      "WHERE o.message_ref IN (SELECT id FROM messages WHERE request_id = $1) "
                                      "AND o.message_ref > 0 ORDER BY o.id",
                                      request_id));
    }

    std::vector<DeliveryInfo> deliveries_of(const std::vector<int64_t>& message_ids) override {
        if (message_ids.empty()) return {};
        auto c = pool_.lease();
        return read_deliveries(c->run(DELIVERY_SQL
                                      "WHERE o.message_ref = ANY($1::bigint[]) AND o.message_ref > 0 ORDER BY o.id",
                                      array_param(message_ids)));
    }

    std::optional<DeliveryInfo> delivery(int64_t id) override {
        auto c = pool_.lease();
        auto r = c->run(DELIVERY_SQL "WHERE o.id = $1", id);
        if (r.rows() == 0) return std::nullopt;
        return read_delivery(r, 0);
    }

    bool requeue(int64_t id, int64_t now) override {
        auto c = pool_.lease();
        return c->run("UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = $2, "
                      "failure_event_id = 0 WHERE id = $1 AND status = 'failed_permanent'",
                      id, now)
                   .affected() > 0;
    }

    bool set_failure_event(int64_t id, int64_t event_id) override {
        auto c = pool_.lease();
        return c->run("UPDATE outbox SET failure_event_id = $2 WHERE id = $1 AND failure_event_id = 0", id,
                      event_id)
                   .affected() > 0;
    }

    Backlog backlog(int64_t cap) override {
        auto c = pool_.lease();
        // Both through outbox_due (partial: pending rows only), the count bounded by cap.
        auto r = c->run(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE status IN ('queued', 'failed_temporary') "
            "LIMIT $1) p), (SELECT MIN(next_attempt_at) FROM outbox WHERE status IN ('queued', 'failed_temporary'))",
            cap);
        Backlog b;
        b.pending = r.i64(0, 0);
        if (!r.is_null(0, 1)) b.earliest_due = r.i64(0, 1);
        return b;
    }

private:
    static int64_t insert(Conn& c, const OutboxRow& r) {
        auto res = c.run(
            "INSERT INTO outbox(to_address, to_user_id, kind, request_id, conversation_id, message_id, subject, "
            "text, raw, status, attempts, next_attempt_at, last_error, error_kind, last_code, created, sent_at, "
            "message_ref) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
            "ON CONFLICT (message_ref, to_user_id, kind) WHERE message_ref > 0 AND to_user_id > 0 DO NOTHING "
            "RETURNING id",
            r.to_address, r.to_user_id, r.kind, r.request_id, r.conversation_id, r.message_id, r.subject, r.text,
            r.raw, r.status, r.attempts, r.next_attempt_at, r.last_error, r.error_kind, r.last_code, r.created,
            r.sent_at, r.message_ref);
        return res.rows() ? res.i64(0, 0) : 0;  // 0: queued already (by another instance)
    }

    Pool pool_;
};

#undef OUTBOX_COLS
#undef DELIVERY_SQL

}  // namespace

std::unique_ptr<OutboxStore> open_pg_outbox_store(const std::string& url, int connections) {
    return std::make_unique<PgOutboxStore>(url, connections);
}

}  // namespace parley::server::pg
