// Thread pages. See thread_pages.h.
#include "app/thread_pages.h"
#include <algorithm>
#include <unordered_set>
#include "app/i18n.h"
#include "app/state.h"

namespace parley {

int64_t oldest_message(const RequestDetail& d) { return d.messages.empty() ? 0 : d.messages.back().id; }

// Newest first, so ids descend: where `id` is or would go.
static std::vector<Message>::const_iterator position(const RequestDetail& d, int64_t id) {
    return std::lower_bound(d.messages.begin(), d.messages.end(), id,
                            [](const Message& m, int64_t v) { return m.id > v; });
}

bool has_message(const RequestDetail& d, int64_t id) {
    auto it = position(d, id);
    return it != d.messages.end() && it->id == id;
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
    for (auto it = position(loaded, fresh_oldest); it != loaded.messages.end(); ++it)
        if (it->id < fresh_oldest) fresh.messages.push_back(*it);
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

void insert_page(RequestDetail& d, std::vector<Message>&& messages, std::vector<Event>&& events) {
    // Both lists newest first: one merge, a message already here kept as it is.
    std::vector<Message> out;
    out.reserve(d.messages.size() + messages.size());
    auto a = d.messages.begin(), b = messages.begin();
    while (a != d.messages.end() || b != messages.end()) {
        if (b == messages.end() || (a != d.messages.end() && a->id >= b->id)) {
            if (b != messages.end() && a->id == b->id) ++b;
            out.push_back(std::move(*a++));
        } else {
            out.push_back(std::move(*b++));
        }
    }
    d.messages = std::move(out);
    join_events(d.events, std::move(events));
}

bool gap_intact(const RequestDetail& d, const ThreadPages& p) {
    if (!p.gap_above || !p.gap_below || p.gap_below >= p.gap_above) return false;
    auto it = position(d, p.gap_above);
    return it != d.messages.end() && it->id == p.gap_above && it + 1 != d.messages.end() && (it + 1)->id == p.gap_below;
}

static void close_gap(ThreadPages& p) {
    p.gap_above = p.gap_below = 0;
    p.gap_error.clear();
}

void place_window(RequestDetail& d, ThreadPages& p, HistoryPage&& page) {
    const int64_t loaded_oldest = oldest_message(d);
    const int64_t top = page.messages.empty() ? 0 : page.messages.front().id;
    // Meets what is loaded: its top is loaded already, or nothing newer exists above it.
    const bool meets = !loaded_oldest || page.newer == 0 || top >= loaded_oldest;
    const int64_t older = page.older;
    insert_page(d, std::move(page.messages), std::move(page.events));
    d.older = older;  // the window is the lowest part now
    close_gap(p);
    if (!meets) p.gap_above = loaded_oldest, p.gap_below = top;
}

void fill_gap(RequestDetail& d, ThreadPages& p, HistoryPage&& page, bool from_above) {
    if (!gap_intact(d, p)) return close_gap(p);
    // From above: messages below gap_above; it reaches the window when its oldest is at
    // or below the window's top (or nothing is older). From below: messages above
    // gap_below; it reaches the newest part when its newest is at or above gap_above.
    int64_t edge = 0;  // the new side of the gap, 0 = closed
    if (from_above) {
        const int64_t low = page.messages.empty() ? 0 : page.messages.back().id;
        if (low > p.gap_below && page.older != 0) edge = low;
    } else {
        const int64_t high = page.messages.empty() ? 0 : page.messages.front().id;
        if (page.newer != 0 && high < p.gap_above && high > p.gap_below) edge = high;
    }
    insert_page(d, std::move(page.messages), std::move(page.events));
    if (!edge) return close_gap(p);
    if (from_above) p.gap_above = edge;
    else p.gap_below = edge;
    if (!gap_intact(d, p)) close_gap(p);
}

void drop_window(RequestDetail& d, ThreadPages& p) {
    if (!p.gap_above) return;
    auto it = position(d, p.gap_above);
    if (it != d.messages.end() && it->id == p.gap_above) {
        // The window's events are older than the newest part's oldest message.
        const Millis since = it->created;
        d.messages.erase(d.messages.begin() + (it - d.messages.begin()) + 1, d.messages.end());
        d.events.erase(std::remove_if(d.events.begin(), d.events.end(), [&](const Event& e) { return e.created < since; }),
                       d.events.end());
        d.older = p.gap_above;
    }
    close_gap(p);
}

HttpCall thread_call(const AppState& s, int64_t request_id) {
    HttpCall c;
    c.kind = CallKind::Thread;
    c.path = "/api/v1/requests/" + std::to_string(request_id);
    c.request_id = request_id;
    c.generation = s.pages.generation;
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
    // The newest page may have reached into the gap (it closes) or not met what was
    // loaded at all (the window went with the older pages).
    if (s.pages.gap_above && !gap_intact(*s.thread, s.pages)) close_gap(s.pages);
}

static bool thread_open(const AppState& s) {
    return s.route.screen == Screen::Request && s.thread && s.thread->id == s.route.request_id;
}

static HttpCall history_call(const AppState& s, const char* param, int64_t value) {
    HttpCall c;
    c.kind = CallKind::History;
    c.request_id = s.thread->id;
    c.generation = s.pages.generation;
    c.path = "/api/v1/requests/" + std::to_string(c.request_id) + "/history?" + param + "=" + std::to_string(value);
    return c;
}

void action_thread_older(AppState& s, Effects& fx) {
    if (!thread_open(s) || s.thread->older == 0) return;
    if (s.pages.loading_older && s.pages.loading_before == s.thread->older) return;  // on its way
    s.pages.error.clear();
    HttpCall c = history_call(s, "before", s.thread->older);
    c.before = s.thread->older;
    s.pages.loading_older = true;
    s.pages.loading_before = c.before;
    fx.calls.push_back(c);
    fx.redraw = true;
}

void action_thread_fill_gap(AppState& s, bool from_above, Effects& fx) {
    if (!thread_open(s) || !s.pages.gap_above || s.pages.loading_gap) return;
    s.pages.gap_error.clear();
    HttpCall c = from_above ? history_call(s, "before", s.pages.gap_above) : history_call(s, "after", s.pages.gap_below);
    (from_above ? c.before : c.after) = from_above ? s.pages.gap_above : s.pages.gap_below;
    c.gap = true;
    s.pages.loading_gap = true;
    fx.calls.push_back(c);
    fx.redraw = true;
}

void action_thread_jump(AppState& s, int64_t message_id, Effects& fx) {
    if (message_id <= 0) return;
    s.pages.jump_to = message_id;
    s.pages.want = message_id;
    fx.redraw = true;
    // Not open yet: the detail's answer asks again (thread_pages_http_done / on_thread).
    if (!thread_open(s) || has_message(*s.thread, message_id)) {
        if (thread_open(s)) s.pages.want = 0;
        return;
    }
    if (s.pages.missing == message_id || s.pages.loading_around == message_id) return;
    const RequestDetail& d = *s.thread;
    // Newer than the newest loaded (the live reload brings it), or everything is loaded.
    if (d.messages.empty() || message_id > d.messages.front().id || (d.older == 0 && !s.pages.gap_above)) {
        s.pages.missing = message_id;
        s.pages.want = 0;
        return;
    }
    // One window at a time: a jump elsewhere starts from the newest part again.
    drop_window(*s.thread, s.pages);
    HttpCall c = history_call(s, "around", message_id);
    c.around = message_id;
    s.pages.loading_around = message_id;
    fx.calls.push_back(c);
}

static void page_failed(AppState& s, const HttpCall& c, const HttpResult& r, const std::string& why, std::string& into) {
    if (r.status == 404 && c.around) {  // not a message I may see: no jump
        s.pages.missing = c.around;
        s.pages.want = 0;
        return;
    }
    into = r.status == 404 ? i18n::tr("This request does not exist or is not visible to you.")
           : r.status == 200 ? "Unreadable answer: " + why
                             : failure_reason(r);
}

void thread_pages_http_done(AppState& s, const HttpCall& c, const HttpResult& r, Effects& fx) {
    if (c.generation != s.pages.generation || !thread_open(s) || s.thread->id != c.request_id) return;  // another thread
    ThreadPages& p = s.pages;
    const bool older_page = !c.around && !c.gap;
    if (older_page && p.loading_before == c.before) p.loading_older = false;
    if (c.gap) p.loading_gap = false;
    if (c.around && p.loading_around == c.around) p.loading_around = 0;
    HistoryPage page;
    std::string why;
    const bool ok = r.status == 200 && parse_json(r.body, page, &why) && page.request_id == c.request_id;
    if (!ok) return page_failed(s, c, r, why, c.gap ? p.gap_error : p.error);
    if (older_page) {
        if (c.before != s.thread->older) return;  // the thread moved on (a reload, another page): stale
        append_history_page(*s.thread, std::move(page));
        p.error.clear();
    } else if (c.gap) {
        // Still the gap it was asked for (a reload may have closed it, a jump moved it).
        if (c.before ? c.before != p.gap_above : c.after != p.gap_below) return;
        fill_gap(*s.thread, p, std::move(page), c.before != 0);
    } else {
        if (c.around != p.want || has_message(*s.thread, c.around)) return;  // another jump since
        drop_window(*s.thread, p);
        place_window(*s.thread, p, std::move(page));
    }
    translate_more_loaded(s, fx);
    if (p.want && has_message(*s.thread, p.want)) p.want = 0;
    fx.redraw = true;
}

}  // namespace parley
