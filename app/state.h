// Client state and the named actions that change it. Pure logic: no ImGui, no
// browser. Actions describe their side effects (HTTP calls, URL changes) in Effects,
// which the platform layer carries out; so every action is unit-testable natively.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include "net/api.h"
#include "net/wire.h"
#include "app/attach.h"
#include "app/inbox_state.h"
#include "app/network_state.h"
#include "app/preview_state.h"
#include "app/quote_state.h"
#include "app/theme_state.h"
#include "app/thread_pages.h"
#include "app/translate_state.h"
#include "app/workflow_state.h"
#include "app/crm_state.h"

namespace parley {

enum class Screen { Inbox, Request, SignedOut, Network };

struct Route {
    Screen screen = Screen::Inbox;
    int64_t request_id = 0;
    int64_t quote_id = 0;  // "/requests/12?quote=5": the quote viewer open on quote 5
    bool paid = false;     // "&paid=1": back from a payment provider's checkout
    bool reply = false;    // "?reply=1": the Reply button of an e-mail — open on the composer
    int64_t message_id = 0;  // "?m=7": open the thread at that message (search results, links)
    bool operator==(const Route&) const = default;
};
Route parse_route(const std::string& path);  // "/requests/12[?quote=5[&paid=1]|?reply=1|?m=7]" → Request 12; "/network"; else Inbox
std::string route_path(const Route& r);

// What an HTTP call is for: decides which action handles its answer.
enum class CallKind { Inbox, Thread, History, Send, MarkRead, Events, NetworkLoad, NetworkAdd, NetworkUpdate, NetworkRemove,
                      Phone, Contacts, Action, Rate,       // workflow_state.cpp
                      QuoteSend, QuoteOpen, QuoteAccept, QuotePay,    // quote_state.cpp
                      PreviewPages, PreviewImage,                     // preview_state.cpp
                      DeliveryRetry, HeldSettle,                      // state.cpp (e-mail)
                      FullLink,                                       // state.cpp (scoped sessions)
                      Translate, TranslateLanguages, TranslateSettings, TranslateSettingsSave,  // translate_state.cpp
                      Me, ThemeSave,                                  // theme_state.cpp (dark mode)
                      CrmLoad, CrmWrite, CrmOlder };                  // crm_state.cpp (leads into the CRM)

struct HttpCall {
    CallKind kind = CallKind::Inbox;
    std::string method = "GET", path, body, idempotency_key;
    int64_t request_id = 0;  // Thread/Send/MarkRead
    int64_t member_id = 0;   // NetworkUpdate/NetworkRemove; PreviewImage: the page number; DeliveryRetry: the delivery;
                             // HeldSettle: the held reply
    int delay_ms = 0;        // start after this delay (retry back-off)
    // Thread pages (app/thread_pages.h) and inbox pages (app/inbox_state.h): whose
    // answer this is, so that one for an earlier thread or query is dropped.
    uint64_t generation = 0;
    int64_t before = 0, after = 0, around = 0;  // History: the page asked for
    bool gap = false;                           // History: a page into a jump's gap
    std::string page{}, search{};     // Inbox: the page cursor ("" = first) and the search
};

// Side effects asked for by an action.
struct Effects {
    std::vector<HttpCall> calls;
    std::optional<std::string> push_url;  // history.pushState
    bool history_back = false;            // history.back(): a sheet's own entry is done
    std::optional<std::string> open_url;  // a link: new tab
    std::optional<std::string> go_url;    // leave the page for this one (a payment checkout)
    std::vector<std::pair<std::string, std::string>> store;  // localStorage writes (key, value)
    std::vector<std::string> load;        // localStorage reads, answered by action_loaded
    std::vector<UploadCall> uploads;      // start these uploads (XMLHttpRequest, File kept in JS)
    std::vector<int> upload_aborts;       // xhr.abort() these
    std::vector<int> upload_forget;       // drop these Files (rejected before upload)
    std::optional<int> timer_ms;          // call action_timer after this many ms (inbox search quiet)
    bool redraw = false;
};

constexpr int kMaxSendAttempts = 8;  // ~1 min of retries before a reply turns red

struct Draft {
    std::string text;
    bool sending = false;         // a POST is on its way (or waiting to retry)
    bool queued = false;          // in the outbox: no connection, retrying
    int attempts = 0;
    std::string error;            // red message under the composer; empty = none
    std::string idempotency_key;  // kept across retries of the same text
    std::string from_email;       // e-mail: my address, when the server asks for it (can.from_required)
    std::string translate_to;     // also send a translation into this language (set at Send)
    int64_t conversation_id = 0;  // where it goes (buyer: the conversation shown); 0 = my default
    std::vector<Upload> uploads;  // attachment chips (app/attach.cpp); kept across a failed send
    bool uploading() const;       // an upload still runs: Send waits
    std::vector<int64_t> attachment_ids() const;  // finished uploads, sent with the text
};

struct AppState {
    Route route;
    bool inbox_loaded = false;
    std::string inbox_error;
    Inbox inbox;

    InboxPages ip;                        // the inbox's pages, filter chip and search (app/inbox_state.h)

    std::optional<RequestDetail> thread;  // the open request, when loaded (with its older pages)
    ThreadPages pages;                    // older pages of the thread, jumps (app/thread_pages.h)
    bool thread_loading = false;
    std::string thread_error;

    NetworkState network;                 // "My sales network" (app/network_state.h)
    CrmState crm;                         // its CRM integrations (app/crm_state.h)
    Workflow wf;                          // actions on the open request (app/workflow_state.h)
    QuoteEditor qe;                       // the seller's quote composer (app/quote_state.h)
    QuoteViewer qv;                       // the quote viewer
    PdfPreview preview;                   // page previews of a PDF document (app/preview_state.h)
    // A full-screen sheet (the quote composer, a PDF preview) has its own history entry
    // ("…#sheet"), so that the phone's Back closes the sheet and stays on the request.
    bool sheet_entry = false;
    TranslateState tl;                    // translations of the thread's texts (app/translate_state.h)
    ThemeState theme;                     // dark mode: the user's theme and the device's (app/theme_state.h)
    bool focus_composer = false;          // landed from an e-mail's Reply button: the UI focuses the composer once

    // Retry of a failed e-mail delivery, by Delivery.id: on its way / why it was refused.
    std::vector<int64_t> retrying;
    std::map<int64_t, std::string> retry_errors;
    // My replies by e-mail held because their sender proved nothing, by HeldReply.id:
    // "Post it" / "Discard" on its way / why it failed.
    std::vector<int64_t> settling_held;
    std::map<int64_t, std::string> held_errors;

    // A scoped session (signed in by a notification e-mail's link: Inbox.scope_request_id)
    // shows that request alone; the top bar offers a full sign-in link by e-mail.
    struct FullLink {
        bool sending = false;
        std::string sent_to, error;  // the address the link went to; why it was not sent
    } full_link;

    std::map<int64_t, Draft> drafts;  // per request id
    int64_t cursor = 0;               // events seen up to here
    bool polling = false;
    int poll_failures = 0;
    uint64_t key_counter = 0;         // for idempotency keys
    uint64_t key_seed = 0;            // random per page load (set by the platform)
};

// ---- Named actions ----
void action_start(AppState&, const std::string& initial_path, Effects&);
void action_navigate(AppState&, const Route&, bool push_history, Effects&);
// Back/Forward (popstate): closes an open full-screen sheet when the page stays the same,
// else navigates.
void action_popstate(AppState&, const Route&, Effects&);
// Full-screen sheets and the history (see AppState::sheet_entry): opening pushes an entry
// for the sheet; closing it from the page goes back over that entry.
void sheet_opened(AppState& s, Effects& fx);
void sheet_closed(AppState& s, Effects& fx);

void action_send(AppState&, Effects&);  // send the open request's draft
void action_draft_edited(AppState&, int64_t request_id, Effects&);  // saves drafts locally
void action_online(AppState&, Effects&);
void action_set_language(AppState&, const std::string& code, Effects&);  // UI language, remembered  // the browser is back online: flush the outbox
void action_loaded(AppState&, const std::string& key, const std::string& value, Effects&);
// "Retry" under my message whose e-mail to a recipient failed for good: queues
// it again on the server; the answer (the request's detail) replaces the open thread.
void action_retry_delivery(AppState&, int64_t delivery_id, Effects&);
// "Post it" (post = true) or "Discard" on my reply by e-mail that was held: the answer
// (the request's detail) replaces the open thread.
void action_settle_held(AppState&, int64_t held_id, bool post, Effects&);
bool held_settling(const AppState&, int64_t held_id);
// A scoped session: the request it opens (0: a full session, or not known yet).
int64_t session_scope(const AppState&);
// "Send me a full sign-in link" (scoped sessions): POST /auth/full-link; the answer says
// where it went ("Link sent to …").
void action_full_link(AppState&, Effects&);
// Every HTTP answer goes through here; it dispatches to the action for call.kind.
void action_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);

// ---- Attachments (app/attach.cpp) ----
// Files picked (picker, drop, paste) for the open request: checked, then uploaded.
void action_files_picked(AppState&, const std::vector<PickedFile>&, Effects&);
void action_upload_progress(AppState&, int token, int64_t loaded, int64_t total, Effects&);
void action_upload_done(AppState&, int token, int status, const std::string& body, Effects&);  // status 0: network
void action_upload_cancel(AppState&, int token, Effects&);  // × on a running upload: abort it
void action_upload_remove(AppState&, int token, Effects&);  // × on a finished or failed chip

// ---- Queries used by the UI ----
Draft& current_draft(AppState&);
std::string window_title(const AppState&);
std::string drafts_key(const AppState&);   // localStorage key: per signed-in user
std::string drafts_json(const AppState&);  // what is saved: text, key, outbox flag
const RequestSummary* find_summary(const AppState&, int64_t request_id);

// Delivery status of my messages' e-mails. The failure kind in words
// ("address rejected"); the line under the message: "Not delivered to Ana: address
// rejected" (failed_permanent, red, with Retry), "Delivery to Ana delayed, retrying"
// (failed_temporary, muted), "" for the rest (queued, sent, development mailbox).
std::string delivery_kind_words(const std::string& error_kind);
std::string delivery_line(const Delivery&);
bool delivery_retrying(const AppState&, int64_t delivery_id);

// A readable reason for a failed call ("No connection", the server's message, …).
std::string failure_reason(const HttpResult&);

}  // namespace parley
