// PgStore: translation — detected languages of texts, translations stored once per text
// and target (the primary key decides between instances), user settings and preferences
// (dark mode).
#include "server/store/pg/store.h"

namespace parley::server::pg {

void PgStore::set_text_lang(const std::string& item, int64_t request_id, const std::string& lang) {
    Use c(*this);
    c->run("INSERT INTO text_langs(item, request_id, lang) VALUES($1, $2, $3) "
           "ON CONFLICT (item) DO UPDATE SET lang = excluded.lang",
           item, request_id, lang);
}

std::map<std::string, std::string> PgStore::text_langs(int64_t request_id) {
    Use c(*this);
    auto r = c->run("SELECT item, lang FROM text_langs WHERE request_id = $1", request_id);
    std::map<std::string, std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.emplace(r.text(i, 0), r.text(i, 1));
    return out;
}

std::map<std::string, std::string> PgStore::text_langs(const std::vector<std::string>& items) {
    std::map<std::string, std::string> out;
    if (items.empty()) return out;
    std::string list = "{";
    for (const std::string& i : items) {
        if (list.size() > 1) list.push_back(',');
        list.push_back('"');
        for (char ch : i) {
            if (ch == '"' || ch == '\\') list.push_back('\\');
            list.push_back(ch);
        }
        list.push_back('"');
    }
    list.push_back('}');
    Use c(*this);
    auto r = c->run("SELECT item, lang FROM text_langs WHERE item = ANY($1::text[])", list);
    for (int i = 0; i < r.rows(); ++i) out.emplace(r.text(i, 0), r.text(i, 1));
    return out;
}

std::vector<Store::UntaggedText> PgStore::untagged_texts(int limit) {
    Use c(*this);
    auto r = c->run(R"sql(
(SELECT 'r' || r.id, r.id, r.message, u.language FROM requests r JOIN users u ON u.id = r.buyer_id
  WHERE NOT EXISTS (SELECT 1 FROM text_langs t WHERE t.item = 'r' || r.id))
UNION ALL
(SELECT 'm' || m.id, c.request_id, m.body, u.language FROM messages m
   JOIN conversations c ON c.id = m.conversation_id JOIN users u ON u.id = m.author_id
  WHERE NOT EXISTS (SELECT 1 FROM text_langs t WHERE t.item = 'm' || m.id))
LIMIT $1)sql",
                    limit);
    std::vector<UntaggedText> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 2), r.text(i, 3), r.i64(i, 1)});
    return out;
}

#define TRANSLATION_COLS "item, source, target, text, provider, created"

static Translation read_translation(const Result& r, int i) {
    return Translation{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.i64(i, 5)};
}

std::optional<Translation> PgStore::translation(const std::string& item, const std::string& target) {
    Use c(*this);
    auto r = c->run("SELECT " TRANSLATION_COLS " FROM translations WHERE item = $1 AND target = $2", item, target);
    if (r.rows() == 0) return std::nullopt;
    return read_translation(r, 0);
}

Translation PgStore::add_translation(const Translation& t, int64_t request_id, const std::string& version,
                                     bool sent) {
    Work w(*this);
    w->run("INSERT INTO translations(item, target, request_id, source, provider, version, text, sent, created) "
           "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (item, target) DO NOTHING",
           t.item, t.target, request_id, t.source, t.provider, version, t.text, sent, t.created);
    auto r = w->run("SELECT " TRANSLATION_COLS " FROM translations WHERE item = $1 AND target = $2", t.item, t.target);
    if (r.rows() == 0) throw StoreError("translation " + t.item + " vanished");
    Translation out = read_translation(r, 0);
    w.commit();
    return out;
}

std::map<std::string, Translation> PgStore::sent_translations(int64_t request_id) {
    Use c(*this);
    auto r = c->run("SELECT " TRANSLATION_COLS " FROM translations WHERE request_id = $1 AND sent", request_id);
    std::map<std::string, Translation> out;
    for (int i = 0; i < r.rows(); ++i) {
        Translation t = read_translation(r, i);
        out.emplace(t.item, std::move(t));
    }
    return out;
}

UserSettings PgStore::settings(int64_t user_id) {
    Use c(*this);
    auto r = c->run("SELECT auto_translate FROM user_settings WHERE user_id = $1", user_id);
    UserSettings out;
    if (r.rows() > 0) out.auto_translate = flag(r, 0, 0);
    return out;
}

void PgStore::set_settings(int64_t user_id, const UserSettings& v) {
    Use c(*this);
    c->run("INSERT INTO user_settings(user_id, auto_translate) VALUES($1, $2) "
           "ON CONFLICT (user_id) DO UPDATE SET auto_translate = excluded.auto_translate",
           user_id, v.auto_translate);
}

Preferences PgStore::preferences(int64_t user_id) {
    Use c(*this);
    auto r = c->run("SELECT theme FROM user_settings WHERE user_id = $1", user_id);
    Preferences out;
    if (r.rows() > 0) out.theme = r.text(0, 0);
    return out;
}

void PgStore::set_preferences(int64_t user_id, const Preferences& p) {
    Use c(*this);
    c->run("INSERT INTO user_settings(user_id, theme) VALUES($1, $2) "
           "ON CONFLICT (user_id) DO UPDATE SET theme = excluded.theme",
           user_id, p.theme);
}

}  // namespace parley::server::pg
