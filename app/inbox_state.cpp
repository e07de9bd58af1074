// Inbox pages and inbox search. See inbox_state.h.
#include "app/inbox_state.h"
#include <algorithm>
#include <unordered_set>
#include "app/attach.h"
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

std::vector<std::string> inbox_filters(bool seller) {
    if (seller) return {"all", "to_answer", "unread"};
    return {"all", "unread", "open", "answered"};
}

static std::string trimmed(const std::string& t) {
    const char* ws = " \t\r\n";
    const size_t a = t.find_first_not_of(ws);
    if (a == std::string::npos) return {};
    return t.substr(a, t.find_last_not_of(ws) - a + 1);
}

// The chip and the search as query parameters ("status=won&q=pump"; "" = none).
static std::string filter_query(const InboxPages& p) {
    std::string q;
    auto add = [&](const char* k, const std::string& v) {
        if (!q.empty()) q += '&';
        q += k;
        q += '=';
        q += v;
    };
    if (p.filter == "unread") add("unread", "1");
    else if (p.filter != "all" && !p.filter.empty()) add("status", url_encode(p.filter));
    if (!p.search.empty()) add("q", url_encode(p.search));
    return q;
}

std::string inbox_path(const InboxPages& p, const std::string& page) {
    std::string q = filter_query(p);
    if (!page.empty()) q += (q.empty() ? "page=" : "&page=") + url_encode(page);
    return "/api/v1/requests" + (q.empty() ? "" : "?" + q);
}

std::string inbox_export_path(const InboxPages& p, const std::string& format) {
    const std::string q = filter_query(p);
    return "/api/v1/export/requests?format=" + format + (q.empty() ? "" : "&" + q);
}

void merge_inbox_refresh(Inbox& fresh, const Inbox& loaded) {
    if (loaded.requests.size() <= fresh.requests.size() || fresh.next_page.empty()) return;  // only a page was here
    std::unordered_set<int64_t> have;
    for (const RequestSummary& r : fresh.requests) have.insert(r.id);
    for (const RequestSummary& r : loaded.requests)
        if (have.insert(r.id).second) fresh.requests.push_back(r);
    fresh.next_page = loaded.next_page;
}

void append_inbox_page(Inbox& list, Inbox&& page) {
    std::unordered_set<int64_t> have;
    for (const RequestSummary& r : list.requests) have.insert(r.id);
    for (RequestSummary& r : page.requests)
        if (have.insert(r.id).second) list.requests.push_back(std::move(r));
    list.next_page = page.next_page;
    list.total = page.total;
    list.total_more = page.total_more;
    list.unread = page.unread;
    list.to_answer = page.to_answer;
}

static void fetch(AppState& s, const std::string& page, Effects& fx) {
    HttpCall c;
    c.kind = CallKind::Inbox;
    c.path = inbox_path(s.ip, page);
    c.page = page;
    c.generation = s.ip.generation;
    c.search = s.ip.search;
    if (!page.empty()) s.ip.loading_more = true;
    fx.calls.push_back(c);
}

// The filter or the search changed: the list is for a new query from now on.
static void new_query(AppState& s, Effects& fx) {
    s.ip.generation++;
    s.ip.loading_first = true;
    s.ip.loading_more = false;
    s.ip.refreshing = true;  // the new query's first page is the refresh on its way
    s.ip.refresh_again = false;
    s.ip.more_error.clear();
    fetch(s, "", fx);
    fx.redraw = true;
}

void inbox_refresh(AppState& s, Effects& fx) {
    if (s.ip.refreshing) {
        s.ip.refresh_again = true;
        return;
    }
    s.ip.refreshing = true;
    fetch(s, "", fx);
}

void action_inbox_more(AppState& s, Effects& fx) {
    if (!s.inbox_loaded || s.ip.loading_first || s.ip.loading_more || s.inbox.next_page.empty() ||
        !s.ip.more_error.empty())
        return;
    fetch(s, s.inbox.next_page, fx);
    fx.redraw = true;
}

void action_inbox_filter(AppState& s, const std::string& filter, Effects& fx) {
    if (filter == s.ip.filter) return;
    s.ip.filter = filter;
    new_query(s, fx);
}

void action_inbox_search_typed(AppState& s, const std::string& text, Millis now, Effects& fx) {
    s.ip.typed = text;
    s.ip.typed_at = now;
    s.ip.search_due = trimmed(text) != s.ip.search;
    if (s.ip.search_due) fx.timer_ms = (int)kSearchQuietMs;
    fx.redraw = true;
}

void action_inbox_search_clear(AppState& s, Effects& fx) {
    s.ip.typed.clear();
    s.ip.search_due = false;
    fx.redraw = true;
    if (s.ip.search.empty()) return;
    s.ip.search.clear();
    new_query(s, fx);
}

void action_timer(AppState& s, Millis now, Effects& fx) {
    if (!s.ip.search_due) return;
    const Millis quiet = now - s.ip.typed_at;
    if (quiet < kSearchQuietMs) {  // typed again meanwhile: wait for the rest of the quiet
        fx.timer_ms = (int)(kSearchQuietMs - quiet);
        return;
    }
    s.ip.search_due = false;
    const std::string q = trimmed(s.ip.typed);
    if (q == s.ip.search) return;
    s.ip.search = q;
    new_query(s, fx);
}

void action_inbox_open(AppState& s, const RequestSummary& r, Effects& fx) {
    Route to{Screen::Request, r.id};
    if (!s.ip.search.empty() && r.match_message_id > 0) to.message_id = r.match_message_id;
    action_navigate(s, to, true, fx);
}

bool inbox_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    const bool more = !c.page.empty();
    if (c.generation != s.ip.generation || c.search != s.ip.search) return false;  // an earlier query
    if (more) s.ip.loading_more = false;
    if (!more) {
        s.ip.refreshing = false;
        if (s.ip.refresh_again) {  // events came while this one was on its way
            s.ip.refresh_again = false;
            inbox_refresh(s, fx);
        }
    }
    std::string why;
    Inbox in;
    if (r.status == 200 && parse_json(r.body, in, &why)) {
        if (in.search != s.ip.search) return false;  // the server answered another search
        const bool first = !s.inbox_loaded;
        if (more) {
            if (c.page != s.inbox.next_page) return false;  // the list was reloaded meanwhile
            append_inbox_page(s.inbox, std::move(in));
        } else {
            if (!s.ip.loading_first) merge_inbox_refresh(in, s.inbox);
            s.ip.loading_first = false;
            s.inbox = std::move(in);
        }
        s.inbox_loaded = true;
        s.inbox_error.clear();
        s.ip.more_error.clear();
        return first;
    }
    const std::string err = r.status == 200 ? "Unreadable answer: " + why : failure_reason(r);
    if (more) s.ip.more_error = err;
    else if (!s.inbox_loaded || s.ip.loading_first) s.ip.loading_first = false, s.inbox_error = err;
    return false;
}

}  // namespace parley
