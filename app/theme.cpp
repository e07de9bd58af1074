#include "app/theme.h"

namespace parley::theme {

Fonts fonts;

ImVec4 color(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void apply_style() {
    ImGuiStyle& s = ImGui::GetStyle();
    s = ImGuiStyle();
    s.WindowPadding = ImVec2(0, 0);
    s.WindowRounding = 0;
    s.WindowBorderSize = 0;
    s.ChildRounding = 0;
    s.ChildBorderSize = 0;
    s.FramePadding = ImVec2(12, 8);
    s.FrameRounding = 8;
    s.FrameBorderSize = 1;
    s.ItemSpacing = ImVec2(10, 8);
    s.ScrollbarSize = 10;
    s.ScrollbarRounding = 6;
    s.GrabRounding = 6;
    s.PopupRounding = 8;
    s.TouchExtraPadding = ImVec2(0, 0);

    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = color(kText);
    c[ImGuiCol_TextDisabled] = color(kMuted);
    c[ImGuiCol_WindowBg] = color(kBg);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = color(kPanel);
    c[ImGuiCol_Border] = color(kBorder);
    c[ImGuiCol_FrameBg] = color(kPanel);
    c[ImGuiCol_FrameBgHovered] = color(kPanel);
    c[ImGuiCol_FrameBgActive] = color(kPanel);
    c[ImGuiCol_Button] = color(kAccent);
    c[ImGuiCol_ButtonHovered] = color(IM_COL32(29, 78, 216, 255));
    c[ImGuiCol_ButtonActive] = color(IM_COL32(30, 64, 175, 255));
    c[ImGuiCol_Header] = color(kSelected);
    c[ImGuiCol_HeaderHovered] = color(kHover);
    c[ImGuiCol_HeaderActive] = color(kSelected);
    c[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_ScrollbarGrab] = color(IM_COL32(203, 207, 214, 255));
    c[ImGuiCol_ScrollbarGrabHovered] = color(IM_COL32(160, 166, 176, 255));
    c[ImGuiCol_ScrollbarGrabActive] = color(IM_COL32(130, 137, 148, 255));
    c[ImGuiCol_TextSelectedBg] = color(IM_COL32(191, 219, 254, 255));
    c[ImGuiCol_NavHighlight] = color(kAccent);
    c[ImGuiCol_Separator] = color(kBorder);
}

static ImFont* add(const std::string& ttf, float px, float dpr, const ImWchar* ranges) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the platform keeps the bytes alive
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = false;
    if (ttf.empty()) {
        cfg.SizePixels = px * dpr;
        return io.Fonts->AddFontDefault(&cfg);
    }
    return io.Fonts->AddFontFromMemoryTTF((void*)ttf.data(), (int)ttf.size(), px * dpr, &cfg, ranges);
}

void build_fonts(const std::string& regular, const std::string& bold, float dpr) {
    // Latin (incl. Extended-A), Cyrillic, Greek, punctuation, currency.
    static const ImWchar ranges[] = {0x0020, 0x017F, 0x0370, 0x03FF, 0x0400, 0x052F,
                                     0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F,
                                     0x2190, 0x21FF, 0};
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    fonts.body = add(regular, 15, dpr, ranges);
    fonts.small = add(regular, 13, dpr, ranges);
    fonts.bold = add(bold.empty() ? regular : bold, 15, dpr, ranges);
    fonts.title = add(bold.empty() ? regular : bold, 19, dpr, ranges);
    io.Fonts->Build();
    io.FontGlobalScale = 1.0f / dpr;  // atlas in device pixels, layout in CSS pixels
    io.FontDefault = fonts.body;
}

}  // namespace parley::theme
