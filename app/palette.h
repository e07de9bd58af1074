// Dark mode: every colour of the interface, by role, as two plain palettes — light and
// dark — and the pairs of them drawn one on the other, each with the WCAG 2.x contrast
// it must reach. The UI reads the palette in use (theme::pal(), app/theme.h); no colour
// is written anywhere else. tests/unit/client/test_theme.cpp checks every pair in both
// palettes and that every colour is in some pair (or said to be decoration).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "imgui.h"

namespace parley::theme {

constexpr ImU32 rgb(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }
constexpr ImU32 kClear = 0;  // no colour: the background of a button drawn as bare text

constexpr int kAvatarHues = 6;

// The palette's colours, once: X(name) for each field. A new colour goes here, in both
// palettes (palette.cpp: designated initialisers in this order), and into the pairs.
#define PARLEY_PALETTE(X)                                                                                     \
    /* surfaces */                                                                                           \
    X(bg) X(panel) X(hover) X(pressed) X(selected) X(field_bg) X(field_disabled_bg) X(chip_bg) X(flash)       \
    X(own_bubble) X(accent_bg) X(danger_bg) X(good_bg) X(warn_bg) X(neutral_bg) X(violet_bg) X(teal_bg)       \
    X(text_selected_bg)                                                                                      \
    /* ink on surfaces */                                                                                    \
    X(text) X(muted) X(accent) X(danger) X(good) X(warn) X(violet) X(teal)                                   \
    /* filled controls and the ink on them */                                                                \
    X(accent_fill) X(accent_fill_hover) X(accent_fill_active) X(on_accent) X(danger_fill) X(danger_fill_hover) \
    X(danger_fill_active) X(on_danger) X(good_fill) X(on_good)                                               \
    /* lines and controls */                                                                                 \
    X(border) X(border_strong) X(accent_border) X(own_border) X(danger_border) X(control_off)                \
    X(control_off_hover) X(knob) X(star) X(star_off) X(scrollbar) X(scrollbar_hover) X(scrollbar_active)      \
    X(focus_halo) X(link_underline) X(modal_dim) X(shadow)                                                   \
    /* a document's icon: a page with a band in the file type's colour */                                    \
    X(doc_page) X(doc_outline) X(doc_fold) X(on_file) X(file_pdf) X(file_doc) X(file_sheet) X(file_image)    \
    X(file_other)

struct Palette {
    const char* name = "";  // "light" | "dark"
    bool dark = false;
#define PARLEY_PALETTE_FIELD(n) ImU32 n = 0;
    PARLEY_PALETTE(PARLEY_PALETTE_FIELD)
#undef PARLEY_PALETTE_FIELD
    // Avatars: a stable pastel per name with the initials in its ink.
    ImU32 avatar_bg[kAvatarHues] = {}, avatar_ink[kAvatarHues] = {};
};

const Palette& light();
const Palette& dark();

// ---- Contrast (WCAG 2.x) ----
// Text: 4.5:1 (1.4.3, normal text). Large: 3:1, text of 24 px, or 18.7 px bold, and up.
// Ui: 3:1, the parts of a control or a graphic needed to see it and its state (1.4.11).
enum class Need { Text, Large, Ui };
double need_ratio(Need n);

// A colour drawn on another, by field name ("avatar_ink[2]" for the arrays).
struct ColorPair {
    const char* fg;
    const char* bg;
    Need need;
    const char* where;  // what on screen is drawn so
};
const std::vector<ColorPair>& contrast_pairs();
// Colours that carry no information of their own, and why no contrast is asked of them.
struct Decoration {
    const char* name;
    const char* why;
};
const std::vector<Decoration>& decorations();

struct NamedColor {
    std::string name;
    ImU32 value;
};
std::vector<NamedColor> colors(const Palette& p);  // every colour of the palette, by name
std::optional<ImU32> color_named(const Palette& p, std::string_view name);

// WCAG 2.x: relative luminance of an sRGB colour (channels linearised), and the contrast
// ratio (L1 + 0.05) / (L2 + 0.05) of fg drawn on bg — a translucent fg blended onto bg first.
double relative_luminance(ImU32 c);
double contrast_ratio(ImU32 fg, ImU32 bg);

}  // namespace parley::theme
