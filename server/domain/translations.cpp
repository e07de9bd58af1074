// Domain: translation of requests and messages. Texts are visible exactly as in
// the request's detail for the viewer; translations are computed once and stored.
#include <algorithm>
#include <map>

#include "server/base/text.h"
#include "server/domain/domain.h"
#include "server/domain/util.h"
#include "server/translate/detect.h"
#include "server/base/log.h"

namespace parley::server {
namespace {

const char* language_name(const std::string& code) {
    static const std::map<std::string, const char*> names = {
        {"es", "Spanish"}, {"en", "English"}, {"fr", "French"},   {"de", "German"},  {"it", "Italian"},
        {"pt", "Portuguese"}, {"ru", "Russian"}, {"zh", "Chinese"}, {"ja", "Japanese"}};
    auto it = names.find(code);
    return it == names.end() ? "an unknown language" : it->second;
}

DomainError unavailable(const std::string& from, const std::string& to) {
    return DomainError{422, "translation_unavailable",
                       std::string(language_name(from)) + " to " + language_name(to) +
                           " is not available on this server."};
}

DomainError provider_failed(const TranslateError& e, long* retry_after_s) {
    if (retry_after_s) *retry_after_s = e.kind == "rate_limited" ? (e.retry_after_s > 0 ? e.retry_after_s : 30) : -1;
    log_line(std::string("parley: translation failed: ") + e.what());
    if (e.kind == "rate_limited")
        return DomainError{503, "translation_busy", "The translation service is busy. Try again in a moment."};
    return DomainError{503, "translation_failed", "The translation service failed. Try again later."};
}

}  // namespace

void Domain::set_translator(std::unique_ptr<Translator> t) { translator_ = std::move(t); }

TranslationLanguages Domain::translation_languages() {
    TranslationLanguages out;
    out.languages = parley::server::translation_languages();
    if (!translator_) return out;
    for (const auto& from : out.languages)
        for (const auto& to : out.languages)
            if (auto r = translator_->route(from, to)) out.pairs.push_back({from, to, route_label(*r)});
    return out;
}

void Domain::tag_language(const std::string& item, int64_t request_id, const std::string& text,
                          const std::string& hint) {
    try {
        store_.set_text_lang(item, request_id, detect_language(text, hint));
    } catch (const std::exception& e) {
        // The text is stored; without a language it is tagged again at the next start.
        log_line(std::string("parley: cannot store the language of ") + item + ": " + e.what());
    }
}

int Domain::tag_untagged_texts() {
    int n = 0;
    for (;;) {
        auto batch = store_.untagged_texts(500);
        if (batch.empty()) break;
        store_.transaction([&] {
            for (const auto& t : batch) store_.set_text_lang(t.item, t.request_id, detect_language(t.text, t.hint));
        });
        n += static_cast<int>(batch.size());
    }
    if (n) {
        std::lock_guard lk(write_mu_);
        std::unique_lock dl(details_mu_);
        details_.clear();
        details_gen_++;
    }
    return n;
}

void Domain::fill_languages(RequestDetail& d) {
    // Only the page's texts: a long thread's other messages are not in it.
    std::vector<std::string> items{tagged_id("r", d.id)};
    for (const auto& m : d.messages) items.push_back(tagged_id("m", m.id));
    auto langs = store_.text_langs(items);
    auto sent = store_.sent_translations(d.id);
    auto it = langs.find(tagged_id("r", d.id));
    if (it != langs.end()) d.message_lang = it->second;
    for (auto& m : d.messages) {
        std::string item = tagged_id("m", m.id);
        if (auto l = langs.find(item); l != langs.end()) m.lang = l->second;
        if (auto s = sent.find(item); s != sent.end()) {
            m.sent_lang = s->second.target;
            m.sent_translation = s->second.text;
        }
    }
}

Result<Translation> Domain::translate_for_sending(const std::string& text, const std::string& hint,
                                                  const std::string& to) {
    if (!is_translation_language(to))
        return DomainError{400, "invalid_language", "\"translate_to\" must be one of es, en, fr, de, it, pt, ru, zh, ja."};
    std::string from = detect_language(text, hint);
    if (from.empty()) return DomainError{422, "unknown_language", "The language of the message could not be told."};
    if (from == to) return DomainError{422, "same_language", std::string("The message is already in ") +
                                                                 language_name(to) + "."};
    if (!translator_ || !translator_->route(from, to)) return unavailable(from, to);
    try {
        TranslatedBatch b = translator_->translate(from, to, {text});
        return Translation{"", from, to, b.texts.at(0), b.provider, now_()};
    } catch (const TranslateError& e) {
        if (e.kind == "unsupported") return unavailable(from, to);
        return provider_failed(e, nullptr);
    }
}

Result<TranslationBatch> Domain::translations(const User& me, int64_t request_id, const std::string& to,
                                              const std::vector<std::string>& items, long* retry_after_s) {
    if (!is_translation_language(to))
        return DomainError{400, "invalid_language", "\"to\" must be one of es, en, fr, de, it, pt, ru, zh, ja."};
    if (items.size() > 200) return DomainError{400, "too_many_items", "Ask for at most 200 texts at a time."};
    // Exactly what I may see: the newest page, or the messages between the oldest and the
    // newest asked for (a page further down a long thread).
    int64_t oldest = 0, newest = 0;
    for (const auto& item : items) {
        if (item.size() < 2 || item[0] != 'm') continue;
        int64_t id = 0;
        for (size_t i = 1; i < item.size() && item[i] >= '0' && item[i] <= '9' && id < (int64_t{1} << 50); ++i)
            id = id * 10 + (item[i] - '0');
        if (id <= 0) continue;
        if (oldest == 0 || id < oldest) oldest = id;
        newest = std::max(newest, id);
    }
    ThreadWindow window;
    window.limit = oldest ? 1 : kThreadPage;
    window.before = oldest ? newest + 1 : 0;
    window.down_to = oldest;
    auto d = detail_window(me, request_id, std::move(window));
    if (!d) return d.error;

    struct Text {
        std::string text, lang;
    };
    std::map<std::string, Text> visible;
    visible[tagged_id("r", d->id)] = {d->message, d->message_lang};
    for (const auto& m : d->messages)
        if (!m.body.empty()) visible[tagged_id("m", m.id)] = {m.body, m.lang};

    std::vector<std::string> wanted = items;
    const bool explicit_items = !items.empty();
    if (!explicit_items)
        for (const auto& [item, t] : visible) wanted.push_back(item);

    TranslationBatch out;
    // source language → items still to translate
    std::map<std::string, std::vector<std::string>> todo;
    for (const auto& item : wanted) {
        auto it = visible.find(item);
        if (it == visible.end()) return DomainError{404, "not_found", "No such message."};
        const Text& t = it->second;
        if (t.lang == to) {
            if (explicit_items) return DomainError{422, "same_language", std::string("The text is already in ") +
                                                                             language_name(to) + "."};
            continue;
        }
        if (auto stored = store_.translation(item, to)) {
            out.translations.push_back(*stored);
            continue;
        }
        if (t.lang.empty() || !translator_ || !translator_->route(t.lang, to)) {
            if (explicit_items) return unavailable(t.lang, to);
            out.unavailable.push_back(item);
            continue;
        }
        todo[t.lang].push_back(item);
    }
    // One provider call per source language, however many messages.
    for (const auto& [from, list] : todo) {
        std::vector<std::string> texts;
        for (const auto& item : list) texts.push_back(visible[item].text);
        TranslatedBatch b;
        try {
            b = translator_->translate(from, to, texts);
        } catch (const TranslateError& e) {
            if (e.kind == "unsupported") {
                if (explicit_items) return unavailable(from, to);
                out.unavailable.insert(out.unavailable.end(), list.begin(), list.end());
                continue;
            }
            return provider_failed(e, retry_after_s);
        }
        for (size_t i = 0; i < list.size(); ++i) {
            Translation t{list[i], from, to, b.texts.at(i), b.provider, now_()};
            out.translations.push_back(store_.add_translation(t, request_id, b.version, false));
        }
    }
    return out;
}

Result<UserSettings> Domain::settings(const User& me) { return store_.settings(me.id); }

Result<UserSettings> Domain::update_settings(const User& me, const std::string& json_body) {
    auto s = parse_body<UserSettings>(json_body, "\"auto_translate\" must be true or false.");
    if (!s) return s.error;
    store_.set_settings(me.id, *s);
    return *s;
}

Preferences Domain::preferences(const User& me) { return store_.preferences(me.id); }

// Dark mode: strict, so that a typo is a 400 rather than a silent default ("Theme",
// "auto", a number…).
Result<Preferences> Domain::update_preferences(const User& me, const std::string& json_body) {
    auto j = parse_body<nlohmann::json>(json_body, "The request body must be a JSON object.");
    if (!j) return j.error;
    for (const auto& item : j->items())
        if (item.key() != "theme")
            return DomainError{400, "invalid_field", "Unknown preference \"" + item.key() + "\" (known: \"theme\")."};
    const auto it = j->find("theme");
    if (it == j->end() || !it->is_string() || !valid_theme(it->get<std::string>()))
        return DomainError{400, "invalid_field", "\"theme\" must be \"system\", \"light\" or \"dark\"."};
    Preferences p{it->get<std::string>()};
    store_.set_preferences(me.id, p);
    return p;
}

}  // namespace parley::server
