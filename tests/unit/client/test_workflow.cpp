// The negotiation workflow on the client: merged history, read marks (✓ / ✓✓ and
// when), read marks sent only forward and only for what was on screen, the action
// dialogs' calls and errors, phone reveal, rating, live reloads; and the request page
// drawn in real ImGui frames naming its controls.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "app/workflow_state.h"
#include "imgui_frames.h"

using namespace parley;
using nlohmann::json;

namespace {
HttpResult ok(const std::string& body, int status = 200) { return {status, body}; }

Message msg(int64_t id, int64_t conv, int64_t author, const char* name, const char* role, Millis at,
            const char* body = "text") {
    Message m;
    m.id = id; m.request_id = 5; m.conversation_id = conv; m.author_id = author;
    m.author_name = name; m.author_role = role; m.body = body; m.created = at;
    return m;
}

Event ev(int64_t id, const char* kind, int64_t conv, int64_t actor, const char* actor_role, Millis at) {
    Event e;
    e.id = id; e.request_id = 5; e.conversation_id = conv; e.kind = kind; e.actor_id = actor;
    e.actor_name = actor == 1 ? "Marta Iglesias" : actor == 2 ? "Luc Martin" : "Claire Martin";
    e.actor_role = actor_role; e.created = at;
    return e;
}

User user(int64_t id, const char* name, const char* role, const char* company = "") {
    User u;
    u.id = id; u.name = name; u.role = role; u.company = company;
    return u;
}

// Request 5 from buyer Luc (2); Marta (1, manufacturer) owns conversation 10.
RequestDetail sample() {
    RequestDetail d;
    d.id = 5;
    d.buyer = user(2, "Luc Martin", "buyer", "Acier SA");
    d.manufacturer_name = "Hidráulica Iberia";
    d.product = "Bomba GP-40";
    d.message = "Need 40 pumps.";
    d.country = "FR";
    d.my_conversation = 10;
    Conversation c;
    c.id = 10;
    c.seller = user(1, "Marta Iglesias", "manufacturer", "Hidráulica Iberia");
    d.conversations = {c};
    d.messages = {msg(31, 10, 1, "Marta Iglesias", "manufacturer", 3000, "Our offer"),
                  msg(30, 10, 2, "Luc Martin", "buyer", 2000, "Price?")};
    d.can.reply = d.can.reveal_phone = d.can.cc = d.can.forward = d.can.decline = d.can.close = true;
    return d;
}

// Signed in as `me`, request 5 open and loaded.
AppState opened(const User& me, const RequestDetail& d) {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = me;
    Effects fx;
    action_navigate(s, {Screen::Request, 5}, true, fx);
    Effects t;
    action_http_done(s, fx.calls.at(0), ok(dump_json(d)), t);
    return s;
}
AppState as_marta(const RequestDetail& d = sample()) { return opened(user(1, "Marta Iglesias", "manufacturer"), d); }

const HttpCall* find_call(const Effects& fx, CallKind kind) {
    for (const HttpCall& c : fx.calls)
        if (c.kind == kind) return &c;
    return nullptr;
}
}  // namespace

TEST_CASE("history: messages and events in one list, newest first", "[workflow]") {
    RequestDetail d = sample();
    d.events = {ev(50, "routed", 0, 1, "manufacturer", 1500), ev(51, "message", 10, 2, "buyer", 2000),
                ev(52, "read", 10, 1, "manufacturer", 2500), ev(53, "phone_revealed", 10, 1, "manufacturer", 2600),
                ev(54, "answered", 10, 1, "manufacturer", 3000)};
    auto h = merged_history(d, 0);
    REQUIRE(h.size() == 5);  // 2 messages + routed, phone, answered ("message" and "read" are no lines)
    CHECK(h[0].event);
    CHECK(h[0].event->kind == "answered");  // same ms as message 31: the consequence shows above it
    CHECK(h[1].message);
    CHECK(h[1].message->id == 31);
    CHECK(h[2].event->kind == "phone_revealed");
    CHECK(h[3].message->id == 30);
    CHECK(h[4].event->kind == "routed");
    for (size_t i = 1; i < h.size(); i++) CHECK(h[i - 1].at >= h[i].at);
    // "answered" pointing at a message that is shown: the bubble says it already.
    d.events[4].message_id = 31;
    CHECK(merged_history(d, 0).size() == 4);
    d.events[4].message_id = 99;  // a message of a conversation I do not see
    CHECK(merged_history(d, 0).size() == 5);
}

TEST_CASE("buyer: one conversation at a time, replies and ratings go to it", "[workflow]") {
    RequestDetail d = sample();
    Conversation claire;
    claire.id = 11;
    claire.seller = user(3, "Claire Martin", "distributor", "Hydrolec France SARL");
    d.conversations.push_back(claire);
    d.messages.insert(d.messages.begin(), msg(32, 11, 3, "Claire Martin", "distributor", 4000, "Bonjour"));
    d.events = {ev(60, "declined", 10, 1, "manufacturer", 3500), ev(61, "rated", 11, 2, "buyer", 4500)};
    d.can = {};
    d.can.reply = d.can.rate = true;
    AppState s = opened(user(2, "Luc Martin", "buyer"), d);
    CHECK(shown_conversation(s) == 10);  // my_conversation by default
    auto h10 = merged_history(d, 10);
    CHECK(h10.size() == 3);  // 31, 30, declined
    Effects sel;
    action_select_conversation(s, 11, sel);
    CHECK(shown_conversation(s) == 11);
    auto h11 = merged_history(*s.thread, shown_conversation(s));
    REQUIRE(h11.size() == 2);
    CHECK(h11[0].event->kind == "rated");
    CHECK(h11[1].message->id == 32);
    Effects bad;
    action_select_conversation(s, 99, bad);  // not one of mine: ignored
    CHECK(shown_conversation(s) == 11);

    current_draft(s).text = "Merci";
    Effects send;
    action_send(s, send);
    REQUIRE(send.calls.size() == 1);
    CHECK(json::parse(send.calls[0].body)["conversation_id"] == 11);
    // In the outbox across a reload, it still goes to that conversation.
    AppState again;
    Effects none0;
    action_loaded(again, drafts_key(again), drafts_json(s), none0);
    REQUIRE(none0.calls.size() == 1);
    CHECK(json::parse(none0.calls[0].body)["conversation_id"] == 11);

    // Rating, in its dialog: stars are required; the body names the conversation shown.
    CHECK(can_rate(s, *find_conversation(*s.thread, 11)));
    Effects open;
    action_open_dialog(s, DialogKind::Rate, open);
    CHECK(open.calls.empty());
    CHECK(s.wf.rating.conversation_id == 11);
    Effects none;
    action_submit_dialog(s, none);
    CHECK(none.calls.empty());
    CHECK_FALSE(s.wf.rating.error.empty());
    s.wf.rating.stars = 4;
    s.wf.rating.comment = "  Rápido y claro ";
    Effects rate;
    action_send_rating(s, rate);
    REQUIRE(rate.calls.size() == 1);
    CHECK(rate.calls[0].kind == CallKind::Rate);
    CHECK(rate.calls[0].path == "/api/v1/requests/5/rating");
    CHECK(json::parse(rate.calls[0].body) == json{{"conversation_id", 11}, {"stars", 4}, {"comment", "Rápido y claro"}});
    RequestDetail rated = *s.thread;
    rated.conversations[1].rating = {4, "Rápido y claro", 5000};
    Effects done;
    action_http_done(s, rate.calls[0], ok(dump_json(rated)), done);
    CHECK(s.thread->conversations[1].rating.stars == 4);
    CHECK_FALSE(can_rate(s, s.thread->conversations[1]));
    CHECK(s.wf.rating.stars == 0);
    CHECK(s.wf.dialog.kind == DialogKind::None);  // the dialog closed
}

TEST_CASE("read marks: ✓ until the other side displays it, then ✓✓ with the first time", "[workflow]") {
    RequestDetail d = sample();
    const Message& mine = d.messages[0];  // Marta's 31
    CHECK_FALSE(read_view(d, mine).read);
    // Marta's colleague (CC) reading it is not the buyer reading it.
    d.events.push_back(ev(70, "read", 10, 3, "distributor", 3500));
    d.events.back().message_id = 31;
    CHECK_FALSE(read_view(d, mine).read);
    // The buyer displayed an older message only: still ✓.
    d.events.push_back(ev(71, "read", 10, 2, "buyer", 3600));
    d.events.back().message_id = 30;
    CHECK_FALSE(read_view(d, mine).read);
    // Now the buyer displayed 31 (and later again, newer): the earliest time counts.
    d.events.push_back(ev(72, "read", 10, 2, "buyer", 4000));
    d.events.back().message_id = 31;
    d.events.push_back(ev(73, "read", 10, 2, "buyer", 9000));
    d.events.back().message_id = 40;
    ReadView v = read_view(d, mine);
    CHECK(v.read);
    CHECK(v.at == 4000);
    // The buyer's own message, read by the seller side.
    const Message& theirs = d.messages[1];
    d.events.push_back(ev(74, "read", 10, 1, "manufacturer", 2100));
    d.events.back().message_id = 30;
    CHECK(read_view(d, theirs).read);
    CHECK(read_view(d, theirs).at == 2100);
    // Without read events: the conversation's mark of the other side.
    RequestDetail e = sample();
    e.conversations[0].other_read_id = 31;
    e.conversations[0].other_read_at = 7777;
    CHECK(read_view(e, e.messages[0]).read);
    CHECK(read_view(e, e.messages[0]).at == 7777);
    e.conversations[0].other_read_id = 30;
    CHECK_FALSE(read_view(e, e.messages[0]).read);
}

TEST_CASE("read marks are sent for what was displayed, only when they move forward", "[workflow]") {
    AppState s = as_marta();
    Effects a;
    action_displayed(s, 10, 30, a);
    REQUIRE(a.calls.size() == 1);
    CHECK(a.calls[0].kind == CallKind::MarkRead);
    CHECK(a.calls[0].method == "POST");
    CHECK(a.calls[0].path == "/api/v1/requests/5/read");
    CHECK(json::parse(a.calls[0].body) == json{{"conversation_id", 10}, {"message_id", 30}});
    Effects same, older;
    action_displayed(s, 10, 30, same);   // every frame shows it again: nothing new
    action_displayed(s, 10, 12, older);  // scrolled down to older ones
    CHECK(same.calls.empty());
    CHECK(older.calls.empty());
    Effects other;
    action_displayed(s, 11, 12, other);  // another conversation has its own mark
    CHECK(other.calls.size() == 1);
    Effects ok2;
    action_http_done(s, a.calls[0], ok("", 204), ok2);
    CHECK(find_call(ok2, CallKind::Inbox));  // the unread count moves

    // A failed mark is not retried every frame, but after the next load.
    Effects b;
    action_displayed(s, 10, 33, b);
    REQUIRE(b.calls.size() == 1);
    Effects fail;
    action_http_done(s, b.calls[0], HttpResult{0, ""}, fail);
    Effects again;
    action_displayed(s, 10, 33, again);
    CHECK(again.calls.empty());
    Effects reload;
    action_http_done(s, thread_call(s, 5), ok(dump_json(sample())), reload);
    action_displayed(s, 10, 33, again);
    CHECK(again.calls.size() == 1);
}

TEST_CASE("the seller side marks a new request read when its card is displayed", "[workflow]") {
    RequestDetail d = sample();
    d.messages.clear();  // nothing from the buyer but the request itself
    AppState s = as_marta(d);
    Effects fx;
    action_request_displayed(s, fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].path == "/api/v1/requests/5/read");
    CHECK(json::parse(fx.calls[0].body) == json{{"conversation_id", 10}, {"message_id", 0}});
    Effects again;
    action_request_displayed(s, again);
    CHECK(again.calls.empty());  // once per request
    // With messages of the buyer, only displaying them marks them.
    AppState t = as_marta();
    Effects none;
    action_request_displayed(t, none);
    CHECK(none.calls.empty());
    // The buyer has nothing to mark for the request itself.
    AppState b = opened(user(2, "Luc Martin", "buyer"), d);
    Effects buyer;
    action_request_displayed(b, buyer);
    CHECK(buyer.calls.empty());
}

TEST_CASE("every event of the open request reloads it; the inbox reloads for any event", "[workflow][state]") {
    AppState s = as_marta();
    HttpCall poll;
    poll.kind = CallKind::Events;
    for (const char* kind : {"read", "forwarded", "declined", "rated", "answered"}) {
        Effects e;
        EventBatch b{{ev(80, kind, 10, 2, "buyer", 9000)}, 80};
        action_http_done(s, poll, ok(dump_json(b)), e);
        const HttpCall* in = find_call(e, CallKind::Inbox);
        REQUIRE(in);
        Effects answered;  // the refresh comes back before the next batch (else they coalesce)
        action_http_done(s, *in, ok(dump_json(s.inbox)), answered);
        const HttpCall* t = find_call(e, CallKind::Thread);
        REQUIRE(t);
        CHECK(t->request_id == 5);
        CHECK_FALSE(find_call(e, CallKind::MarkRead));  // marks come from the display only
    }
    Effects e;
    Event elsewhere = ev(81, "message", 0, 2, "buyer", 9000);
    elsewhere.request_id = 6;
    action_http_done(s, poll, ok(dump_json(EventBatch{{elsewhere}, 81})), e);
    CHECK(find_call(e, CallKind::Inbox));
    CHECK_FALSE(find_call(e, CallKind::Thread));
}

TEST_CASE("show number posts once and shows the number as a tel: link", "[workflow]") {
    AppState s = as_marta();
    Effects fx;
    action_reveal_phone(s, fx);
    REQUIRE(fx.calls.size() == 1);
    CHECK(fx.calls[0].kind == CallKind::Phone);
    CHECK(fx.calls[0].method == "POST");
    CHECK(fx.calls[0].path == "/api/v1/requests/5/phone");
    Effects dup;
    action_reveal_phone(s, dup);
    CHECK(dup.calls.empty());  // already on its way
    Effects done;
    action_http_done(s, fx.calls[0], ok(R"({"phone":"+33 6 12 34 56 78"})"), done);
    CHECK(s.thread->phone == "+33 6 12 34 56 78");
    CHECK(tel_href(s.thread->phone) == "tel:+33612345678");
    CHECK(tel_href("(91) 555-12 34") == "tel:915551234");
    // Refused: a reason, the button comes back.
    AppState t = as_marta();
    Effects f;
    action_reveal_phone(t, f);
    Effects no;
    action_http_done(t, f.calls[0], ok(error_body("not_found", "Not visible."), 404), no);
    CHECK(t.wf.phone_error == "Not visible.");
    CHECK_FALSE(t.wf.phone_loading);
}

TEST_CASE("action dialogs post the documented bodies", "[workflow]") {
    AppState s = as_marta();
    // Forward to a contact, with a note; the contacts load when the dialog opens.
    Effects open;
    action_open_dialog(s, DialogKind::Forward, open);
    const HttpCall* contacts = find_call(open, CallKind::Contacts);
    REQUIRE(contacts);
    CHECK(contacts->path == "/api/v1/contacts");
    Effects loaded;
    action_http_done(s, *contacts, ok(dump_json(Contacts{{user(3, "Claire Martin", "distributor")}})), loaded);
    REQUIRE(s.wf.contacts);
    s.wf.dialog.user_id = 3;
    s.wf.dialog.note = " Cliente de Lyon ";
    Effects fwd;
    action_submit_dialog(s, fwd);
    REQUIRE(fwd.calls.size() == 1);
    CHECK(fwd.calls[0].kind == CallKind::Action);
    CHECK(fwd.calls[0].path == "/api/v1/requests/5/forward");
    json body = json::parse(fwd.calls[0].body);
    CHECK(body["user_id"] == 3);
    CHECK(body["note"] == "Cliente de Lyon");
    CHECK(body["email"] == "");
    CHECK(s.wf.dialog.busy);
    Effects twice;
    action_submit_dialog(s, twice);
    CHECK(twice.calls.empty());

    // CC to an address.
    action_close_dialog(s, twice);
    Effects cc_open, cc;
    action_open_dialog(s, DialogKind::Cc, cc_open);
    CHECK_FALSE(find_call(cc_open, CallKind::Contacts));  // loaded already
    s.wf.dialog.email = " ventas@hydrolec.fr\n";
    action_submit_dialog(s, cc);
    REQUIRE(cc.calls.size() == 1);
    CHECK(cc.calls[0].path == "/api/v1/requests/5/cc");
    CHECK(json::parse(cc.calls[0].body)["email"] == "ventas@hydrolec.fr");
    CHECK(json::parse(cc.calls[0].body)["user_id"] == 0);

    // Decline with "other" and its words.
    action_close_dialog(s, twice);
    Effects d_open, dec;
    action_open_dialog(s, DialogKind::Decline, d_open);
    s.wf.dialog.reason = "other";
    s.wf.dialog.text = "Discontinued model";
    action_submit_dialog(s, dec);
    REQUIRE(dec.calls.size() == 1);
    CHECK(dec.calls[0].path == "/api/v1/requests/5/decline");
    CHECK(json::parse(dec.calls[0].body) == json{{"conversation_id", 0}, {"reason", "other"}, {"text", "Discontinued model"}});

    // "Mark lost" opens the close dialog with lost chosen.
    action_close_dialog(s, twice);
    Effects c_open, close;
    action_open_dialog(s, DialogKind::Close, c_open, "lost");
    CHECK(s.wf.dialog.outcome == "lost");
    action_submit_dialog(s, close);
    REQUIRE(close.calls.size() == 1);
    CHECK(close.calls[0].path == "/api/v1/requests/5/close");
    CHECK(json::parse(close.calls[0].body) == json{{"conversation_id", 0}, {"outcome", "lost"}});
}

TEST_CASE("dialogs check their input locally", "[workflow]") {
    AppState s = as_marta();
    Effects fx;
    action_open_dialog(s, DialogKind::Cc, fx);
    Effects a;
    action_submit_dialog(s, a);
    CHECK(a.calls.empty());
    CHECK(s.wf.dialog.error == "Pick a contact or type an e-mail address.");
    CHECK(s.wf.dialog.invalid.empty());  // no one field to blame
    s.wf.dialog.email = "claire at hydrolec";
    action_submit_dialog(s, a);
    CHECK(a.calls.empty());
    CHECK(s.wf.dialog.error == "This e-mail address does not look right.");
    CHECK(s.wf.dialog.invalid == "email");  // the address field is outlined red
    s.wf.dialog.email = "claire@hydrolec.fr";
    action_submit_dialog(s, a);
    CHECK(s.wf.dialog.invalid.empty());
    CHECK(a.calls.size() == 1);
    action_close_dialog(s, a);
    action_open_dialog(s, DialogKind::Cc, a);
    s.wf.dialog.email = "claire at hydrolec";
    action_close_dialog(s, a);
    action_open_dialog(s, DialogKind::Decline, a);
    action_submit_dialog(s, a);
    CHECK(s.wf.dialog.error == "Choose a reason.");
    s.wf.dialog.reason = "other";
    s.wf.dialog.text = "   ";
    action_submit_dialog(s, a);
    CHECK(s.wf.dialog.error == "Say why in a few words.");
    CHECK(s.wf.dialog.invalid == "text");
    CHECK(a.calls.size() == 1);  // only the good CC above went out
}

TEST_CASE("a refused action keeps the dialog and its input; success replaces the request", "[workflow]") {
    AppState s = as_marta();
    Effects open;
    action_open_dialog(s, DialogKind::Forward, open);
    s.wf.dialog.email = "jonas@nordhydraulik.de";
    s.wf.dialog.note = "Bitte übernehmen";
    Effects post;
    action_submit_dialog(s, post);
    REQUIRE(post.calls.size() == 1);
    Effects refused;
    action_http_done(s, post.calls[0], ok(error_body("conflict", "Already forwarded to that address."), 409), refused);
    CHECK(s.wf.dialog.kind == DialogKind::Forward);
    CHECK_FALSE(s.wf.dialog.busy);
    CHECK(s.wf.dialog.error == "Already forwarded to that address.");
    CHECK(s.wf.dialog.email == "jonas@nordhydraulik.de");
    CHECK(s.wf.dialog.note == "Bitte übernehmen");
    // Offline: a readable reason, still the same input.
    Effects again, offline;
    action_submit_dialog(s, again);
    action_http_done(s, again.calls.at(0), HttpResult{0, ""}, offline);
    CHECK(s.wf.dialog.error.find("No connection") == 0);
    CHECK(s.wf.dialog.note == "Bitte übernehmen");
    // Accepted: the answer is the updated request; the dialog closes.
    Effects third, done;
    action_submit_dialog(s, third);
    RequestDetail updated = sample();
    updated.events.push_back(ev(90, "forwarded", 10, 1, "manufacturer", 9000));
    updated.events.back().target_name = "jonas@nordhydraulik.de";
    action_http_done(s, third.calls.at(0), ok(dump_json(updated)), done);
    CHECK(s.wf.dialog.kind == DialogKind::None);
    REQUIRE(s.thread->events.size() == 1);
    CHECK(find_call(done, CallKind::Inbox));
    // Another request opened: nothing of this one's dialog remains.
    action_open_dialog(s, DialogKind::Decline, done);
    Effects nav;
    action_navigate(s, {Screen::Request, 6}, true, nav);
    CHECK(s.wf.dialog.kind == DialogKind::None);
}

TEST_CASE("event lines say what happened, in the UI language", "[workflow][i18n]") {
    RequestDetail d = sample();
    Conversation claire;
    claire.id = 11;
    claire.seller = user(3, "Claire Martin", "distributor");
    d.conversations.push_back(claire);
    Event fwd = ev(1, "forwarded", 10, 1, "manufacturer", 0);
    fwd.target_name = "Claire Martin";
    fwd.text = "Lyon";
    CHECK(event_text(fwd, d, false) == "Forwarded to Claire Martin by Marta Iglesias — “Lyon”");
    Event net = ev(2, "answered", 11, 3, "distributor", 0);
    CHECK(event_text(net, d, false) == "The sales network answered the buyer");
    CHECK(event_text(ev(3, "answered", 10, 1, "manufacturer", 0), d, false) == "Marta Iglesias answered the buyer");
    Event dec = ev(4, "declined", 10, 1, "manufacturer", 0);
    dec.text = "not_my_product";
    CHECK(event_text(dec, d, false) == "Declined by Marta Iglesias: Not my product");
    CHECK(event_text(dec, d, true).find("Not my product") == std::string::npos);  // the buyer: politely
    Event routed = ev(5, "routed", 11, 1, "manufacturer", 0);
    routed.target_id = 3;
    routed.target_name = "Claire Martin";
    CHECK(event_text(routed, d, false) == "Routed to Claire Martin (distributor for France)");
    Event sent = ev(8, "quote_sent", 10, 1, "manufacturer", 0);
    sent.text = "Q-2026-0042";
    sent.value = 2;
    CHECK(event_text(sent, d, false) == "Quote Q-2026-0042 (version 2) sent by Marta Iglesias");
    Event accepted = ev(9, "quote_accepted", 10, 2, "buyer", 0);
    accepted.text = "Javier Morales";
    CHECK(event_text(accepted, d, true) == "Quote accepted by Javier Morales");
    // The event names the target's role even when their conversation is not visible.
    Event routed_am = ev(7, "routed", 12, 1, "manufacturer", 0);
    routed_am.target_id = 9;
    routed_am.target_name = "Tomás Navarro";
    routed_am.target_role = "area_manager";
    routed_am.text = "PT";
    CHECK(event_text(routed_am, d, false) == "Routed to Tomás Navarro (area manager for Portugal)");
    Event rated = ev(6, "rated", 10, 2, "buyer", 0);
    rated.value = 4;
    rated.text = "Muy bien";
    CHECK(event_text(rated, d, false) == "Rated ★★★★☆ — “Muy bien”");
    Event cc = ev(7, "cc_added", 10, 1, "manufacturer", 0);
    cc.target_name = "Tomás Navarro";
    CHECK(event_text(cc, d, false) == "Tomás Navarro was put in copy by Marta Iglesias");
    i18n::set_language("es");
    CHECK(event_text(ev(8, "sale_closed", 11, 3, "distributor", 0), d, false) == "Venta cerrada por Claire Martin");
    i18n::set_language("en");
}

TEST_CASE("the request page names its workflow controls and reports what is displayed", "[workflow][registry]") {
    RequestDetail d = sample();
    AppState s = as_marta(d);
    auto find = [](const std::string& label, const char* kind = nullptr) -> const reg::Widget* {
        for (const reg::Widget& w : reg::all_widgets())
            if (w.label == label && (!kind || w.kind == kind)) return &w;
        return nullptr;
    };
    Effects fx;
    {
        ImGuiFrames wide(ImVec2(1280, 800));  // desktop: every action in the card's row
        wide.frame([&] { draw_app(s, fx, 1280, 800, 0); });
        for (const char* label : {"Show number", "Forward", "CC", "Decline", "Close sale", "Mark lost"})
            CHECK(find(label, "button"));
        CHECK_FALSE(find("More actions", "button"));
    }
    ImGuiFrames c(ImVec2(390, 844));
    c.frame([&] { draw_app(s, fx, 390, 844, 0); });
    // Phone: one row, the rest under "More".
    CHECK(find("Show number", "button"));
    CHECK(find("Forward", "button"));
    const reg::Widget* more = find("More actions", "button");
    REQUIRE(more);
    CHECK(more->h >= 36);
    CHECK_FALSE(find("Mark lost", "button"));
    CHECK(find("Marta Iglesias · Manufacturer", "heading"));  // author and role on each bubble
    CHECK(find("✓ Sent", "status"));

    // Phone revealed: a link to tel:.
    s.thread->phone = "+33 6 12 34 56 78";
    Effects fx2;
    c.frame([&] { draw_app(s, fx2, 390, 844, 0); });
    const reg::Widget* phone = find("+33 6 12 34 56 78", "link");
    REQUIRE(phone);
    CHECK(phone->href == "tel:+33612345678");
    CHECK_FALSE(find("Show number"));

    // The decline dialog: its reasons are radios named by their text.
    Effects open;
    action_open_dialog(s, DialogKind::Decline, open);
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx2, 390, 844, 0); });
    for (const char* r : {"Not my product", "Cannot deliver to that country", "Quantity too small", "Other"})
        CHECK(find(r, "radio"));
    CHECK(find("Decline request", "button"));
    CHECK(find("Cancel", "button"));
}

TEST_CASE("the read mark is the newest message of the other side on screen", "[workflow][registry]") {
    ImGuiFrames c(ImVec2(1280, 800));
    RequestDetail d = sample();
    AppState s = as_marta(d);
    Effects fx;
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    const HttpCall* mark = find_call(fx, CallKind::MarkRead);
    REQUIRE(mark);  // 30 (the buyer's) is visible; 31 is Marta's own
    CHECK(json::parse(mark->body) == json{{"conversation_id", 10}, {"message_id", 30}});
    int marks = 0;
    for (const HttpCall& call : fx.calls) marks += call.kind == CallKind::MarkRead;
    CHECK(marks == 1);  // not again on the second frame

}

TEST_CASE("the buyer rates in a dialog of five named stars", "[workflow][registry]") {
    ImGuiFrames c(ImVec2(390, 844));
    RequestDetail d = sample();
    d.can = {};
    d.can.reply = d.can.rate = true;
    AppState s = opened(user(2, "Luc Martin", "buyer"), d);
    auto find = [](const std::string& label, const char* kind) -> const reg::Widget* {
        for (const reg::Widget& w : reg::all_widgets())
            if (w.label == label && w.kind == kind) return &w;
        return nullptr;
    };
    Effects fx;
    c.frame([&] { draw_app(s, fx, 390, 844, 0); });
    CHECK_FALSE(find("Show number", "button"));  // the seller side's controls only
    CHECK_FALSE(find("Forward", "button"));
    REQUIRE(find("Rate this conversation", "button"));
    action_open_dialog(s, DialogKind::Rate, fx);
    s.wf.rating.stars = 2;
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 390, 844, 0); });
    for (const char* label : {"1 star", "2 stars", "3 stars", "4 stars", "5 stars"}) {
        const reg::Widget* star = find(label, "button");
        REQUIRE(star);
        CHECK(star->w >= 40);
        CHECK(star->checked == (std::string(label) <= "2 stars"));
    }
    CHECK(find("Comment (optional)", "input"));
    CHECK(find("Send rating", "button"));
}

TEST_CASE("a message below the fold is not marked read", "[workflow][registry]") {
    // A long request pushes the buyer's message below the fold on a phone.
    RequestDetail tall = sample();
    tall.message = std::string(4000, 'x');
    for (size_t i = 80; i < tall.message.size(); i += 81) tall.message[i] = ' ';
    AppState t = as_marta(tall);
    ImGuiFrames p(ImVec2(390, 844));
    Effects pf;
    for (int i = 0; i < 2; i++) p.frame([&] { draw_app(t, pf, 390, 844, 0); });
    CHECK_FALSE(find_call(pf, CallKind::MarkRead));
}
