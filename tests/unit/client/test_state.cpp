#include <catch2/catch.hpp>
#include "app/state.h"

using namespace parley;

static HttpResult ok(const std::string& body, int status = 200) { return {status, body}; }

static Inbox sample_inbox() {
    Inbox in;
    in.me = {1, "Marta", "HI", "ES", "es", "manufacturer"};
    RequestSummary a; a.id = 5; a.product = "Pump"; a.unread = true;
    RequestSummary b; b.id = 6; b.product = "Valve";
    in.requests = {a, b};
    in.unread = 1;
    in.cursor = 40;
    return in;
}

static RequestDetail sample_thread(int64_t id) {
    RequestDetail d;
    d.id = id;
    d.product = "Pump";
    Message m;
    m.id = 11; m.request_id = id; m.author_id = 9; m.author_name = "Buyer"; m.author_role = "buyer";
    m.body = "older"; m.created = 1000;
    d.messages = {m};
    return d;
}

TEST_CASE("routes parse from and print to URLs", "[state]") {
    CHECK(parse_route("/requests/12") == Route{Screen::Request, 12});
    CHECK(parse_route("/requests/12/") == Route{Screen::Request, 12});
    CHECK(parse_route("/requests/abc").screen == Screen::Inbox);
    CHECK(parse_route("/requests/-3").screen == Screen::Inbox);
    CHECK(parse_route("/").screen == Screen::Inbox);
    CHECK(parse_route("/whatever").screen == Screen::Inbox);
    CHECK(route_path({Screen::Request, 7}) == "/requests/7");
    CHECK(route_path({Screen::Inbox, 0}) == "/");
}

TEST_CASE("a deep link loads the inbox and the request; read marks wait for the display", "[state]") {
    AppState s;
    Effects fx;
    action_start(s, "/requests/5", fx);
    CHECK(s.route == Route{Screen::Request, 5});
    REQUIRE(fx.calls.size() == 3);
    CHECK(fx.calls[0].kind == CallKind::Inbox);
    CHECK(fx.calls[1].kind == CallKind::Thread);
    CHECK(fx.calls[1].path == "/api/v1/requests/5");
    CHECK(fx.calls[2].kind == CallKind::Me);  // dark mode: the user's theme
    CHECK(fx.calls[2].path == "/api/v1/me");
}

TEST_CASE("the first inbox starts the long-poll after its cursor", "[state]") {
    AppState s;
    Effects fx;
    action_start(s, "/", fx);
    Effects fx2;
    action_http_done(s, fx.calls[0], ok(dump_json(sample_inbox())), fx2);
    CHECK(s.inbox_loaded);
    CHECK(s.inbox.requests.size() == 2);
    // Signed in: the translation languages and my translation settings, then the long-poll.
    REQUIRE(fx2.calls.size() == 3);
    CHECK(fx2.calls[0].kind == CallKind::TranslateLanguages);
    CHECK(fx2.calls[1].kind == CallKind::TranslateSettings);
    CHECK(fx2.calls[2].kind == CallKind::Events);
    CHECK(fx2.calls[2].path == "/api/v1/events?after=40");
    // A second inbox (refresh) does not start a second poll.
    Effects fx3;
    action_http_done(s, fx.calls[0], ok(dump_json(sample_inbox())), fx3);
    CHECK(fx3.calls.empty());
}

TEST_CASE("navigating pushes history only when asked and only on change", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 6}, true, fx);
    REQUIRE(fx.push_url);
    CHECK(*fx.push_url == "/requests/6");
    Effects back;
    action_navigate(s, {Screen::Inbox, 0}, false, back);  // popstate: no push
    CHECK_FALSE(back.push_url);
    CHECK(s.route.screen == Screen::Inbox);
}

TEST_CASE("sending puts the reply on top; a retry keeps the same idempotency key", "[state]") {
    AppState s;
    s.key_seed = 0xabc;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    Effects t;
    action_http_done(s, fx.calls[0], ok(dump_json(sample_thread(5))), t);
    REQUIRE(s.thread);

    current_draft(s).text = "Hola, le envío el precio.";
    Effects send1;
    action_send(s, send1);
    REQUIRE(send1.calls.size() == 1);
    const HttpCall call = send1.calls[0];
    CHECK(call.method == "POST");
    CHECK(call.path == "/api/v1/requests/5/messages");
    CHECK_FALSE(call.idempotency_key.empty());
    CHECK(current_draft(s).sending);

    // A second click while sending does nothing.
    Effects dup;
    action_send(s, dup);
    CHECK(dup.calls.empty());

    // Network failure: the reply waits in the outbox and is retried with the same key.
    Effects f;
    action_http_done(s, call, HttpResult{0, ""}, f);
    CHECK(current_draft(s).sending);
    CHECK(current_draft(s).queued);
    CHECK(current_draft(s).error.empty());
    CHECK(current_draft(s).text == "Hola, le envío el precio.");
    REQUIRE(f.calls.size() == 1);
    CHECK(f.calls[0].kind == CallKind::Send);
    CHECK(f.calls[0].idempotency_key == call.idempotency_key);
    CHECK(f.calls[0].delay_ms >= 1000);
    const HttpCall retry = f.calls[0];

    // Back online: the outbox goes out at once (same key again).
    Effects on;
    action_online(s, on);
    REQUIRE_FALSE(on.calls.empty());
    HttpCall send2 = on.calls[0];
    CHECK(send2.kind == CallKind::Send);
    CHECK(send2.idempotency_key == call.idempotency_key);
    Effects send2fx;
    send2fx.calls = {send2};

    Message m;
    m.id = 77; m.request_id = 5; m.author_id = 1; m.author_name = "Marta"; m.author_role = "manufacturer";
    m.body = "Hola, le envío el precio."; m.created = 2000;
    Effects done;
    action_http_done(s, send2fx.calls[0], ok(dump_json(m), 201), done);
    CHECK(current_draft(s).text.empty());
    CHECK(current_draft(s).error.empty());
    REQUIRE(s.thread->messages.size() == 2);
    CHECK(s.thread->messages[0].id == 77);  // newest first
    // The same answer arriving twice (retry raced) never shows the message twice.
    Effects again;
    action_http_done(s, retry, ok(dump_json(m), 200), again);
    CHECK(s.thread->messages.size() == 2);
}

TEST_CASE("server errors keep the draft and show the server's reason", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    current_draft(s).text = std::string("x");
    Effects send;
    action_send(s, send);
    Effects f;
    action_http_done(s, send.calls[0], ok(error_body("message_too_long", "Too long."), 413), f);
    CHECK(current_draft(s).text == "x");
    CHECK(current_draft(s).error == "Not sent: Too long.");
}

TEST_CASE("a 429 keeps the draft and retries after the server's wait, same key", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    current_draft(s).text = std::string("Precio final");
    Effects send;
    action_send(s, send);
    REQUIRE(send.calls.size() == 1);
    Effects f;
    action_http_done(s, send.calls[0], ok(error_body("rate_limited", "Too many requests: wait 42 seconds.", 42), 429), f);
    CHECK(current_draft(s).text == "Precio final");
    CHECK(current_draft(s).sending);
    CHECK(current_draft(s).error.empty());
    REQUIRE(f.calls.size() == 1);
    CHECK(f.calls[0].kind == CallKind::Send);
    CHECK(f.calls[0].idempotency_key == send.calls[0].idempotency_key);
    CHECK(f.calls[0].delay_ms == 42000);  // the server's wait, not the 1 s back-off
    // A 429 without a wait: the usual back-off.
    Effects g;
    action_http_done(s, f.calls[0], ok(error_body("rate_limited", "Slow down."), 429), g);
    REQUIRE(g.calls.size() == 1);
    CHECK(g.calls[0].delay_ms == 2000);
}

TEST_CASE("blank drafts are refused locally", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    current_draft(s).text = "  \n\t";
    Effects send;
    action_send(s, send);
    CHECK(send.calls.empty());
    CHECK_FALSE(current_draft(s).error.empty());
}

TEST_CASE("events reload the inbox and the open thread, then poll again", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    s.cursor = 40;
    HttpCall poll;
    poll.kind = CallKind::Events;
    Event ev;
    ev.id = 41; ev.request_id = 5; ev.message_id = 80; ev.actor_id = 9; ev.kind = "message";
    EventBatch b{{ev}, 41};
    Effects e;
    action_http_done(s, poll, ok(dump_json(b)), e);
    CHECK(s.cursor == 41);
    bool inbox = false, thread = false, next_poll = false;
    for (auto& c : e.calls) {
        inbox |= c.kind == CallKind::Inbox;
        thread |= c.kind == CallKind::Thread && c.request_id == 5;
        next_poll |= c.kind == CallKind::Events && c.path == "/api/v1/events?after=41";
    }
    CHECK(inbox);
    CHECK(thread);
    CHECK(next_poll);
}

TEST_CASE("a failing long-poll backs off instead of spinning", "[state]") {
    AppState s;
    HttpCall poll;
    poll.kind = CallKind::Events;
    int last = 0;
    for (int i = 0; i < 8; i++) {
        Effects e;
        action_http_done(s, poll, HttpResult{0, ""}, e);
        REQUIRE(e.calls.size() == 1);
        CHECK(e.calls[0].delay_ms >= last);
        last = e.calls[0].delay_ms;
    }
    CHECK(last == 30000);
}

TEST_CASE("401 anywhere shows the sign-in screen", "[state]") {
    AppState s;
    Effects fx;
    action_start(s, "/", fx);
    Effects e;
    action_http_done(s, fx.calls[0], HttpResult{401, error_body("unauthorized", "Sign in")}, e);
    CHECK(s.route.screen == Screen::SignedOut);
}

TEST_CASE("the tab title carries the unread count", "[state]") {
    AppState s;
    s.inbox = sample_inbox();
    CHECK(window_title(s) == "(1) Parley");
    s.inbox.unread = 0;
    CHECK(window_title(s) == "Parley");
}

TEST_CASE("an outbox that never reaches the server finally turns red, text kept", "[state]") {
    AppState s;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    current_draft(s).text = "Oferta";
    Effects send;
    action_send(s, send);
    HttpCall c = send.calls[0];
    int posts = 1;
    for (int i = 0; i < 20 && current_draft(s).sending; i++) {
        Effects f;
        action_http_done(s, c, HttpResult{0, ""}, f);
        if (!f.calls.empty()) { c = f.calls[0]; posts++; }
    }
    CHECK(posts == kMaxSendAttempts);
    CHECK_FALSE(current_draft(s).sending);
    CHECK_FALSE(current_draft(s).queued);
    CHECK(current_draft(s).text == "Oferta");
    CHECK(current_draft(s).error.find("Not sent") == 0);
}

TEST_CASE("drafts are saved per user and restored; an outbox resumes with its key", "[state]") {
    AppState s;
    Effects fx;
    action_start(s, "/requests/5", fx);
    Inbox in;
    in.me.id = 42;
    Effects first;
    action_http_done(s, fx.calls[0], HttpResult{200, dump_json(in)}, first);
    REQUIRE(first.load.size() == 1);
    CHECK(first.load[0] == "parley.drafts.42");

    current_draft(s).text = "Borrador ñ";
    Effects edit;
    action_draft_edited(s, 5, edit);
    REQUIRE(edit.store.size() == 1);
    CHECK(edit.store[0].first == "parley.drafts.42");
    const std::string saved = edit.store[0].second;

    // A new page load restores it.
    AppState t;
    Effects f2;
    action_start(t, "/", f2);
    Effects f3;
    action_http_done(t, f2.calls[0], HttpResult{200, dump_json(in)}, f3);
    Effects f4;
    action_loaded(t, "parley.drafts.42", saved, f4);
    CHECK(t.drafts[5].text == "Borrador ñ");
    CHECK(f4.calls.empty());  // a plain draft is not sent by itself

    // Outbox entries resume with the same idempotency key.
    Effects f5;
    action_loaded(t, "parley.drafts.42", R"({"7":{"text":"Enviado?","key":"k-1","outbox":true}})", f5);
    REQUIRE(f5.calls.size() == 1);
    CHECK(f5.calls[0].idempotency_key == "k-1");
    CHECK(t.drafts[7].sending);

    // Damaged storage is ignored.
    Effects f6;
    action_loaded(t, "parley.drafts.42", "{not json", f6);
    action_loaded(t, "parley.drafts.42", R"({"x":5,"8":{"text":3}})", f6);
    CHECK(f6.calls.empty());
}
