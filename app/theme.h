// Look of the app: colours, spacing, fonts. One place, so screens stay consistent.
#pragma once
#include <string>
#include <string_view>
#include "app/fonts.h"
#include "imgui.h"

namespace parley::theme {

// Palette (light, like a modern web app).
constexpr ImU32 kBg        = IM_COL32(246, 247, 249, 255);
constexpr ImU32 kPanel     = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kBorder    = IM_COL32(226, 229, 235, 255);
constexpr ImU32 kText      = IM_COL32(17, 24, 39, 255);
constexpr ImU32 kMuted     = IM_COL32(107, 114, 128, 255);
constexpr ImU32 kAccent    = IM_COL32(37, 99, 235, 255);
constexpr ImU32 kAccentBg  = IM_COL32(239, 246, 255, 255);
constexpr ImU32 kSelected  = IM_COL32(232, 240, 254, 255);
constexpr ImU32 kHover     = IM_COL32(243, 244, 246, 255);
constexpr ImU32 kDanger    = IM_COL32(220, 38, 38, 255);
constexpr ImU32 kDangerBg  = IM_COL32(254, 242, 242, 255);
constexpr ImU32 kOwnBubble = IM_COL32(239, 246, 255, 255);
constexpr ImU32 kFlash     = IM_COL32(254, 236, 160, 255);  // the entry a jump landed on, for a moment

struct Fonts {
    ImFont* body = nullptr;   // 15 px
    ImFont* small = nullptr;  // 13 px
    ImFont* bold = nullptr;   // 15 px bold
    ImFont* title = nullptr;  // 19 px bold
};
extern Fonts fonts;

void apply_style();

// Font files the atlas is built from (the caller keeps the bytes alive while building).
struct FontData {
    std::string_view regular, bold;  // Noto Sans; empty → Dear ImGui's built-in font (native tests)
    std::string_view cjk;            // lazily fetched CJK font; empty until it is needed
    std::string_view symbols;        // NotoSansSymbols2 subset (glyphs::kSymbolChars); empty → none
};
struct AtlasInfo {
    int width = 0, height = 0;  // texture size in pixels
    float raster_scale = 1;     // device pixels per CSS pixel the glyphs were drawn at
    int oversample = 2;         // horizontal oversampling of the Latin fonts
    double build_ms = 0;
};
// Rasterises the fonts for this devicePixelRatio (crisp text) and scales them back to
// CSS pixels: the first-load ranges plus the `extra` code points (from Noto Sans, or
// else from the CJK font merged into each size). Stays within max_texture (0 = no
// limit) by dropping oversampling, then lowering the raster scale. `covered` gets the
// code points the atlas can draw.
AtlasInfo build_fonts(const FontData& data, float dpr, const glyphs::GlyphSet& extra, int max_texture,
                      glyphs::GlyphSet* covered);
// First-load ranges only (tests).
void build_fonts(const std::string& regular_ttf, const std::string& bold_ttf, float dpr);

ImVec4 color(ImU32 c);

}  // namespace parley::theme
