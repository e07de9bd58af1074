// Look of the app: colours (the palette in use), spacing, fonts. One place, so screens
// stay consistent.
#pragma once
#include <string>
#include <string_view>
#include "app/fonts.h"
#include "app/palette.h"
#include "imgui.h"

namespace parley::theme {

// Dark mode: the palette in use (light or dark, app/palette.h). Screens read their
// colours from it at draw time, never from literals.
const Palette& pal();
// Makes `p` the palette in use and applies it to Dear ImGui's style colours; a no-op when
// it is already. Called at the start of each frame with the one the user's theme picks.
void use(const Palette& p);

struct Fonts {
    ImFont* body = nullptr;   // 15 px
    ImFont* small = nullptr;  // 13 px
    ImFont* bold = nullptr;   // 15 px bold
    ImFont* title = nullptr;  // 19 px bold
};
extern Fonts fonts;

void apply_style();  // sizes and spacing, and the colours of the palette in use

// Font files the atlas is built from (the caller keeps the bytes alive while building).
struct FontData {
    std::string_view regular, bold;  // Noto Sans; empty → Dear ImGui's built-in font (native tests)
    std::string_view cjk;            // lazily fetched CJK font; empty until it is needed
    std::string_view symbols;        // NotoSansSymbols2 subset (glyphs::kSymbolChars); empty → none
    std::string_view emoji;          // lazily fetched emoji font (outlines); empty until it is needed
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
