// Dark mode: which palette the interface shows. The user's choice — "system", "light"
// or "dark" — is remembered on the server per user (GET /me carries it, PUT
// /me/preferences sets it) and, to start right before the server answers, in this
// browser's localStorage; "system" follows the device's prefers-color-scheme, which the
// platform reports at start and again whenever it changes. Pure logic like state.h; the
// top bar's switch is drawn in ui.cpp.
#pragma once
#include <string>
#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

struct ThemeState {
    std::string choice = kThemeSystem;  // the user's: "system" | "light" | "dark"
    bool system_dark = false;           // the device prefers dark (prefers-color-scheme)
    bool chosen_here = false;           // picked on this page: a late GET /me must not undo it
    bool saving = false;                // PUT /me/preferences on its way
    std::string error;                  // the last save failed: why ("" = saved)
};

inline constexpr const char* kThemeStorageKey = "parley.theme";  // localStorage: the last choice here

bool theme_dark(const AppState&);                     // the dark palette is the one to show
const char* theme_next(const std::string& choice);    // the switch's order: system → light → dark → system
const char* theme_name(const std::string& choice);    // "System", "Light", "Dark" in the UI's language

// At start, before the first frame: the choice last made in this browser (localStorage,
// "" = none) and what the device prefers.
void theme_restore(AppState&, const std::string& stored, bool system_dark);
// The device switched between light and dark: redraws when that changes what shows.
void action_theme_system(AppState&, bool dark, Effects&);
// The user picks a theme: shown at once, kept in localStorage, saved for the account.
void action_theme_choose(AppState&, const std::string& choice, Effects&);
void action_theme_cycle(AppState&, Effects&);  // the top bar's switch: the next one
// GET /me (sent at start): the account's choice, unless one was made here since.
HttpCall me_call();
void theme_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

}  // namespace parley
