// Thread pages. See thread_pages.h.
#include "app/thread_pages.h"
#include <algorithm>
#include <unordered_set>
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

int64_t oldest_message(const RequestDetail& d) { return d.messages.empty() ? 0 : d.messages.back().id; }

bool has_message(const RequestDetail& d, int64_t id) {
    // Newest first, so ids descend: a binary search.
    auto it = std::lower_bound(d.messages.begin(), d.messages.end(), id,
                               [](const Message& m, int64_t v) { return m.id > v; });
    if (it != d.messages.end() && it->id == id) return true;
    // A message sent from here is put on top at once; should ids not descend, look at all.
    return std::any_of(d.messages.begin(), d.messages.end(), [&](const Message& m) { return m.id == id; });
}

// Events of `from` that `into` lacks, joined in id order (oldest first).
static void join_events(std::vector<Event>& into, std::vector<Event>&& from) {
    if (from.empty()) return;
    std::unordered_set<int64_t> have;
    have.reserve(into.size());
    for (const Event& e : into) have.insert(e.id);
    const size_t before = into.size();
    for (Event& e : from)
        if (have.insert(e.id).second) into.push_back(std::move(e));
    if (into.size() != before)
        std::stable_sort(into.begin(), into.end(), [](const Event& a, const Event& b) { return a.id < b.id; });
}

void merge_detail(RequestDetail& fresh, const RequestDetail& loaded) {
    if (loaded.id != fresh.id || fresh.older == 0 || fresh.messages.empty()) return;  // fresh holds it all
    const int64_t fresh_oldest = oldest_message(fresh);
    const int64_t loaded_oldest = oldest_message(loaded);
    if (!loaded_oldest || loaded_oldest >= fresh_oldest) return;  // nothing older was loaded
    if (!has_message(loaded, fresh_oldest)) return;               // a gap between them: start again
    for (const Message& m : loaded.messages)
        if (m.id < fresh_oldest) fresh.messages.push_back(m);
    std::vector<Event> older_events = loaded.events;
    join_events(fresh.events, std::move(older_events));
    fresh.older = loaded.older;
}

bool append_history_page(RequestDetail& d, HistoryPage&& page) {
    if (page.request_id != d.id) return false;
    int64_t low = oldest_message(d);
    for (Message& m : page.messages) {
        if (low && m.id >= low) continue;  // already here
        low = m.id;
        d.messages.push_back(std::move(m));
    }
    join_events(d.events, std::move(page.events));
    d.older = page.older;
    return true;
}

HttpCall thread_call(const AppState& s, int64_t request_id, int64_t down_to) {
    HttpCall c;
    c.kind = CallKind::Thread;
    c.path = "/api/v1/requests/" + std::to_string(request_id);
    if (down_to > 0) c.path += "?down_to=" + std::to_string(down_to);
    c.request_id = request_id;
    c.generation = s.pages.generation;
    c.down_to = down_to;
    return c;
}

void thread_pages_reset(AppState& s) {
    const uint64_t g = s.pages.generation + 1;
    s.pages = ThreadPages{};
    s.pages.generation = g;
}

void thread_take_detail(AppState& s, RequestDetail&& d) {
    if (s.thread && s.thread->id == d.id) merge_detail(d, *s.thread);
    s.thread = std::move(d);
}

static bool thread_open(const AppState& s) {
    return s.route.screen == Screen::Request && s.thread && s.thread->id == s.route.request_id;
}

static void fetch_page(AppState& s, int64_t down_to, Effects& fx) {
    HttpCall c;
    c.kind = CallKind::History;
    c.request_id = s.thread->id;
    c.generation = s.pages.generation;
    c.before = s.thread->older;
    c.down_to = down_to;
    c.path = "/api/v1/requests/" + std::to_string(c.request_id) + "/history?before=" + std::to_string(c.before);
    if (down_to > 0) c.path += "&down_to=" + std::to_string(down_to);
    s.pages.loading_older = true;
    s.pages.loading_before = c.before;
    s.pages.loading_down_to = down_to;
    fx.calls.push_back(c);
}

void action_thread_older(AppState& s, Effects& fx) {
    if (!thread_open(s) || s.thread->older == 0) return;
    if (s.pages.loading_older && s.pages.loading_before == s.thread->older) return;  // on its way
    s.pages.error.clear();
    fetch_page(s, 0, fx);
    fx.redraw = true;
}

void action_thread_jump(AppState& s, int64_t message_id, Effects& fx) {
    if (message_id <= 0) return;
    s.pages.jump_to = message_id;
    s.pages.want = message_id;
    fx.redraw = true;
    // Not loaded yet: the detail's answer decides (a deep link's call carries down_to).
    if (!thread_open(s) || has_message(*s.thread, message_id)) return;
    if (s.thread->older == 0 || message_id >= s.thread->older || s.pages.missing == message_id) return;
    if (s.pages.loading_older && s.pages.loading_before == s.thread->older && s.pages.loading_down_to == message_id)
        return;  // on its way
    s.pages.error.clear();
    fetch_page(s, message_id, fx);
}

void thread_pages_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    if (c.generation != s.pages.generation || !thread_open(s) || s.thread->id != c.request_id) return;  // another thread
    if (s.pages.loading_before == c.before && s.pages.loading_down_to == c.down_to) s.pages.loading_older = false;
    HistoryPage page;
    std::string why;
    if (r.status == 200 && parse_json(r.body, page, &why)) {
        if (c.before != s.thread->older) return;  // the thread moved on (a reload, another page): stale
        append_history_page(*s.thread, std::move(page));
        s.pages.error.clear();
        translate_more_loaded(s, fx);
        const int64_t want = s.pages.want;
        if (want && has_message(*s.thread, want)) s.pages.want = 0;
        if (want && !has_message(*s.thread, want)) {
            // Asked down to it and still absent (not visible to me): give up on it.
            if (c.down_to == want || s.thread->older == 0 || want >= s.thread->older) s.pages.missing = want, s.pages.want = 0;
            else fetch_page(s, want, fx);  // a plain page won the race: now the jump's
        }
    } else if (r.status == 404) {
        s.pages.error = i18n::tr("This request does not exist or is not visible to you.");
    } else {
        s.pages.error = r.status == 200 ? "Unreadable answer: " + why : failure_reason(r);
    }
}

}  // namespace parley
