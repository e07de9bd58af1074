// SqliteStore: the workflow — sales network, conversations and participants, request
// data for the policy, events and the seller score.
//
// Index: sales network · request data · conversations · events · seller score
#include <algorithm>
#include <cstdint>
#include <sstream>
#include <unordered_map>

#include "server/store/rules.h"
#include "server/store/sqlite/store.h"

namespace parley::server {
namespace {

using namespace store_rules;  // score windows, zones

}  // namespace

RequestFacts RequestData::facts() const {
    RequestFacts f;
    f.id = request.id;
    f.buyer_id = request.buyer_id;
    f.manufacturer_id = request.manufacturer_id;
    for (const auto& c : conversations) {
        ConversationFacts cf;
        cf.id = c.id;
        cf.seller_id = c.seller_id;
        cf.parent_id = c.parent_id;
        cf.status = c.status;
        for (const auto& p : participants)
            if (p.conversation_id == c.id) cf.members.push_back(p.user.id);
        for (const auto& m : messages)
            if (m.conversation_id == c.id && m.author_id != request.buyer_id) cf.seller_replied = true;
        f.conversations.push_back(std::move(cf));
    }
    return f;
}

// ---------------------------------------------------------------- sales network

// A row of user columns (9) followed by manufacturer_id, zones, auto_cc.
NetworkRecord SqliteStore::read_member(const Stmt& s) {
    return NetworkRecord{read_user(s), s.i64(9), split_zones(s.text(10)), s.i64(11) != 0};
}

std::vector<NetworkRecord> SqliteStore::network(int64_t manufacturer_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT u.id, u.name, u.company, u.country, u.language, u.role, u.email, u.phone, u.org_id, "
                      "n.manufacturer_id, n.zones, n.auto_cc FROM network n JOIN users u ON u.id = n.member_id "
                      "WHERE n.manufacturer_id = ?1 ORDER BY u.role, u.name, u.id");
    s.bind(1, manufacturer_id);
    std::vector<NetworkRecord> out;
    while (s.step()) out.push_back(read_member(s));
    return out;
}

std::optional<NetworkRecord> SqliteStore::network_member(int64_t member_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT u.id, u.name, u.company, u.country, u.language, u.role, u.email, u.phone, u.org_id, "
                      "n.manufacturer_id, n.zones, n.auto_cc FROM network n JOIN users u ON u.id = n.member_id "
                      "WHERE n.member_id = ?1");
    s.bind(1, member_id);
    if (!s.step()) return std::nullopt;
    return read_member(s);
}

void SqliteStore::set_network_member(int64_t member_id, int64_t manufacturer_id,
                                     const std::vector<std::string>& zones, bool auto_cc) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO network(member_id, manufacturer_id, zones, auto_cc) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(member_id) DO UPDATE SET manufacturer_id = excluded.manufacturer_id, "
             "zones = excluded.zones, auto_cc = excluded.auto_cc")
        .bind(1, member_id).bind(2, manufacturer_id).bind(3, join_zones(zones))
        .bind(4, int64_t{auto_cc ? 1 : 0}).run();
}

bool SqliteStore::remove_network_member(int64_t manufacturer_id, int64_t member_id) {
    std::lock_guard lk(db_.mu);
    db_.stmt("DELETE FROM network WHERE member_id = ?1 AND manufacturer_id = ?2")
        .bind(1, member_id).bind(2, manufacturer_id).run();
    auto s = db_.stmt("SELECT changes()");
    s.step();
    return s.i64(0) > 0;
}

// ---------------------------------------------------------------- request data

// "[1,2,3]": a list bound as one parameter and read with json_each().
static std::string json_ids(const std::vector<int64_t>& ids) {
    std::string out = "[";
    for (int64_t id : ids) {
        if (out.size() > 1) out.push_back(',');
        out.append(std::to_string(id));
    }
    out.push_back(']');
    return out;
}

std::optional<RequestData> SqliteStore::request_data(int64_t request_id, const ThreadWindow& window) {
    auto r = request(request_id);
    if (!r) return std::nullopt;
    std::lock_guard lk(db_.mu);
    RequestData d;
    d.request = *r;
    {
        auto s = db_.stmt("SELECT id, name, company, country, language, role, email, phone, org_id FROM users "
                          "WHERE id IN (?1, ?2) ORDER BY id = ?2");
        s.bind(1, r->buyer_id).bind(2, r->manufacturer_id);
        while (s.step()) {
            UserRecord u = read_user(s);
            if (u.id == r->buyer_id) d.buyer = u;
            if (u.id == r->manufacturer_id) d.manufacturer = u;
        }
    }
    {
        auto s = db_.stmt("SELECT id, request_id, seller_id, parent_id, origin, status, decline_reason, "
                          "decline_text, created FROM conversations WHERE request_id = ?1 "
                          "ORDER BY (origin = 'received') DESC, id");
        s.bind(1, request_id);
        while (s.step()) {
            ConversationRecord c;
            c.id = s.i64(0); c.request_id = s.i64(1); c.seller_id = s.i64(2); c.parent_id = s.i64(3);
            c.origin = s.text(4); c.status = s.text(5); c.decline_reason = s.text(6);
            c.decline_text = s.text(7); c.created = s.i64(8);
            d.conversations.push_back(std::move(c));
        }
    }
    {
        auto s = db_.stmt("SELECT p.conversation_id, p.via, p.added_by, u.id, u.name, u.company, u.country, "
                          "u.language, u.role, u.email, u.phone, u.org_id FROM participants p "
                          "JOIN conversations c ON c.id = p.conversation_id JOIN users u ON u.id = p.user_id "
                          "WHERE c.request_id = ?1 ORDER BY p.conversation_id, (p.via = 'owner') DESC, p.created");
        s.bind(1, request_id);
        while (s.step()) {
            ParticipantRecord p;
            p.conversation_id = s.i64(0);
            p.via = s.text(1);
            p.added_by = s.i64(2);
            p.user = read_user(s, 3);
            d.participants.push_back(std::move(p));
        }
    }
    // The window's messages, newest first: read lazily from the request's index, so that
    // the first page of a 10,000-message thread reads ~50 rows.
    const std::string convs = window.conversations.empty() ? std::string() : json_ids(window.conversations);
    size_t limit = window.limit > 0 ? static_cast<size_t>(window.limit) : SIZE_MAX;
    // An `after` or `around` window becomes a `before` one: the ids just above its start,
    // oldest first, tell where its top is and whether newer messages exist beyond it.
    int64_t before = window.before, down_to = window.down_to;
    bool empty_page = false;
    if (window.after > 0 || window.around > 0) {
        const int64_t from = window.after > 0 ? window.after : window.around;
        const size_t above = window.after > 0 ? limit : std::max<size_t>(limit / 2, 1);
        std::vector<int64_t> ids;
        auto s = db_.stmt("SELECT m.id FROM messages m INDEXED BY messages_request "
                          "WHERE m.request_id = ?1 AND m.id > ?2 "
                          "AND (?3 = '' OR m.conversation_id IN (SELECT value FROM json_each(?3))) "
                          "ORDER BY m.id LIMIT ?4");
        s.bind(1, request_id).bind(2, from).bind(3, convs).bind(4, static_cast<int64_t>(std::min<size_t>(above, 100000) + 1));
        while (s.step()) ids.push_back(s.i64(0));
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
        auto s = db_.stmt("SELECT m.id, m.request_id, m.conversation_id, m.author_id, u.name, u.role, m.body, "
                          "m.created, EXISTS(SELECT 1 FROM mail_in i WHERE i.message_id = m.id AND i.message_id > 0) "
                          "FROM messages m INDEXED BY messages_request JOIN users u ON u.id = m.author_id "
                          "WHERE m.request_id = ?1 AND (?2 = 0 OR m.id < ?2) "
                          "AND (?3 = '' OR m.conversation_id IN (SELECT value FROM json_each(?3))) "
                          "ORDER BY m.id DESC");
        s.bind(1, request_id).bind(2, before).bind(3, convs);
        while (s.step()) {
            const int64_t id = s.i64(0);
            if (d.messages.size() >= limit && !(down_to > 0 && id >= down_to)) {
                d.older = d.messages.back().id;
                break;
            }
            d.messages.push_back(read_message(s));
        }
    }
    {
        auto s = db_.stmt("SELECT COUNT(*) FROM messages m INDEXED BY messages_request WHERE m.request_id = ?1 "
                          "AND (?2 = '' OR m.conversation_id IN (SELECT value FROM json_each(?2)))");
        s.bind(1, request_id).bind(2, convs);
        s.step();
        d.message_total = static_cast<int>(s.i64(0));
    }
    if (!d.messages.empty()) {
        // Attachments of the page's messages (pending uploads belong to no message yet).
        std::vector<int64_t> page;
        std::unordered_map<int64_t, size_t> index;
        for (size_t i = 0; i < d.messages.size(); ++i) {
            index[d.messages[i].id] = i;
            page.push_back(d.messages[i].id);
        }
        const std::string ids = json_ids(page);
        auto s = db_.stmt("SELECT a.id, a.conversation_id, a.message_id, a.uploader_id, a.name, a.type, a.kind, "
                          "a.size, a.sha256, a.created FROM attachments a "
                          "WHERE a.message_id IN (SELECT value FROM json_each(?1)) AND a.message_id <> 0 ORDER BY a.id");
        s.bind(1, ids);
        while (s.step()) {
            Attachment a = read_attachment(s);
            auto it = index.find(a.message_id);
            if (it != index.end()) d.messages[it->second].attachments.push_back(std::move(a));
        }
    }
    {
        // The other events between the page's bounds, in event order: those after the
        // message event of the page's oldest message (all of them on the last page), and
        // before the message event of `before` (all newer ones on the first page).
        auto event_of = [&](int64_t message_id) -> int64_t {
            auto s = db_.stmt("SELECT id FROM events INDEXED BY events_message WHERE message_id = ?1 AND kind = 'message'");
            s.bind(1, message_id);
            return s.step() ? s.i64(0) : 0;
        };
        // An empty `after` page: the events newer than that message (all of them above it).
        const int64_t low = empty_page ? event_of(window.after)
                            : d.older != 0 && !d.messages.empty() ? event_of(d.messages.back().id) : 0;
        const int64_t high = before != 0 ? event_of(before) : 0;
        auto s = db_.stmt("SELECT e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, "
                          "a.name, a.role, e.target_id, e.target_name, e.text, e.value, e.created, e.audience, "
                          "COALESCE(t.role, '') FROM events e JOIN users a ON a.id = e.actor_id "
                          "LEFT JOIN users t ON t.id = e.target_id "
                          "WHERE e.request_id = ?1 AND e.kind <> 'message' AND e.id > ?2 AND (?3 = 0 OR e.id < ?3) "
                          "ORDER BY e.id");
        s.bind(1, request_id).bind(2, low).bind(3, high);
        while (s.step()) d.events.push_back(read_event(s));
    }
    {
        auto s = db_.stmt("SELECT cr.user_id, cr.conversation_id, cr.last_read_message_id, cr.read_at "
                          "FROM conv_reads cr JOIN conversations c ON c.id = cr.conversation_id "
                          "WHERE c.request_id = ?1");
        s.bind(1, request_id);
        while (s.step()) d.reads.push_back(ReadRecord{s.i64(0), s.i64(1), s.i64(2), s.i64(3)});
    }
    {
        auto s = db_.stmt("SELECT g.conversation_id, g.stars, g.comment, g.created FROM ratings g "
                          "JOIN conversations c ON c.id = g.conversation_id WHERE c.request_id = ?1");
        s.bind(1, request_id);
        while (s.step())
            d.ratings.push_back(RatingRecord{s.i64(0), Rating{static_cast<int>(s.i64(1)), s.text(2), s.i64(3)}});
    }
    d.quotes = quotes_locked(request_id);
    return d;
}

std::optional<RequestFacts> SqliteStore::facts(int64_t request_id) {
    std::lock_guard lk(db_.mu);
    RequestFacts f;
    {
        auto s = db_.stmt("SELECT id, buyer_id, manufacturer_id FROM requests WHERE id = ?1");
        s.bind(1, request_id);
        if (!s.step()) return std::nullopt;
        f.id = s.i64(0); f.buyer_id = s.i64(1); f.manufacturer_id = s.i64(2);
    }
    {
        auto s = db_.stmt("SELECT c.id, c.seller_id, c.status, EXISTS(SELECT 1 FROM messages m WHERE "
                          "m.conversation_id = c.id AND m.author_id <> ?2), c.parent_id FROM conversations c "
                          "WHERE c.request_id = ?1 ORDER BY (c.origin = 'received') DESC, c.id");
        s.bind(1, request_id).bind(2, f.buyer_id);
        while (s.step()) {
            ConversationFacts c;
            c.id = s.i64(0); c.seller_id = s.i64(1); c.status = s.text(2); c.seller_replied = s.i64(3) != 0;
            c.parent_id = s.i64(4);
            f.conversations.push_back(std::move(c));
        }
    }
    auto s = db_.stmt("SELECT p.conversation_id, p.user_id FROM participants p JOIN conversations c "
                      "ON c.id = p.conversation_id WHERE c.request_id = ?1 ORDER BY p.created");
    s.bind(1, request_id);
    while (s.step())
        for (auto& c : f.conversations)
            if (c.id == s.i64(0)) c.members.push_back(s.i64(1));
    return f;
}

// ---------------------------------------------------------------- conversations

std::pair<int64_t, bool> SqliteStore::add_conversation(int64_t request_id, int64_t seller_id,
                                                       const std::string& origin, int64_t parent_id, Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    {
        auto s = db_.stmt("SELECT id FROM conversations WHERE request_id = ?1 AND seller_id = ?2");
        s.bind(1, request_id).bind(2, seller_id);
        if (s.step()) return {s.i64(0), false};
    }
    db_.stmt("INSERT INTO conversations(request_id, seller_id, parent_id, origin, created) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, request_id).bind(2, seller_id).bind(3, parent_id).bind(4, origin).bind(5, now).run();
    int64_t id = db_.last_id();
    db_.stmt("INSERT OR REPLACE INTO participants(conversation_id, user_id, via, added_by, created) "
             "VALUES(?1, ?2, 'owner', 0, ?3)")
        .bind(1, id).bind(2, seller_id).bind(3, now).run();
    refresh_inbox(request_id);
    tx.commit();
    return {id, true};
}

bool SqliteStore::add_participant(int64_t cid, int64_t user_id, const std::string& via, int64_t added_by,
                                  Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    db_.stmt("INSERT OR IGNORE INTO participants(conversation_id, user_id, via, added_by, created) "
             "VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind(1, cid).bind(2, user_id).bind(3, via).bind(4, added_by).bind(5, now).run();
    bool added = false;
    {
        auto s = db_.stmt("SELECT changes()");
        s.step();
        added = s.i64(0) > 0;
    }
    if (added) refresh_inbox(request_of(cid));
    tx.commit();
    return added;
}

void SqliteStore::set_conversation_status(int64_t cid, const std::string& status, const std::string& reason,
                                          const std::string& text, Millis now) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    db_.stmt("UPDATE conversations SET status = ?2, decline_reason = ?3, decline_text = ?4, status_at = ?5 "
             "WHERE id = ?1")
        .bind(1, cid).bind(2, status).bind(3, reason).bind(4, text).bind(5, now).run();
    refresh_inbox(request_of(cid));
    tx.commit();
}

void SqliteStore::set_rating(int64_t cid, int stars, const std::string& comment, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO ratings(conversation_id, stars, comment, created) VALUES(?1, ?2, ?3, ?4) "
             "ON CONFLICT(conversation_id) DO UPDATE SET stars = excluded.stars, comment = excluded.comment, "
             "created = excluded.created")
        .bind(1, cid).bind(2, int64_t{stars}).bind(3, comment).bind(4, now).run();
}

bool SqliteStore::reveal_phone(int64_t user_id, int64_t request_id, Millis now) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT OR IGNORE INTO phone_reveals(user_id, request_id, created) VALUES(?1, ?2, ?3)")
        .bind(1, user_id).bind(2, request_id).bind(3, now).run();
    auto s = db_.stmt("SELECT changes()");
    s.step();
    return s.i64(0) > 0;
}

bool SqliteStore::phone_revealed(int64_t user_id, int64_t request_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT EXISTS(SELECT 1 FROM phone_reveals WHERE user_id = ?1 AND request_id = ?2)");
    s.bind(1, user_id).bind(2, request_id);
    s.step();
    return s.i64(0) != 0;
}

// ---------------------------------------------------------------- events

// The 15 event columns both event queries select, in this order.
EventRecord SqliteStore::read_event(const Stmt& s) {
    EventRecord e;
    Event& v = e.event;
    v.id = s.i64(0); v.request_id = s.i64(1); v.conversation_id = s.i64(2); v.message_id = s.i64(3);
    v.actor_id = s.i64(4); v.kind = s.text(5); v.actor_name = s.text(6); v.actor_role = s.text(7);
    v.target_id = s.i64(8); v.target_name = s.text(9); v.text = s.text(10);
    v.value = static_cast<int>(s.i64(11)); v.created = s.i64(12);
    e.audience = audience_from(s.text(13));
    v.target_role = s.text(14);
    return e;
}

EventRecord SqliteStore::insert_event(EventRecord e) {
    Event& v = e.event;
    db_.stmt("INSERT INTO events(request_id, conversation_id, kind, message_id, actor_id, created, audience, "
             "target_id, target_name, text, value) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .bind(1, v.request_id).bind(2, v.conversation_id).bind(3, v.kind).bind(4, v.message_id)
        .bind(5, v.actor_id).bind(6, v.created).bind(7, std::string(audience_name(e.audience)))
        .bind(8, v.target_id).bind(9, v.target_name).bind(10, v.text).bind(11, int64_t{v.value}).run();
    v.id = db_.last_id();
    auto s = db_.stmt("SELECT name, role FROM users WHERE id = ?1");
    s.bind(1, v.actor_id);
    if (s.step()) {
        v.actor_name = s.text(0);
        v.actor_role = s.text(1);
    }
    if (v.target_id) {
        auto t = db_.stmt("SELECT role FROM users WHERE id = ?1");
        t.bind(1, v.target_id);
        if (t.step()) v.target_role = t.text(0);
    }
    return e;
}

Event SqliteStore::add_event(const EventRecord& e) {
    std::lock_guard lk(db_.mu);
    return insert_event(e).event;
}

std::vector<EventRecord> SqliteStore::events_for_user(int64_t user_id, int64_t after, int limit) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(R"sql(
SELECT e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, a.name, a.role,
       e.target_id, e.target_name, e.text, e.value, e.created, e.audience, COALESCE(t.role, '')
FROM events e JOIN users a ON a.id = e.actor_id LEFT JOIN users t ON t.id = e.target_id
WHERE e.id > ?1 AND EXISTS(SELECT 1 FROM inbox_rows i WHERE i.user_id = ?2 AND i.request_id = e.request_id)
ORDER BY e.id LIMIT ?3)sql");
    s.bind(1, after).bind(2, user_id).bind(3, static_cast<int64_t>(limit));
    std::vector<EventRecord> out;
    while (s.step()) {
        out.push_back(read_event(s));
    }
    return out;
}

std::vector<EventRecord> SqliteStore::events_between(int64_t after, int64_t before, int limit) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(R"sql(
SELECT e.id, e.request_id, e.conversation_id, e.message_id, e.actor_id, e.kind, a.name, a.role,
       e.target_id, e.target_name, e.text, e.value, e.created, e.audience, COALESCE(t.role, '')
FROM events e JOIN users a ON a.id = e.actor_id LEFT JOIN users t ON t.id = e.target_id
WHERE e.id > ?1 AND e.id < ?2 ORDER BY e.id LIMIT ?3)sql");
    s.bind(1, after).bind(2, before).bind(3, static_cast<int64_t>(limit));
    std::vector<EventRecord> out;
    while (s.step()) out.push_back(read_event(s));
    return out;
}

int64_t SqliteStore::max_event_id() {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM events");
    s.step();
    return s.i64(0);
}

std::vector<RequestRecord> SqliteStore::requests_after(int64_t after, int limit) {
    std::lock_guard lk(db_.mu);
    std::vector<RequestRecord> out;
    auto s = db_.stmt("SELECT id, buyer_id, manufacturer_id, product, message, country, language, created "
                      "FROM requests WHERE id > ?1 ORDER BY id LIMIT ?2");
    s.bind(1, after).bind(2, static_cast<int64_t>(limit));
    while (s.step())
        out.push_back(RequestRecord{s.i64(0), s.i64(1), s.i64(2), s.text(3), s.text(4), s.text(5), s.text(6), s.i64(7)});
    return out;
}

int64_t SqliteStore::max_request_id() {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT COALESCE(MAX(id), 0) FROM requests");
    s.step();
    return s.i64(0);
}

// ---------------------------------------------------------------- seller score

// The conversations a seller first received in the window (received or routed to them)
// and when each was first answered: a seller-side message or a decline in it or in any
// conversation handed on from it (forwarded requests still count for the first
// receiver; declining counts as answering).
constexpr const char* kScoreCte = R"sql(
WITH RECURSIVE mine AS (
  SELECT c.id, c.created, r.buyer_id FROM conversations c
  JOIN requests r ON r.id = c.request_id
  WHERE c.seller_id = ?1 AND c.origin IN ('received', 'routed') AND c.created > ?2 - ?3 AND c.created <= ?2),
tree(root, cid) AS (
  SELECT id, id FROM mine
  UNION
  SELECT tree.root, k.id FROM conversations k JOIN tree ON k.parent_id = tree.cid),
responses(root, t) AS (
  SELECT tree.root, m.created FROM tree JOIN mine ON mine.id = tree.root
  JOIN messages m ON m.conversation_id = tree.cid WHERE m.author_id <> mine.buyer_id
  UNION ALL
  SELECT tree.root, k.status_at FROM tree JOIN conversations k ON k.id = tree.cid WHERE k.status = 'declined'),
firsts AS (
  SELECT mine.id, mine.created, (SELECT MIN(t) FROM responses WHERE responses.root = mine.id) AS first_at
  FROM mine))sql";
// Statements are cached by text pointer, so the combined texts live as long as the program.
const std::string kScoreCounts = std::string(kScoreCte) + R"sql(
SELECT COUNT(*),
       COALESCE(SUM(first_at IS NOT NULL AND first_at - created <= ?4), 0),
       COALESCE(SUM(first_at IS NOT NULL OR ?2 - created > ?4), 0)
FROM firsts)sql";
// Median of the first-response delays: the middle one, or the mean of the two.
const std::string kScoreMedian = std::string(kScoreCte) + R"sql(,
delays AS (SELECT first_at - created AS d FROM firsts WHERE first_at IS NOT NULL),
ranked AS (SELECT d, ROW_NUMBER() OVER (ORDER BY d) AS rn, COUNT(*) OVER () AS n FROM delays)
SELECT CAST(AVG(d) AS INTEGER) FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2))sql";

SellerScore SqliteStore::seller_score(int64_t seller_id, Millis now) {
    std::lock_guard lk(db_.mu);
    SellerScore out;
    {
        auto s = db_.stmt(kScoreCounts.c_str());
        s.bind(1, seller_id).bind(2, now).bind(3, kScoreWindow).bind(4, kAnswerWithin);
        s.step();
        out.received = static_cast<int>(s.i64(0));
        out.answered_in_time = static_cast<int>(s.i64(1));
        out.counted = static_cast<int>(s.i64(2));
    }
    if (out.counted > 0) out.response_rate = static_cast<int>((out.answered_in_time * 100 + out.counted / 2) / out.counted);
    {
        auto s = db_.stmt(kScoreMedian.c_str());
        s.bind(1, seller_id).bind(2, now).bind(3, kScoreWindow);
        if (s.step() && !s.is_null(0)) out.median_first_response = s.i64(0);
    }
    return out;
}

}  // namespace parley::server
