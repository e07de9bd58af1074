// Thread pages (older pages kept across reloads, jumps to a message not loaded) and
// inbox pages (appending, live refresh, search quiet time, stale answers dropped).
#include <catch2/catch.hpp>
#include "app/state.h"

using namespace parley;

static HttpResult ok(const std::string& body, int status = 200) { return {status, body}; }

static Message msg(int64_t id, int64_t request = 3) {
    Message m;
    m.id = id;
    m.request_id = request;
    m.conversation_id = 10;
    m.author_id = id % 2 ? 9 : 1;
    m.author_role = id % 2 ? "buyer" : "manufacturer";
    m.body = "message " + std::to_string(id);
    m.created = id * 1000;
    return m;
}

static Event ev(int64_t id, const char* kind = "cc_added") {
    Event e;
    e.id = id;
    e.request_id = 3;
    e.kind = kind;
    e.created = id * 1000;
    return e;
}

// A detail holding messages newest..oldest (newest first), `older` set when oldest > 1.
static RequestDetail detail(int64_t newest, int64_t oldest, int total = 0) {
    RequestDetail d;
    d.id = 3;
    for (int64_t id = newest; id >= oldest; id--) d.messages.push_back(msg(id));
    d.older = oldest > 1 ? oldest : 0;
    d.message_total = total ? total : (int)newest;
    return d;
}

static HistoryPage page(int64_t newest, int64_t oldest) {
    HistoryPage p;
    p.request_id = 3;
    for (int64_t id = newest; id >= oldest; id--) p.messages.push_back(msg(id));
    p.older = oldest > 1 ? oldest : 0;
    return p;
}

static bool descending(const RequestDetail& d) {
    for (size_t i = 1; i < d.messages.size(); i++)
        if (d.messages[i - 1].id <= d.messages[i].id) return false;
    return true;
}

// A signed-in manufacturer with request 3 open (its newest page: messages 150..101).
static AppState open_thread(Effects& fx) {
    AppState s;
    action_start(s, "/requests/3", fx);
    Inbox in;
    in.me = {1, "Marta", "HI", "ES", "es", "manufacturer"};
    action_http_done(s, fx.calls[0], ok(dump_json(in)), fx);
    const HttpCall thread = fx.calls[1];
    REQUIRE(thread.kind == CallKind::Thread);
    action_http_done(s, thread, ok(dump_json(detail(150, 101))), fx);
    fx = Effects{};
    return s;
}

static const HttpCall* find_call(const Effects& fx, CallKind k) {
    for (const HttpCall& c : fx.calls)
        if (c.kind == k) return &c;
    return nullptr;
}

TEST_CASE("thread pages: an older page goes below what is loaded, without duplicates", "[pages]") {
    RequestDetail d = detail(150, 101);
    d.events = {ev(500), ev(510)};
    HistoryPage p = page(102, 51);  // overlaps by two messages
    p.events = {ev(400), ev(500)};
    REQUIRE(append_history_page(d, std::move(p)));
    CHECK(d.messages.size() == 100);
    CHECK(d.messages.back().id == 51);
    CHECK(descending(d));
    CHECK(d.older == 51);
    REQUIRE(d.events.size() == 3);  // 500 once, in id order
    CHECK(d.events[0].id == 400);
    CHECK(d.events[2].id == 510);
    HistoryPage other = page(50, 1);
    other.request_id = 4;
    CHECK_FALSE(append_history_page(d, std::move(other)));
}

TEST_CASE("thread pages: a reload keeps the older pages loaded; a new message goes on top", "[pages]") {
    RequestDetail loaded = detail(150, 51);  // newest page + one older page
    loaded.older = 51;
    loaded.events = {ev(300), ev(600)};
    RequestDetail fresh = detail(151, 102);  // a new message arrived: the newest page moved by one
    fresh.events = {ev(600), ev(601)};
    merge_detail(fresh, loaded);
    CHECK(fresh.messages.front().id == 151);
    CHECK(fresh.messages.back().id == 51);
    CHECK(fresh.messages.size() == 101);
    CHECK(descending(fresh));
    CHECK(fresh.older == 51);  // the next page is still below the oldest loaded
    REQUIRE(fresh.events.size() == 3);
    CHECK(fresh.events[0].id == 300);

    // Nothing older loaded: the fresh page stays as it is.
    RequestDetail only = detail(150, 101);
    RequestDetail again = detail(150, 101);
    merge_detail(again, only);
    CHECK(again.messages.size() == 50);
    CHECK(again.older == 101);

    // More new messages than a page arrived meanwhile: the pages do not meet, so the old
    // ones go rather than leave a hole.
    RequestDetail far = detail(300, 251);
    merge_detail(far, loaded);
    CHECK(far.messages.size() == 50);
    CHECK(far.older == 251);
}

TEST_CASE("thread pages: scrolling near the end asks once; a stale page is dropped", "[pages]") {
    Effects fx;
    AppState s = open_thread(fx);
    action_thread_older(s, fx);
    REQUIRE(fx.calls.size() == 1);
    const HttpCall first = fx.calls[0];
    CHECK(first.kind == CallKind::History);
    CHECK(first.path == "/api/v1/requests/3/history?before=101");
    action_thread_older(s, fx);
    CHECK(fx.calls.size() == 1);  // on its way: not asked twice

    // A live event reloads the detail meanwhile (a new message on top): merged, and
    // the page asked for still continues what is loaded.
    Effects live;
    action_http_done(s, thread_call(s, 3), ok(dump_json(detail(151, 102))), live);
    CHECK(s.thread->messages.front().id == 151);
    Effects got;
    action_http_done(s, first, ok(dump_json(page(100, 51))), got);
    CHECK(s.thread->messages.back().id == 51);
    CHECK(s.thread->older == 51);
    CHECK(s.thread->messages.size() == 101);
    // The same page again (a duplicate answer): dropped, nothing doubled.
    action_http_done(s, first, ok(dump_json(page(100, 51))), got);
    CHECK(s.thread->messages.size() == 101);
    // The reload after that keeps both pages.
    action_http_done(s, thread_call(s, 3), ok(dump_json(detail(152, 103))), got);
    CHECK(s.thread->messages.size() == 102);
    CHECK(s.thread->messages.back().id == 51);
    CHECK(descending(*s.thread));
}

TEST_CASE("thread pages: an answer for a thread opened before is dropped", "[pages]") {
    Effects fx;
    AppState s = open_thread(fx);
    action_thread_older(s, fx);
    const HttpCall old_page = fx.calls[0];
    const HttpCall old_detail = thread_call(s, 3);
    Effects nav;
    action_navigate(s, {Screen::Request, 4}, true, nav);
    action_navigate(s, {Screen::Request, 3}, true, nav);  // back to 3: a new generation
    Effects late;
    action_http_done(s, old_detail, ok(dump_json(detail(150, 101))), late);
    CHECK_FALSE(s.thread);  // the earlier visit's answer
    action_http_done(s, nav.calls.back(), ok(dump_json(detail(150, 101))), late);
    REQUIRE(s.thread);
    action_http_done(s, old_page, ok(dump_json(page(100, 51))), late);
    CHECK(s.thread->messages.size() == 50);
}

TEST_CASE("thread pages: jumping to a message not loaded fetches down to it", "[pages]") {
    Effects fx;
    AppState s = open_thread(fx);
    action_thread_jump(s, 7, fx);
    CHECK(s.pages.jump_to == 7);
    const HttpCall* c = find_call(fx, CallKind::History);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/3/history?before=101&down_to=7");
    Effects got;
    action_http_done(s, *c, ok(dump_json(page(100, 7))), got);
    CHECK(has_message(*s.thread, 7));
    CHECK(s.thread->older == 7);
    CHECK(s.pages.want == 0);

    // A message already loaded: no call, just the jump.
    Effects again;
    action_thread_jump(s, 120, again);
    CHECK(again.calls.empty());
    CHECK(s.pages.jump_to == 120);
}

TEST_CASE("thread pages: a link to a message loads the detail down to it", "[pages]") {
    CHECK(parse_route("/requests/3?m=7") == Route{Screen::Request, 3, 0, false, false, 7});
    CHECK(route_path(Route{Screen::Request, 3, 0, false, false, 7}) == "/requests/3?m=7");
    CHECK(route_path(Route{Screen::Request, 3, 0, false, true, 7}) == "/requests/3?reply=1&m=7");
    AppState s;
    Effects fx;
    action_start(s, "/requests/3?m=7", fx);
    const HttpCall* c = find_call(fx, CallKind::Thread);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/3?down_to=7");
    CHECK(s.pages.jump_to == 7);
    // Not visible to me: the answer lacks it, so the jump is given up.
    Effects got;
    action_http_done(s, *c, ok(dump_json(detail(150, 101))), got);
    CHECK(s.pages.missing == 7);
}

// ---------------------------------------------------------------- inbox pages

static Inbox inbox_page(int from, int to, const std::string& next, const std::string& search = "") {
    Inbox in;
    in.me = {1, "Marta", "HI", "ES", "es", "manufacturer"};
    for (int id = from; id >= to; id--) {
        RequestSummary r;
        r.id = id;
        r.product = "Pump " + std::to_string(id);
        in.requests.push_back(r);
    }
    in.next_page = next;
    in.search = search;
    in.total = 120;
    return in;
}

static AppState inbox_loaded(Effects& fx) {
    AppState s;
    action_start(s, "/", fx);
    action_http_done(s, fx.calls[0], ok(dump_json(inbox_page(120, 71, "p2"))), fx);
    fx = Effects{};
    return s;
}

TEST_CASE("inbox pages: the next page is appended once; a refresh keeps the pages below", "[pages]") {
    Effects fx;
    AppState s = inbox_loaded(fx);
    REQUIRE(s.inbox.requests.size() == 50);
    action_inbox_more(s, fx);
    REQUIRE(fx.calls.size() == 1);
    const HttpCall more = fx.calls[0];
    CHECK(more.path == "/api/v1/requests?page=p2");
    action_inbox_more(s, fx);
    CHECK(fx.calls.size() == 1);  // one at a time
    Effects got;
    action_http_done(s, more, ok(dump_json(inbox_page(72, 23, "p3"))), got);  // overlaps by two
    CHECK(s.inbox.requests.size() == 98);
    CHECK(s.inbox.next_page == "p3");

    // A live refresh: request 30 got a message and moved to the top.
    Inbox top = inbox_page(120, 72, "p2b");
    top.requests.insert(top.requests.begin(), s.inbox.requests[90]);  // id 30
    top.requests.pop_back();
    Effects r;
    inbox_refresh(s, r);
    action_http_done(s, r.calls[0], ok(dump_json(top)), r);
    CHECK(s.inbox.requests.front().id == 30);
    CHECK(s.inbox.requests.size() == 98);  // no duplicate of 30, nothing lost
    CHECK(s.inbox.next_page == "p3");       // the pages loaded below stay
}

TEST_CASE("inbox search: typed text goes out after a quiet time; stale answers are dropped", "[pages]") {
    Effects fx;
    AppState s = inbox_loaded(fx);
    Effects t1;
    action_inbox_search_typed(s, "Wälz", 1000, t1);
    CHECK(t1.calls.empty());
    REQUIRE(t1.timer_ms);
    Effects t2;
    action_inbox_search_typed(s, "Wälzlager", 1200, t2);
    Effects early;
    action_timer(s, 1300, early);  // the first timer: only 100 ms of quiet since the last key
    CHECK(early.calls.empty());
    REQUIRE(early.timer_ms);
    CHECK(*early.timer_ms == 200);
    Effects due;
    action_timer(s, 1500, due);
    REQUIRE(due.calls.size() == 1);
    const HttpCall first = due.calls[0];
    CHECK(first.path == "/api/v1/requests?q=W%C3%A4lzlager");
    CHECK(s.ip.loading_first);

    // Typed on: a second search; the first one's answer arrives late and is dropped.
    Effects t3;
    action_inbox_search_typed(s, "Wälzlagerprüfstand", 1600, t3);
    Effects due2;
    action_timer(s, 1900, due2);
    REQUIRE(due2.calls.size() == 1);
    Effects late;
    Inbox old = inbox_page(5, 5, "", "Wälzlager");
    action_http_done(s, first, ok(dump_json(old)), late);
    CHECK(s.inbox.requests.size() == 50);  // still the list from before
    // An answer whose echo is another search is dropped as well.
    Inbox wrong = inbox_page(6, 6, "", "something else");
    action_http_done(s, due2.calls[0], ok(dump_json(wrong)), late);
    CHECK(s.inbox.requests.size() == 50);
    Inbox right = inbox_page(7, 7, "", "Wälzlagerprüfstand");
    right.requests[0].match_message_id = 99;
    action_http_done(s, due2.calls[0], ok(dump_json(right)), late);
    REQUIRE(s.inbox.requests.size() == 1);
    CHECK_FALSE(s.ip.loading_first);

    // Tapping the result opens its thread at the matching message.
    Effects open;
    action_inbox_open(s, s.inbox.requests[0], open);
    CHECK(s.route == Route{Screen::Request, 7, 0, false, false, 99});
    REQUIRE(open.push_url);
    CHECK(*open.push_url == "/requests/7?m=99");
    const HttpCall* c = find_call(open, CallKind::Thread);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/7?down_to=99");

    // × clears it: the whole inbox again.
    Effects clear;
    action_inbox_search_clear(s, clear);
    REQUIRE(clear.calls.size() == 1);
    CHECK(clear.calls[0].path == "/api/v1/requests");
    CHECK(s.ip.search.empty());
}

TEST_CASE("inbox filters: a chip asks the server; an answer for the previous chip is dropped", "[pages]") {
    Effects fx;
    AppState s = inbox_loaded(fx);
    Effects a;
    action_inbox_filter(s, "unread", a);
    Effects b;
    action_inbox_filter(s, "to_answer", b);
    CHECK(a.calls[0].path == "/api/v1/requests?unread=1");
    CHECK(b.calls[0].path == "/api/v1/requests?status=to_answer");
    Effects got;
    action_http_done(s, a.calls[0], ok(dump_json(inbox_page(3, 3, ""))), got);
    CHECK(s.inbox.requests.size() == 50);
    action_http_done(s, b.calls[0], ok(dump_json(inbox_page(9, 8, ""))), got);
    CHECK(s.inbox.requests.size() == 2);
    CHECK(inbox_filters(true) == std::vector<std::string>{"all", "to_answer", "unread"});
    CHECK(inbox_filters(false) == std::vector<std::string>{"all", "unread", "open", "answered"});
}

TEST_CASE("inbox refresh: events while one is on its way make one more, not one each", "[pages]") {
    Effects fx;
    AppState s = inbox_loaded(fx);
    auto inbox_calls = [](const Effects& e) {
        int n = 0;
        for (const HttpCall& c : e.calls) n += c.kind == CallKind::Inbox && c.page.empty();
        return n;
    };
    Effects a;
    inbox_refresh(s, a);
    REQUIRE(inbox_calls(a) == 1);
    const HttpCall first = a.calls.back();
    Effects b;
    for (int i = 0; i < 5; ++i) inbox_refresh(s, b);  // five event batches meanwhile
    CHECK(inbox_calls(b) == 0);
    Effects c;
    action_http_done(s, first, ok(dump_json(inbox_page(120, 71, "p2"))), c);
    REQUIRE(inbox_calls(c) == 1);  // one more, for all five
    const HttpCall second = c.calls.back();
    Effects d;
    action_http_done(s, second, ok(dump_json(inbox_page(120, 71, "p2"))), d);
    CHECK(inbox_calls(d) == 0);  // nothing came meanwhile: done
    // A failed refresh does not leave the next ones waiting for ever.
    Effects e;
    inbox_refresh(s, e);
    REQUIRE(inbox_calls(e) == 1);
    Effects f;
    action_http_done(s, e.calls.back(), ok("", 503), f);
    Effects g;
    inbox_refresh(s, g);
    CHECK(inbox_calls(g) == 1);
}
