// Runs real Dear ImGui frames natively (no GPU needed) and checks what the widget
// registry reports: labels without ##ids, kinds, clipping, disabled flags, and what
// the screen-reader mirror needs (stable ids, heading levels, rows, regions, focus).
#include <catch2/catch.hpp>
#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/ui_composer.h"
#include "imgui.h"
#include "imgui_internal.h"
#include <nlohmann/json.hpp>
#include <set>
#include "imgui_frames.h"

using namespace parley;

namespace {
using Ctx = ImGuiFrames;
const reg::Widget* find(const std::string& label) {
    for (auto& w : reg::widgets())
        if (w.label == label) return &w;
    return nullptr;
}
const reg::Widget* find_any(const std::string& label) {  // visible or scrolled out
    for (auto& w : reg::all_widgets())
        if (w.label == label) return &w;
    return nullptr;
}
// Signed in as the manufacturer, one unread request in the inbox.
AppState one_request_inbox() {
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "HI", "ES", "es", "manufacturer"};
    RequestSummary r;
    r.id = 3; r.buyer_name = "Luc Martin"; r.buyer_company = "Acier SA"; r.product = "Pompe"; r.unread = true;
    s.inbox.requests = {r};
    s.inbox.unread = 1;
    return s;
}
// Draws the app at desktop size; returns the last inbox row listed.
const reg::Widget* draw_inbox(Ctx& c, AppState& s) {
    Effects fx;
    c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    const reg::Widget* row = nullptr;
    for (auto& w : reg::all_widgets())
        if (w.kind == "listitem") row = &w;
    return row;
}
// A window with a 100 px tall child holding 30 buttons: most are scrolled out.
void long_list() {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(400, 300));
    ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::BeginChild("list", ImVec2(400, 100));
    for (int i = 0; i < 30; i++) ui_button(("Row " + std::to_string(i)).c_str());
    ImGui::EndChild();
    ImGui::End();
}
}  // namespace

TEST_CASE("labels lose their ##id and report rects, kinds and state", "[registry]") {
    Ctx c;
    c.frame([] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        ui_button("Send##reply");
        ui_button("Disabled##x", ButtonKind::Primary, ImVec2(0, 0), true);
        ui_text("Hello there");
        ImGui::End();
    });
    const reg::Widget* send = find("Send");
    REQUIRE(send);
    CHECK(send->kind == "button");
    CHECK(send->w > 10);
    CHECK(send->h > 10);
    CHECK_FALSE(send->disabled);
    const reg::Widget* dis = find("Disabled");
    REQUIRE(dis);
    CHECK(dis->disabled);
    const reg::Widget* text = find("Hello there");
    REQUIRE(text);
    CHECK(text->kind == "text");
    CHECK(reg::widgets_json().find("\"label\":\"Send\"") != std::string::npos);
}

TEST_CASE("widgets scrolled out of a child window are not reported", "[registry]") {
    Ctx c;
    c.frame(long_list);
    REQUIRE(find("Row 0"));
    CHECK_FALSE(find("Row 29"));
    for (auto& w : reg::widgets()) CHECK(w.y + w.h <= 100.5f);  // clipped to the child
}

TEST_CASE("the whole app draws the inbox as list items", "[registry]") {
    Ctx c;
    AppState s = one_request_inbox();
    Effects fx;
    c.frame([&] { draw_app(s, fx, 1280, 800, 0); });
    bool row = false, heading = false;
    for (auto& w : reg::widgets()) {
        row |= w.kind == "listitem" && w.label.find("Luc Martin") != std::string::npos;
        heading |= w.kind == "heading" && w.label == "Requests";
    }
    CHECK(row);
    CHECK(heading);
    CHECK(find("Choose a request"));  // the empty right pane at desktop width
}

TEST_CASE("widgets scrolled out of view stay readable for the mirror", "[registry][a11y]") {
    Ctx c;
    c.frame(long_list);
    const reg::Widget* last = find_any("Row 29");
    REQUIRE(last);  // its label came from the hint: ImGui reports none for clipped items
    CHECK(last->kind == "button");
    CHECK_FALSE(last->visible);
    CHECK(last->region == "list");
    CHECK_FALSE(find("Row 29"));
    REQUIRE(find("Row 0"));
    CHECK(find("Row 0")->visible);
    CHECK(reg::all_widgets().size() == 30);
}

TEST_CASE("plain text gets unique ids that survive frames, headings a level", "[registry][a11y]") {
    Ctx c;
    auto body = [] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::SetWindowFontScale(1.5f);
        ui_text("Big title", nullptr, 0, "heading");
        ImGui::SetWindowFontScale(1.f);
        ui_text("Small title", nullptr, 0, "heading");
        ui_text("Spain");
        ui_text("Spain");  // the same words twice still get two ids
        ImGui::End();
    };
    c.frame(body);
    std::vector<uint32_t> ids;
    for (auto& w : reg::all_widgets()) ids.push_back(w.id);
    REQUIRE(ids.size() == 4);
    CHECK(std::set<uint32_t>(ids.begin(), ids.end()).size() == 4);
    for (uint32_t id : ids) CHECK(id != 0);
    CHECK(find("Big title")->level == 2);
    CHECK(find("Small title")->level == 3);
    CHECK(find("Spain")->level == 0);
    c.frame(body);
    std::vector<uint32_t> again;
    for (auto& w : reg::all_widgets()) again.push_back(w.id);
    CHECK(again == ids);
}

TEST_CASE("inbox rows carry their link, region and the details drawn inside them", "[registry][a11y]") {
    Ctx c;
    AppState s = one_request_inbox();
    RequestSummary& r = s.inbox.requests[0];
    r.snippet = "Bonjour, quel est le délai ?";
    const reg::Widget* row = draw_inbox(c, s);
    REQUIRE(row);
    CHECK(row->href == "/requests/3");
    CHECK(row->region == "inbox");
    CHECK(row->label == "Luc Martin, Acier SA — Pompe (unread)");
    const reg::Widget* name = find("Luc Martin");
    REQUIRE(name);
    CHECK(name->parent == row->id);
    const reg::Widget* snippet = find("Bonjour, quel est le délai ?");
    REQUIRE(snippet);
    CHECK(snippet->parent == row->id);
    const reg::Widget* requests = find("Requests");
    REQUIRE(requests);
    CHECK(requests->parent == 0);
    CHECK(requests->region == "inbox");
    CHECK(requests->level == 2);  // title-sized
    CHECK(find("Choose a request")->region == "thread");
    CHECK(find("Parley")->region == "Parley");  // the top bar: the root window
}

TEST_CASE("a buyer's rows are headed with the seller he wrote to, not himself", "[registry][a11y]") {
    Ctx c;
    AppState s = one_request_inbox();
    s.inbox.me = {2, "Luc Martin", "Acier SA", "FR", "fr", "buyer"};
    RequestSummary& r = s.inbox.requests[0];
    r.seller_name = "Marta Iglesias";
    r.seller_company = "Hidráulica Iberia";
    const reg::Widget* row = draw_inbox(c, s);
    REQUIRE(row);
    CHECK(row->label == "Hidráulica Iberia, Marta Iglesias — Pompe (unread)");
    CHECK(find("Hidráulica Iberia"));
    for (auto& w : reg::all_widgets()) CHECK_FALSE((w.region == "inbox" && w.label.find("Luc") != std::string::npos));
    CHECK(find("Pick one of your requests on the left to read the answers and reply."));
}

TEST_CASE("a refused field is marked invalid for the mirror, the next one is not", "[registry][a11y]") {
    Ctx c;
    std::string a = "claire at hydrolec", b;
    c.frame([&] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        ui_composer_invalid_next();
        ui_composer("##email", "E-mail address", "", a, 300, 1, 1, false);
        ui_composer("##note", "Note", "", b, 300, 1, 1, false);
        ImGui::End();
    });
    REQUIRE(find("E-mail address"));
    CHECK(find("E-mail address")->invalid);
    REQUIRE(find("Note"));
    CHECK_FALSE(find("Note")->invalid);
    auto mirror = nlohmann::json::parse(reg::mirror_json());
    int invalid = 0;
    for (auto& w : mirror) invalid += w.value("invalid", false) ? 1 : 0;
    CHECK(invalid == 1);
}

TEST_CASE("a modal dialog's widgets form a region of their own", "[registry][a11y]") {
    Ctx c;
    auto body = [] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::BeginChild("thread", ImVec2(400, 300));
        ui_button("Forward");
        if (!ImGui::IsPopupOpen("###forward")) ImGui::OpenPopup("###forward");
        if (ImGui::BeginPopupModal("###forward", nullptr, ImGuiWindowFlags_NoTitleBar)) {
            ui_text("Forward this request", nullptr, 0, "heading");
            ui_button("Cancel##fw");
            ImGui::EndPopup();
        }
        ImGui::EndChild();
        ImGui::End();
    };
    c.frame(body);
    c.frame(body);
    REQUIRE(find_any("Forward"));
    CHECK(find_any("Forward")->region == "thread");
    REQUIRE(find_any("Cancel"));
    CHECK(find_any("Cancel")->region == "dialog:###forward");
    CHECK(find_any("Forward this request")->region == "dialog:###forward");
}

TEST_CASE("request_focus gives keyboard focus and scrolls the item into view", "[registry][a11y]") {
    Ctx c;
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // as in the app: a ring to show
    c.frame(long_list);
    const uint32_t id = find_any("Row 29")->id;
    reg::request_focus(id);
    for (int i = 0; i < 3; i++) c.frame(long_list);
    const reg::Widget* w = find("Row 29");
    REQUIRE(w);  // visible now
    CHECK(w->nav_focus);
    CHECK(w->focused);
    CHECK(GImGui->NavId == id);
    CHECK_FALSE(find_any("Row 0")->visible);
    // Asked once, done once: the next frames leave focus alone.
    c.frame(long_list);
    CHECK(find("Row 29")->nav_focus);
}

TEST_CASE("mirror JSON: no geometry, inputs with value and shape", "[registry][a11y]") {
    Ctx c;
    std::string one = "a", many = "a\nb";
    auto body = [&](float scroll) {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        reg::next_kind("input");
        reg::next_label("Search");
        reg::next_value(one);
        char buf[16] = "a";
        ImGui::InputText("##search", buf, sizeof buf);
        reg::next_kind("input");
        reg::next_label("Reply");
        reg::next_value(many);
        char big[16] = "a\nb";
        ImGui::InputTextMultiline("##reply", big, sizeof big, ImVec2(300, 120));
        ImGui::BeginChild("list", ImVec2(400, 100));
        for (int i = 0; i < 30; i++) ui_text("Line " + std::to_string(i));
        ImGui::SetScrollY(scroll);
        ImGui::EndChild();
        ImGui::End();
    };
    c.frame([&] { body(0); });
    c.frame([&] { body(0); });
    const std::string before = reg::mirror_json();
    auto arr = nlohmann::json::parse(before);
    REQUIRE(arr.size() == 32);
    CHECK(arr[0]["kind"] == "input");
    CHECK(arr[0]["value"] == "a");
    CHECK(arr[0]["multiline"] == false);
    CHECK(arr[1]["value"] == "a\nb");
    CHECK(arr[1]["multiline"] == true);
    CHECK_FALSE(arr[2].contains("x"));
    CHECK(arr[2]["label"] == "Line 0");
    // Scrolling moves rects and visibility, not meaning: the mirror stays as it is.
    c.frame([&] { body(200); });
    c.frame([&] { body(200); });
    CHECK_FALSE(find("Line 0"));
    CHECK(reg::mirror_json() == before);
    const uint32_t hash = reg::mirror_hash();
    one = "ab";  // a changed value is a change of meaning
    c.frame([&] { body(200); });
    CHECK(reg::mirror_hash() != hash);
    CHECK(reg::mirror_json() != before);
}
