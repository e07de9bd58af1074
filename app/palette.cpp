// Dark mode: the two palettes and the contrast each pair of their colours must reach
// (see palette.h). Values tuned so that every pair passes in both palettes.
#include "app/palette.h"
#include <algorithm>
#include <cmath>
#include <string>

namespace parley::theme {

namespace {

const Palette kLight{
    .name = "light",
    .dark = false,
    // surfaces
    .bg = rgb(246, 247, 249),
    .panel = rgb(255, 255, 255),
    .hover = rgb(243, 244, 246),
    .pressed = rgb(229, 231, 235),
    .selected = rgb(232, 240, 254),
    .field_bg = rgb(250, 251, 252),
    .field_disabled_bg = rgb(243, 244, 246),
    .chip_bg = rgb(249, 250, 251),
    .flash = rgb(254, 236, 160),
    .own_bubble = rgb(239, 246, 255),
    .accent_bg = rgb(239, 246, 255),
    .danger_bg = rgb(254, 242, 242),
    .good_bg = rgb(236, 253, 245),
    .warn_bg = rgb(254, 243, 199),
    .neutral_bg = rgb(241, 243, 246),
    .violet_bg = rgb(237, 233, 254),
    .teal_bg = rgb(204, 251, 241),
    .text_selected_bg = rgb(191, 219, 254),
    // ink
    .text = rgb(17, 24, 39),
    .muted = rgb(85, 92, 105),
    .accent = rgb(29, 78, 216),
    .danger = rgb(185, 28, 28),
    .good = rgb(4, 120, 87),
    .warn = rgb(154, 52, 18),
    .violet = rgb(91, 33, 182),
    .teal = rgb(17, 94, 89),
    // filled controls
    .accent_fill = rgb(37, 99, 235),
    .accent_fill_hover = rgb(29, 78, 216),
    .accent_fill_active = rgb(30, 64, 175),
    .on_accent = rgb(255, 255, 255),
    .danger_fill = rgb(220, 38, 38),
    .danger_fill_hover = rgb(185, 28, 28),
    .danger_fill_active = rgb(153, 27, 27),
    .on_danger = rgb(255, 255, 255),
    .good_fill = rgb(21, 128, 61),
    .on_good = rgb(255, 255, 255),
    // lines and controls
    .border = rgb(226, 229, 235),
    .border_strong = rgb(134, 142, 153),
    .accent_border = rgb(191, 219, 254),
    .own_border = rgb(191, 219, 254),
    .danger_border = rgb(252, 165, 165),
    .control_off = rgb(134, 142, 153),
    .control_off_hover = rgb(107, 114, 128),
    .knob = rgb(255, 255, 255),
    .star = rgb(196, 104, 6),
    .star_off = rgb(134, 142, 153),
    .scrollbar = rgb(128, 136, 148),
    .scrollbar_hover = rgb(107, 114, 128),
    .scrollbar_active = rgb(75, 85, 99),
    .focus_halo = rgb(37, 99, 235, 50),
    .link_underline = rgb(29, 78, 216, 120),
    .modal_dim = rgb(17, 24, 39, 100),
    .shadow = rgb(0, 0, 0, 24),
    // document icons
    .doc_page = rgb(255, 255, 255),
    .doc_outline = rgb(190, 196, 206),
    .doc_fold = rgb(226, 229, 235),
    .on_file = rgb(255, 255, 255),
    .file_pdf = rgb(220, 38, 38),
    .file_doc = rgb(37, 99, 235),
    .file_sheet = rgb(21, 128, 61),
    .file_image = rgb(147, 51, 234),
    .file_other = rgb(107, 114, 128),
    .avatar_bg = {rgb(219, 234, 254), rgb(220, 252, 231), rgb(254, 243, 199), rgb(252, 231, 243),
                  rgb(237, 233, 254), rgb(204, 251, 241)},
    .avatar_ink = {rgb(30, 64, 175), rgb(22, 101, 52), rgb(146, 64, 14), rgb(157, 23, 77), rgb(91, 33, 182),
                   rgb(17, 94, 89)},
};

const Palette kDark{
    .name = "dark",
    .dark = true,
    // surfaces: the page darkest, panels and cards a step up, states a step further
    .bg = rgb(15, 17, 22),
    .panel = rgb(24, 27, 34),
    .hover = rgb(35, 40, 50),
    .pressed = rgb(45, 51, 63),
    .selected = rgb(30, 44, 72),
    .field_bg = rgb(19, 22, 28),
    .field_disabled_bg = rgb(30, 34, 42),
    .chip_bg = rgb(30, 34, 42),
    .flash = rgb(66, 52, 14),
    .own_bubble = rgb(24, 38, 64),
    .accent_bg = rgb(26, 41, 70),
    .danger_bg = rgb(62, 24, 28),
    .good_bg = rgb(16, 48, 36),
    .warn_bg = rgb(62, 44, 10),
    .neutral_bg = rgb(40, 45, 55),
    .violet_bg = rgb(46, 32, 84),
    .teal_bg = rgb(14, 52, 50),
    .text_selected_bg = rgb(35, 62, 110),
    // ink: light tints of the same hues
    .text = rgb(230, 233, 238),
    .muted = rgb(160, 168, 180),
    .accent = rgb(122, 176, 255),
    .danger = rgb(252, 129, 129),
    .good = rgb(74, 222, 160),
    .warn = rgb(251, 191, 36),
    .violet = rgb(196, 176, 255),
    .teal = rgb(94, 234, 212),
    // filled controls: the same saturated fills as in light, white on them
    .accent_fill = rgb(37, 99, 235),
    .accent_fill_hover = rgb(29, 78, 216),
    .accent_fill_active = rgb(30, 64, 175),
    .on_accent = rgb(255, 255, 255),
    .danger_fill = rgb(185, 28, 28),
    .danger_fill_hover = rgb(200, 35, 35),
    .danger_fill_active = rgb(153, 27, 27),
    .on_danger = rgb(255, 255, 255),
    .good_fill = rgb(21, 128, 61),
    .on_good = rgb(255, 255, 255),
    // lines and controls
    .border = rgb(48, 54, 66),
    .border_strong = rgb(108, 117, 130),
    .accent_border = rgb(45, 76, 140),
    .own_border = rgb(45, 76, 140),
    .danger_border = rgb(127, 45, 45),
    .control_off = rgb(108, 117, 130),
    .control_off_hover = rgb(130, 139, 152),
    .knob = rgb(255, 255, 255),
    .star = rgb(251, 191, 36),
    .star_off = rgb(108, 117, 130),
    .scrollbar = rgb(100, 108, 122),
    .scrollbar_hover = rgb(130, 139, 152),
    .scrollbar_active = rgb(160, 168, 180),
    .focus_halo = rgb(96, 165, 250, 70),
    .link_underline = rgb(122, 176, 255, 120),
    .modal_dim = rgb(0, 0, 0, 150),
    .shadow = rgb(0, 0, 0, 90),
    // document icons: a dark page, the same bands
    .doc_page = rgb(44, 50, 62),
    .doc_outline = rgb(90, 98, 112),
    .doc_fold = rgb(70, 78, 92),
    .on_file = rgb(255, 255, 255),
    .file_pdf = rgb(220, 38, 38),
    .file_doc = rgb(37, 99, 235),
    .file_sheet = rgb(21, 128, 61),
    .file_image = rgb(147, 51, 234),
    .file_other = rgb(107, 114, 128),
    .avatar_bg = {rgb(30, 50, 90), rgb(20, 60, 40), rgb(70, 50, 15), rgb(75, 25, 50), rgb(50, 35, 90),
                  rgb(15, 60, 58)},
    .avatar_ink = {rgb(191, 219, 254), rgb(187, 247, 208), rgb(253, 230, 138), rgb(251, 207, 232),
                   rgb(221, 214, 254), rgb(153, 246, 228)},
};

}  // namespace

const Palette& light() { return kLight; }
const Palette& dark() { return kDark; }

double need_ratio(Need n) { return n == Need::Text ? 4.5 : 3.0; }

// What is drawn on what, as the screens draw it (ui*.cpp). Read with the palette's names.
const std::vector<ColorPair>& contrast_pairs() {
    static const std::vector<ColorPair> pairs = [] {
        std::vector<ColorPair> v;
        auto on = [&](const char* fg, std::initializer_list<const char*> bgs, Need need, const char* where) {
            for (const char* bg : bgs) v.push_back({fg, bg, need, where});
        };
        const Need T = Need::Text, U = Need::Ui;
        on("text", {"bg", "panel", "hover", "pressed", "selected", "own_bubble", "accent_bg", "field_bg", "chip_bg",
                    "danger_bg", "flash", "text_selected_bg"},
           T, "body text: pages, cards, rows (hovered, pressed, selected), bubbles, fields, held replies, a jump's wash, selections");
        on("muted", {"bg", "panel", "hover", "selected", "own_bubble", "accent_bg", "field_bg", "field_disabled_bg",
                     "chip_bg", "danger_bg", "neutral_bg", "flash"},
           T, "secondary text: dates, details, placeholders, badges, menu details");
        on("accent", {"bg", "panel", "hover", "pressed", "selected", "own_bubble", "accent_bg", "chip_bg", "flash",
                      "text_selected_bg"},
           T, "links, ghost buttons, the brand, read marks, chips that are on");
        on("danger", {"bg", "panel", "hover", "danger_bg", "own_bubble"}, T, "errors, delivery failures, Retry, lost");
        on("good", {"bg", "panel", "good_bg", "own_bubble"}, T, "accepted, paid, won, answered");
        on("warn", {"bg", "panel", "warn_bg"}, T, "to answer, expired, declined quotes");
        on("violet", {"panel", "hover", "selected", "violet_bg"}, T, "handled by, area manager badges");
        on("teal", {"teal_bg"}, T, "distributor badges");
        on("on_accent", {"accent_fill", "accent_fill_hover", "accent_fill_active"}, T, "primary buttons, unread badge, chosen chip");
        on("on_danger", {"danger_fill", "danger_fill_hover", "danger_fill_active"}, T, "destructive buttons");
        on("on_good", {"good_fill"}, T, "the Won badge");
        on("on_file", {"file_pdf", "file_doc", "file_sheet", "file_image", "file_other"}, T, "a document icon's type label");
        static const char* kInk[] = {"avatar_ink[0]", "avatar_ink[1]", "avatar_ink[2]", "avatar_ink[3]", "avatar_ink[4]", "avatar_ink[5]"};
        static const char* kPastel[] = {"avatar_bg[0]", "avatar_bg[1]", "avatar_bg[2]", "avatar_bg[3]", "avatar_bg[4]", "avatar_bg[5]"};
        for (int i = 0; i < kAvatarHues; i++) v.push_back({kInk[i], kPastel[i], T, "an avatar's initials"});
        on("border_strong", {"bg", "panel", "field_bg"}, U, "a text field's outline");
        on("control_off", {"panel", "accent_bg", "hover"}, U, "a switch that is off, a radio's ring");
        on("control_off_hover", {"panel", "hover"}, U, "the same, hovered");
        on("knob", {"control_off", "control_off_hover", "accent_fill"}, U, "a switch's knob on its track");
        on("star", {"panel", "bg"}, U, "a rating's stars");
        on("star_off", {"panel", "bg"}, U, "a rating's empty stars");
        on("scrollbar", {"bg", "panel"}, U, "scrollbar thumbs");
        on("scrollbar_hover", {"bg", "panel"}, U, "scrollbar thumbs, hovered");
        on("scrollbar_active", {"bg", "panel"}, U, "scrollbar thumbs, dragged");
        return v;
    }();
    return pairs;
}

const std::vector<Decoration>& decorations() {
    static const std::vector<Decoration> d = {
        {"border", "separators and card edges: cards differ from the page by their surface, and what is in them is checked"},
        {"accent_border", "the edge of a card that is also filled"},
        {"own_border", "the edge of my bubbles, which are filled"},
        {"danger_border", "the edge of a failed upload, whose text says so in danger ink"},
        {"focus_halo", "a soft glow outside a focused field, whose outline turns accent"},
        {"link_underline", "under links, which are accent text"},
        {"modal_dim", "dims the page behind a dialog"},
        {"shadow", "under a document's page preview"},
        {"doc_page", "a document icon's page; its type label is checked on its band"},
        {"doc_outline", "a document icon's outline"},
        {"doc_fold", "a document icon's folded corner"},
    };
    return d;
}

std::vector<NamedColor> colors(const Palette& p) {
    std::vector<NamedColor> out;
#define PARLEY_PALETTE_NAMED(n) out.push_back({#n, p.n});
    PARLEY_PALETTE(PARLEY_PALETTE_NAMED)
#undef PARLEY_PALETTE_NAMED
    for (int i = 0; i < kAvatarHues; i++) {
        out.push_back({"avatar_bg[" + std::to_string(i) + "]", p.avatar_bg[i]});
        out.push_back({"avatar_ink[" + std::to_string(i) + "]", p.avatar_ink[i]});
    }
    return out;
}

std::optional<ImU32> color_named(const Palette& p, std::string_view name) {
    for (const NamedColor& c : colors(p))
        if (c.name == name) return c.value;
    return std::nullopt;
}

static double channel(double c8) {
    const double c = c8 / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

static double r_of(ImU32 c) { return (c >> IM_COL32_R_SHIFT) & 0xFF; }
static double g_of(ImU32 c) { return (c >> IM_COL32_G_SHIFT) & 0xFF; }
static double b_of(ImU32 c) { return (c >> IM_COL32_B_SHIFT) & 0xFF; }
static double a_of(ImU32 c) { return ((c >> IM_COL32_A_SHIFT) & 0xFF) / 255.0; }

double relative_luminance(ImU32 c) {
    return 0.2126 * channel(r_of(c)) + 0.7152 * channel(g_of(c)) + 0.0722 * channel(b_of(c));
}

double contrast_ratio(ImU32 fg, ImU32 bg) {
    // A translucent colour shows the one under it: blend (in sRGB, as the GPU does) first.
    const double a = a_of(fg);
    auto mix = [&](double f, double b) { return std::round(f * a + b * (1 - a)); };
    const ImU32 seen = IM_COL32((int)mix(r_of(fg), r_of(bg)), (int)mix(g_of(fg), g_of(bg)), (int)mix(b_of(fg), b_of(bg)), 255);
    const double l1 = relative_luminance(seen), l2 = relative_luminance(bg);
    return (std::max(l1, l2) + 0.05) / (std::min(l1, l2) + 0.05);
}

}  // namespace parley::theme
