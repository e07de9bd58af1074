// Translation in the client. See translate_state.h.
#include "app/translate_state.h"

#include <algorithm>

#include "app/format.h"
#include "app/i18n.h"
#include "app/state.h"
#include "net/api.h"

namespace parley {
namespace {

HttpCall get_call(CallKind kind, std::string path, int64_t request_id = 0) {
    HttpCall c;
    c.kind = kind;
    c.method = "GET";
    c.path = std::move(path);
    c.request_id = request_id;
    return c;
}

std::string translations_path(int64_t request_id, const std::string& to, const std::string& items) {
    std::string p = "/api/v1/requests/" + std::to_string(request_id) + "/translations?to=" + to;
    if (!items.empty()) p += "&items=" + items;
    return p;
}

// "to=fr" of a translations path.
std::string target_of(const std::string& path) {
    size_t p = path.find("to=");
    if (p == std::string::npos) return {};
    return path.substr(p + 3, path.find('&', p) == std::string::npos ? std::string::npos : path.find('&', p) - p - 3);
}

void reset_for_thread(TranslateState& t, int64_t request_id) {
    if (t.request_id == request_id) return;
    t.request_id = request_id;
    t.items.clear();
    t.picker_item.clear();
    t.auto_requested = false;
}

}  // namespace

std::string message_item(int64_t id) {
    std::string item = "m";
    item += std::to_string(id);
    return item;
}
std::string request_item(int64_t id) {
    std::string item = "r";
    item += std::to_string(id);
    return item;
}

std::string item_language(const AppState& s, const std::string& item) {
    if (!s.thread) return {};
    if (item == request_item(s.thread->id)) return s.thread->message_lang;
    for (const auto& m : s.thread->messages)
        if (item == message_item(m.id)) return m.lang;
    return {};
}

bool pair_available(const TranslateState& t, const std::string& from, const std::string& to) {
    return std::any_of(t.pairs.begin(), t.pairs.end(), [&](const TranslationPair& p) { return p.from == from && p.to == to; });
}

std::string translated_from_line(const TranslationView& v) {
    return i18n::trf("Translated from {0}", {language_name(v.source)});
}

std::string send_translation_target(const AppState& s) {
    if (!s.thread || !s.inbox_loaded) return {};
    const std::string& buyer = s.thread->buyer.language;
    // The language I write in: my account's, else the interface's.
    const std::string mine = s.inbox.me.language.empty() ? i18n::language() : s.inbox.me.language;
    if (s.inbox.me.id == s.thread->buyer.id || buyer.empty() || buyer == mine) return {};
    if (!pair_available(s.tl, mine, buyer)) return {};
    return buyer;
}

// ---------------------------------------------------------------- actions

void action_translate_start(AppState& s, Effects& fx) {
    fx.calls.push_back(get_call(CallKind::TranslateLanguages, "/api/v1/translation/languages"));
    // Settings are the account's: a scoped session (one request) may not read them.
    if (!session_scope(s)) fx.calls.push_back(get_call(CallKind::TranslateSettings, "/api/v1/me/settings"));
}

void action_translate_picker(AppState& s, const std::string& item, Effects& fx) {
    s.tl.picker_item = s.tl.picker_item == item ? std::string() : item;
    fx.redraw = true;
}

void action_translate(AppState& s, const std::string& item, const std::string& to, Effects& fx) {
    if (!s.thread) return;
    reset_for_thread(s.tl, s.thread->id);
    s.tl.picker_item.clear();
    fx.redraw = true;
    TranslationView& v = s.tl.items[item];
    std::string from = item_language(s, item);
    if (v.target == to && !v.text.empty() && v.error.empty()) {  // already here: just show it
        v.show_original = false;
        return;
    }
    v = TranslationView{};
    v.target = to;
    v.source = from;
    if (!pair_available(s.tl, from, to)) {
        // Never sent: the picker greys these, but a keyboard or a stale list may still ask.
        v.error = i18n::trf("{0} to {1} is not available on this server", {language_name(from), language_name(to)});
        return;
    }
    v.pending = true;
    fx.calls.push_back(get_call(CallKind::Translate, translations_path(s.thread->id, to, item), s.thread->id));
}

void action_translate_toggle(AppState& s, const std::string& item, Effects& fx) {
    auto it = s.tl.items.find(item);
    if (it == s.tl.items.end()) return;
    it->second.show_original = !it->second.show_original;
    fx.redraw = true;
}

void action_translate_auto(AppState& s, bool on, Effects& fx) {
    s.tl.settings.auto_translate = on;
    s.tl.settings_saving = true;
    HttpCall c;
    c.kind = CallKind::TranslateSettingsSave;
    c.method = "PUT";
    c.path = "/api/v1/me/settings";
    c.body = dump_json(s.tl.settings);
    fx.calls.push_back(c);
    fx.redraw = true;
    if (on) {
        s.tl.auto_requested = false;
        translate_thread_loaded(s, fx);
    }
}

void action_translate_send_toggle(AppState& s, int64_t request_id, bool on, Effects& fx) {
    s.tl.send_translation[request_id] = on;
    fx.redraw = true;
}

void translate_thread_loaded(AppState& s, Effects& fx) {
    if (!s.thread) return;
    reset_for_thread(s.tl, s.thread->id);
    if (!s.tl.settings.auto_translate || s.tl.auto_requested || !s.inbox_loaded || !s.tl.languages_loaded) return;
    const std::string& mine = i18n::language();
    // Incoming texts only: the request and the other side's messages.
    std::vector<std::pair<std::string, std::string>> wanted;  // item, source
    if (s.thread->buyer.id != s.inbox.me.id) wanted.emplace_back(request_item(s.thread->id), s.thread->message_lang);
    for (const auto& m : s.thread->messages)
        if (m.author_id != s.inbox.me.id && !m.body.empty()) wanted.emplace_back(message_item(m.id), m.lang);
    std::string items;
    int asked = 0;
    for (const auto& [item, from] : wanted) {
        // Thread pages: the newest loaded texts, a bounded batch per call (a jump can load
        // thousands); the rest go with the next page or reload.
        if (asked >= kAutoTranslateBatch) break;
        if (from.empty() || from == mine || !pair_available(s.tl, from, mine)) continue;
        auto it = s.tl.items.find(item);
        if (it != s.tl.items.end() && (it->second.pending || it->second.target == mine)) continue;
        TranslationView& v = s.tl.items[item];
        v = TranslationView{};
        v.target = mine;
        v.source = from;
        v.pending = true;
        items += (items.empty() ? "" : ",") + item;
        asked++;
    }
    s.tl.auto_requested = true;
    if (!items.empty())
        fx.calls.push_back(get_call(CallKind::Translate, translations_path(s.thread->id, mine, items), s.thread->id));
}

void translate_more_loaded(AppState& s, Effects& fx) {
    s.tl.auto_requested = false;  // the texts already asked for are skipped
    translate_thread_loaded(s, fx);
}

bool translate_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    const bool ok = r.status / 100 == 2;
    switch (c.kind) {
        case CallKind::TranslateLanguages: {
            TranslationLanguages l;
            if (ok && parse_json(r.body, l)) {
                s.tl.pairs = std::move(l.pairs);
                s.tl.languages_loaded = true;
                translate_thread_loaded(s, fx);
            }
            fx.redraw = true;
            return true;
        }
        case CallKind::TranslateSettings:
        case CallKind::TranslateSettingsSave: {
            s.tl.settings_saving = false;
            UserSettings u;
            if (ok && parse_json(r.body, u)) {
                s.tl.settings = u;
                s.tl.settings_loaded = true;
                translate_thread_loaded(s, fx);
            }
            fx.redraw = true;
            return true;
        }
        case CallKind::Translate: {
            fx.redraw = true;
            if (c.request_id != s.tl.request_id) return true;  // another thread by now
            const std::string to = target_of(c.path);
            TranslationBatch b;
            if (ok && parse_json(r.body, b)) {
                for (const auto& t : b.translations) {
                    TranslationView& v = s.tl.items[t.item];
                    if (v.target != t.target) continue;  // asked for another language since
                    v.pending = false;
                    v.source = t.source;
                    v.text = t.text;
                    v.provider = t.provider;
                    v.error.clear();
                }
                for (const auto& item : b.unavailable) {
                    TranslationView& v = s.tl.items[item];
                    v.pending = false;
                    v.error = i18n::trf("{0} to {1} is not available on this server",
                                        {language_name(v.source), language_name(v.target)});
                }
            }
            // Whatever is still pending for this language failed.
            std::string why = ok ? std::string(i18n::tr("The translation could not be read.")) : failure_reason(r);
            for (auto& [item, v] : s.tl.items)
                if (v.pending && v.target == to) {
                    v.pending = false;
                    v.error = why;
                }
            return true;
        }
        default: return false;
    }
}

}  // namespace parley
