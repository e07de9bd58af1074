#include "app/ui.h"
#include <cmath>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/ui_composer.h"
#include "app/theme.h"
#include "app/ui_network.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

void ui_hand_cursor_if_hovered() {
    if (ImGui::IsItemHovered() && !ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
}

bool ui_button(const char* label, ButtonKind kind, ImVec2 size, bool disabled) {
    int colors = 0;
    auto push = [&](ImGuiCol idx, ImU32 c) { ImGui::PushStyleColor(idx, c); colors++; };
    switch (kind) {
        case ButtonKind::Primary:
            push(ImGuiCol_Text, pal().on_accent);
            push(ImGuiCol_Border, pal().accent_fill);
            break;
        case ButtonKind::Secondary:
            push(ImGuiCol_Button, pal().panel);
            push(ImGuiCol_ButtonHovered, pal().hover);
            push(ImGuiCol_ButtonActive, pal().pressed);
            push(ImGuiCol_Border, pal().border);
            break;
        case ButtonKind::Ghost:
            push(ImGuiCol_Button, kClear);
            push(ImGuiCol_ButtonHovered, pal().hover);
            push(ImGuiCol_ButtonActive, pal().pressed);
            push(ImGuiCol_Border, kClear);
            push(ImGuiCol_Text, pal().accent);
            break;
    }
    ImGui::PushFont(fonts.bold);
    ImGui::BeginDisabled(disabled);
    reg::next_kind("button");
    if (!reg::has_next_label()) reg::next_label(reg::strip_id(label));  // kept even when scrolled out of view
    bool pressed = ImGui::Button(label, size);
    ImGui::EndDisabled();
    ImGui::PopFont();
    ImGui::PopStyleColor(colors);
    if (!disabled) ui_hand_cursor_if_hovered();
    return pressed && !disabled;
}

// After a text item: name it in the registry (full text, even when shown cut) and
// let the atlas know which glyphs are on screen.
static void text_drawn(const char* kind, const std::string& text, ImVec2 pos) {
    const ImVec2 size = ImGui::GetItemRectSize();
    reg::add_text(kind, text, pos.x, pos.y, pos.x + size.x, pos.y + size.y);
    if (ImGui::IsItemVisible()) glyphs::note_drawn(text);
}

void ui_text(const std::string& text, ImFont* font, ImU32 color, const char* kind) {
    if (font) ImGui::PushFont(font);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    text_drawn(kind, text, pos);
    if (color) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
}

float ui_text_wrapped(const std::string& text, float wrap_width, ImFont* font, ImU32 color, const char* kind) {
    if (font) ImGui::PushFont(font);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopTextWrapPos();
    text_drawn(kind, text, pos);
    if (color) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
    return ImGui::GetItemRectSize().y;
}

void ui_text_fit(const std::string& text, float max_width, ImFont* font, ImU32 color, const char* kind) {
    if (font) ImGui::PushFont(font);
    if (color) ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImFont* f = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    const char* b = text.data();
    const char* e = b + text.size();
    ImVec2 pos = ImGui::GetCursorScreenPos();
    if (f->CalcTextSizeA(size, FLT_MAX, 0, b, e).x <= max_width) {
        ImGui::TextUnformatted(b, e);
    } else {
        const char* ell = "…";
        float ell_w = f->CalcTextSizeA(size, FLT_MAX, 0, ell).x;
        const char* cut = e;
        f->CalcTextSizeA(size, std::max(0.f, max_width - ell_w), 0, b, e, &cut);  // stops at the width
        while (cut > b && cut[-1] == ' ') cut--;
        std::string shown(b, cut);
        shown += ell;
        ImGui::TextUnformatted(shown.data(), shown.data() + shown.size());
    }
    text_drawn(kind, text, pos);
    if (color) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
}

void ui_badge(const std::string& text, ImU32 fg, ImU32 bg) {
    ImGui::PushFont(fonts.small);
    ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImVec2 pad(6, 2);
    ImVec2 size(ts.x + pad.x * 2, ts.y + pad.y * 2);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, p + size, bg, 5);
    dl->AddText(p + pad, fg, text.c_str());
    ImGui::Dummy(size);
    reg::add_text("text", text, p.x, p.y, p.x + size.x, p.y + size.y);
    if (ImGui::IsItemVisible()) glyphs::note_drawn(text);  // the atlas bakes what is on screen
    ImGui::PopFont();
}

void ui_avatar(const std::string& name, float size) {
    // A stable pastel colour per name, with the initials on it (the palette's avatar hues).
    unsigned h = 2166136261u;
    for (unsigned char c : name) h = (h ^ c) * 16777619u;
    const int k = h % kAvatarHues;
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 c(p.x + size / 2, p.y + size / 2);
    dl->AddCircleFilled(c, size / 2, pal().avatar_bg[k], 32);
    std::string ini = initials(name);
    ImGui::PushFont(fonts.bold);
    ImVec2 ts = ImGui::CalcTextSize(ini.c_str());
    dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), pal().avatar_ink[k], ini.c_str());
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(size, size));
}

// "EN" in the top bar; a menu of the nine languages, each in its own name.
constexpr float kChoiceH = 34;  // a comfortable finger target

// A switch (checkbox) or a radio dot with its text; text and mark are one tap target.
// The registry gets its kind, name and checked state, so the screen-reader mirror says
// "checkbox, checked" / "radio".
bool ui_choice(const char* kind, const std::string& id, const std::string& text, const std::string& name, bool on,
            bool disabled) {
    const bool is_switch = std::string(kind) == "checkbox";
    ImGui::PushFont(fonts.body);
    const float tw = ImGui::CalcTextSize(text.c_str()).x;
    const float mark_w = is_switch ? 40.f : 22.f, gap = 8;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 size(mark_w + gap + tw + 4, kChoiceH);
    ImGui::BeginDisabled(disabled);
    reg::next_kind(kind);
    reg::next_label(name);
    reg::next_checked(on);
    const bool pressed = ImGui::InvisibleButton(id.c_str(), size);
    ImGui::EndDisabled();
    const bool hovered = ImGui::IsItemHovered();
    if (!disabled) ui_hand_cursor_if_hovered();

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cy = p.y + size.y / 2;
    const ImU32 off = hovered ? pal().control_off_hover : pal().control_off;
    if (is_switch) {
        const float h = 22;
        ImVec2 a(p.x, cy - h / 2), b(p.x + mark_w, cy + h / 2);
        dl->AddRectFilled(a, b, on ? pal().accent_fill : off, h / 2);
        const float kx = on ? b.x - h / 2 : a.x + h / 2;
        dl->AddCircleFilled(ImVec2(kx, cy), h / 2 - 3, pal().knob, 20);
    } else {
        const ImVec2 c(p.x + mark_w / 2, cy);
        dl->AddCircleFilled(c, 10, pal().panel, 24);
        dl->AddCircle(c, 10, on ? pal().accent : off, 24, 2);
        if (on) dl->AddCircleFilled(c, 5, pal().accent, 20);
    }
    if (ImGui::IsItemFocused() && !GImGui->NavDisableHighlight)
        dl->AddRect(p - ImVec2(3, 1), p + size + ImVec2(3, 1), pal().accent, 6, 0, 2);
    const ImVec2 tp(p.x + mark_w + gap, cy - ImGui::GetFontSize() / 2 - 1);
    dl->AddText(tp, disabled ? pal().muted : pal().text, text.c_str());
    glyphs::note_drawn(text);
    ImGui::PopFont();
    return pressed && !disabled;
}

float ui_button_width(const char* label) {
    ImGui::PushFont(fonts.bold);
    const float w = ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x + 4;
    ImGui::PopFont();
    return w;
}

// A one-line text field with its label above (the composer widget, so phones get
// their keyboard and IMEs work). Enter submits instead of adding a line.
bool ui_field(const std::string& id, const char* label, const std::string& placeholder, std::string& text, float w,
              bool disabled, const std::string& reader_label, bool secret) {
    const float x = ImGui::GetCursorScreenPos().x;  // the label's line ends at the window's edge
    ui_text(label, fonts.bold, pal().text);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y - 4));
    ComposerResult r = ui_composer(id.c_str(), reader_label.empty() ? label : reader_label, placeholder, text, w, 1,
                                   1, disabled, secret);
    bool submit = r.submitted;
    if (text.find('\n') != std::string::npos) {
        text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
        submit = true;
    }
    return submit;
}

// A destructive action's confirming button: white on red, bold.
bool ui_danger_button(const char* text, const std::string& id, ImVec2 size, bool disabled) {
    ImGui::PushStyleColor(ImGuiCol_Button, pal().danger_fill);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().danger_fill_hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().danger_fill_active);
    ImGui::PushStyleColor(ImGuiCol_Border, pal().danger_fill);
    ImGui::PushStyleColor(ImGuiCol_Text, pal().on_danger);
    ImGui::PushFont(fonts.bold);
    ImGui::BeginDisabled(disabled);
    reg::next_kind("button");
    reg::next_label(text);
    bool pressed = ImGui::Button((std::string(text) + "###" + id).c_str(), size);
    ImGui::EndDisabled();
    ImGui::PopFont();
    ImGui::PopStyleColor(5);
    if (!disabled) ui_hand_cursor_if_hovered();
    return pressed && !disabled;
}

// A server's refusal: red on a pale red band, so it is not missed beside the form.
void ui_error_band(const std::string& error, float x, float w) {
    if (error.empty()) return;
    const float pad = 8;
    const ImVec2 p(x, ImGui::GetCursorScreenPos().y + 8);
    ImGui::PushFont(fonts.small);
    const ImVec2 ts = ImGui::CalcTextSize(error.c_str(), nullptr, false, w - 2 * pad);
    ImGui::PopFont();
    ImGui::GetWindowDrawList()->AddRectFilled(p, p + ImVec2(w, ts.y + 2 * pad), pal().danger_bg, 6);
    ImGui::SetCursorScreenPos(p + ImVec2(pad, pad));
    ui_text_wrapped(error, w - 2 * pad, fonts.small, pal().danger, "alert");
    ImGui::SetCursorScreenPos(ImVec2(x, p.y + ts.y + 2 * pad));
}

static std::string language_code() {
    std::string code = i18n::language();
    for (char& c : code) c = (char)std::toupper((unsigned char)c);
    return code;
}

static float language_switch_width() {
    ImGui::PushFont(fonts.bold);
    const float w = ImGui::CalcTextSize(language_code().c_str()).x + 20;
    ImGui::PopFont();
    return w;
}

static void draw_language_switch(UiContext& ui, float right, float y) {
    const std::string code = language_code();
    const float w = language_switch_width();
    ImGui::SetCursorScreenPos(ImVec2(right - w, y));
    reg::next_label(i18n::trf("{0}: {1}", {i18n::tr("Language"), code}));
    if (ui_button((code + "###lang").c_str(), ButtonKind::Secondary, ImVec2(w, 30))) ImGui::OpenPopup("languages");
    ImGui::SetNextWindowPos(ImVec2(right, y + 34), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
    ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 1.f);
    if (ImGui::BeginPopup("languages")) {
        for (const i18n::Language& l : i18n::languages()) {
            glyphs::note_drawn(l.native);  // CJK names need the CJK glyphs
            reg::next_kind("option");
            bool current = i18n::language() == l.code;
            if (ImGui::Selectable(l.native, current, 0, ImVec2(140, 26))) action_set_language(ui.state, l.code, ui.fx);
            ui_hand_cursor_if_hovered();
        }
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar(2);
}

// Dark mode: the theme switch, left of the language switch. A button that cycles System →
// Light → Dark with the current one's icon (and, when the bar is wide, its name); the
// reader label and a tooltip (hover or keyboard focus) say which it is and what comes next.
static bool theme_switch_named(float bar_width) { return bar_width >= 600; }

static float theme_switch_width(const AppState& s, float bar_width) {
    if (!theme_switch_named(bar_width)) return 34;
    ImGui::PushFont(fonts.bold);
    const float w = ImGui::CalcTextSize(theme_name(s.theme.choice)).x + 44;
    ImGui::PopFont();
    return w;
}

// ◐ system, a sun for light, a crescent for dark: drawn, so crisp and needing no glyph.
static void theme_icon(ImDrawList* dl, ImVec2 c, const std::string& choice, ImU32 ink, ImU32 under) {
    const float r = 7;
    if (choice == kThemeLight) {
        dl->AddCircleFilled(c, 3.5f, ink, 16);
        for (int i = 0; i < 8; i++) {
            const float a = i * IM_PI / 4;
            const ImVec2 d(std::cos(a), std::sin(a));
            dl->AddLine(c + d * 5.5f, c + d * 8.f, ink, 1.5f);
        }
    } else if (choice == kThemeDark) {
        dl->AddCircleFilled(c, r, ink, 24);
        dl->AddCircleFilled(c + ImVec2(3.5f, -3), r - 1, under, 24);  // bites the crescent out
    } else {
        dl->AddCircle(c, r, ink, 24, 1.5f);
        dl->PathArcTo(c, r, -IM_PI / 2, IM_PI / 2, 16);
        dl->PathFillConvex(ink);
    }
}

static void draw_theme_switch(UiContext& ui, float x, float y, float bar_width) {
    AppState& s = ui.state;
    const std::string& choice = s.theme.choice;
    const float w = theme_switch_width(s, bar_width), h = 30;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    reg::next_label(i18n::trf("Theme: {0}", {theme_name(choice)}));
    if (ui_button("###theme", ButtonKind::Secondary, ImVec2(w, h))) action_theme_cycle(s, ui.fx);
    const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
    const bool focused = ImGui::IsItemFocused() && !GImGui->NavDisableHighlight;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImU32 under = active ? pal().pressed : hovered ? pal().hover : pal().panel;
    const bool named = theme_switch_named(bar_width);
    theme_icon(dl, ImVec2(x + (named ? 17 : w / 2), y + h / 2), choice, pal().text, under);
    if (named) {
        const char* name = theme_name(choice);
        ImGui::PushFont(fonts.bold);
        dl->AddText(ImVec2(x + 32, y + (h - ImGui::GetFontSize()) / 2 - 1), pal().text, name);
        ImGui::PopFont();
        glyphs::note_drawn(name);
    }
    // Touch has no hover: the tooltip is for a mouse resting on it and for keyboard focus.
    if ((hovered && ImGui::GetIO().MouseSource == ImGuiMouseSource_Mouse) || focused) {
        std::string tip = i18n::trf("Colour theme: {0}", {theme_name(choice)});
        auto line = [&](const std::string& more) {
            tip += '\n';
            tip += more;
        };
        if (choice == kThemeSystem) line(i18n::tr("System follows your device's setting."));
        line(i18n::trf("Click to switch to {0}.", {theme_name(theme_next(choice))}));
        if (!s.theme.error.empty()) line(i18n::trf("Not saved: {0}", {s.theme.error}));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 8));
        ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 1.f);
        ImGui::BeginTooltip();
        ImGui::PushFont(fonts.small);
        ImGui::TextUnformatted(tip.c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
        ImGui::PopStyleVar(2);
        glyphs::note_drawn(tip);
    }
}

static void draw_top_bar(UiContext& ui, float width, float height) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + height), pal().panel);
    dl->AddLine(ImVec2(p.x, p.y + height - 1), ImVec2(p.x + width, p.y + height - 1), pal().border);
    const float g = ui.layout.gutter;
    AppState& s = ui.state;

    ImGui::SetCursorScreenPos(ImVec2(p.x + g, p.y + (height - 24) / 2));
    const bool scoped = session_scope(s) > 0;  // one request only: no inbox, no network to go back to
    if (ui.layout.show_back && !scoped) {
        if (ui_button((std::string("‹  ") + i18n::tr("Inbox")).c_str(), ButtonKind::Ghost, ImVec2(0, 28))) {
            action_navigate(s, {Screen::Inbox, 0}, true, ui.fx);
        }
    } else {
        ImGui::SetCursorScreenPos(ImVec2(p.x + g, p.y + (height - ImGui::GetFontSize() * 19 / 15) / 2));
        ui_text("Parley", fonts.title, pal().accent, "heading");
    }
    const float left_end = scoped ? ImGui::GetItemRectMax().x : draw_network_button(ui, ImGui::GetItemRectMax().x + 14, p.y, height);
    float right = p.x + width - g;
    if (s.inbox_loaded) {
        // Right side: who is signed in.
        std::string who = s.inbox.me.name;
        ImGui::PushFont(fonts.bold);
        float w = ImGui::CalcTextSize(who.c_str()).x;
        ImGui::PopFont();
        float avatar = 30;
        float x = p.x + width - g - w - avatar - 10;
        // The name only when it leaves room for the theme and language switches after the left side.
        if (x - 14 - language_switch_width() - 8 - theme_switch_width(s, width) > std::max(p.x + 150, left_end + 12)) {
            ImGui::SetCursorScreenPos(ImVec2(x, p.y + (height - avatar) / 2));
            ui_avatar(who, avatar);
            ImGui::SetCursorScreenPos(ImVec2(x + avatar + 10, p.y + (height - ImGui::GetFontSize()) / 2 - 1));
            ui_text(who, fonts.bold);
            right = x - 14;
        }
    }
    // Theme, then language: the order keyboard focus goes through them, left to right.
    draw_theme_switch(ui, right - language_switch_width() - 8 - theme_switch_width(s, width), p.y + (height - 30) / 2,
                      width);
    draw_language_switch(ui, right, p.y + (height - 30) / 2);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + height));
}

// A scoped session (signed in by a notification e-mail's link): one plain line under the
// bar saying so, with the way to a full session — a sign-in link mailed to the user. On a
// narrow screen the action goes on a second row.
constexpr float kScopeRow = 34;
static std::string scope_label() { return std::string(i18n::tr("Signed in for this request only")) + " ·"; }
static bool scope_two_rows(float width, float gutter) {
    ImGui::PushFont(fonts.small);
    const float label = ImGui::CalcTextSize(scope_label().c_str()).x;
    ImGui::PopFont();
    ImGui::PushFont(fonts.bold);
    const float button = ImGui::CalcTextSize(i18n::tr("Send me a full sign-in link")).x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::PopFont();
    return label + 6 + button > width - 2 * gutter;
}
static float scope_line_height(float width, float gutter) { return scope_two_rows(width, gutter) ? 2 * kScopeRow - 8 : kScopeRow; }

static void draw_scope_line(UiContext& ui, float width) {
    AppState& s = ui.state;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float g = ui.layout.gutter;
    const bool two = scope_two_rows(width, g);
    const float h = scope_line_height(width, g);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + h), pal().panel);
    dl->AddLine(ImVec2(p.x, p.y + h - 1), ImVec2(p.x + width, p.y + h - 1), pal().border);
    const float text_y = p.y + (kScopeRow - ImGui::GetFontSize()) / 2 - 1;
    ImGui::SetCursorScreenPos(ImVec2(p.x + g, text_y));
    ui_text(scope_label(), fonts.small, pal().muted);
    // The action: after the label, or at the start of the second row.
    const float x = two ? p.x + g : ImGui::GetItemRectMax().x + 6;
    const float row_y = two ? p.y + kScopeRow - 8 : p.y;
    const float ty = row_y + (kScopeRow - ImGui::GetFontSize()) / 2 - 1;
    if (!s.full_link.sent_to.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ty));
        ui_text_fit(i18n::trf("Link sent to {0}", {s.full_link.sent_to}), p.x + width - g - x, fonts.small, pal().text, "status");
    } else if (s.full_link.sending) {
        ImGui::SetCursorScreenPos(ImVec2(x, ty));
        ui_text(i18n::tr("Sending the link…"), fonts.small, pal().muted, "status");
    } else {
        ImGui::SetCursorScreenPos(ImVec2(two ? x - 8 : x - 6, row_y + (kScopeRow - 26) / 2));
        if (ui_button(i18n::tr("Send me a full sign-in link"), ButtonKind::Ghost, ImVec2(0, 26)))
            action_full_link(s, ui.fx);
        if (!s.full_link.error.empty()) {
            const float ex = ImGui::GetItemRectMax().x + 8;
            ImGui::SetCursorScreenPos(ImVec2(ex, ty));
            ui_text_fit(s.full_link.error, std::max(0.f, p.x + width - g - ex), fonts.small, pal().danger, "alert");
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + h));
}

static void draw_signed_out(float width, float height) {
    float w = std::min(420.f, width - 32);
    ImGui::SetCursorPos(ImVec2((width - w) / 2, height * 0.3f));
    ImGui::BeginGroup();
    ui_text(i18n::tr("Sign in to Parley"), fonts.title, pal().text, "heading");
    ImGui::Dummy(ImVec2(0, 6));
    ui_text_wrapped(i18n::tr("Open the sign-in link from your e-mail to see your requests. Links are personal: "
                             "do not forward them."), w, fonts.body, pal().muted);
    ImGui::EndGroup();
}

static bool g_unsettled = false;
bool ui_frame_unsettled() { return g_unsettled; }
void ui_mark_unsettled() { g_unsettled = true; }

void draw_app(AppState& state, Effects& fx, float width, float height, Millis now) {
    g_unsettled = false;
    theme::use(theme_dark(state) ? theme::dark() : theme::light());  // dark mode: before anything is drawn
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    // Keyboard navigation needs a focused window from the start, not after a click.
    if (!ImGui::GetCurrentContext()->NavWindow) ImGui::SetNextWindowFocus();
    ImGui::Begin("Parley", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    UiContext ui{state, fx, decide_layout(width, state.route), now};
    if (state.route.screen == Screen::SignedOut) {
        draw_signed_out(width, height);
        ImGui::End();
        return;
    }
    float bar = 56;
    draw_top_bar(ui, width, bar);
    if (session_scope(state)) {
        // A scoped session: the line, then its request alone — no inbox beside it.
        draw_scope_line(ui, width);
        bar += scope_line_height(width, ui.layout.gutter);
        ImGui::SetCursorPos(ImVec2(0, bar));
        draw_thread(ui, width, height - bar);
        ImGui::End();
        return;
    }
    const float body_h = height - bar;
    if (state.route.screen == Screen::Network) {
        ImGui::SetCursorPos(ImVec2(0, bar));
        draw_network(ui, width, body_h);
    } else if (ui.layout.two_panes) {
        ImGui::SetCursorPos(ImVec2(0, bar));
        draw_inbox(ui, ui.layout.inbox_width, body_h);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(ui.layout.inbox_width, bar),
                                            ImVec2(ui.layout.inbox_width, height), pal().border);
        ImGui::SetCursorPos(ImVec2(ui.layout.inbox_width + 1, bar));
        draw_thread(ui, width - ui.layout.inbox_width - 1, body_h);
    } else {
        ImGui::SetCursorPos(ImVec2(0, bar));
        if (ui.layout.show_inbox) draw_inbox(ui, width, body_h);
        else draw_thread(ui, width, body_h);
    }
    ImGui::End();
}

}  // namespace parley
