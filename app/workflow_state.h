// The negotiation workflow on the open request: phone reveal, forward / CC / decline /
// close dialogs, the buyer's conversation choice and rating, read marks from what is
// actually on screen, and the merged history (messages + events). Pure logic like
// state.h: actions fill Effects, the UI (ui_actions.cpp, ui_history.cpp) only reads.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include "net/api.h"
#include "net/wire.h"

namespace parley {

struct AppState;
struct Effects;
struct HttpCall;

enum class DialogKind { None, Forward, Cc, Decline, Close, Rate };  // Rate: the buyer's, over RatingDraft

// The open action dialog. Its input survives a refused POST (the error shows in red).
struct ActionDialog {
    DialogKind kind = DialogKind::None;
    int64_t request_id = 0;
    int64_t user_id = 0;          // forward/CC: the contact picked (0: use `email`)
    std::string email, note;      // forward/CC: an address outside the marketplace; forward note
    std::string reason, text;     // decline: reason code; the words for "other"
    std::string outcome;          // close: "won" | "lost"
    bool busy = false;            // the POST is on its way
    std::string error;            // red line in the dialog; empty = none
    std::string invalid;          // the field it is about ("email", "note", "text"): outlined red
    void clear_error() { error.clear(), invalid.clear(); }
};

// The buyer's rating of one conversation, before it is sent.
struct RatingDraft {
    int64_t conversation_id = 0;
    int stars = 0;
    std::string comment;
    bool busy = false;
    std::string error;
};

struct Workflow {
    int64_t conversation = 0;     // buyer: the conversation shown and replied to (0 = default)
    ActionDialog dialog;
    std::optional<Contacts> contacts;  // GET /contacts, loaded when a forward/CC dialog opens
    bool contacts_loading = false;
    std::string contacts_error;
    bool phone_loading = false;
    std::string phone_error;
    RatingDraft rating;
    // Read marks sent: conversation → newest message id reported as displayed.
    std::map<int64_t, int64_t> read_sent;
    bool read_paused = false;     // a mark failed: no retry until the thread loads again
    int64_t request_marked = 0;   // request whose card was reported as displayed
};

// ---- Actions ----
void action_reveal_phone(AppState&, Effects&);
// `outcome` preselects won/lost for DialogKind::Close.
void action_open_dialog(AppState&, DialogKind, Effects&, const std::string& outcome = "");
void action_close_dialog(AppState&, Effects&);
void action_submit_dialog(AppState&, Effects&);
void action_select_conversation(AppState&, int64_t conversation_id, Effects&);
void action_send_rating(AppState&, Effects&);
// The UI saw message_id of conversation_id on screen: report it when it moves the mark.
void action_displayed(AppState&, int64_t conversation_id, int64_t message_id, Effects&);
// The request card was on screen. For the seller side the request itself is news
// until opened: mark my conversation read when that cannot cover an unseen message.
void action_request_displayed(AppState&, Effects&);
// Answers of the calls above (CallKind Phone, Contacts, Action, Rate, MarkRead).
void workflow_http_done(AppState&, const HttpCall&, const HttpResult&, Effects&);
// Hooks from state.cpp: another request was opened / the open one (re)loaded.
void workflow_navigated(AppState&);
void workflow_thread_loaded(AppState&);

// ---- Queries ----
bool is_buyer(const AppState&);
const Conversation* find_conversation(const RequestDetail&, int64_t id);
// Buyer: the conversation whose messages show (the chosen one, else the default);
// 0 for the seller side (all the conversations it may see).
int64_t shown_conversation(const AppState&);
// Where a reply goes: the buyer's shown conversation; 0 (my default) for sellers.
int64_t reply_conversation(const AppState&);
// Buyer: may rate this conversation now (not rated yet, a seller has answered).
bool can_rate(const AppState&, const Conversation&);

// One entry of the history: a message (bubble) or an event (compact line).
struct HistoryEntry {
    const Message* message = nullptr;
    const Event* event = nullptr;
    Millis at = 0;
};
// Messages and events in one list, newest first. `only_conversation` != 0 keeps that
// conversation's messages and events (and request-wide events). "message" and "read"
// events are not lines of their own (the bubble and its ✓✓ say it), nor "answered"
// when its message is shown.
std::vector<HistoryEntry> merged_history(const RequestDetail&, int64_t only_conversation);

// Read state of one of MY messages: read by the other side (✓✓ and when) or only sent (✓).
struct ReadView {
    bool read = false;
    Millis at = 0;  // when it was first displayed to them (0 if unknown)
};
ReadView read_view(const RequestDetail&, const Message& mine);
// The same answer without a pass over the events for each message (the history draws
// many): the thread's "read" events indexed once by conversation and reader side.
struct ReadIndex {
    struct Mark {
        int64_t message_id = 0;
        Millis first = 0;  // the earliest read of this message id or a later one
    };
    std::map<std::pair<int64_t, bool>, std::vector<Mark>> marks;  // (conversation, reader is the buyer) → by id
};
ReadIndex build_read_index(const RequestDetail&);
ReadView read_view(const RequestDetail&, const ReadIndex&, const Message& mine);  // O(log n)

// The line shown for an event, in the UI language; and its small symbol.
std::string event_text(const Event&, const RequestDetail&, bool viewer_is_buyer);
const char* event_icon(const std::string& kind);
std::string stars_text(int stars);  // "★★★★☆"
const char* role_name(const std::string& role);  // "distributor" → "Distributor" (translated)
const char* decline_reason_name(const std::string& code);
// "tel:+34612345678" from "+34 612 345 678" (digits and a leading +).
std::string tel_href(const std::string& phone);

}  // namespace parley
