#include "app/state.h"
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include "app/i18n.h"

namespace parley {

Route parse_route(const std::string& path) {
    if (path == "/network" || path.rfind("/network/", 0) == 0 || path.rfind("/network?", 0) == 0 ||
        path.rfind("/network#", 0) == 0)
        return {Screen::Network, 0};
    const std::string prefix = "/requests/";
    if (path.rfind(prefix, 0) == 0) {
        const char* s = path.c_str() + prefix.size();
        char* end = nullptr;
        long long id = std::strtoll(s, &end, 10);
        if (end != s && id > 0 && (*end == 0 || *end == '/' || *end == '?' || *end == '#')) {
            Route r{Screen::Request, id};
            // The query: quote=N (the quote viewer), paid=1 (back from a checkout).
            const std::string query = path.substr(path.find('?') == std::string::npos ? path.size() : path.find('?') + 1);
            size_t at = 0;
            while (at < query.size()) {
                size_t amp = query.find_first_of("&#", at);
                const std::string kv = query.substr(at, amp == std::string::npos ? std::string::npos : amp - at);
                if (kv.rfind("quote=", 0) == 0) {
                    const char* q = kv.c_str() + 6;
                    char* qend = nullptr;
                    long long qid = std::strtoll(q, &qend, 10);
                    if (qend != q && *qend == 0 && qid > 0) r.quote_id = qid;
                } else if (kv == "paid=1") {
                    r.paid = true;
                } else if (kv == "reply=1") {
                    r.reply = true;
                } else if (kv.rfind("m=", 0) == 0) {
                    const char* q = kv.c_str() + 2;
                    char* qend = nullptr;
                    long long mid = std::strtoll(q, &qend, 10);
                    if (qend != q && *qend == 0 && mid > 0) r.message_id = mid;
                }
                if (amp == std::string::npos || query[amp] == '#') break;
                at = amp + 1;
            }
            if (!r.quote_id) r.paid = false;
            if (r.quote_id) r.reply = false;
            return r;
        }
    }
    return {Screen::Inbox, 0};
}

std::string route_path(const Route& r) {
    if (r.screen == Screen::Request) {
        std::string q;
        auto add = [&](const std::string& kv) {
            q += q.empty() ? '?' : '&';
            q += kv;
        };
        if (r.quote_id) add("quote=" + std::to_string(r.quote_id));
        if (r.quote_id && r.paid) add("paid=1");
        if (!r.quote_id && r.reply) add("reply=1");
        if (r.message_id) add("m=" + std::to_string(r.message_id));
        return "/requests/" + std::to_string(r.request_id) + q;
    }
    if (r.screen == Screen::Network) return "/network";
    return "/";
}

static HttpCall get_call(CallKind kind, std::string path, int64_t request_id = 0) {
    HttpCall c;
    c.kind = kind;
    c.path = std::move(path);
    c.request_id = request_id;
    return c;
}

static void load_thread(AppState& s, int64_t id, Effects& fx) {
    s.thread_loading = true;
    fx.calls.push_back(thread_call(s, id));
}

static void poll_events(AppState& s, Effects& fx, int delay_ms = 0) {
    HttpCall c = get_call(CallKind::Events, "/api/v1/events?after=" + std::to_string(s.cursor));
    c.delay_ms = delay_ms;
    s.polling = true;
    fx.calls.push_back(c);
}

void action_start(AppState& s, const std::string& initial_path, Effects& fx) {
    s.route = parse_route(initial_path);
    s.focus_composer = s.route.reply;
    inbox_refresh(s, fx);
    if (s.route.screen == Screen::Request) {
        // Read marks follow from what is displayed; a link to a message jumps once loaded.
        load_thread(s, s.route.request_id, fx);
        if (s.route.message_id) action_thread_jump(s, s.route.message_id, fx);
    }
    if (s.route.screen == Screen::Network) action_network_load(s, fx);
    quote_route_changed(s, fx);
    fx.calls.push_back(me_call());  // dark mode: the theme this user chose, on any device
    fx.redraw = true;
}

void action_navigate(AppState& s, const Route& to, bool push_history, Effects& fx) {
    if (s.route.screen == Screen::SignedOut) return;
    bool same = to == s.route;
    // Opening or closing the quote viewer (?quote=N) stays on the same page.
    const bool same_page = to.screen == s.route.screen && to.request_id == s.route.request_id;
    if (!same_page) s.sheet_entry = false;
    s.route = to;
    if (to.screen == Screen::Request && (!same_page || !s.thread || s.thread->id != to.request_id)) {
        const bool other = !s.thread || s.thread->id != to.request_id;
        if (other) {
            s.thread.reset();
            thread_pages_reset(s);
            workflow_navigated(s);
            if (s.preview.attachment_id) action_preview_close(s, fx);  // it belonged to that request
        }
        s.thread_error.clear();
        load_thread(s, to.request_id, fx);
    }
    if (to.screen == Screen::Request && to.message_id) action_thread_jump(s, to.message_id, fx);
    if (to.screen == Screen::Network && !same) action_network_load(s, fx);
    if (push_history && !same) fx.push_url = route_path(to);
    quote_route_changed(s, fx);
    fx.redraw = true;
}

void sheet_opened(AppState& s, Effects& fx) {
    if (s.sheet_entry || s.route.screen != Screen::Request) return;
    s.sheet_entry = true;
    fx.push_url = route_path(s.route) + "#sheet";
}

void sheet_closed(AppState& s, Effects& fx) {
    if (!s.sheet_entry) return;
    s.sheet_entry = false;
    fx.history_back = true;  // its popstate finds the sheet closed: nothing more happens
}

void action_popstate(AppState& s, const Route& to, Effects& fx) {
    const bool same_page = to.screen == s.route.screen && to.request_id == s.route.request_id &&
                           to.quote_id == s.route.quote_id;
    if (same_page && (s.qe.open || s.preview.attachment_id)) {
        s.sheet_entry = false;  // Back took its entry away already
        if (s.preview.attachment_id) action_preview_close(s, fx);
        else action_quote_close_editor(s, fx);
        return;
    }
    s.sheet_entry = false;
    action_navigate(s, to, /*push_history=*/false, fx);
}

Draft& current_draft(AppState& s) { return s.drafts[s.route.request_id]; }

static bool blank(const std::string& t) {
    return std::all_of(t.begin(), t.end(), [](unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

static void save_drafts(const AppState& s, Effects& fx) {
    if (s.inbox_loaded) fx.store.emplace_back(drafts_key(s), drafts_json(s));
}

static void post_draft(int64_t request_id, Draft& d, int delay_ms, Effects& fx) {
    HttpCall c;
    c.kind = CallKind::Send;
    c.method = "POST";
    c.request_id = request_id;
    c.path = "/api/v1/requests/" + std::to_string(request_id) + "/messages";
    const NewMessage m{.body = d.text, .conversation_id = d.conversation_id, .attachments = d.attachment_ids(),
                       .translate_to = d.translate_to, .from_email = d.from_email};
    c.body = dump_json(m);
    c.idempotency_key = d.idempotency_key;
    c.delay_ms = delay_ms;
    d.attempts++;
    fx.calls.push_back(c);
}

void action_send(AppState& s, Effects& fx) {
    if (s.route.screen != Screen::Request) return;
    Draft& d = current_draft(s);
    if (d.sending) return;
    if (d.uploading()) {
        d.error = i18n::tr("Wait until the documents are uploaded.");
        fx.redraw = true;
        return;
    }
    if (blank(d.text) && d.attachment_ids().empty()) {
        d.error = i18n::tr("Write a message before sending.");
        fx.redraw = true;
        return;
    }
    if (d.text.size() > kMaxMessageChars) {
        d.error = i18n::trf("The message is too long ({0} of {1} bytes).",
                            {std::to_string(d.text.size()), std::to_string(kMaxMessageChars)});
        fx.redraw = true;
        return;
    }
    if (d.idempotency_key.empty()) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%016llx-%llu", (unsigned long long)s.key_seed,
                      (unsigned long long)++s.key_counter);
        d.idempotency_key = buf;
    }
    if (s.thread && s.thread->can.from_required && !valid_email(d.from_email)) {
        d.error = d.from_email.empty() ? i18n::tr("Type your e-mail address in the From field so that the buyer can answer you.")
                                       : i18n::trf("\"{0}\" is not a valid e-mail address.", {d.from_email});
        fx.redraw = true;
        return;
    }
    d.translate_to = s.tl.send_translation[s.route.request_id] ? send_translation_target(s) : std::string();
    d.sending = true;
    d.attempts = 0;
    d.error.clear();
    d.conversation_id = reply_conversation(s);
    post_draft(s.route.request_id, d, 0, fx);
    save_drafts(s, fx);
    fx.redraw = true;
}

void action_draft_edited(AppState& s, int64_t, Effects& fx) { save_drafts(s, fx); }

void action_online(AppState& s, Effects& fx) {
    for (auto& [id, d] : s.drafts)
        if (d.queued) post_draft(id, d, 0, fx);
    if (!s.polling && s.inbox_loaded) poll_events(s, fx);
    fx.redraw = true;
}

void action_set_language(AppState&, const std::string& code, Effects& fx) {
    i18n::set_language(code);
    fx.store.emplace_back("parley.lang", i18n::language());
    fx.redraw = true;
}

std::string drafts_key(const AppState& s) { return "parley.drafts." + std::to_string(s.inbox.me.id); }

std::string drafts_json(const AppState& s) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [id, d] : s.drafts) {
        if (d.text.empty()) continue;
        j[std::to_string(id)] = {{"text", d.text}, {"key", d.idempotency_key}, {"outbox", d.sending || d.queued}};
        if (d.conversation_id) j[std::to_string(id)]["conv"] = d.conversation_id;  // a buyer's chosen conversation
    }
    return j.dump();
}

void action_loaded(AppState& s, const std::string& key, const std::string& value, Effects& fx) {
    if (key != drafts_key(s) || value.empty()) return;
    nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_object()) return;  // damaged storage: ignore it rather than crash
    for (auto& [k, v] : j.items()) {
        int64_t id = std::strtoll(k.c_str(), nullptr, 10);
        if (id <= 0 || !v.is_object() || !v.value("text", nlohmann::json()).is_string()) continue;
        Draft& d = s.drafts[id];
        if (!d.text.empty() || d.sending) continue;  // typed since the page opened: keep that
        d.text = v["text"].get<std::string>();
        if (v.contains("key") && v["key"].is_string()) d.idempotency_key = v["key"].get<std::string>();
        if (v.contains("conv") && v["conv"].is_number_integer()) d.conversation_id = v["conv"].get<int64_t>();
        // A reply that was in the outbox when the page closed goes out again, with
        // the same key: if it had reached the server, it is not duplicated.
        if (v.value("outbox", false) && !d.idempotency_key.empty()) {
            d.sending = true;
            d.queued = true;
            post_draft(id, d, 0, fx);
        }
    }
    fx.redraw = true;
}

std::string failure_reason(const HttpResult& r) {
    if (r.status == 0) return i18n::tr("No connection to the server. Your text is kept; try again.");
    ApiError e;
    if (parse_json(r.body, e) && !e.message.empty()) return e.message;
    return "The server answered " + std::to_string(r.status) + ".";
}

const RequestSummary* find_summary(const AppState& s, int64_t id) {
    for (const auto& r : s.inbox.requests)
        if (r.id == id) return &r;
    return nullptr;
}

std::string window_title(const AppState& s) {
    std::string t;
    if (s.inbox.unread > 0) t = "(" + std::to_string(s.inbox.unread) + ") ";
    if (s.route.screen == Screen::Request && s.thread) t += s.thread->product + " — ";
    if (s.route.screen == Screen::Network) t += std::string(i18n::tr("My sales network")) + " — ";
    return t + "Parley";
}

// ---- Answers ----

static void signed_out(AppState& s, Effects& fx) {
    s.route = {Screen::SignedOut, 0};
    s.polling = false;
    fx.redraw = true;
}

int64_t session_scope(const AppState& s) { return s.inbox_loaded ? s.inbox.scope_request_id : 0; }

void action_full_link(AppState& s, Effects& fx) {
    if (!session_scope(s) || s.full_link.sending) return;
    s.full_link.sending = true;
    s.full_link.error.clear();
    HttpCall c;
    c.kind = CallKind::FullLink;
    c.method = "POST";
    c.path = "/api/v1/auth/full-link";
    fx.calls.push_back(c);
    fx.redraw = true;
}

static void on_full_link(AppState& s, const HttpResult& r) {
    s.full_link.sending = false;
    FullLinkSent sent;
    if ((r.status == 200 || r.status == 202) && parse_json(r.body, sent)) s.full_link.sent_to = sent.email;
    else s.full_link.error = failure_reason(r);
}

static void on_inbox(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    if (inbox_http_done(s, c, r, fx)) {  // the first inbox of this page
        // A scoped session opens its request alone: that is the page, whatever the address.
        if (const int64_t scope = session_scope(s); scope && (s.route.screen != Screen::Request || s.route.request_id != scope))
            action_navigate(s, {Screen::Request, scope}, true, fx);
        action_translate_start(s, fx);
        s.cursor = std::max(s.cursor, s.inbox.cursor);
        if (!s.polling) poll_events(s, fx);
        fx.load.push_back(drafts_key(s));  // drafts saved by an earlier visit
    }
}

static void on_thread(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    if (s.route.screen != Screen::Request || s.route.request_id != c.request_id) return;  // stale
    if (c.generation != s.pages.generation) return;  // asked for before another thread opened
    s.thread_loading = false;
    RequestDetail d;
    std::string why;
    if (r.status == 200 && parse_json(r.body, d, &why)) {
        thread_take_detail(s, std::move(d));
        // A link to a message below this page: the page around it (thread_pages.h).
        if (s.pages.want) action_thread_jump(s, s.pages.want, fx);
        s.thread_error.clear();
        workflow_thread_loaded(s);
        quote_thread_loaded(s, fx);
        translate_thread_loaded(s, fx);
    } else if (r.status == 404) {
        s.thread.reset();
        s.thread_error = i18n::tr("This request does not exist or is not visible to you.");
    } else {
        s.thread_error = r.status == 200 ? "Unreadable answer: " + why : failure_reason(r);
    }
}

static bool retryable(const HttpResult& r) { return r.status == 0 || r.status == 429 || r.status >= 500; }

static void on_send(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    Draft& d = s.drafts[c.request_id];
    if (!d.sending) return;  // a duplicate answer (retry raced with 'online'): already handled
    Message m;
    if (retryable(r) && d.attempts < kMaxSendAttempts) {
        // Outbox: keep "sending…", retry with the same idempotency key, backing off
        // (and, when the server said how long to wait, at least that).
        d.queued = true;
        int delay = std::min(15000, 1000 << std::min(d.attempts - 1, 4));
        ApiError e;
        if (r.status == 429 && parse_json(r.body, e) && e.retry_after > 0)
            delay = std::max(delay, std::min(e.retry_after, 300) * 1000);
        post_draft(c.request_id, d, delay, fx);
        save_drafts(s, fx);
        return;
    }
    d.sending = false;
    d.queued = false;
    if ((r.status == 200 || r.status == 201) && parse_json(r.body, m)) {
        d = Draft{};  // sent: clear text, error and key
        if (s.thread && s.thread->id == c.request_id) {
            auto& ms = s.thread->messages;
            if (std::none_of(ms.begin(), ms.end(), [&](const Message& x) { return x.id == m.id; })) {
                ms.insert(ms.begin(), m);
                s.thread->message_total++;  // the live reload brings the server's count
            }
        }
        inbox_refresh(s, fx);
    } else {
        // Keep the text and the key: a retry of the same text must not duplicate.
        d.error = i18n::trf("Not sent: {0}", {failure_reason(r)});
    }
    save_drafts(s, fx);
}

static void on_events(AppState& s, const HttpResult& r, Effects& fx) {
    s.polling = false;
    EventBatch b;
    if (r.status == 200 && parse_json(r.body, b)) {
        s.poll_failures = 0;
        s.cursor = std::max(s.cursor, b.cursor);
        if (!b.events.empty()) {
            inbox_refresh(s, fx);
            // Any event of the open request (forward, decline, read mark, …) changes
            // what it shows: reload it once.
            bool open_changed = false;
            for (const Event& e : b.events)
                if (s.route.screen == Screen::Request && e.request_id == s.route.request_id) open_changed = true;
            if (open_changed) load_thread(s, s.route.request_id, fx);
        }
        poll_events(s, fx);
    } else {
        // Back off on errors (server restarting, offline): 1 s, 2 s, 4 s … 30 s.
        s.poll_failures++;
        int delay = std::min(30000, 1000 << std::min(s.poll_failures - 1, 5));
        poll_events(s, fx, delay);
    }
}

// ---- Delivery status of e-mails ----

std::string delivery_kind_words(const std::string& k) {
    // The wire's kinds, and the outbox's longer names should an older server send them.
    if (k == "address_rejected") return i18n::tr("address rejected");
    if (k == "mailbox_full") return i18n::tr("mailbox full");
    if (k == "too_large" || k == "message_too_large") return i18n::tr("message too large");
    if (k == "spam" || k == "blocked_as_spam") return i18n::tr("blocked as spam");
    if (k == "unreachable" || k == "relay_unreachable") return i18n::tr("relay unreachable");
    return i18n::tr("other error");
}

std::string delivery_line(const Delivery& d) {
    if (d.status == "failed_permanent")
        return i18n::trf("Not delivered to {0}: {1}", {d.recipient_name, delivery_kind_words(d.error_kind)});
    if (d.status == "failed_temporary") return i18n::trf("Delivery to {0} delayed, retrying", {d.recipient_name});
    return "";
}

bool delivery_retrying(const AppState& s, int64_t id) {
    return std::find(s.retrying.begin(), s.retrying.end(), id) != s.retrying.end();
}

void action_retry_delivery(AppState& s, int64_t id, Effects& fx) {
    fx.redraw = true;
    if (id <= 0 || delivery_retrying(s, id) || !s.thread) return;  // one call per delivery at a time
    s.retrying.push_back(id);
    s.retry_errors.erase(id);
    HttpCall c;
    c.kind = CallKind::DeliveryRetry;
    c.method = "POST";
    c.path = "/api/v1/deliveries/" + std::to_string(id) + "/retry";
    c.request_id = s.thread->id;
    c.member_id = id;
    fx.calls.push_back(c);
}

// The request's detail answered by an action on the open thread replaces it.
static bool take_answered_detail(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    RequestDetail d;
    if (r.status != 200 || !parse_json(r.body, d)) return false;
    if (s.route.screen == Screen::Request && s.route.request_id == c.request_id && s.thread) {
        thread_take_detail(s, std::move(d));
        workflow_thread_loaded(s);
        quote_thread_loaded(s, fx);
    }
    return true;
}

static void on_retry_delivery(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    s.retrying.erase(std::remove(s.retrying.begin(), s.retrying.end(), c.member_id), s.retrying.end());
    // The detail as it is now: the delivery is queued again, its red line gone.
    if (take_answered_detail(s, c, r, fx)) return;
    // 409: it is no longer failed (sent meanwhile, or retried elsewhere): show what is true now.
    if (r.status == 409 && s.route.screen == Screen::Request && s.route.request_id == c.request_id)
        load_thread(s, c.request_id, fx);
    else
        s.retry_errors[c.member_id] = i18n::trf("Not retried: {0}", {failure_reason(r)});
}

bool held_settling(const AppState& s, int64_t id) {
    return std::find(s.settling_held.begin(), s.settling_held.end(), id) != s.settling_held.end();
}

void action_settle_held(AppState& s, int64_t id, bool post, Effects& fx) {
    fx.redraw = true;
    if (id <= 0 || held_settling(s, id) || !s.thread) return;  // one call per held reply at a time
    s.settling_held.push_back(id);
    s.held_errors.erase(id);
    HttpCall c;
    c.kind = CallKind::HeldSettle;
    c.method = "POST";
    c.path = "/api/v1/mail/held/" + std::to_string(id) + (post ? "/post" : "/discard");
    c.body = "{}";
    c.request_id = s.thread->id;
    c.member_id = id;
    fx.calls.push_back(c);
}

static void on_held_settled(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    s.settling_held.erase(std::remove(s.settling_held.begin(), s.settling_held.end(), c.member_id),
                          s.settling_held.end());
    if (take_answered_detail(s, c, r, fx)) return;
    // 409: settled already (another tab): show what is true now.
    if (r.status == 409 && s.route.screen == Screen::Request && s.route.request_id == c.request_id)
        load_thread(s, c.request_id, fx);
    else
        s.held_errors[c.member_id] = i18n::trf("Not done: {0}", {failure_reason(r)});
}

void action_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    fx.redraw = true;
    if (r.status == 401) {
        signed_out(s, fx);
        return;
    }
    switch (c.kind) {
        case CallKind::Inbox: on_inbox(s, c, r, fx); break;
        case CallKind::Thread: on_thread(s, c, r, fx); break;
        case CallKind::History: thread_pages_http_done(s, c, r, fx); break;
        case CallKind::Send: on_send(s, c, r, fx); break;
        case CallKind::MarkRead: case CallKind::Phone: case CallKind::Contacts: case CallKind::Action:
        case CallKind::Rate: workflow_http_done(s, c, r, fx); break;
        case CallKind::Events: on_events(s, r, fx); break;
        case CallKind::QuoteSend: case CallKind::QuoteOpen: case CallKind::QuoteAccept:
        case CallKind::QuotePay: quote_http_done(s, c, r, fx); break;
        case CallKind::PreviewPages: case CallKind::PreviewImage: preview_http_done(s, c, r, fx); break;
        case CallKind::NetworkLoad: case CallKind::NetworkAdd: case CallKind::NetworkUpdate:
        case CallKind::NetworkRemove: network_http_done(s, c, r, fx); break;
        case CallKind::DeliveryRetry: on_retry_delivery(s, c, r, fx); break;
        case CallKind::HeldSettle: on_held_settled(s, c, r, fx); break;
        case CallKind::FullLink: on_full_link(s, r); break;
        case CallKind::Translate: case CallKind::TranslateLanguages: case CallKind::TranslateSettings:
        case CallKind::TranslateSettingsSave: translate_http_done(s, c, r, fx); break;
        case CallKind::Me: case CallKind::ThemeSave: theme_http_done(s, c, r, fx); break;
        case CallKind::CrmLoad: case CallKind::CrmWrite: case CallKind::CrmOlder: crm_http_done(s, c, r, fx); break;
    }
}

}  // namespace parley
