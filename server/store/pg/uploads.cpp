// PgStore: chunked uploads in progress, shared by every instance on the database. Every
// change is one conditional UPDATE (the row lock decides between instances): the chunk
// at an offset is written by one writer, the upload completed by one instance.
#include "server/store/pg/store.h"

namespace parley::server::pg {

#define UPLOAD_COLS \
    "id, user_id, request_id, conversation_id, kind, name, size, \"offset\", status, done_json, writing_until, " \
    "created, touched"

void PgStore::add_upload(const UploadRecord& u) {
    Use c(*this);
    c->run("INSERT INTO uploads(" UPLOAD_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
           u.id, u.user_id, u.request_id, u.conversation_id, u.kind, u.name, u.size, u.offset, u.status,
           u.done_json, u.writing_until, u.created, u.touched);
}

std::optional<UploadRecord> PgStore::upload(const std::string& id) {
    Use c(*this);
    auto r = c->run("SELECT " UPLOAD_COLS " FROM uploads WHERE id = $1", id);
    if (r.rows() == 0) return std::nullopt;
    UploadRecord u;
    u.id = r.text(0, 0); u.user_id = r.i64(0, 1); u.request_id = r.i64(0, 2); u.conversation_id = r.i64(0, 3);
    u.kind = r.text(0, 4); u.name = r.text(0, 5); u.size = r.i64(0, 6); u.offset = r.i64(0, 7);
    u.status = r.text(0, 8); u.done_json = r.text(0, 9); u.writing_until = r.i64(0, 10); u.created = r.i64(0, 11);
    u.touched = r.i64(0, 12);
    return u;
}

int64_t PgStore::open_uploads(int64_t user_id) {
    Use c(*this);
    return c->run("SELECT count(*) FROM uploads WHERE user_id = $1 AND status <> 'done'", user_id).i64(0, 0);
}

bool PgStore::begin_chunk(const std::string& id, int64_t offset, Millis now, Millis until) {
    Use c(*this);
    return c->run("UPDATE uploads SET writing_until = $4, touched = $3 "
                  "WHERE id = $1 AND status = 'open' AND \"offset\" = $2 AND writing_until < $3",
                  id, offset, now, until)
               .affected() > 0;
}

bool PgStore::advance_upload(const std::string& id, int64_t expected, int64_t new_offset, Millis now) {
    Use c(*this);
    return c->run("UPDATE uploads SET \"offset\" = $3, writing_until = 0, touched = $4 "
                  "WHERE id = $1 AND status = 'open' AND \"offset\" = $2",
                  id, expected, new_offset, now)
               .affected() > 0;
}

bool PgStore::claim_upload(const std::string& id, Millis now, Millis stale_before) {
    Use c(*this);
    return c->run("UPDATE uploads SET status = 'completing', touched = $2 WHERE id = $1 AND "
                  "((status = 'open' AND \"offset\" = size) OR (status = 'completing' AND touched < $3))",
                  id, now, stale_before)
               .affected() > 0;
}

void PgStore::finish_upload(const std::string& id, const std::string& done_json, Millis now) {
    Use c(*this);
    c->run("UPDATE uploads SET status = 'done', done_json = $2, touched = $3 WHERE id = $1 AND status = 'completing'",
           id, done_json, now);
}

bool PgStore::drop_upload(const std::string& id, Millis idle_before) {
    Use c(*this);
    return c->run("DELETE FROM uploads WHERE id = $1 AND touched < $2", id, idle_before).affected() > 0;
}

std::vector<std::string> PgStore::stale_uploads(Millis before, int limit) {
    Use c(*this);
    auto r = c->run("SELECT id FROM uploads WHERE touched < $1 ORDER BY touched LIMIT $2", before,
                    static_cast<int64_t>(limit));
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    return out;
}

}  // namespace parley::server::pg
