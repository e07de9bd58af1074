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

// A jump's page around message `at`: `above` newer ones, it, `below` older ones.
static HistoryPage window(int64_t at, int above, int below, bool newer = true) {
    HistoryPage p = page(at + above, std::max<int64_t>(1, at - below));
    p.newer = newer ? at + above : 0;
    return p;
}

TEST_CASE("thread pages: a jump to an old message fetches the page around it, not everything above", "[pages]") {
    Effects fx;
    AppState s = open_thread(fx);  // 150..101 loaded
    action_thread_jump(s, 7, fx);
    CHECK(s.pages.jump_to == 7);
    const HttpCall* c = find_call(fx, CallKind::History);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/3/history?around=7");
    Effects twice;
    action_thread_jump(s, 7, twice);
    CHECK(twice.calls.empty());  // on its way
    Effects got;
    action_http_done(s, *c, ok(dump_json(window(7, 25, 6))), got);  // 32..1
    CHECK(has_message(*s.thread, 7));
    CHECK(s.pages.want == 0);
    CHECK(s.thread->older == 0);
    CHECK(descending(*s.thread));
    CHECK(s.thread->messages.size() == 50 + 32);
    // 100..33 are not loaded: a gap between 101 and 32.
    CHECK(s.pages.gap_above == 101);
    CHECK(s.pages.gap_below == 32);
    CHECK(gap_intact(*s.thread, s.pages));

    // A message already loaded: no call, just the jump.
    Effects again;
    action_thread_jump(s, 120, again);
    CHECK(again.calls.empty());
    CHECK(s.pages.jump_to == 120);
}

TEST_CASE("thread pages: a window that reaches the loaded part leaves no gap", "[pages]") {
    RequestDetail d = detail(150, 101);
    ThreadPages p;
    place_window(d, p, window(90, 12, 30));  // 102..60: overlaps 101..102
    CHECK(p.gap_above == 0);
    CHECK(d.messages.size() == 91);  // 150..60, each once
    CHECK(descending(d));
    CHECK(d.older == 60);
    // One whose top is not loaded, with nothing newer above it (it is the newest): no gap either.
    RequestDetail e = detail(150, 101);
    ThreadPages q;
    place_window(e, q, window(40, 10, 10, false));
    CHECK(q.gap_above == 0);
}

TEST_CASE("thread pages: the gap fills from below and from above until it closes", "[pages]") {
    RequestDetail d = detail(150, 101);
    d.events = {ev(900)};
    ThreadPages p;
    HistoryPage w = window(20, 10, 19);  // 30..1
    w.events = {ev(50)};
    place_window(d, p, std::move(w));
    REQUIRE(p.gap_above == 101);
    REQUIRE(p.gap_below == 30);
    // From below (the reader scrolls up from the window): ?after=30 → 31..60, newer exist.
    HistoryPage up = page(60, 31);
    up.newer = 60;
    up.events = {ev(60), ev(50)};
    fill_gap(d, p, std::move(up), false);
    CHECK(p.gap_below == 60);
    CHECK(p.gap_above == 101);
    CHECK(gap_intact(d, p));
    CHECK(d.events.size() == 3);  // 50 once
    // From above (the reader scrolls down from the newest part): ?before=101 → 100..70.
    HistoryPage down = page(100, 70);
    fill_gap(d, p, std::move(down), true);
    CHECK(p.gap_above == 70);
    CHECK(p.gap_below == 60);
    CHECK(gap_intact(d, p));
    // The last page reaches the other side: 69..55 overlaps the window's top; closed.
    fill_gap(d, p, page(69, 55), true);
    CHECK(p.gap_above == 0);
    CHECK(p.gap_below == 0);
    CHECK(d.messages.size() == 150);  // every message once, none missing
    CHECK(descending(d));
    for (int64_t id = 1; id <= 150; id++) REQUIRE(has_message(d, id));
}

// The thread open at its newest 50 (150..101), then a jump to message 7 answered with 32..1.
static AppState jumped_to_7(Effects& got) {
    Effects fx;
    AppState s = open_thread(fx);
    action_thread_jump(s, 7, fx);
    action_http_done(s, *find_call(fx, CallKind::History), ok(dump_json(window(7, 25, 6))), got);
    return s;
}

TEST_CASE("thread pages: gap pages asked as the reader comes near; a reload keeps or closes the gap", "[pages]") {
    Effects got;
    AppState s = jumped_to_7(got);
    REQUIRE(s.pages.gap_above == 101);
    Effects fill;
    action_thread_fill_gap(s, false, fill);
    REQUIRE(fill.calls.size() == 1);
    CHECK(fill.calls[0].path == "/api/v1/requests/3/history?after=32");
    Effects more;
    action_thread_fill_gap(s, true, more);
    CHECK(more.calls.empty());  // one at a time
    // A reload with a new message on top: merged above, the window and the gap stay.
    Effects live;
    action_http_done(s, thread_call(s, 3), ok(dump_json(detail(151, 102))), live);
    CHECK(s.thread->messages.front().id == 151);
    CHECK(s.pages.gap_above == 101);
    CHECK(has_message(*s.thread, 7));
    // The gap page arrives: the gap shrinks from below.
    HistoryPage up = page(57, 33);
    up.newer = 57;
    action_http_done(s, fill.calls[0], ok(dump_json(up)), got);
    CHECK(s.pages.gap_below == 57);
    CHECK_FALSE(s.pages.loading_gap);
    // The same answer again: not the gap's edge any more, dropped.
    const size_t n = s.thread->messages.size();
    action_http_done(s, fill.calls[0], ok(dump_json(up)), got);
    CHECK(s.thread->messages.size() == n);
    // A failure is shown in the gap, not at the list's end.
    Effects fill2;
    action_thread_fill_gap(s, true, fill2);
    REQUIRE(fill2.calls.size() == 1);
    CHECK(fill2.calls[0].path == "/api/v1/requests/3/history?before=101");
    action_http_done(s, fill2.calls[0], HttpResult{503, "{}"}, got);
    CHECK_FALSE(s.pages.gap_error.empty());
    CHECK(s.pages.error.empty());
    // More new messages than a page meanwhile: the reload does not meet what is loaded,
    // so everything below it goes, the window and its gap with it.
    action_http_done(s, thread_call(s, 3), ok(dump_json(detail(400, 351))), live);
    CHECK(s.pages.gap_above == 0);
    CHECK_FALSE(has_message(*s.thread, 7));
    CHECK(s.thread->older == 351);
}

TEST_CASE("thread pages: a second jump replaces the window; a hidden message is given up", "[pages]") {
    Effects got;
    AppState s = jumped_to_7(got);
    REQUIRE(has_message(*s.thread, 7));
    Effects jump2;
    action_thread_jump(s, 70, jump2);  // in the gap
    const HttpCall* c = find_call(jump2, CallKind::History);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/3/history?around=70");
    CHECK_FALSE(has_message(*s.thread, 7));  // the old window went
    CHECK(s.thread->older == 101);
    action_http_done(s, *c, ok(dump_json(window(70, 25, 24))), got);  // 95..46
    CHECK(has_message(*s.thread, 70));
    CHECK(s.pages.gap_above == 101);
    CHECK(s.pages.gap_below == 95);
    CHECK(s.thread->older == 46);
    // Not visible to me: 404 no_message, the jump is given up, nothing asked again.
    Effects jump3;
    action_thread_jump(s, 3, jump3);
    const HttpCall* h = find_call(jump3, CallKind::History);
    REQUIRE(h);
    action_http_done(s, *h, HttpResult{404, R"({"error":{"code":"no_message"}})"}, got);
    CHECK(s.pages.missing == 3);
    CHECK(s.pages.want == 0);
    Effects jump4;
    action_thread_jump(s, 3, jump4);
    CHECK(jump4.calls.empty());
}

TEST_CASE("thread pages: a link to a message jumps once the detail is here", "[pages]") {
    CHECK(parse_route("/requests/3?m=7") == Route{Screen::Request, 3, 0, false, false, 7});
    CHECK(route_path(Route{Screen::Request, 3, 0, false, false, 7}) == "/requests/3?m=7");
    CHECK(route_path(Route{Screen::Request, 3, 0, false, true, 7}) == "/requests/3?reply=1&m=7");
    AppState s;
    Effects fx;
    action_start(s, "/requests/3?m=7", fx);
    const HttpCall* c = find_call(fx, CallKind::Thread);
    REQUIRE(c);
    CHECK(c->path == "/api/v1/requests/3");
    CHECK(s.pages.jump_to == 7);
    Effects got;
    action_http_done(s, *c, ok(dump_json(detail(150, 101))), got);
    const HttpCall* h = find_call(got, CallKind::History);
    REQUIRE(h);
    CHECK(h->path == "/api/v1/requests/3/history?around=7");
    // A link to a message on the newest page: no page asked, the jump only.
    AppState t;
    Effects fx2;
    action_start(t, "/requests/3?m=120", fx2);
    Effects got2;
    action_http_done(t, *find_call(fx2, CallKind::Thread), ok(dump_json(detail(150, 101))), got2);
    CHECK_FALSE(find_call(got2, CallKind::History));
    CHECK(t.pages.want == 0);
    CHECK(t.pages.jump_to == 120);
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
    CHECK(c->path == "/api/v1/requests/7");
    CHECK(s.pages.want == 99);  // the page around it follows the detail

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
