// SqliteStore: chunked uploads in progress. Every change is one conditional UPDATE, so
// that two writers of one upload (two requests, or two processes on the file) cannot
// both win: the chunk at an offset is written by one, the upload completed by one.
#include "server/store/sqlite/store.h"

namespace parley::server {

#define UPLOAD_COLS \
    "id, user_id, request_id, conversation_id, kind, name, size, \"offset\", status, done_json, writing_until, " \
    "created, touched"

void SqliteStore::add_upload(const UploadRecord& u) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO uploads(" UPLOAD_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
        .bind(1, u.id).bind(2, u.user_id).bind(3, u.request_id).bind(4, u.conversation_id).bind(5, u.kind)
        .bind(6, u.name).bind(7, u.size).bind(8, u.offset).bind(9, u.status).bind(10, u.done_json)
        .bind(11, u.writing_until).bind(12, u.created).bind(13, u.touched).run();
}

std::optional<UploadRecord> SqliteStore::upload(const std::string& id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT " UPLOAD_COLS " FROM uploads WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    UploadRecord u;
    u.id = s.text(0); u.user_id = s.i64(1); u.request_id = s.i64(2); u.conversation_id = s.i64(3);
    u.kind = s.text(4); u.name = s.text(5); u.size = s.i64(6); u.offset = s.i64(7); u.status = s.text(8);
    u.done_json = s.text(9); u.writing_until = s.i64(10); u.created = s.i64(11); u.touched = s.i64(12);
    return u;
}

int64_t SqliteStore::open_uploads(int64_t user_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT count(*) FROM uploads WHERE user_id = ?1 AND status <> 'done'");
    s.bind(1, user_id);
    return s.step() ? s.i64(0) : 0;
}

bool SqliteStore::begin_chunk(const std::string& id, int64_t offset, Millis now, Millis until) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE uploads SET writing_until = ?4, touched = ?3 "
             "WHERE id = ?1 AND status = 'open' AND \"offset\" = ?2 AND writing_until < ?3")
        .bind(1, id).bind(2, offset).bind(3, now).bind(4, until).run();
    return db_.changes() > 0;
}

bool SqliteStore::advance_upload(const std::string& id, int64_t expected, int64_t new_offset, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE uploads SET \"offset\" = ?3, writing_until = 0, touched = ?4 "
             "WHERE id = ?1 AND status = 'open' AND \"offset\" = ?2")
        .bind(1, id).bind(2, expected).bind(3, new_offset).bind(4, now).run();
    return db_.changes() > 0;
}

bool SqliteStore::claim_upload(const std::string& id, Millis now, Millis stale_before) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE uploads SET status = 'completing', touched = ?2 WHERE id = ?1 AND "
             "((status = 'open' AND \"offset\" = size) OR (status = 'completing' AND touched < ?3))")
        .bind(1, id).bind(2, now).bind(3, stale_before).run();
    return db_.changes() > 0;
}

void SqliteStore::finish_upload(const std::string& id, const std::string& done_json, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("UPDATE uploads SET status = 'done', done_json = ?2, touched = ?3 WHERE id = ?1 AND status = 'completing'")
        .bind(1, id).bind(2, done_json).bind(3, now).run();
}

bool SqliteStore::drop_upload(const std::string& id, Millis idle_before) {
    std::lock_guard lk(db_.mu);
    db_.stmt("DELETE FROM uploads WHERE id = ?1 AND touched < ?2").bind(1, id).bind(2, idle_before).run();
    return db_.changes() > 0;
}

std::vector<std::string> SqliteStore::stale_uploads(Millis before, int limit) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT id FROM uploads WHERE touched < ?1 ORDER BY touched LIMIT ?2");
    s.bind(1, before).bind(2, static_cast<int64_t>(limit));
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

}  // namespace parley::server
