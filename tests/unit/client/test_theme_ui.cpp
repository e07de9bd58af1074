// Dark mode in the client: which palette shows (the user's choice, else the device's),
// the top bar's switch (named for readers, keyboard-reachable, cycling, saved per user
// with PUT /me/preferences one at a time, kept in localStorage), GET /me at start, and
// real frames of the inbox, a thread and the quote viewer drawn in each theme with the
// colours of that palette only — no literal colour anywhere in the screens.
#include <catch2/catch.hpp>
#include <set>
#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_frames.h"
#include "imgui_internal.h"

using namespace parley;

namespace {
const reg::Widget* widget(const std::string& label) {
    for (const reg::Widget& w : reg::widgets())
        if (w.label == label) return &w;
    return nullptr;
}

int calls_of(const Effects& fx, CallKind kind) {
    int n = 0;
    for (const HttpCall& c : fx.calls) n += c.kind == kind;
    return n;
}

HttpResult ok(const std::string& body) { return {200, body}; }

// A seller with a row of every status, a thread with messages both ways, events good and
// bad, and a quote open in the viewer.
AppState rich_state() {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iberia", "ES", "es", "manufacturer"};
    s.inbox.unread = 2;
    s.inbox.to_answer = 1;
    s.inbox.score = SellerScore{10, 8, 9, 88, 3600000};
    const char* statuses[] = {"to_answer", "answered", "declined", "won", "lost"};
    for (int i = 0; i < 5; i++) {
        RequestSummary r;
        r.id = 5 + i;
        r.buyer_name = "Buyer " + std::to_string(i);
        r.buyer_company = "Acier SA";
        r.product = "Bomba GP-40";
        r.country = "FR";
        r.status = statuses[i];
        r.unread = i == 0;
        r.snippet = "Need 40 pumps";
        if (i == 1) r.handler_name = "Claire Martin";
        s.inbox.requests.push_back(r);
    }
    RequestDetail d;
    d.id = 5;
    d.buyer = {2, "Luc Martin", "Acier SA", "FR", "fr", "buyer"};
    d.product = "Bomba GP-40";
    d.message = "Need 40 pumps, see https://example.com/spec";
    d.country = "FR";
    d.my_conversation = 10;
    Conversation c;
    c.id = 10;
    c.seller = s.inbox.me;
    d.conversations = {c};
    for (int64_t id = 4; id >= 1; id--) {
        Message m;
        m.id = id;
        m.request_id = 5;
        m.conversation_id = 10;
        const bool mine = id % 2 == 0;
        m.author_id = mine ? 1 : 2;
        m.author_name = mine ? "Marta Iglesias" : "Luc Martin";
        m.author_role = mine ? "manufacturer" : "buyer";
        m.body = "Message " + std::to_string(id) + " about the pumps, www.example.com";
        m.created = 1000000 + id * 1000;
        if (id == 3) m.attachments.push_back(Attachment{7, 10, 3, 2, "spec.pdf", "application/pdf", "other", 12000, "", 0});
        d.messages.push_back(m);
    }
    for (const char* kind : {"declined", "sale_closed", "forwarded"}) {
        Event e;
        e.id = (int64_t)d.events.size() + 1;
        e.request_id = 5;
        e.kind = kind;
        e.actor_name = "Marta Iglesias";
        e.created = 1000500;
        d.events.push_back(e);
    }
    Quote q;
    q.id = 12;
    q.request_id = 5;
    q.conversation_id = 10;
    q.number = "Q-2026-0042";
    q.lines.push_back(QuoteLine{"Bomba GP-40", "GP-40", 40000, "pcs", 12500, 500});
    q.tax_bp = 2100;
    q.valid_until = 4102444800000;
    q.created = 1000900;
    REQUIRE(update_totals(q));
    d.quotes.push_back(q);
    d.can.reply = d.can.quote = d.can.decline = true;
    s.route = {Screen::Request, 5};
    s.thread = d;
    return s;
}

// Every colour the frame's vertices carry (alpha aside: anti-aliased edges fade it).
std::set<ImU32> drawn_colors() {
    std::set<ImU32> out;
    ImDrawData* dd = ImGui::GetDrawData();
    for (int l = 0; l < dd->CmdListsCount; l++)
        for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer)
            if ((v.col >> IM_COL32_A_SHIFT) & 0xFF) out.insert(v.col | IM_COL32_A_MASK);
    return out;
}
}  // namespace

TEST_CASE("dark mode: the user's choice picks the palette; \"system\" follows the device", "[theme]") {
    AppState s;
    CHECK(s.theme.choice == "system");
    CHECK_FALSE(theme_dark(s));
    s.theme.system_dark = true;
    CHECK(theme_dark(s));
    s.theme.choice = "light";
    CHECK_FALSE(theme_dark(s));
    s.theme.system_dark = false;
    s.theme.choice = "dark";
    CHECK(theme_dark(s));
    CHECK(std::string(theme_next("system")) == "light");
    CHECK(std::string(theme_next("light")) == "dark");
    CHECK(std::string(theme_next("dark")) == "system");
    CHECK(std::string(theme_name("dark")) == "Dark");
    // At start: the choice kept in this browser, if it is one.
    AppState t;
    theme_restore(t, "dark", false);
    CHECK(t.theme.choice == "dark");
    theme_restore(t, "sepia", true);
    CHECK(t.theme.choice == "dark");
    CHECK(t.theme.system_dark);
}

TEST_CASE("dark mode: the device switching redraws only when it changes what shows", "[theme]") {
    AppState s;
    Effects fx;
    action_theme_system(s, true, fx);
    CHECK(fx.redraw);
    CHECK(fx.calls.empty());
    CHECK(theme_dark(s));
    Effects again;
    action_theme_system(s, true, again);
    CHECK_FALSE(again.redraw);  // no change: no frame
    s.theme.choice = "dark";
    Effects off;
    action_theme_system(s, false, off);
    CHECK_FALSE(off.redraw);  // a fixed choice ignores the device
    CHECK(theme_dark(s));
}

TEST_CASE("dark mode: GET /me at start brings the account's theme, unless one was picked here since", "[theme]") {
    AppState s;
    Effects fx;
    action_start(s, "/", fx);
    REQUIRE(calls_of(fx, CallKind::Me) == 1);
    CHECK(fx.calls.back().path == "/api/v1/me");
    Effects a;
    action_http_done(s, fx.calls.back(), ok(R"({"id":1,"name":"Marta","theme":"dark"})"), a);
    CHECK(s.theme.choice == "dark");
    CHECK(theme_dark(s));
    REQUIRE(a.store.size() == 1);  // the next load here starts dark
    CHECK(a.store[0] == std::pair<std::string, std::string>{"parley.theme", "dark"});
    // An answer that says nothing (an older server) or nonsense changes nothing.
    Effects b;
    action_http_done(s, me_call(), ok(R"({"id":1,"name":"Marta"})"), b);
    CHECK(s.theme.choice == "system");  // the field's default: what the account says
    action_http_done(s, me_call(), ok(R"({"id":1,"theme":"sepia"})"), b);
    CHECK(s.theme.choice == "system");
    action_http_done(s, me_call(), HttpResult{0, ""}, b);
    CHECK(s.theme.choice == "system");
    // Picked here while GET /me was on its way: the late answer does not undo it.
    Effects c;
    action_theme_choose(s, "light", c);
    action_http_done(s, me_call(), ok(R"({"id":1,"theme":"dark"})"), c);
    CHECK(s.theme.choice == "light");
}

TEST_CASE("dark mode: choosing saves for the account, one PUT at a time, and in localStorage", "[theme]") {
    AppState s;
    Effects fx;
    action_theme_cycle(s, fx);  // system → light
    CHECK(s.theme.choice == "light");
    CHECK(fx.redraw);
    REQUIRE(fx.calls.size() == 1);
    const HttpCall put = fx.calls[0];
    CHECK(put.kind == CallKind::ThemeSave);
    CHECK(put.method == "PUT");
    CHECK(put.path == "/api/v1/me/preferences");
    CHECK(put.body == R"({"theme":"light"})");
    CHECK(fx.store == std::vector<std::pair<std::string, std::string>>{{"parley.theme", "light"}});
    CHECK(s.theme.saving);
    // A second click while the first save is out: shown at once, sent after it.
    Effects fx2;
    action_theme_cycle(s, fx2);  // light → dark
    CHECK(s.theme.choice == "dark");
    CHECK(fx2.calls.empty());
    Effects back;
    action_http_done(s, put, ok(R"({"theme":"light"})"), back);
    REQUIRE(back.calls.size() == 1);
    CHECK(back.calls[0].body == R"({"theme":"dark"})");
    Effects done;
    action_http_done(s, back.calls[0], ok(R"({"theme":"dark"})"), done);
    CHECK(done.calls.empty());
    CHECK_FALSE(s.theme.saving);
    CHECK(s.theme.error.empty());
    // A failed save keeps the choice on screen and says why (the switch's tooltip).
    Effects fail;
    action_theme_choose(s, "system", fail);
    action_http_done(s, fail.calls[0], HttpResult{0, ""}, fail);
    CHECK(s.theme.choice == "system");
    CHECK_FALSE(s.theme.error.empty());
    Effects none;
    action_theme_choose(s, "Dark", none);  // not a theme: nothing
    CHECK(none.calls.empty());
    CHECK(s.theme.choice == "system");
}

TEST_CASE("dark mode: the top bar's switch is a named button that cycles the theme, on desktop and phone",
          "[theme][registry]") {
    for (ImVec2 size : {ImVec2(1280, 800), ImVec2(390, 844)}) {
        ImGuiFrames f(size);
        AppState s = rich_state();
        s.route = {Screen::Inbox, 0};
        s.thread.reset();
        Effects fx;
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        const reg::Widget* b = widget("Theme: System");
        REQUIRE(b);
        CHECK(b->kind == "button");
        CHECK(b->y + b->h <= 56);  // in the top bar
        CHECK(b->h >= 30);
        const reg::Widget* lang = widget("Language: EN");
        REQUIRE(lang);
        CHECK(b->x + b->w <= lang->x);  // left of the language switch, not over it
        // A click: the next theme, shown from the next frame, named anew.
        ImGuiIO& io = ImGui::GetIO();
        io.AddMousePosEvent(b->x + b->w / 2, b->y + b->h / 2);
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        io.AddMouseButtonEvent(0, true);
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        io.AddMouseButtonEvent(0, false);
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        CHECK(s.theme.choice == "light");
        CHECK(calls_of(fx, CallKind::ThemeSave) == 1);
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        CHECK(widget("Theme: Light"));
        CHECK(&theme::pal() == &theme::light());
        s.theme.choice = "dark";
        f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
        CHECK(widget("Theme: Dark"));
        CHECK(&theme::pal() == &theme::dark());
        CHECK(ImGui::GetColorU32(ImGuiCol_WindowBg) == theme::dark().bg);
    }
    theme::use(theme::light());
}

TEST_CASE("dark mode: the switch is reached with the keyboard, before the language switch", "[theme][registry]") {
    ImGuiFrames f(ImVec2(1280, 800));
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    AppState s = rich_state();
    s.route = {Screen::Inbox, 0};
    s.thread.reset();
    Effects fx;
    ImGuiIO& io = ImGui::GetIO();
    std::vector<std::string> order;
    for (int i = 0; i < 6; i++) {
        io.AddKeyEvent(ImGuiKey_Tab, true);
        f.frame([&] { draw_app(s, fx, 1280, 800, 0); });
        io.AddKeyEvent(ImGuiKey_Tab, false);
        f.frame([&] { draw_app(s, fx, 1280, 800, 0); });
        for (const reg::Widget& w : reg::widgets())
            if (w.nav_focus) order.push_back(w.label);
        if (!order.empty() && order.back() == "Theme: System") break;
    }
    REQUIRE_FALSE(order.empty());
    CHECK(order.back() == "Theme: System");
    io.AddKeyEvent(ImGuiKey_Enter, true);
    f.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    io.AddKeyEvent(ImGuiKey_Enter, false);
    f.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK(s.theme.choice == "light");
    theme::use(theme::light());
}

TEST_CASE("dark mode: the inbox, a thread and the quote viewer draw with their palette's colours only",
          "[theme][registry]") {
    for (const theme::Palette* p : {&theme::dark(), &theme::light()}) {
        std::set<ImU32> allowed = {};
        for (const theme::NamedColor& c : theme::colors(*p)) allowed.insert(c.value | IM_COL32_A_MASK);
        for (ImVec2 size : {ImVec2(1280, 800), ImVec2(390, 844)}) {
            ImGuiFrames f(size);
            AppState s = rich_state();
            s.theme.choice = p->name;
            Effects fx;
            std::set<ImU32> seen;
            auto frames = [&](int n) {
                for (int i = 0; i < n; i++) {
                    f.frame([&] { draw_app(s, fx, size.x, size.y, 0); });
                    for (ImU32 c : drawn_colors()) seen.insert(c);
                }
            };
            frames(3);  // inbox and thread (phone: the thread)
            CHECK(widget("History  ·  4 messages"));
            if (size.x > 900) CHECK(widget("Buyer 3, Acier SA — Bomba GP-40"));
            s.qv.quote_id = 12;  // the quote viewer over it
            s.route.quote_id = 12;
            frames(3);
            CHECK(widget("Quote Q-2026-0042"));
            CHECK(&theme::pal() == p);
            CHECK(seen.count(p->bg | IM_COL32_A_MASK));
            CHECK(seen.count(p->text | IM_COL32_A_MASK));
            CHECK(seen.size() > 8);
            for (ImU32 c : seen) {
                INFO(p->name << " at " << size.x << " px: a colour not in the palette, #" << std::hex
                             << ((c >> IM_COL32_R_SHIFT) & 0xFF) << "," << ((c >> IM_COL32_G_SHIFT) & 0xFF) << ","
                             << ((c >> IM_COL32_B_SHIFT) & 0xFF));
                CHECK(allowed.count(c));
            }
        }
    }
    theme::use(theme::light());
}
