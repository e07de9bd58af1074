// Table mail_in (schema: pg_migrations step 3) on its own pool. See
// server/store/mail_in_store.h.
#include "server/store/mail_in_store.h"

#include "server/store/pg/db.h"
#include "server/store/pg/open.h"

namespace parley::server::pg {

namespace {

#define ROW_COLUMNS \
    "id, key, conversation_id, user_id, status, message_id, event_id, subject, received, hold_reason, preview"

MailInStore::Row read_row(const Result& r, int i) {
    MailInStore::Row o;
    o.id = r.i64(i, 0);
    o.key = r.text(i, 1);
    o.conversation_id = r.i64(i, 2);
    o.user_id = r.i64(i, 3);
    o.status = r.text(i, 4);
    o.message_id = r.i64(i, 5);
    o.event_id = r.i64(i, 6);
    o.subject = r.text(i, 7);
    o.received = r.i64(i, 8);
    o.hold_reason = r.text(i, 9);
    o.preview = r.text(i, 10);
    return o;
}

class PgMailInStore final : public MailInStore {
public:
    PgMailInStore(const std::string& url, int connections) : pool_(url, connections) {}

    std::optional<Row> find(const std::string& key) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " ROW_COLUMNS " FROM mail_in WHERE key = $1", key);
        if (r.rows() == 0) return std::nullopt;
        return read_row(r, 0);
    }

    // The key's unique constraint decides: two instances receiving the same mail at
    // once store it once, and only one of them hears true.
    bool add(const Row& o) override {
        auto c = pool_.lease();
        return c->run("INSERT INTO mail_in(key, conversation_id, user_id, status, message_id, event_id, subject, "
                      "raw, received, hold_reason, preview) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                      "ON CONFLICT (key) DO NOTHING",
                      o.key, o.conversation_id, o.user_id, o.status, o.message_id, o.event_id, o.subject, o.raw,
                      o.received, o.hold_reason, o.preview)
                   .affected() > 0;
    }

    std::vector<Row> held(int64_t user_id, const std::vector<int64_t>& conversations, int limit) override {
        std::vector<Row> out;
        if (conversations.empty() || limit <= 0) return out;
        auto c = pool_.lease();
        auto r = c->run("SELECT " ROW_COLUMNS " FROM mail_in WHERE user_id = $1 AND conversation_id = ANY($2::bigint[]) "
                        "AND status = 'held' ORDER BY id LIMIT $3",
                        user_id, array_param(conversations), limit);
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_row(r, i));
        return out;
    }

    std::optional<Row> by_id(int64_t id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT " ROW_COLUMNS ", raw FROM mail_in WHERE id = $1", id);
        if (r.rows() == 0) return std::nullopt;
        Row o = read_row(r, 0);
        o.raw = r.text(0, 11);
        return o;
    }

    // One statement: of two instances settling the same row, one wins.
    bool settle_held(int64_t id, const std::string& status, int64_t message_id) override {
        auto c = pool_.lease();
        return c->run("UPDATE mail_in SET status = $2, message_id = $3 WHERE id = $1 AND status = 'held'", id, status,
                      message_id)
                   .affected() > 0;
    }

    std::optional<Original> original(int64_t message_id) override {
        auto c = pool_.lease();
        auto r = c->run(
            "SELECT m.request_id, m.conversation_id, m.author_id, i.raw FROM mail_in i "
            "JOIN messages m ON m.id = i.message_id WHERE i.message_id = $1 AND i.message_id > 0 "
            "ORDER BY i.id LIMIT 1",
            message_id);
        if (r.rows() == 0) return std::nullopt;
        return Original{r.i64(0, 0), r.i64(0, 1), r.i64(0, 2), r.text(0, 3)};
    }

    std::optional<Thread> thread_of(const std::string& message_id) override {
        auto c = pool_.lease();
        // outbox.message_id is stored with its angle brackets (unique index).
        auto r = c->run("SELECT conversation_id, to_user_id FROM outbox WHERE message_id = $1",
                        "<" + message_id + ">");
        if (r.rows() == 0 || r.i64(0, 0) <= 0 || r.i64(0, 1) <= 0) return std::nullopt;
        return Thread{r.i64(0, 0), r.i64(0, 1)};
    }

    int64_t request_of(int64_t conversation_id) override {
        auto c = pool_.lease();
        auto r = c->run("SELECT request_id FROM conversations WHERE id = $1", conversation_id);
        return r.rows() ? r.i64(0, 0) : 0;
    }

private:
    Pool pool_;
};

#undef ROW_COLUMNS

}  // namespace

std::unique_ptr<MailInStore> open_pg_mail_in_store(const std::string& url, int connections) {
    return std::make_unique<PgMailInStore>(url, connections);
}

}  // namespace parley::server::pg
