#include "app/theme.h"

#include <algorithm>
#include <chrono>

namespace parley::theme {

Fonts fonts;

ImVec4 color(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

namespace {
const Palette* g_palette = &light();

void apply_colors(const Palette& p) {
    ImVec4* c = ImGui::GetStyle().Colors;
    c[ImGuiCol_Text] = color(p.text);
    c[ImGuiCol_TextDisabled] = color(p.muted);
    c[ImGuiCol_WindowBg] = color(p.bg);
    c[ImGuiCol_ChildBg] = color(kClear);
    c[ImGuiCol_PopupBg] = color(p.panel);
    c[ImGuiCol_Border] = color(p.border);
    c[ImGuiCol_BorderShadow] = color(kClear);
    c[ImGuiCol_FrameBg] = color(p.panel);
    c[ImGuiCol_FrameBgHovered] = color(p.panel);
    c[ImGuiCol_FrameBgActive] = color(p.panel);
    c[ImGuiCol_Button] = color(p.accent_fill);
    c[ImGuiCol_ButtonHovered] = color(p.accent_fill_hover);
    c[ImGuiCol_ButtonActive] = color(p.accent_fill_active);
    c[ImGuiCol_CheckMark] = color(p.accent);
    c[ImGuiCol_SliderGrab] = color(p.accent_fill);
    c[ImGuiCol_SliderGrabActive] = color(p.accent_fill_active);
    c[ImGuiCol_Header] = color(p.selected);
    c[ImGuiCol_HeaderHovered] = color(p.hover);
    c[ImGuiCol_HeaderActive] = color(p.selected);
    c[ImGuiCol_ScrollbarBg] = color(kClear);
    c[ImGuiCol_ScrollbarGrab] = color(p.scrollbar);
    c[ImGuiCol_ScrollbarGrabHovered] = color(p.scrollbar_hover);
    c[ImGuiCol_ScrollbarGrabActive] = color(p.scrollbar_active);
    c[ImGuiCol_TextSelectedBg] = color(p.text_selected_bg);
    c[ImGuiCol_NavHighlight] = color(p.accent);
    c[ImGuiCol_Separator] = color(p.border);
    c[ImGuiCol_ModalWindowDimBg] = color(p.modal_dim);
}
}  // namespace

const Palette& pal() { return *g_palette; }

void use(const Palette& p) {
    if (g_palette == &p) return;
    g_palette = &p;
    if (ImGui::GetCurrentContext()) apply_colors(p);
}

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
    apply_colors(*g_palette);
}

// Glyph ranges must outlive the atlas build; rebuilt with each atlas.
static ImVector<ImWchar> g_noto_ranges, g_cjk_ranges, g_symbol_ranges, g_emoji_ranges;

static void make_ranges(const glyphs::GlyphSet& extra) {
    ImFontGlyphRangesBuilder noto, cjk, emoji;
    for (auto [a, b] : glyphs::kBaseRanges)
        for (glyphs::CodePoint c = a; c <= b; ++c) noto.AddChar((ImWchar)c);
    for (glyphs::CodePoint c : extra.list()) {
        if (c > IM_UNICODE_CODEPOINT_MAX) continue;  // 16-bit ImWchar: BMP only
        noto.AddChar((ImWchar)c);
        cjk.AddChar((ImWchar)c);  // Noto Sans goes first; the CJK font fills what it lacks,
        emoji.AddChar((ImWchar)c);  // then the emoji font (the first font with a glyph wins)
    }
    ImFontGlyphRangesBuilder symbols;
    for (glyphs::CodePoint c : glyphs::kSymbolChars) symbols.AddChar((ImWchar)c);
    g_noto_ranges.clear();
    g_cjk_ranges.clear();
    g_symbol_ranges.clear();
    g_emoji_ranges.clear();
    emoji.BuildRanges(&g_emoji_ranges);
    noto.BuildRanges(&g_noto_ranges);
    cjk.BuildRanges(&g_cjk_ranges);
    symbols.BuildRanges(&g_symbol_ranges);
}

// Adds ttf's glyphs of `ranges` to the font added last; nothing when either is empty.
static void merge_font(std::string_view ttf, float size_px, int oversample, const ImVector<ImWchar>& ranges) {
    if (ttf.empty() || ranges.Size <= 1) return;  // a ranges list is pairs plus a 0 terminator
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.FontDataOwnedByAtlas = false;
    merge.OversampleH = oversample;
    merge.OversampleV = 1;
    merge.PixelSnapH = false;
    ImGui::GetIO().Fonts->AddFontFromMemoryTTF((void*)ttf.data(), (int)ttf.size(), size_px, &merge, ranges.Data);
}

static ImFont* add(const FontData& d, bool bold, float px, float scale, int oversample) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the platform keeps the bytes alive
    cfg.OversampleH = oversample;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = false;
    std::string_view ttf = bold && !d.bold.empty() ? d.bold : d.regular;
    if (ttf.empty()) {
        cfg.SizePixels = px * scale;
        return io.Fonts->AddFontDefault(&cfg);
    }
    ImFont* font = io.Fonts->AddFontFromMemoryTTF((void*)ttf.data(), (int)ttf.size(), px * scale, &cfg,
                                                  g_noto_ranges.Data);
    // Merged into every size, after Noto Sans (the first font with a glyph wins).
    // ✓ ★ ☎ …: a handful of glyphs (regular serves bold too).
    merge_font(d.symbols, px * scale, oversample, g_symbol_ranges);
    // CJK glyphs are dense and square: no horizontal oversampling (keeps the atlas small).
    // One regular CJK face serves the bold sizes too (a bold CJK font would double the fetch).
    merge_font(d.cjk, px * scale, 1, g_cjk_ranges);
    // Emoji in outline: one face for every size and weight, no oversampling either.
    merge_font(d.emoji, px * scale, 1, g_emoji_ranges);
    return font;
}

AtlasInfo build_fonts(const FontData& data, float dpr, const glyphs::GlyphSet& extra, int max_texture,
                      glyphs::GlyphSet* covered) {
    const auto t0 = std::chrono::steady_clock::now();
    ImGuiIO& io = ImGui::GetIO();
    make_ranges(extra);
    AtlasInfo info;
    info.raster_scale = dpr;
    io.Fonts->TexDesiredWidth = 0;
    for (;;) {
        io.Fonts->Clear();
        io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;  // WebGL2 takes any height
        fonts.body = add(data, false, 15, info.raster_scale, info.oversample);
        fonts.small = add(data, false, 13, info.raster_scale, info.oversample);
        fonts.bold = add(data, true, 15, info.raster_scale, info.oversample);
        fonts.title = add(data, true, 19, info.raster_scale, info.oversample);
        io.Fonts->Build();
        info.width = io.Fonts->TexWidth;
        info.height = io.Fonts->TexHeight;
        if (max_texture <= 0 || (info.width <= max_texture && info.height <= max_texture)) break;
        // Too big for one GPU texture: cheaper options, least visible first.
        if (info.width > max_texture && io.Fonts->TexDesiredWidth == 0) io.Fonts->TexDesiredWidth = max_texture;
        else if (info.oversample > 1) info.oversample = 1;
        else if (info.raster_scale > 1) info.raster_scale = std::max(1.f, info.raster_scale * 0.75f);
        else break;  // nothing left to give up: the backend will fail to upload, text stays blank
    }
    io.FontGlobalScale = 1.0f / info.raster_scale;  // atlas in device pixels, layout in CSS pixels
    io.FontDefault = fonts.body;
    if (covered) {
        covered->clear();
        auto check = [&](glyphs::CodePoint c) {
            if (c <= IM_UNICODE_CODEPOINT_MAX && fonts.body->FindGlyphNoFallback((ImWchar)c) &&
                fonts.bold->FindGlyphNoFallback((ImWchar)c))
                covered->add(c);
        };
        for (auto [a, b] : glyphs::kBaseRanges)
            for (glyphs::CodePoint c = a; c <= b; ++c) check(c);
        for (glyphs::CodePoint c : glyphs::kSymbolChars) check(c);
        for (glyphs::CodePoint c : extra.list()) check(c);
    }
    info.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return info;
}

void build_fonts(const std::string& regular, const std::string& bold, float dpr) {
    build_fonts(FontData{.regular = regular, .bold = bold, .cjk = {}, .symbols = {}, .emoji = {}}, dpr, glyphs::GlyphSet(), 0,
                nullptr);
}

}  // namespace parley::theme
