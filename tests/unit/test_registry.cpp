// Runs real Dear ImGui frames natively (no GPU needed) and checks what the widget
// registry reports: labels without ##ids, kinds, clipping, disabled flags.
#include <catch2/catch.hpp>
#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui.h"

using namespace parley;

namespace {
struct Ctx {
    Ctx() {
        ImGui::CreateContext();
        reg::install(ImGui::GetCurrentContext());
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        theme::apply_style();
        theme::build_fonts("", "", 1.0f);
        unsigned char* px; int w, h;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    ~Ctx() { ImGui::DestroyContext(); }
    template <class F> void frame(F&& body) {
        ImGui::GetIO().DeltaTime = 1.f / 60;
        ImGui::NewFrame();
        reg::begin_frame();
        body();
        ImGui::Render();
        reg::end_frame();
    }
};
const reg::Widget* find(const std::string& label) {
    for (auto& w : reg::widgets())
        if (w.label == label) return &w;
    return nullptr;
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
    c.frame([] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(400, 300));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::BeginChild("list", ImVec2(400, 100));
        for (int i = 0; i < 30; i++) ui_button(("Row " + std::to_string(i)).c_str());
        ImGui::EndChild();
        ImGui::End();
    });
    REQUIRE(find("Row 0"));
    CHECK_FALSE(find("Row 29"));
    for (auto& w : reg::widgets()) CHECK(w.y + w.h <= 100.5f);  // clipped to the child
}

TEST_CASE("the whole app draws the inbox as list items", "[registry]") {
    Ctx c;
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "HI", "ES", "es", "manufacturer"};
    RequestSummary r;
    r.id = 3; r.buyer_name = "Luc Martin"; r.buyer_company = "Acier SA"; r.product = "Pompe"; r.unread = true;
    s.inbox.requests = {r};
    s.inbox.unread = 1;
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
