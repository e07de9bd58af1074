// A Dear ImGui context for native tests: real frames (no GPU), widget registry on.
#pragma once
#include <string>

#include "app/registry.h"
#include "app/state.h"
#include "app/theme.h"
#include "imgui.h"

struct ImGuiFrames {
    // default_fonts: ImGui's built-in font, baked (tests that build their own atlas say false).
    explicit ImGuiFrames(ImVec2 size = ImVec2(1280, 800), bool default_fonts = true) {
        ImGui::CreateContext();
        parley::reg::install(ImGui::GetCurrentContext());
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = size;
        if (!default_fonts) return;
        parley::theme::apply_style();
        parley::theme::build_fonts("", "", 1.0f);
        unsigned char* px;
        int w, h;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    }
    ~ImGuiFrames() { ImGui::DestroyContext(); }
    ImGuiFrames(const ImGuiFrames&) = delete;
    ImGuiFrames& operator=(const ImGuiFrames&) = delete;

    template <class F> void frame(F&& body) {
        ImGui::GetIO().DeltaTime = 1.f / 60;
        ImGui::NewFrame();
        parley::reg::begin_frame();
        body();
        ImGui::Render();
        parley::reg::end_frame();
    }
};

// The widget of the frame just drawn with this label (and kind), or nullptr.
inline const parley::reg::Widget* find_widget(const std::string& label, const std::string& kind = "") {
    for (auto& w : parley::reg::all_widgets())
        if (w.label == label && (kind.empty() || w.kind == kind)) return &w;
    return nullptr;
}

// Marta (manufacturer, id 1) on request 5 of Stefan Müller (buyer, id 2), in her
// conversation 7, which she may answer.
inline parley::AppState seller_on_request() {
    using namespace parley;
    AppState s;
    s.inbox_loaded = true;
    s.inbox.me = {1, "Marta Iglesias", "Hidráulica Iglesias", "ES", "es", "manufacturer"};
    s.route = {Screen::Request, 5};
    RequestDetail d;
    d.id = 5;
    d.product = "Bomba";
    d.buyer = {2, "Stefan Müller", "Müller GmbH", "DE", "de", "buyer"};
    d.my_conversation = 7;
    d.can.reply = true;
    Conversation c;
    c.id = 7;
    c.seller = s.inbox.me;
    d.conversations.push_back(c);
    s.thread = d;
    return s;
}
