// Translation in the client: "Translate" on each text of the thread with a
// choice of the nine languages (pairs no provider covers greyed, "not available on this
// server"), the translation under "Translated from French · Show original", the setting
// "Always translate incoming messages into my language" and, in the composer, "Also send
// a translation into the buyer's language". Pure logic like state.h; ui_translate.cpp draws.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;
struct HttpResult;

// What one text ("m<id>" a message, "r<id>" the request) shows.
struct TranslationView {
    std::string target;          // the language asked for
    std::string source, text, provider;
    bool pending = false;        // the call is on its way
    bool show_original = false;  // "Show original" pressed
    std::string error;           // red line under the text
};

struct TranslateState {
    bool languages_loaded = false;
    std::vector<TranslationPair> pairs;  // what this server translates
    UserSettings settings;
    bool settings_loaded = false, settings_saving = false;
    int64_t request_id = 0;                       // the thread the items belong to
    std::map<std::string, TranslationView> items;
    std::string picker_item;                      // whose language picker is open ("" = none)
    bool auto_requested = false;                  // the automatic batch was asked for this thread
    std::map<int64_t, bool> send_translation;     // composer checkbox, per request
};

// ---- Queries ----
// "m12" / "r3".
std::string message_item(int64_t message_id);
std::string request_item(int64_t request_id);
// The source language of an item in the open thread ("" = unknown).
std::string item_language(const AppState&, const std::string& item);
bool pair_available(const TranslateState&, const std::string& from, const std::string& to);
// "Translated from French" (the line above a translation).
std::string translated_from_line(const TranslationView&);
// The language the composer's translation goes to (the buyer's), or "" when the
// checkbox should not show (I am the buyer, the buyer reads the language I write in —
// my account's — or no provider covers the pair). "Always translate incoming messages"
// translates into the interface's language, the one I read.
std::string send_translation_target(const AppState&);

// ---- Actions ----
// After sign-in: GET /translation/languages and /me/settings.
void action_translate_start(AppState&, Effects&);
void action_translate_picker(AppState&, const std::string& item, Effects&);  // "" closes it
void action_translate(AppState&, const std::string& item, const std::string& to, Effects&);
void action_translate_toggle(AppState&, const std::string& item, Effects&);  // Show original ↔ translation
void action_translate_auto(AppState&, bool on, Effects&);                    // PUT /me/settings
void action_translate_send_toggle(AppState&, int64_t request_id, bool on, Effects&);
// A thread (re)loaded: forget another thread's items; with auto-translate on, ask once
// for the batch of every text not in my language.
void translate_thread_loaded(AppState&, Effects&);
// An older page of the thread arrived: auto-translation covers its texts too.
void translate_more_loaded(AppState&, Effects&);
constexpr int kAutoTranslateBatch = 60;  // texts per automatic translation call
// Answers of CallKind Translate*; false when the call is not one of them.
bool translate_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

}  // namespace parley
