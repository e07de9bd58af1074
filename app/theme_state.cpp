// Dark mode: the theme's state and actions (see theme_state.h).
#include "app/theme_state.h"
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

bool theme_dark(const AppState& s) {
    const std::string& c = s.theme.choice;
    return c == kThemeDark || (c != kThemeLight && s.theme.system_dark);
}

const char* theme_next(const std::string& choice) {
    if (choice == kThemeSystem) return kThemeLight;
    if (choice == kThemeLight) return kThemeDark;
    return kThemeSystem;
}

const char* theme_name(const std::string& choice) {
    if (choice == kThemeLight) return i18n::tr("Light");
    if (choice == kThemeDark) return i18n::tr("Dark");
    return i18n::tr("System");
}

void theme_restore(AppState& s, const std::string& stored, bool system_dark) {
    if (valid_theme(stored)) s.theme.choice = stored;
    s.theme.system_dark = system_dark;
}

void action_theme_system(AppState& s, bool dark, Effects& fx) {
    const bool was = theme_dark(s);
    s.theme.system_dark = dark;
    if (theme_dark(s) != was) fx.redraw = true;  // else nothing on screen changes: no frame
}

// One save at a time, so that the server stores them in the order they were made; a
// choice made while one is on its way goes when it is back (theme_http_done).
static void save_choice(AppState& s, Effects& fx) {
    s.theme.saving = true;
    HttpCall c;
    c.kind = CallKind::ThemeSave;
    c.method = "PUT";
    c.path = "/api/v1/me/preferences";
    c.body = dump_json(Preferences{s.theme.choice});
    fx.calls.push_back(c);
}

void action_theme_choose(AppState& s, const std::string& choice, Effects& fx) {
    if (!valid_theme(choice)) return;
    s.theme.choice = choice;
    s.theme.chosen_here = true;
    s.theme.error.clear();
    fx.store.emplace_back(kThemeStorageKey, choice);
    if (!s.theme.saving) save_choice(s, fx);
    fx.redraw = true;
}

void action_theme_cycle(AppState& s, Effects& fx) { action_theme_choose(s, theme_next(s.theme.choice), fx); }

HttpCall me_call() {
    HttpCall c;
    c.kind = CallKind::Me;
    c.path = "/api/v1/me";
    return c;
}

void theme_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    const bool ok = r.status / 100 == 2;
    if (c.kind == CallKind::Me) {
        Me me;
        // A choice made on this page since wins over the account's answer in flight.
        if (ok && parse_json(r.body, me) && valid_theme(me.theme) && !s.theme.chosen_here) {
            if (me.theme != s.theme.choice) fx.redraw = true;
            s.theme.choice = me.theme;
            fx.store.emplace_back(kThemeStorageKey, me.theme);  // the next load starts with it
        }
        return;
    }
    // ThemeSave: the choice made since, if any, goes now; else this one's outcome shows.
    s.theme.saving = false;
    Preferences sent;
    if (parse_json(c.body, sent) && sent.theme != s.theme.choice) return save_choice(s, fx);
    s.theme.error = ok ? std::string() : failure_reason(r);
    fx.redraw = true;
}

}  // namespace parley
