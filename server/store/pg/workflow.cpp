// PgStore: the workflow — sales network, request data for the policy, conversations and
// participants, events and the seller score. The same queries as the SQLite store's
// (../sqlite/workflow.cpp), written for PostgreSQL.
//
// Index: sales network · request data · conversations · events · seller score
#include <algorithm>
#include <climits>
#include <cstdint>
#include <sstream>
#include <unordered_map>

#include "server/store/rules.h"
#include "server/store/pg/store.h"

namespace parley::server::pg {
namespace {

using namespace store_rules;  // score windows, zones

#define MEMBER_COLS                                                                                     \
    "u.id, u.name, u.company, u.country, u.language, u.role, u.email, u.phone, u.org_id, "               \
    "n.manufacturer_id, n.zones, n.auto_cc"

}  // namespace

// ---------------------------------------------------------------- sales network

std::vector<NetworkRecord> PgStore::network(int64_t manufacturer_id) {
    Use c(*this);
    auto r = c->run("SELECT " MEMBER_COLS " FROM network n JOIN users u ON u.id = n.member_id "
                    "WHERE n.manufacturer_id = $1 ORDER BY u.role, u.name, u.id",
                    manufacturer_id);
    std::vector<NetworkRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(NetworkRecord{read_user(r, i), r.i64(i, 9), split_zones(r.text(i, 10)), flag(r, i, 11)});
    return out;
}

std::optional<NetworkRecord> PgStore::network_member(int64_t member_id) {
    Use c(*this);
    auto r = c->run("SELECT " MEMBER_COLS " FROM network n JOIN users u ON u.id = n.member_id WHERE n.member_id = $1",
                    member_id);
    if (r.rows() == 0) return std::nullopt;
    return NetworkRecord{read_user(r, 0), r.i64(0, 9), split_zones(r.text(0, 10)), flag(r, 0, 11)};
}

void PgStore::set_network_member(int64_t member_id, int64_t manufacturer_id, const std::vector<std::string>& zones,
                                 bool auto_cc) {
    Use c(*this);
    c->run("INSERT INTO network(member_id, manufacturer_id, zones, auto_cc) VALUES($1, $2, $3, $4) "
           "ON CONFLICT (member_id) DO UPDATE SET manufacturer_id = excluded.manufacturer_id, "
           "zones = excluded.zones, auto_cc = excluded.auto_cc",
           member_id, manufacturer_id, join_zones(zones), auto_cc);
}

bool PgStore::remove_network_member(int64_t manufacturer_id, int64_t member_id) {
    Use c(*this);
    return c->run("DELETE FROM network WHERE member_id = $1 AND manufacturer_id = $2", member_id, manufacturer_id)
               .affected() > 0;
}

// ---------------------------------------------------------------- request data

std::optional<RequestData> PgStore::request_data(int64_t request_id, const ThreadWindow& window) {
    Use c(*this);
    auto r = request(request_id);
    if (!r) return std::nullopt;
    RequestData d;
    d.request = *r;
    {
        auto s = c->run("SELECT " USER_COLS_U " FROM users u WHERE u.id IN ($1, $2)", r->buyer_id, r->manufacturer_id);
        for (int i = 0; i < s.rows(); ++i) {
            UserRecord u = read_user(s, i);
            if (u.id == r->buyer_id) d.buyer = u;
            if (u.id == r->manufacturer_id) d.manufacturer = u;
        }
    }
    {
        auto s = c->run("SELECT id, request_id, seller_id, parent_id, origin, status, decline_reason, decline_text, "
                        "created FROM conversations WHERE request_id = $1 ORDER BY (origin = 'received') DESC, id",
                        request_id);
        for (int i = 0; i < s.rows(); ++i) {
            ConversationRecord k;
            k.id = s.i64(i, 0); k.request_id = s.i64(i, 1); k.seller_id = s.i64(i, 2); k.parent_id = s.i64(i, 3);
            k.origin = s.text(i, 4); k.status = s.text(i, 5); k.decline_reason = s.text(i, 6);
            k.decline_text = s.text(i, 7); k.created = s.i64(i, 8);
            d.conversations.push_back(std::move(k));
        }
    }
    {
        auto s = c->run("SELECT p.conversation_id, p.via, p.added_by, " USER_COLS_U " FROM participants p "
                        "JOIN conversations c ON c.id = p.conversation_id JOIN users u ON u.id = p.user_id "
                        "WHERE c.request_id = $1 ORDER BY p.conversation_id, (p.via = 'owner') DESC, p.created",
                        request_id);
        for (int i = 0; i < s.rows(); ++i) {
            ParticipantRecord p;
            p.conversation_id = s.i64(i, 0);
            p.via = s.text(i, 1);
            p.added_by = s.i64(i, 2);
            p.user = read_user(s, i, 3);
            d.participants.push_back(std::move(p));
        }
    }
    // The window's messages, newest first, read in pages from the request's index so that
    // the first page of a 10,000-message thread reads ~50 rows.
    // The window's conversations as one bigint[] parameter ('{}': all of them).
    const std::string convs = array_param(window.conversations);
    size_t limit = window.limit > 0 ? static_cast<size_t>(window.limit) : SIZE_MAX;
    // An `after` or `around` window becomes a `before` one: the ids just above its start,
    // oldest first, tell where its top is and whether newer messages exist beyond it.
    int64_t before = window.before, down_to = window.down_to;
    bool empty_page = false;
    if (window.after > 0 || window.around > 0) {
        const int64_t from = window.after > 0 ? window.after : window.around;
        const size_t above = window.after > 0 ? limit : std::max<size_t>(limit / 2, 1);
        std::vector<int64_t> ids;
        auto s = c->run("SELECT m.id FROM messages m WHERE m.request_id = $1 AND m.id > $2 "
                        "AND (cardinality($3::bigint[]) = 0 OR m.conversation_id = ANY($3::bigint[])) ORDER BY m.id LIMIT $4",
                        request_id, from, convs, static_cast<int64_t>(std::min<size_t>(above, 100000) + 1));
        for (int i = 0; i < s.rows(); ++i) ids.push_back(s.i64(i, 0));
        before = ids.size() > above ? ids[above] : 0;
        d.newer = ids.size() > above ? ids[above - 1] : 0;
        if (window.after > 0) {
            // From the first message above `after` up to the top: `limit` 1 stops below it.
            if (ids.empty()) empty_page = true, d.older = window.after;
            else down_to = ids.front(), limit = 1;
        } else {
            down_to = window.around;
        }
    }
    if (!empty_page) {
        // Rows in batches: at most `limit` (+1 to know whether older ones exist), or down
        // to `down_to` when the window must reach it.
        // Below `before` (none: below every id), as an index range on (request_id, id).
        int64_t upper = before != 0 ? before : INT64_MAX;
        constexpr int64_t kBatch = 200;
        bool done = false;
        while (!done) {
            const int64_t want = limit == SIZE_MAX ? int64_t{1} << 40
                                 : down_to > 0    ? kBatch
                                                  : std::min<int64_t>(static_cast<int64_t>(limit - d.messages.size()) + 1, int64_t{1} << 40);
            auto s = c->run("SELECT " MESSAGE_COLS_M " FROM messages m JOIN users u ON u.id = m.author_id "
                            "WHERE m.request_id = $1 AND m.id < $2 "
                            "AND (cardinality($3::bigint[]) = 0 OR m.conversation_id = ANY($3::bigint[])) "
                            "ORDER BY m.id DESC LIMIT $4",
                            request_id, upper, convs, want);
            for (int i = 0; i < s.rows(); ++i) {
                const int64_t id = s.i64(i, 0);
                if (d.messages.size() >= limit && !(down_to > 0 && id >= down_to)) {
                    d.older = d.messages.back().id;
                    done = true;
                    break;
                }
                d.messages.push_back(read_message(s, i));
            }
            if (done || s.rows() < want) break;
            upper = d.messages.back().id;
        }
    }
    d.message_total = static_cast<int>(
        c->run("SELECT COUNT(*) FROM messages m WHERE m.request_id = $1 "
               "AND (cardinality($2::bigint[]) = 0 OR m.conversation_id = ANY($2::bigint[]))",
               request_id, convs)
            .i64(0, 0));
    if (!d.messages.empty()) {
        // Attachments of the page's messages (pending uploads belong to no message yet).
        std::vector<int64_t> page;
        std::unordered_map<int64_t, size_t> index;
        for (size_t i = 0; i < d.messages.size(); ++i) {
            index[d.messages[i].id] = i;
            page.push_back(d.messages[i].id);
        }
        auto s = c->run("SELECT " ATTACHMENT_COLS_A " FROM attachments a WHERE a.message_id = ANY($1::bigint[]) "
                        "AND a.message_id <> 0 ORDER BY a.id",
                        array_param(page));
        for (int i = 0; i < s.rows(); ++i) {
            Attachment a = read_attachment(s, i);
            auto it = index.find(a.message_id);
            if (it != index.end()) d.messages[it->second].attachments.push_back(std::move(a));
        }
    }
    {
        // The other events between the page's bounds, in event order: those after the
        // message event of the page's oldest message (all of them on the last page), and
        // before the message event of `before` (all newer ones on the first page).
        auto event_of = [&](int64_t message_id) -> int64_t {
            auto s = c->run("SELECT id FROM events WHERE message_id = $1 AND kind = 'message'", message_id);
            return s.rows() > 0 ? s.i64(0, 0) : 0;
        };
        const int64_t low = empty_page ? event_of(window.after)
                            : d.older != 0 && !d.messages.empty() ? event_of(d.messages.back().id) : 0;
        int64_t high = before != 0 ? event_of(before) : 0;
        if (high == 0) high = INT64_MAX;  // no upper bound
        auto s = c->run("SELECT " PARLEY_PG_EVENT_COLS " FROM events e JOIN users a ON a.id = e.actor_id "
                        "LEFT JOIN users t ON t.id = e.target_id "
                        "WHERE e.request_id = $1 AND e.kind <> 'message' AND e.id > $2 AND e.id < $3 "
                        "ORDER BY e.id",
                        request_id, low, high);
        for (int i = 0; i < s.rows(); ++i) d.events.push_back(read_event(s, i));
    }
    {
        auto s = c->run("SELECT cr.user_id, cr.conversation_id, cr.last_read_message_id, cr.read_at "
                        "FROM conv_reads cr JOIN conversations c ON c.id = cr.conversation_id WHERE c.request_id = $1",
                        request_id);
        for (int i = 0; i < s.rows(); ++i)
            d.reads.push_back(ReadRecord{s.i64(i, 0), s.i64(i, 1), s.i64(i, 2), s.i64(i, 3)});
    }
    {
        auto s = c->run("SELECT g.conversation_id, g.stars, g.comment, g.created FROM ratings g "
                        "JOIN conversations c ON c.id = g.conversation_id WHERE c.request_id = $1",
                        request_id);
        for (int i = 0; i < s.rows(); ++i)
            d.ratings.push_back(
                RatingRecord{s.i64(i, 0), Rating{static_cast<int>(s.i64(i, 1)), s.text(i, 2), s.i64(i, 3)}});
    }
    d.quotes = quotes_of(*c, request_id);
    return d;
}

std::optional<RequestFacts> PgStore::facts(int64_t request_id) {
    Use c(*this);
    RequestFacts f;
    {
        auto s = c->run("SELECT id, buyer_id, manufacturer_id FROM requests WHERE id = $1", request_id);
        if (s.rows() == 0) return std::nullopt;
        f.id = s.i64(0, 0); f.buyer_id = s.i64(0, 1); f.manufacturer_id = s.i64(0, 2);
    }
    {
        auto s = c->run("SELECT c.id, c.seller_id, c.status, EXISTS(SELECT 1 FROM messages m WHERE "
                        "m.conversation_id = c.id AND m.author_id <> $2), c.parent_id FROM conversations c "
                        "WHERE c.request_id = $1 ORDER BY (c.origin = 'received') DESC, c.id",
                        request_id, f.buyer_id);
        for (int i = 0; i < s.rows(); ++i) {
            ConversationFacts k;
            k.id = s.i64(i, 0); k.seller_id = s.i64(i, 1); k.status = s.text(i, 2); k.seller_replied = flag(s, i, 3);
            k.parent_id = s.i64(i, 4);
            f.conversations.push_back(std::move(k));
        }
    }
    auto s = c->run("SELECT p.conversation_id, p.user_id FROM participants p JOIN conversations c "
                    "ON c.id = p.conversation_id WHERE c.request_id = $1 ORDER BY p.created",
                    request_id);
    for (int i = 0; i < s.rows(); ++i)
        for (auto& k : f.conversations)
            if (k.id == s.i64(i, 0)) k.members.push_back(s.i64(i, 1));
    return f;
}

// ---------------------------------------------------------------- conversations

std::pair<int64_t, bool> PgStore::add_conversation(int64_t request_id, int64_t seller_id, const std::string& origin,
                                                   int64_t parent_id, Millis now) {
    Work w(*this);
    lock_request(*w, request_id);
    // UNIQUE (request_id, seller_id) decides between two instances adding it at once.
    auto ins = w->run("INSERT INTO conversations(request_id, seller_id, parent_id, origin, created) "
                      "VALUES($1, $2, $3, $4, $5) ON CONFLICT (request_id, seller_id) DO NOTHING RETURNING id",
                      request_id, seller_id, parent_id, origin, now);
    if (ins.rows() == 0) {
        auto s = w->run("SELECT id FROM conversations WHERE request_id = $1 AND seller_id = $2", request_id,
                        seller_id);
        if (s.rows() == 0) throw StoreError("conversation vanished");
        return {s.i64(0, 0), false};
    }
    const int64_t id = ins.i64(0, 0);
    w->run("INSERT INTO participants(conversation_id, user_id, via, added_by, created) VALUES($1, $2, 'owner', 0, $3) "
           "ON CONFLICT (conversation_id, user_id) DO UPDATE SET via = 'owner', added_by = 0, created = excluded.created",
           id, seller_id, now);
    refresh_inbox(*w, request_id);
    w.commit();
    return {id, true};
}

bool PgStore::add_participant(int64_t cid, int64_t user_id, const std::string& via, int64_t added_by, Millis now) {
    Work w(*this);
    const int64_t rid = lock_request_of(*w, cid);
    const bool added = w->run("INSERT INTO participants(conversation_id, user_id, via, added_by, created) "
                              "VALUES($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                              cid, user_id, via, added_by, now)
                           .affected() > 0;
    if (added) refresh_inbox(*w, rid);
    w.commit();
    return added;
}

void PgStore::set_conversation_status(int64_t cid, const std::string& status, const std::string& reason,
                                      const std::string& text, Millis now) {
    Work w(*this);
    const int64_t rid = lock_request_of(*w, cid);
    w->run("UPDATE conversations SET status = $2, decline_reason = $3, decline_text = $4, status_at = $5 WHERE id = $1",
           cid, status, reason, text, now);
    refresh_inbox(*w, rid);
    w.commit();
}

void PgStore::set_rating(int64_t cid, int stars, const std::string& comment, Millis now) {
    Use c(*this);
    c->run("INSERT INTO ratings(conversation_id, stars, comment, created) VALUES($1, $2, $3, $4) "
           "ON CONFLICT (conversation_id) DO UPDATE SET stars = excluded.stars, comment = excluded.comment, "
           "created = excluded.created",
           cid, stars, comment, now);
}

bool PgStore::reveal_phone(int64_t user_id, int64_t request_id, Millis now) {
    Use c(*this);
    return c->run("INSERT INTO phone_reveals(user_id, request_id, created) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                  user_id, request_id, now)
               .affected() > 0;
}

bool PgStore::phone_revealed(int64_t user_id, int64_t request_id) {
    Use c(*this);
    return flag(c->run("SELECT EXISTS(SELECT 1 FROM phone_reveals WHERE user_id = $1 AND request_id = $2)", user_id,
                       request_id),
                0, 0);
}

// ---------------------------------------------------------------- events

EventRecord PgStore::read_event(const Result& r, int i) {
    EventRecord e;
    Event& v = e.event;
    v.id = r.i64(i, 0); v.request_id = r.i64(i, 1); v.conversation_id = r.i64(i, 2); v.message_id = r.i64(i, 3);
    v.actor_id = r.i64(i, 4); v.kind = r.text(i, 5); v.actor_name = r.text(i, 6); v.actor_role = r.text(i, 7);
    v.target_id = r.i64(i, 8); v.target_name = r.text(i, 9); v.text = r.text(i, 10);
    v.value = static_cast<int>(r.i64(i, 11)); v.created = r.i64(i, 12);
    e.audience = audience_from(r.text(i, 13));
    v.target_role = r.text(i, 14);
    return e;
}

EventRecord PgStore::insert_event(Conn& c, EventRecord e) {
    Event& v = e.event;
    // The events lock first, held to the end of the transaction: transactions that add
    // events commit one after the other, so event ids become visible in id order on every
    // instance — what the change feed's and the long-polls' "after id N" rely on.
    auto r = c.run("WITH l AS (SELECT pg_advisory_xact_lock($12)), "
                   "e AS (INSERT INTO events(request_id, conversation_id, kind, message_id, actor_id, created, "
                   "audience, target_id, target_name, text, value) "
                   "SELECT $1::bigint, $2::bigint, $3::text, $4::bigint, $5::bigint, $6::bigint, $7::text, $8::bigint, "
                   "$9::text, $10::text, $11::integer FROM l RETURNING id) "
                   "SELECT e.id, a.name, a.role, COALESCE(t.role, '') FROM e LEFT JOIN users a ON a.id = $5 "
                   "LEFT JOIN users t ON t.id = $8 AND $8 <> 0",
                   v.request_id, v.conversation_id, v.kind, v.message_id, v.actor_id, v.created,
                   std::string(audience_name(e.audience)), v.target_id, v.target_name, v.text, v.value,
                   kEventsLock);
    v.id = r.i64(0, 0);
    if (!r.is_null(0, 1)) {
        v.actor_name = r.text(0, 1);
        v.actor_role = r.text(0, 2);
    }
    if (v.target_id && !r.text(0, 3).empty()) v.target_role = r.text(0, 3);
    return e;
}

Event PgStore::add_event(const EventRecord& e) {
    Use c(*this);
    return insert_event(*c, e).event;
}

std::vector<EventRecord> PgStore::events_for_user(int64_t user_id, int64_t after, int limit) {
    Use c(*this);
    auto r = c->run("SELECT " PARLEY_PG_EVENT_COLS " FROM events e JOIN users a ON a.id = e.actor_id "
                    "LEFT JOIN users t ON t.id = e.target_id "
                    "WHERE e.id > $1 AND EXISTS(SELECT 1 FROM inbox_rows i WHERE i.user_id = $2 "
                    "AND i.request_id = e.request_id) ORDER BY e.id LIMIT $3",
                    after, user_id, limit);
    std::vector<EventRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_event(r, i));
    return out;
}

std::vector<EventRecord> PgStore::events_between(int64_t after, int64_t before, int limit) {
    Use c(*this);
    auto r = c->run("SELECT " PARLEY_PG_EVENT_COLS " FROM events e JOIN users a ON a.id = e.actor_id "
                    "LEFT JOIN users t ON t.id = e.target_id WHERE e.id > $1 AND e.id < $2 ORDER BY e.id LIMIT $3",
                    after, before, limit);
    std::vector<EventRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_event(r, i));
    return out;
}

int64_t PgStore::max_event_id() {
    Use c(*this);
    return c->run("SELECT COALESCE(MAX(id), 0) FROM events").i64(0, 0);
}

std::vector<RequestRecord> PgStore::requests_after(int64_t after, int limit) {
    Use c(*this);
    auto r = c->run("SELECT id, buyer_id, manufacturer_id, product, message, country, language, created "
                    "FROM requests WHERE id > $1 ORDER BY id LIMIT $2",
                    after, limit);
    std::vector<RequestRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(RequestRecord{r.i64(i, 0), r.i64(i, 1), r.i64(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                                    r.text(i, 6), r.i64(i, 7)});
    return out;
}

int64_t PgStore::max_request_id() {
    Use c(*this);
    return c->run("SELECT COALESCE(MAX(id), 0) FROM requests").i64(0, 0);
}

// ---------------------------------------------------------------- the notice sweep

std::optional<int64_t> PgStore::claim_notice_sweep(const std::string& owner, Millis now, Millis until) {
    Use c(*this);
    // One conditional UPDATE: of two instances claiming at once, one finds the row taken.
    auto r = c->run("UPDATE notice_sweep SET owner = $1, until = $3 WHERE id = 1 AND (owner = $1 OR owner = '' "
                    "OR until < $2) RETURNING cursor",
                    owner, now, until);
    if (r.rows() == 0) return std::nullopt;
    return r.i64(0, 0);
}

bool PgStore::advance_notice_sweep(const std::string& owner, int64_t cursor, bool release) {
    Use c(*this);
    return c->run("UPDATE notice_sweep SET cursor = GREATEST(cursor, $2), owner = CASE WHEN $3 THEN '' ELSE owner END, "
                  "until = CASE WHEN $3 THEN 0 ELSE until END WHERE id = 1 AND owner = $1",
                  owner, cursor, release)
               .affected() > 0;
}

void PgStore::skip_notice_sweep(int64_t cursor) {
    Use c(*this);
    c->run("UPDATE notice_sweep SET cursor = GREATEST(cursor, $1) WHERE id = 1", cursor);
}

// ---------------------------------------------------------------- seller score

// The conversations a seller first received in the window (received or routed to them)
// and when each was first answered: a seller-side message or a decline in it or in any
// conversation handed on from it (forwarded requests still count for the first
// receiver; declining counts as answering).
#define SCORE_CTE                                                                                        \
    "WITH RECURSIVE mine AS ("                                                                           \
    "  SELECT c.id, c.created, r.buyer_id FROM conversations c JOIN requests r ON r.id = c.request_id"   \
    "  WHERE c.seller_id = $1 AND c.origin IN ('received', 'routed') AND c.created > $2::bigint - $3::bigint" \
    "    AND c.created <= $2::bigint),"                                                                  \
    "tree(root, cid) AS ("                                                                               \
    "  SELECT id, id FROM mine"                                                                          \
    "  UNION"                                                                                            \
    "  SELECT tree.root, k.id FROM conversations k JOIN tree ON k.parent_id = tree.cid),"                \
    "responses(root, t) AS ("                                                                            \
    "  SELECT tree.root, m.created FROM tree JOIN mine ON mine.id = tree.root"                           \
    "  JOIN messages m ON m.conversation_id = tree.cid WHERE m.author_id <> mine.buyer_id"               \
    "  UNION ALL"                                                                                        \
    "  SELECT tree.root, k.status_at FROM tree JOIN conversations k ON k.id = tree.cid"                  \
    "  WHERE k.status = 'declined'),"                                                                    \
    "firsts AS ("                                                                                        \
    "  SELECT mine.id, mine.created, (SELECT MIN(t) FROM responses WHERE responses.root = mine.id) AS first_at" \
    "  FROM mine) "

SellerScore PgStore::seller_score(int64_t seller_id, Millis now) {
    Use c(*this);
    SellerScore out;
    {
        auto r = c->run(SCORE_CTE
                        "SELECT COUNT(*),"
                        " COUNT(*) FILTER (WHERE first_at IS NOT NULL AND first_at - created <= $4::bigint),"
                        " COUNT(*) FILTER (WHERE first_at IS NOT NULL OR $2::bigint - created > $4::bigint) "
                        "FROM firsts",
                        seller_id, now, kScoreWindow, kAnswerWithin);
        out.received = static_cast<int>(r.i64(0, 0));
        out.answered_in_time = static_cast<int>(r.i64(0, 1));
        out.counted = static_cast<int>(r.i64(0, 2));
    }
    if (out.counted > 0)
        out.response_rate = static_cast<int>((out.answered_in_time * 100 + out.counted / 2) / out.counted);
    {
        // Median of the first-response delays: the middle one, or the mean of the two
        // (truncated like SQLite's CAST(AVG(..) AS INTEGER)).
        auto r = c->run(SCORE_CTE
                        ", delays AS (SELECT first_at - created AS d FROM firsts WHERE first_at IS NOT NULL),"
                        " ranked AS (SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS rn, COUNT(*) OVER () AS n FROM delays)"
                        " SELECT trunc(AVG(d))::bigint FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2)",
                        seller_id, now, kScoreWindow);
        if (r.rows() > 0 && !r.is_null(0, 0)) out.median_first_response = r.i64(0, 0);
    }
    return out;
}

}  // namespace parley::server::pg
