// SqliteStore: translation — detected languages of texts, translations stored
// once per text and target, user settings and preferences (dark mode).
#include "server/store/sqlite/store.h"

namespace parley::server {

void SqliteStore::set_text_lang(const std::string& item, int64_t request_id, const std::string& lang) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO text_langs(item, request_id, lang) VALUES(?1, ?2, ?3) "
             "ON CONFLICT(item) DO UPDATE SET lang = excluded.lang")
        .bind(1, item).bind(2, request_id).bind(3, lang).run();
}

std::map<std::string, std::string> SqliteStore::text_langs(int64_t request_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT item, lang FROM text_langs WHERE request_id = ?1");
    s.bind(1, request_id);
    std::map<std::string, std::string> out;
    while (s.step()) out.emplace(s.text(0), s.text(1));
    return out;
}

std::map<std::string, std::string> SqliteStore::text_langs(const std::vector<std::string>& items) {
    std::map<std::string, std::string> out;
    if (items.empty()) return out;
    std::string list = "[";
    for (const std::string& i : items) {
        if (list.size() > 1) list.push_back(',');
        list.push_back('"');
        list.append(i);  // "m12", "r3": no character that needs escaping
        list.push_back('"');
    }
    list.push_back(']');
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT item, lang FROM text_langs WHERE item IN (SELECT value FROM json_each(?1))");
    s.bind(1, list);
    while (s.step()) out.emplace(s.text(0), s.text(1));
    return out;
}

std::vector<Store::UntaggedText> SqliteStore::untagged_texts(int limit) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt(R"sql(
SELECT 'r' || r.id, r.id, r.message, u.language FROM requests r JOIN users u ON u.id = r.buyer_id
 WHERE NOT EXISTS (SELECT 1 FROM text_langs t WHERE t.item = 'r' || r.id)
UNION ALL
SELECT 'm' || m.id, c.request_id, m.body, u.language FROM messages m
  JOIN conversations c ON c.id = m.conversation_id JOIN users u ON u.id = m.author_id
 WHERE NOT EXISTS (SELECT 1 FROM text_langs t WHERE t.item = 'm' || m.id)
LIMIT ?1)sql");
    s.bind(1, int64_t{limit});
    std::vector<UntaggedText> out;
    while (s.step()) out.push_back({s.text(0), s.text(2), s.text(3), s.i64(1)});
    return out;
}

namespace {
// Statements are cached by their text's address: string literals only.
#define TRANSLATION_COLS "item, source, target, text, provider, created"

Translation read_translation(const Stmt& s) {
    return Translation{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.i64(5)};
}
}  // namespace

std::optional<Translation> SqliteStore::translation(const std::string& item, const std::string& target) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT " TRANSLATION_COLS " FROM translations WHERE item = ?1 AND target = ?2");
    s.bind(1, item).bind(2, target);
    if (!s.step()) return std::nullopt;
    return read_translation(s);
}

Translation SqliteStore::add_translation(const Translation& t, int64_t request_id, const std::string& version,
                                         bool sent) {
    std::lock_guard lk(db_.mu);
    Tx tx(db_);
    db_.stmt("INSERT INTO translations(item, target, request_id, source, provider, version, text, sent, created) "
             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(item, target) DO NOTHING")
        .bind(1, t.item).bind(2, t.target).bind(3, request_id).bind(4, t.source).bind(5, t.provider)
        .bind(6, version).bind(7, t.text).bind(8, int64_t{sent ? 1 : 0}).bind(9, t.created).run();
    auto s = db_.stmt("SELECT " TRANSLATION_COLS " FROM translations WHERE item = ?1 AND target = ?2");
    s.bind(1, t.item).bind(2, t.target);
    if (!s.step()) throw StoreError("translation " + t.item + " vanished");
    Translation out = read_translation(s);
    tx.commit();
    return out;
}

std::map<std::string, Translation> SqliteStore::sent_translations(int64_t request_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT " TRANSLATION_COLS " FROM translations WHERE request_id = ?1 AND sent = 1");
    s.bind(1, request_id);
    std::map<std::string, Translation> out;
    while (s.step()) {
        Translation t = read_translation(s);
        out.emplace(t.item, std::move(t));
    }
    return out;
}

UserSettings SqliteStore::settings(int64_t user_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT auto_translate FROM user_settings WHERE user_id = ?1");
    s.bind(1, user_id);
    UserSettings out;
    if (s.step()) out.auto_translate = s.i64(0) != 0;
    return out;
}

void SqliteStore::set_settings(int64_t user_id, const UserSettings& v) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO user_settings(user_id, auto_translate) VALUES(?1, ?2) "
             "ON CONFLICT(user_id) DO UPDATE SET auto_translate = excluded.auto_translate")
        .bind(1, user_id).bind(2, int64_t{v.auto_translate ? 1 : 0}).run();
}

Preferences SqliteStore::preferences(int64_t user_id) {
    std::lock_guard lk(db_.mu);
    auto s = db_.stmt("SELECT theme FROM user_settings WHERE user_id = ?1");
    s.bind(1, user_id);
    Preferences out;
    if (s.step()) out.theme = s.text(0);
    return out;
}

void SqliteStore::set_preferences(int64_t user_id, const Preferences& p) {
    std::lock_guard lk(db_.mu);
    db_.stmt("INSERT INTO user_settings(user_id, theme) VALUES(?1, ?2) "
             "ON CONFLICT(user_id) DO UPDATE SET theme = excluded.theme")
        .bind(1, user_id).bind(2, p.theme).run();
}

}  // namespace parley::server
