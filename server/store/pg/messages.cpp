// PgStore: messages (idempotent posts), attachments and read marks.
//
// A post's idempotency key is claimed in the database before anything else is written:
// `INSERT … ON CONFLICT DO NOTHING` on UNIQUE (user_id, key) waits for a concurrent post
// with the same key to commit, then finds its row — one message per key whatever the
// number of instances.
#include "server/store/pg/store.h"

namespace parley::server::pg {

namespace {

// A message just inserted, as the post answers it (no second read).
Message new_message(int64_t id, int64_t rid, int64_t cid, int64_t author_id, std::string name, std::string role,
                    const std::string& body, Millis now) {
    Message m;
    m.id = id;
    m.request_id = rid;
    m.conversation_id = cid;
    m.author_id = author_id;
    m.author_name = std::move(name);
    m.author_role = std::move(role);
    m.body = body;
    m.created = now;
    return m;
}

// Its "message" event (id 0 until stored).
EventRecord message_event(const Message& m) {
    EventRecord e;
    e.event.request_id = m.request_id;
    e.event.conversation_id = m.conversation_id;
    e.event.kind = "message";
    e.event.message_id = m.id;
    e.event.actor_id = m.author_id;
    e.event.created = m.created;
    return e;
}

}  // namespace

Message PgStore::read_message(const Result& r, int i) {
    Message m;
    m.id = r.i64(i, 0); m.request_id = r.i64(i, 1); m.conversation_id = r.i64(i, 2); m.author_id = r.i64(i, 3);
    m.author_name = r.text(i, 4); m.author_role = r.text(i, 5); m.body = r.text(i, 6); m.created = r.i64(i, 7);
    // Column 8: posted from a reply e-mail (a mail_in row names it).
    m.via_email = flag(r, i, 8);
    return m;
}

Message PgStore::message_by_id(Conn& c, int64_t id) {
    auto r = c.run("SELECT " MESSAGE_COLS_M " FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = $1", id);
    if (r.rows() == 0) throw StoreError("message " + std::to_string(id) + " vanished");
    Message m = read_message(r, 0);
    m.attachments = attachments_of_message(c, id);
    return m;
}

// ---------------------------------------------------------------- attachments

Attachment PgStore::read_attachment(const Result& r, int i, int c) {
    Attachment a;
    a.id = r.i64(i, c); a.conversation_id = r.i64(i, c + 1); a.message_id = r.i64(i, c + 2);
    a.uploader_id = r.i64(i, c + 3); a.name = r.text(i, c + 4); a.type = r.text(i, c + 5);
    a.kind = r.text(i, c + 6); a.size = r.i64(i, c + 7); a.sha256 = r.text(i, c + 8); a.created = r.i64(i, c + 9);
    return a;
}

std::vector<Attachment> PgStore::attachments_of_message(Conn& c, int64_t message_id) {
    auto r = c.run("SELECT " ATTACHMENT_COLS_A " FROM attachments a WHERE a.message_id = $1 AND a.message_id <> 0 "
                   "ORDER BY a.id",
                   message_id);
    std::vector<Attachment> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_attachment(r, i));
    return out;
}

Attachment PgStore::add_attachment(const Attachment& in) {
    Use c(*this);
    Attachment a = in;
    a.id = c->run("INSERT INTO attachments(conversation_id, message_id, uploader_id, name, type, kind, size, sha256, "
                  "created) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                  in.conversation_id, in.message_id, in.uploader_id, in.name, in.type, in.kind, in.size, in.sha256,
                  in.created)
               .i64(0, 0);
    return a;
}

std::optional<AttachmentRecord> PgStore::attachment(int64_t id) {
    Use c(*this);
    auto r = c->run("SELECT " ATTACHMENT_COLS_A ", c.request_id FROM attachments a "
                    "JOIN conversations c ON c.id = a.conversation_id WHERE a.id = $1",
                    id);
    if (r.rows() == 0) return std::nullopt;
    return AttachmentRecord{read_attachment(r, 0), r.i64(0, 10)};
}

int64_t PgStore::pending_bytes(int64_t uploader_id) {
    Use c(*this);
    return c->run("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE uploader_id = $1 AND message_id = 0",
                  uploader_id)
        .i64(0, 0);
}

int PgStore::delete_pending_before(Millis before, std::vector<std::string>& orphans) {
    Work w(*this);
    auto del = w->run("DELETE FROM attachments WHERE message_id = 0 AND created < $1 RETURNING sha256", before);
    const int deleted = del.rows();
    std::vector<std::string> hashes;
    for (int i = 0; i < del.rows(); ++i) {
        std::string h = del.text(i, 0);
        bool seen = false;
        for (const auto& k : hashes) seen = seen || k == h;
        if (!seen) hashes.push_back(std::move(h));
    }
    for (const auto& h : hashes)
        if (w->run("SELECT 1 FROM attachments WHERE sha256 = $1 LIMIT 1", h).rows() == 0) orphans.push_back(h);
    w.commit();
    return deleted;
}

// ---------------------------------------------------------------- messages

int64_t PgStore::request_of(Conn& c, int64_t conversation_id) {
    auto r = c.run("SELECT request_id FROM conversations WHERE id = $1", conversation_id);
    if (r.rows() == 0) throw StoreError("conversation " + std::to_string(conversation_id) + " does not exist");
    return r.i64(0, 0);
}

int64_t PgStore::lock_request_of(Conn& c, int64_t conversation_id) {
    auto r = c.run("SELECT r.id FROM conversations c JOIN requests r ON r.id = c.request_id WHERE c.id = $1 "
                   "FOR NO KEY UPDATE OF r",
                   conversation_id);
    if (r.rows() == 0) throw StoreError("conversation " + std::to_string(conversation_id) + " does not exist");
    return r.i64(0, 0);
}

void PgStore::lock_request(Conn& c, int64_t request_id) {
    c.run("SELECT 1 FROM requests WHERE id = $1 FOR NO KEY UPDATE", request_id);
}

Message PgStore::insert_message(Conn& c, int64_t rid, int64_t cid, int64_t author_id, const std::string& body,
                                Millis now, std::vector<EventRecord>* events, const std::string* key) {
    // The first seller-side message of a conversation is the "answered" milestone.
    auto f = c.run("SELECT r.buyer_id <> $2 AND NOT EXISTS(SELECT 1 FROM messages m WHERE "
                   "m.conversation_id = $1 AND m.author_id <> r.buyer_id) "
                   "FROM conversations c JOIN requests r ON r.id = c.request_id WHERE c.id = $1",
                   cid, author_id);
    const bool first_seller_reply = f.rows() > 0 && flag(f, 0, 0);
    // One round trip: the message, its place in the search queue (indexed later, many
    // per transaction: index_for_search), the post's key naming it, the author's name.
    auto r = c.run("WITH m AS (INSERT INTO messages(request_id, conversation_id, author_id, body, created) "
                   "VALUES($1, $2, $3, $4, $5) RETURNING id), "
                   "q AS (INSERT INTO search_queue(message_id) SELECT id FROM m), "
                   "k AS (UPDATE idempotency SET message_id = (SELECT id FROM m) "
                   "WHERE $7::boolean AND user_id = $3 AND key = $6) "
                   "SELECT m.id, u.name, u.role FROM m JOIN users u ON u.id = $3",
                   rid, cid, author_id, body, now, key ? *key : std::string(), key != nullptr);
    if (r.rows() == 0) throw StoreError("author " + std::to_string(author_id) + " does not exist");
    Message msg = new_message(r.i64(0, 0), rid, cid, author_id, r.text(0, 1), r.text(0, 2), body, now);
    const int64_t mid = msg.id;
    EventRecord e = message_event(msg);
    EventRecord stored = insert_event(c, e);
    if (events) events->push_back(stored);
    if (first_seller_reply) {
        e.event.kind = "answered";
        e.audience = Audience::sellers;
        EventRecord a = insert_event(c, e);
        if (events) events->push_back(a);
    }
    c.run("INSERT INTO conv_reads(user_id, conversation_id, last_read_message_id, read_at) VALUES($1, $2, $3, $4) "
          "ON CONFLICT (user_id, conversation_id) DO UPDATE SET "
          "last_read_message_id = GREATEST(conv_reads.last_read_message_id, excluded.last_read_message_id), "
          "read_at = excluded.read_at",
          author_id, cid, mid, now);
    inbox_after_message(c, rid, cid, author_id, mid, now, first_seller_reply);
    return msg;
}

// The first post with this key (committed, or committed while we waited for it): fills
// `out` with its message, or key_conflict when the key named a post elsewhere.
bool PgStore::earlier_post(Conn& c, int64_t rid, int64_t cid, int64_t author_id, const std::string& key,
                           PostOutcome& out) {
    auto r = c.run("SELECT i.request_id, i.message_id, m.conversation_id FROM idempotency i "
                   "JOIN messages m ON m.id = i.message_id WHERE i.user_id = $1 AND i.key = $2",
                   author_id, key);
    if (r.rows() == 0) return false;
    if (r.i64(0, 0) != rid || r.i64(0, 2) != cid) out.key_conflict = true;
    else out.message = message_by_id(c, r.i64(0, 1));
    return true;
}

// A post without attachments: parley_post_v1 runs insert_message's statements in the
// database; the message and its events are built from what it answers. False when
// nothing was written (a replay: `out` holds the first post's message or the conflict).
bool PgStore::post_in_one_trip(Conn& c, int64_t cid, int64_t author_id, const std::string& body,
                               const std::string& key, Millis now, PostOutcome& out) {
    auto r = c.run("SELECT o_status, o_request, o_message, o_author_name, o_author_role, o_message_event, "
                   "o_answered_event, o_first_reply FROM parley_post_v1($1, $2, $3, $4, $5, $6)",
                   cid, author_id, body, key, now, kEventsLock);
    const std::string status = r.text(0, 0);
    const int64_t rid = r.i64(0, 1);
    if (status == "no_conversation") throw StoreError("conversation " + std::to_string(cid) + " does not exist");
    if (status == "no_author") throw StoreError("author " + std::to_string(author_id) + " does not exist");
    if (status == "replay") {
        if (earlier_post(c, rid, cid, author_id, key, out)) return false;
        throw StoreError("idempotency key of user " + std::to_string(author_id) + " vanished");
    }
    if (status != "ok") throw StoreError("parley_post_v1 answered " + status);
    const Message& m = out.message =
        new_message(r.i64(0, 2), rid, cid, author_id, r.text(0, 3), r.text(0, 4), body, now);
    EventRecord e = message_event(m);
    e.event.actor_name = m.author_name;  // as insert_event fills them in
    e.event.actor_role = m.author_role;
    e.event.id = r.i64(0, 5);
    out.events.push_back(e);
    const bool first_seller_reply = flag(r, 0, 7);
    if (first_seller_reply) {
        e.event.kind = "answered";
        e.event.id = r.i64(0, 6);
        e.audience = Audience::sellers;
        out.events.push_back(e);
        refresh_inbox(c, rid);  // statuses change ("answered"), once per conversation
    }
    out.created = true;
    return true;
}

PostOutcome PgStore::post_message(int64_t cid, int64_t author_id, const std::string& body, const std::string& key,
                                  Millis now, const std::vector<int64_t>& attachments) {
    Work w(*this);
    PostOutcome out;
    if (attachments.empty()) {
        // The common post, in one round trip (parley_post_v1, schema step 10: the same
        // statements as below, run by the database).
        if (post_in_one_trip(*w, cid, author_id, body, key, now, out)) w.commit();
        return out;
    }
    // First the request's turn: a concurrent post with the same key then finds it committed.
    const int64_t rid = lock_request_of(*w, cid);
    auto earlier = [&] { return earlier_post(*w, rid, cid, author_id, key, out); };
    // With attachments, a replay must find its message before they are checked (they are
    // that message's now); without, the claim below finds it.
    if (!attachments.empty() && earlier()) return out;  // read-only: rolls back harmlessly
    // Only the author's own pending uploads of this conversation, each once.
    for (size_t i = 0; i < attachments.size(); ++i) {
        for (size_t k = 0; k < i; ++k)
            if (attachments[k] == attachments[i]) {
                out.invalid_attachment = true;
                return out;
            }
        auto r = w->run("SELECT conversation_id = $2 AND uploader_id = $3 AND message_id = 0 "
                        "FROM attachments WHERE id = $1 FOR UPDATE",
                        attachments[i], cid, author_id);
        if (r.rows() == 0 || !flag(r, 0, 0)) {
            out.invalid_attachment = true;
            return out;
        }
    }
    // Claim the key: a concurrent post with it makes this wait, then find nothing to insert.
    if (w->run("INSERT INTO idempotency(user_id, key, request_id) VALUES($1, $2, $3) "
               "ON CONFLICT (user_id, key) DO NOTHING",
               author_id, key, rid)
            .affected() == 0) {
        if (earlier()) return out;
        throw StoreError("idempotency key of user " + std::to_string(author_id) + " vanished");
    }
    out.message = insert_message(*w, rid, cid, author_id, body, now, &out.events, &key);
    for (int64_t aid : attachments)
        w->run("UPDATE attachments SET message_id = $2 WHERE id = $1", aid, out.message.id);
    if (!attachments.empty()) out.message.attachments = attachments_of_message(*w, out.message.id);
    out.created = true;
    w.commit();
    return out;
}

Message PgStore::add_message(int64_t cid, int64_t author_id, const std::string& body, Millis created) {
    Work w(*this);
    Message m = insert_message(*w, lock_request_of(*w, cid), cid, author_id, body, created, nullptr);
    w.commit();
    return m;
}

// ---------------------------------------------------------------- read marks

ReadOutcome PgStore::mark_read(int64_t user_id, int64_t cid, int64_t up_to, Millis now) {
    Work w(*this);
    ReadOutcome out;
    const int64_t rid = lock_request_of(*w, cid);
    // The newest message of the conversation at or below up_to (0 = newest).
    const int64_t target = w->run("SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = $1 "
                                  "AND ($2 = 0 OR id <= $2)",
                                  cid, up_to)
                               .i64(0, 0);
    // Only forward, decided by the row itself: of two marks at once, the lower one that
    // arrives second changes nothing.
    auto moved = w->run("INSERT INTO conv_reads(user_id, conversation_id, last_read_message_id, read_at) "
                        "VALUES($1, $2, $3, $4) ON CONFLICT (user_id, conversation_id) DO UPDATE SET "
                        "last_read_message_id = excluded.last_read_message_id, read_at = excluded.read_at "
                        "WHERE conv_reads.last_read_message_id < excluded.last_read_message_id RETURNING 1",
                        user_id, cid, target, now);
    if (moved.rows() == 0) return out;
    update_unread(*w, user_id, rid);
    EventRecord e;
    e.event.request_id = rid;
    e.event.conversation_id = cid;
    e.event.kind = "read";
    e.event.message_id = target;
    e.event.actor_id = user_id;
    e.event.created = now;
    out.event = insert_event(*w, e);
    out.moved = true;
    w.commit();
    return out;
}

std::optional<int64_t> PgStore::read_mark(int64_t user_id, int64_t cid) {
    Use c(*this);
    auto r = c->run("SELECT last_read_message_id FROM conv_reads WHERE user_id = $1 AND conversation_id = $2",
                    user_id, cid);
    if (r.rows() == 0) return std::nullopt;
    return r.i64(0, 0);
}

}  // namespace parley::server::pg
