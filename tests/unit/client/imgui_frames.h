// A Dear ImGui context for native tests: real frames (no GPU), widget registry on.
#pragma once
#include "app/registry.h"
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
