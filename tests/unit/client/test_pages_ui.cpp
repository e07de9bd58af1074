// Inbox pages and thread pages in real ImGui frames: a long inbox registers only the rows
// in view (the screen-reader mirror follows the registry), the next page is asked for
// near the end, search results show their match, an empty search says so; the history
// counts the whole thread and asks for the next older page near its end.
#include <catch2/catch.hpp>
#include "app/registry.h"
#include "app/state.h"
#include "app/ui.h"
#include "imgui_frames.h"
#include "imgui_internal.h"

using namespace parley;

namespace {
int count(const std::string& kind) {
    int n = 0;
    for (auto& w : reg::widgets()) n += w.kind == kind;
    return n;
}
bool has(const std::string& label, const std::string& kind) {
    for (auto& w : reg::widgets())
        if (w.label == label && w.kind == kind) return true;
    return false;
}
AppState seller_with(int rows) {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iglesias", "ES", "es", "manufacturer"};
    for (int i = 0; i < rows; i++) {
        RequestSummary r;
        r.id = 1000 - i;
        r.buyer_name = "Buyer " + std::to_string(i);
        r.buyer_company = "Company";
        r.product = "Pump";
        r.status = "to_answer";
        s.inbox.requests.push_back(r);
    }
    s.inbox.to_answer = 12;
    s.inbox.unread = 3;
    return s;
}
}  // namespace

TEST_CASE("inbox: only the rows in view are drawn; the next page near the end", "[pages][registry]") {
    for (float height : {800.f, 844.f}) {
        ImGuiFrames c(ImVec2(390, height));
        AppState s = seller_with(50);
        s.inbox.next_page = "p2";
        Effects fx;
        for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 390, height, 0); });
        const int rows = count("listitem");
        CHECK(rows > 3);
        CHECK(rows < 16);  // 50 loaded
        CHECK(has("Buyer 0, Company — Pump", "listitem"));
        CHECK(has("To answer", "button"));  // chips, named without their counts
        CHECK(has("Unread", "button"));
        CHECK(has("Search requests", "input"));
        CHECK(fx.calls.empty());  // the end is far away
        // Scrolled to the end: the next page is asked for, once.
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
            if (std::string(w->Name).find("/inbox") != std::string::npos) {
                w->ScrollTarget.y = 1e6f;  // clamped to the end by the next frame
                w->ScrollTargetCenterRatio.y = 0;
            }
        for (int i = 0; i < 3; i++) c.frame([&] { draw_app(s, fx, 390, height, 0); });
        CHECK(has("Buyer 49, Company — Pump", "listitem"));
        CHECK_FALSE(has("Buyer 0, Company — Pump", "listitem"));
        int more = 0;
        for (const HttpCall& call : fx.calls) more += call.kind == CallKind::Inbox && call.page == "p2";
        CHECK(more == 1);
    }
}

TEST_CASE("inbox search: results show the match; nothing found says so", "[pages][registry]") {
    ImGuiFrames c(ImVec2(1280, 800));
    AppState s = seller_with(1);
    s.ip.search = s.ip.typed = s.inbox.search = "lager";
    s.inbox.requests[0].match_message_id = 7;
    s.inbox.requests[0].match_text = "Unser Wälzlagerprüfstand braucht";
    s.inbox.requests[0].match_ranges = {{6, 6}};
    Effects fx;
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK(has("Unser Wälzlagerprüfstand braucht", "text"));
    CHECK(has("Clear search", "button"));
    s.inbox.requests.clear();
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK(has("No requests match “lager”", "text"));
}

TEST_CASE("inbox search: on a phone, a match far into the text is brought into view after “…”", "[pages][registry]") {
    ImGuiFrames c(ImVec2(390, 844));
    AppState s = seller_with(1);
    s.ip.search = s.ip.typed = s.inbox.search = "lager";
    s.inbox.requests[0].match_text = "Sehr geehrte Damen und Herren, wie besprochen zum Auftakt: unser Wälzlagerprüfstand";
    s.inbox.requests[0].match_ranges = {{65, 20}};
    Effects fx;
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 390, 844, 0); });
    bool shifted = false;
    for (auto& w : reg::widgets())
        shifted |= w.kind == "text" && w.label.rfind("…", 0) == 0 && w.label.find("Wälzlagerprüfstand") != std::string::npos;
    CHECK(shifted);
}

TEST_CASE("thread pages: the heading counts the whole thread; the end asks for the next older page",
          "[pages][registry]") {
    ImGuiFrames c(ImVec2(1280, 800));
    AppState s = seller_with(1);
    s.route = {Screen::Request, 5};
    RequestDetail d;
    d.id = 5;
    d.buyer = {2, "Luc Martin", "Acier SA", "FR", "fr", "buyer"};
    d.product = "Pump";
    d.my_conversation = 10;
    Conversation conv;
    conv.id = 10;
    d.conversations = {conv};
    for (int64_t id = 10050; id > 10000; id--) {
        Message m;
        m.id = id;
        m.request_id = 5;
        m.conversation_id = 10;
        m.author_id = 2;
        m.author_name = "Luc Martin";
        m.author_role = "buyer";
        m.body = "message " + std::to_string(id);
        d.messages.push_back(m);
    }
    d.older = 10001;
    d.message_total = 10050;
    s.thread = d;
    Effects fx;
    for (int i = 0; i < 2; i++) c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    bool heading = false;
    for (auto& w : reg::all_widgets()) heading |= w.kind == "heading" && w.label.find("10,050 messages") != std::string::npos;
    CHECK(heading);
    auto history_calls = [&] {
        int n = 0;
        for (const HttpCall& call : fx.calls) n += call.kind == CallKind::History;
        return n;
    };
    CHECK(history_calls() == 0);  // the end is far below
    for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (std::string(w->Name).find("/thread_") != std::string::npos) {
            w->ScrollTarget.y = 1e7f;
            w->ScrollTargetCenterRatio.y = 0;
        }
    for (int i = 0; i < 4; i++) c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    CHECK(history_calls() == 1);  // once, while it is on its way
    CHECK(has("Loading older messages…", "status"));
}
