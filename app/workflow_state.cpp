#include "app/workflow_state.h"
#include <algorithm>
#include "app/format.h"
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

static std::string request_path(int64_t id, const char* tail) {
    return "/api/v1/requests/" + std::to_string(id) + tail;
}

static HttpCall post_call(CallKind kind, int64_t request_id, const char* tail, std::string body) {
    HttpCall c;
    c.kind = kind;
    c.method = "POST";
    c.path = request_path(request_id, tail);
    c.body = std::move(body);
    c.request_id = request_id;
    return c;
}

// The inbox shows status and unread per request: refresh it after every change.
static void reload_inbox(AppState& s, Effects& fx) { inbox_refresh(s, fx); }

static std::string trimmed(const std::string& t) {
    const char* ws = " \t\r\n";
    size_t a = t.find_first_not_of(ws);
    if (a == std::string::npos) return {};
    return t.substr(a, t.find_last_not_of(ws) - a + 1);
}

static bool open_request(const AppState& s) {
    return s.route.screen == Screen::Request && s.thread && s.thread->id == s.route.request_id;
}

// ---------------------------------------------------------------- queries

bool is_buyer(const AppState& s) { return s.inbox.me.role == kRoleBuyer; }

const Conversation* find_conversation(const RequestDetail& d, int64_t id) {
    for (const Conversation& c : d.conversations)
        if (c.id == id) return &c;
    return nullptr;
}

int64_t shown_conversation(const AppState& s) {
    if (!s.thread || !is_buyer(s) || s.thread->conversations.empty()) return 0;
    const RequestDetail& d = *s.thread;
    if (find_conversation(d, s.wf.conversation)) return s.wf.conversation;
    if (find_conversation(d, d.my_conversation)) return d.my_conversation;
    return d.conversations.front().id;
}

int64_t reply_conversation(const AppState& s) { return shown_conversation(s); }

static bool seller_answered(const RequestDetail& d, int64_t conversation) {
    return std::any_of(d.messages.begin(), d.messages.end(), [&](const Message& m) {
        return m.conversation_id == conversation && m.author_role != kRoleBuyer;
    });
}

bool can_rate(const AppState& s, const Conversation& c) {
    if (!s.thread || !is_buyer(s) || c.rating.stars > 0) return false;
    return s.thread->can.rate || seller_answered(*s.thread, c.id);
}

std::vector<HistoryEntry> merged_history(const RequestDetail& d, int64_t only) {
    std::vector<HistoryEntry> out;
    for (const Message& m : d.messages)
        if (!only || m.conversation_id == only) out.push_back({&m, nullptr, m.created});
    std::vector<int64_t> ids;  // the messages shown, for "answered" (one lookup each, not a pass)
    ids.reserve(out.size());
    for (const HistoryEntry& h : out) ids.push_back(h.message->id);
    std::sort(ids.begin(), ids.end());
    auto shown = [&](int64_t message_id) {
        return message_id && std::binary_search(ids.begin(), ids.end(), message_id);
    };
    for (const Event& e : d.events) {
        if (e.kind == "message" || e.kind == "read") continue;
        if (only && e.conversation_id && e.conversation_id != only) continue;
        if (e.kind == "answered" && shown(e.message_id)) continue;  // its bubble says it
        out.push_back({nullptr, &e, e.created});
    }
    // Newest first. At the same millisecond an event comes after the message that
    // caused it ("answered"), so it is shown above it.
    std::stable_sort(out.begin(), out.end(), [](const HistoryEntry& a, const HistoryEntry& b) {
        if (a.at != b.at) return a.at > b.at;
        if ((a.event != nullptr) != (b.event != nullptr)) return a.event != nullptr;
        const int64_t ia = a.event ? a.event->id : a.message->id, ib = b.event ? b.event->id : b.message->id;
        return ia > ib;
    });
    return out;
}

ReadView read_view(const RequestDetail& d, const Message& m) {
    // The other side of m: the buyer reads the seller side's messages and vice versa.
    const bool by_buyer_side = m.author_role == kRoleBuyer;
    ReadView v;
    for (const Event& e : d.events) {
        if (e.kind != "read" || e.message_id < m.id || e.actor_id == m.author_id) continue;
        if (e.conversation_id && m.conversation_id && e.conversation_id != m.conversation_id) continue;
        const bool reader_is_buyer = e.actor_role == kRoleBuyer || (e.actor_id && e.actor_id == d.buyer.id);
        if (reader_is_buyer == by_buyer_side) continue;  // a colleague, not the other side
        if (!v.read || e.created < v.at) v = {true, e.created};
    }
    if (!v.read) {
        const Conversation* c = find_conversation(d, m.conversation_id);
        if (c && c->other_read_id >= m.id) v = {true, c->other_read_at};
    }
    return v;
}

ReadIndex build_read_index(const RequestDetail& d) {
    ReadIndex ix;
    for (const Event& e : d.events) {
        if (e.kind != "read") continue;
        const bool reader_is_buyer = e.actor_role == kRoleBuyer || (e.actor_id && e.actor_id == d.buyer.id);
        ix.marks[{e.conversation_id, reader_is_buyer}].push_back({e.message_id, e.created});
    }
    for (auto& [key, marks] : ix.marks) {
        std::sort(marks.begin(), marks.end(), [](const auto& a, const auto& b) { return a.message_id < b.message_id; });
        for (size_t i = marks.size() - 1; i-- > 0;) marks[i].first = std::min(marks[i].first, marks[i + 1].first);
    }
    return ix;
}

// A reader is never the author (the author is on the other side), so the index needs
// no per-actor check: conversation, side and message id decide, as in read_view().
ReadView read_view(const RequestDetail& d, const ReadIndex& ix, const Message& m) {
    const bool reader_is_buyer = m.author_role != kRoleBuyer;
    ReadView v;
    auto look = [&](const std::vector<ReadIndex::Mark>& marks) {
        auto it = std::lower_bound(marks.begin(), marks.end(), m.id,
                                   [](const ReadIndex::Mark& k, int64_t id) { return k.message_id < id; });
        if (it != marks.end() && (!v.read || it->first < v.at)) v = {true, it->first};
    };
    if (m.conversation_id) {
        for (int64_t c : {m.conversation_id, int64_t(0)})
            if (auto f = ix.marks.find({c, reader_is_buyer}); f != ix.marks.end()) look(f->second);
    } else {
        for (const auto& [key, marks] : ix.marks)
            if (key.second == reader_is_buyer) look(marks);
    }
    if (!v.read) {
        const Conversation* c = find_conversation(d, m.conversation_id);
        if (c && c->other_read_id >= m.id) v = {true, c->other_read_at};
    }
    return v;
}

std::string stars_text(int stars) {
    std::string s;
    for (int i = 0; i < 5; i++) s += i < stars ? "★" : "☆";
    return s;
}

const char* role_name(const std::string& role) {
    if (role == kRoleBuyer) return i18n::tr("Buyer");
    if (role == kRoleManufacturer) return i18n::tr("Manufacturer");
    if (role == kRoleAreaManager) return i18n::tr("Area manager");
    if (role == kRoleDistributor) return i18n::tr("Distributor");
    if (role == kRoleGuest) return i18n::tr("Outside contact");
    return role.c_str();
}

const char* decline_reason_name(const std::string& code) {
    if (code == "not_my_product") return i18n::tr("Not my product");
    if (code == "cannot_deliver") return i18n::tr("Cannot deliver to that country");
    if (code == "quantity_too_small") return i18n::tr("Quantity too small");
    if (code == "other") return i18n::tr("Other");
    return code.c_str();
}

static bool known_reason(const std::string& code) {
    return code == "not_my_product" || code == "cannot_deliver" || code == "quantity_too_small" || code == "other";
}

const char* event_icon(const std::string& kind) {
    if (kind == "phone_revealed") return "☎";
    if (kind == "cc_added") return "✚";
    if (kind == "forwarded") return "➜";
    if (kind == "routed") return "➔";
    if (kind == "declined") return "✕";
    if (kind == "answered") return "✉";
    if (kind == "sale_closed") return "✔";
    if (kind == "sale_lost") return "✗";
    if (kind == "rated") return "★";
    if (kind.rfind("quote_", 0) == 0) return "✎";
    return "●";
}

// A quoted note after an event line: — “…”.
static std::string quoted(const std::string& text) {
    return text.empty() ? std::string() : " — “" + one_line(text, 300) + "”";
}

std::string event_text(const Event& e, const RequestDetail& d, bool viewer_is_buyer) {
    const std::string& actor = e.actor_name;
    const std::string target = e.target_name;
    const std::string& k = e.kind;
    if (k == "phone_revealed") return i18n::trf("{0} revealed the phone number", {actor});
    if (k == "cc_added") return i18n::trf("{0} was put in copy by {1}", {target, actor});
    if (k == "forwarded") return i18n::trf("Forwarded to {0} by {1}", {target, actor}) + quoted(e.text);
    if (k == "declined") {
        // The buyer is told politely; the seller side sees the reason.
        if (viewer_is_buyer) return i18n::trf("{0} cannot take on this request", {actor});
        // The event carries a reason code, or the words given for "other".
        const Conversation* c = find_conversation(d, e.conversation_id);
        std::string why;
        if (known_reason(e.text)) {
            why = decline_reason_name(e.text);
            // The seller side's conversation says "other: <words>".
            const std::string prefix = e.text + ": ";
            if (c && c->decline_reason.rfind(prefix, 0) == 0) why += quoted(c->decline_reason.substr(prefix.size()));
        }
        else if (!e.text.empty()) why = i18n::tr("Other") + quoted(e.text);
        else if (c && !c->decline_reason.empty()) why = decline_reason_name(c->decline_reason);
        else return i18n::trf("Declined by {0}", {actor});
        return i18n::trf("Declined by {0}: {1}", {actor, why});
    }
    if (k == "routed") {
        // The event names the zone that matched (a country code) and the target's role.
        std::string role = e.target_role;
        for (const Conversation& c : d.conversations)
            if (role.empty() && c.seller.id == e.target_id) role = c.seller.role;
        const std::string country = country_name(e.text.size() == 2 ? e.text : d.country);
        if (role == kRoleDistributor) return i18n::trf("Routed to {0} (distributor for {1})", {target, country});
        if (role == kRoleAreaManager) return i18n::trf("Routed to {0} (area manager for {1})", {target, country});
        return i18n::trf("Routed to {0} (sales network for {1})", {target, country});
    }
    if (k == "answered") {
        if (e.actor_role == kRoleAreaManager || e.actor_role == kRoleDistributor)
            return i18n::tr("The sales network answered the buyer");
        return i18n::trf("{0} answered the buyer", {actor});
    }
    if (k == "sale_closed") return i18n::trf("Sale closed by {0}", {actor});
    if (k == "sale_lost") return i18n::trf("Marked lost by {0}", {actor});
    if (k == "rated") return i18n::trf("Rated {0}", {stars_text(e.value)}) + quoted(e.text);
    if (k == "reopened") return i18n::trf("Reopened by {0}", {actor});
    // Quote events carry the quote number in text (the typed name when accepted).
    const std::string version = std::to_string(e.value > 0 ? e.value : 1);
    if (k == "quote_sent") return i18n::trf("Quote {0} (version {1}) sent by {2}", {e.text, version, actor});
    if (k == "quote_superseded") return i18n::trf("Quote {0} superseded by a new version", {e.text});
    if (k == "quote_opened") return i18n::trf("{0} opened quote {1}", {actor, e.text});
    if (k == "quote_accepted") return i18n::trf("Quote accepted by {0}", {e.text});
    if (k == "quote_paid") return i18n::trf("Quote {0} paid online", {e.text});
    return k;
}

std::string tel_href(const std::string& phone) {
    std::string out = "tel:";
    for (char c : phone)
        if ((c >= '0' && c <= '9') || (c == '+' && out.size() == 4)) out += c;
    return out;
}

// ---------------------------------------------------------------- actions

void workflow_navigated(AppState& s) {
    // Dialogs, picks and errors belong to the request they were opened on.
    s.wf.dialog = ActionDialog{};
    s.wf.conversation = 0;
    s.wf.rating = RatingDraft{};
    s.wf.phone_loading = false;
    s.wf.phone_error.clear();
}

void workflow_thread_loaded(AppState& s) { s.wf.read_paused = false; }

void action_reveal_phone(AppState& s, Effects& fx) {
    if (!open_request(s) || s.wf.phone_loading || !s.thread->phone.empty()) return;
    s.wf.phone_loading = true;
    s.wf.phone_error.clear();
    fx.calls.push_back(post_call(CallKind::Phone, s.thread->id, "/phone", ""));
    fx.redraw = true;
}

void action_open_dialog(AppState& s, DialogKind kind, Effects& fx, const std::string& outcome) {
    if (!open_request(s)) return;
    ActionDialog& dlg = s.wf.dialog;
    // Reopening the same dialog keeps what was typed; another one starts empty.
    if (dlg.kind != kind || dlg.request_id != s.thread->id) dlg = ActionDialog{};
    dlg.kind = kind;
    dlg.request_id = s.thread->id;
    dlg.clear_error();
    if (kind == DialogKind::Close) dlg.outcome = outcome.empty() ? "won" : outcome;
    if (kind == DialogKind::Rate) {
        const int64_t c = shown_conversation(s);
        if (s.wf.rating.conversation_id != c) {
            s.wf.rating = RatingDraft{};
            s.wf.rating.conversation_id = c;
        }
        s.wf.rating.error.clear();
    }
    if ((kind == DialogKind::Forward || kind == DialogKind::Cc) && !s.wf.contacts && !s.wf.contacts_loading) {
        HttpCall c;
        c.kind = CallKind::Contacts;
        c.path = "/api/v1/contacts";
        s.wf.contacts_loading = true;
        s.wf.contacts_error.clear();
        fx.calls.push_back(c);
    }
    fx.redraw = true;
}

void action_close_dialog(AppState& s, Effects& fx) {
    s.wf.dialog = ActionDialog{};
    fx.redraw = true;
}

void action_submit_dialog(AppState& s, Effects& fx) {
    ActionDialog& dlg = s.wf.dialog;
    fx.redraw = true;
    if (dlg.kind == DialogKind::Rate) return action_send_rating(s, fx);
    if (dlg.kind == DialogKind::None || dlg.busy || !open_request(s) || dlg.request_id != s.thread->id) return;
    dlg.clear_error();
    const std::string email = trimmed(dlg.email);
    std::string body;
    const char* tail = "";
    switch (dlg.kind) {
        case DialogKind::Forward:
        case DialogKind::Cc: {
            if (!dlg.user_id && email.empty()) dlg.error = i18n::tr("Pick a contact or type an e-mail address.");
            else if (!dlg.user_id && !valid_email(email)) dlg.error = i18n::tr("This e-mail address does not look right."), dlg.invalid = "email";
            else if (dlg.note.size() > kMaxNoteChars) dlg.error = i18n::tr("The note is too long."), dlg.invalid = "note";
            AddRecipient a;
            a.user_id = dlg.user_id;
            if (!dlg.user_id) a.email = email;
            if (dlg.kind == DialogKind::Forward) a.note = trimmed(dlg.note);
            body = dump_json(a);
            tail = dlg.kind == DialogKind::Forward ? "/forward" : "/cc";
            break;
        }
        case DialogKind::Decline: {
            if (dlg.reason.empty()) dlg.error = i18n::tr("Choose a reason.");
            else if (dlg.reason == "other" && trimmed(dlg.text).empty()) dlg.error = i18n::tr("Say why in a few words."), dlg.invalid = "text";
            else if (dlg.text.size() > kMaxNoteChars) dlg.error = i18n::tr("The text is too long."), dlg.invalid = "text";
            body = dump_json(Decline{0, dlg.reason, dlg.reason == "other" ? trimmed(dlg.text) : std::string()});
            tail = "/decline";
            break;
        }
        case DialogKind::Close: {
            if (dlg.outcome != "won" && dlg.outcome != "lost") dlg.error = i18n::tr("Choose won or lost.");
            body = dump_json(CloseSale{0, dlg.outcome});
            tail = "/close";
            break;
        }
        case DialogKind::None:
        case DialogKind::Rate: return;
    }
    if (!dlg.error.empty()) return;
    dlg.busy = true;
    fx.calls.push_back(post_call(CallKind::Action, dlg.request_id, tail, body));
}

void action_select_conversation(AppState& s, int64_t conversation_id, Effects& fx) {
    if (!s.thread || !find_conversation(*s.thread, conversation_id)) return;
    s.wf.conversation = conversation_id;
    if (s.wf.rating.conversation_id != conversation_id) s.wf.rating = RatingDraft{};
    fx.redraw = true;
}

void action_send_rating(AppState& s, Effects& fx) {
    RatingDraft& r = s.wf.rating;
    fx.redraw = true;
    if (!open_request(s) || r.busy) return;
    r.conversation_id = shown_conversation(s);
    r.error.clear();
    if (r.stars < 1 || r.stars > 5) {
        r.error = i18n::tr("Choose 1 to 5 stars.");
        return;
    }
    if (r.comment.size() > kMaxNoteChars) {
        r.error = i18n::tr("The comment is too long.");
        return;
    }
    r.busy = true;
    fx.calls.push_back(post_call(CallKind::Rate, s.thread->id, "/rating",
                                 dump_json(NewRating{r.conversation_id, r.stars, trimmed(r.comment)})));
}

void action_displayed(AppState& s, int64_t conversation_id, int64_t message_id, Effects& fx) {
    if (!open_request(s) || s.wf.read_paused || message_id <= 0) return;
    int64_t& sent = s.wf.read_sent[conversation_id];
    if (message_id <= sent) return;  // only forward: the server never moves a mark back either
    sent = message_id;
    fx.calls.push_back(post_call(CallKind::MarkRead, s.thread->id, "/read", dump_json(ReadMark{conversation_id, message_id})));
}

void action_request_displayed(AppState& s, Effects& fx) {
    if (!open_request(s) || is_buyer(s) || s.wf.request_marked == s.thread->id) return;
    s.wf.request_marked = s.thread->id;
    const RequestDetail& d = *s.thread;
    const int64_t c = d.my_conversation;
    const bool others = std::any_of(d.messages.begin(), d.messages.end(), [&](const Message& m) {
        return m.conversation_id == c && m.author_id != s.inbox.me.id;
    });
    if (!c || others || s.wf.read_sent.count(c)) return;  // their messages: marked when displayed
    // message_id 0 = "up to the newest": only my own messages are there.
    fx.calls.push_back(post_call(CallKind::MarkRead, d.id, "/read", dump_json(ReadMark{c, 0})));
}

// ---------------------------------------------------------------- answers

// The action answered with the updated request: show it (if it is still the open one).
static bool take_detail(AppState& s, const HttpCall& c, const HttpResult& r) {
    RequestDetail d;
    if (r.status / 100 != 2 || !parse_json(r.body, d)) return false;
    if (s.route.screen == Screen::Request && s.route.request_id == c.request_id && d.id == c.request_id) {
        thread_take_detail(s, std::move(d));  // the older pages loaded stay
        workflow_thread_loaded(s);
    }
    return true;
}

static void on_action(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    ActionDialog& dlg = s.wf.dialog;
    const bool mine = dlg.busy && dlg.request_id == c.request_id;
    if (take_detail(s, c, r)) {
        if (mine) dlg = ActionDialog{};  // done: the dialog closes
        reload_inbox(s, fx);
        return;
    }
    if (!mine) return;
    dlg.busy = false;  // refused: the input stays, the reason shows in red
    dlg.error = r.status / 100 == 2 ? std::string(i18n::tr("Unreadable answer from the server.")) : failure_reason(r);
}

static void on_rate(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    RatingDraft& rd = s.wf.rating;
    if (take_detail(s, c, r)) {
        rd = RatingDraft{};
        if (s.wf.dialog.kind == DialogKind::Rate) s.wf.dialog = ActionDialog{};  // done: the dialog closes
        reload_inbox(s, fx);
        return;
    }
    rd.busy = false;
    rd.error = r.status / 100 == 2 ? std::string(i18n::tr("Unreadable answer from the server.")) : failure_reason(r);
}

static void on_phone(AppState& s, const HttpCall& c, const HttpResult& r) {
    s.wf.phone_loading = false;
    PhoneNumber p;
    if (r.status / 100 == 2 && parse_json(r.body, p) && !p.phone.empty()) {
        s.wf.phone_error.clear();
        if (s.thread && s.thread->id == c.request_id) s.thread->phone = p.phone;
    } else {
        s.wf.phone_error = r.status / 100 == 2 ? std::string(i18n::tr("Unreadable answer from the server.")) : failure_reason(r);
    }
}

static void on_contacts(AppState& s, const HttpResult& r) {
    s.wf.contacts_loading = false;
    Contacts cs;
    if (r.status == 200 && parse_json(r.body, cs)) {
        s.wf.contacts = std::move(cs);
        s.wf.contacts_error.clear();
    } else {
        s.wf.contacts_error = failure_reason(r);  // the address field still works
    }
}

static void on_mark_read(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    if (r.status / 100 == 2) {
        reload_inbox(s, fx);  // the unread count moves
        return;
    }
    // Not recorded: forget what we sent so the next load tries again (no retry loop now).
    ReadMark m;
    if (parse_json(c.body, m)) {
        auto it = s.wf.read_sent.find(m.conversation_id);
        if (it != s.wf.read_sent.end() && it->second == m.message_id) s.wf.read_sent.erase(it);
    }
    s.wf.read_paused = true;
}

void workflow_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    switch (c.kind) {
        case CallKind::Action: on_action(s, c, r, fx); break;
        case CallKind::Rate: on_rate(s, c, r, fx); break;
        case CallKind::Phone: on_phone(s, c, r); break;
        case CallKind::Contacts: on_contacts(s, r); break;
        case CallKind::MarkRead: on_mark_read(s, c, r, fx); break;
        default: break;
    }
}

}  // namespace parley
