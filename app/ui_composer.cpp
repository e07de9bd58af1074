#include "app/ui_composer.h"
#include <memory>
#include <unordered_map>
#include "app/fonts.h"
#include "app/registry.h"
#include "app/text_input.h"
#include "app/textedit.h"
#include "app/theme.h"
#include "imgui.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
struct Field {
    TextEditor ed;
    float scroll = 0;       // px scrolled inside the field
    bool dragging = false;
    int last_frame = 0;
    float display_h = 0;    // the page's height at the last frame (it shrinks under a keyboard)
    bool was_active = false;
};
std::unordered_map<ImGuiID, std::unique_ptr<Field>> g_fields;

Field& field(ImGuiID id) {
    auto& f = g_fields[id];
    if (!f) f = std::make_unique<Field>();
    f->last_frame = ImGui::GetFrameCount();
    return *f;
}

void publish(ImGuiID id, Field& f, const ImRect& inner, bool app_changed, bool secret) {
    TextInputState& ti = text_input();
    const CaretPos c = f.ed.caret();
    const bool was = ti.active && ti.field == id;
    ti.active = true;
    ti.field = id;
    ti.secret = secret;
    ti.caret_x = inner.Min.x + c.x;
    ti.caret_y = inner.Min.y + c.y - f.scroll;
    ti.line_height = f.ed.line_height();
    ti.x = inner.Min.x; ti.y = inner.Min.y; ti.w = inner.GetWidth(); ti.h = inner.GetHeight();
    const int a = f.ed.selection_start() == f.ed.selection_end() ? f.ed.cursor() : f.ed.selection_start();
    const int b = f.ed.selection_start() == f.ed.selection_end() ? f.ed.cursor() : f.ed.selection_end();
    if (!was || app_changed || ti.sel_start != a || ti.sel_end != b) {
        ti.text = f.ed.text();
        ti.sel_start = a;
        ti.sel_end = b;
        ti.version++;
    }
}

bool shortcut_mod(const ImGuiIO& io) { return io.KeyCtrl || io.KeySuper; }

// What a secret field shows for n characters.
std::string dots(size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += "\u2022";
    return s;
}
bool g_invalid_next = false;
}  // namespace

void ui_composer_invalid_next() { g_invalid_next = true; }

ComposerResult ui_composer(const char* str_id, const std::string& label, const std::string& placeholder,
                           std::string& text, float width, int min_lines, int max_lines, bool disabled,
                           bool secret, float keep_below) {
    ImGuiContext& g = *GImGui;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ComposerResult res;
    const bool invalid = g_invalid_next;
    g_invalid_next = false;
    const ImGuiID id = window->GetID(str_id);
    Field& f = field(id);
    ImGuiIO& io = ImGui::GetIO();

    const ImVec2 pad(10, 8);
    ImFont* font = ImGui::GetFont();
    const float font_size = ImGui::GetFontSize();
    const float scale = font_size / font->FontSize;
    const float line_h = font_size + 4;
    const float inner_w = std::max(20.f, width - 2 * pad.x - 6);  // room for a thin scrollbar
    constexpr char32_t kDot = U'\u2022';
    f.ed.set_layout(inner_w, line_h, [font, scale, secret](char32_t c) {
        return font->GetCharAdvance((ImWchar)(secret ? kDot : c)) * scale;
    });
    if (f.ed.text() != text) f.ed.set_text(text);  // changed elsewhere (sent, restored draft)
    text_input().drawn[id] = text;
    if (secret) text_input().drawn_secret.insert(id);
    else text_input().drawn_secret.erase(id);

    const int rows = (int)f.ed.rows().size();
    const int lines = std::clamp(rows, min_lines, max_lines);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, lines * line_h + 2 * pad.y));
    const ImRect inner(bb.Min + pad, bb.Max - pad);
    ImGui::ItemSize(bb);
    reg::next_kind("input");
    reg::next_label(label);
    reg::next_value(secret ? dots(f.ed.chars().size()) : text);  // the mirror's textbox reads the draft
    if (invalid) reg::next_invalid();
    // Tapped, but the click landed elsewhere (text_input.h): active from now on, also when
    // the page shrank under it (a phone keyboard opening) and it is out of view.
    auto activate = [&] {
        ImGui::SetActiveID(id, window);
        ImGui::SetFocusID(id, window);
        ImGui::FocusWindow(window);
        ImGui::SetActiveIdUsingAllKeyboardKeys();  // arrows/Tab edit, not navigate
    };
    TextInputState& ti = text_input();
    const bool tapped = ti.tapped == id && !disabled;
    if (ti.tapped == id) ti.tapped = 0;
    if (tapped && g.ActiveId != id) activate();
    if (!ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_Inputable | (disabled ? ImGuiItemFlags_Disabled : 0)))
        return res;
    glyphs::note_drawn(text);  // typed or pasted CJK needs its glyphs baked
    glyphs::note_drawn(placeholder);
    const bool hovered = !disabled && ImGui::ItemHoverable(bb, id, 0);
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    const float content_h = rows * line_h;
    const float max_scroll = std::max(0.f, content_h - inner.GetHeight());

    bool active = g.ActiveId == id;
    const ImVec2 local(io.MousePos.x - inner.Min.x, io.MousePos.y - inner.Min.y + f.scroll);
    if (tapped) f.ed.click(ti.tap_x - pad.x, ti.tap_y - pad.y + f.scroll);
    if (!disabled && !active && ((hovered && io.MouseClicked[0]) || g.NavActivateId == id)) {
        activate();
        active = true;
        if (io.MouseClicked[0] && hovered) { f.ed.click(local.x, local.y); f.dragging = true; }
        else f.ed.set_selection((int)f.ed.chars().size(), (int)f.ed.chars().size());
    } else if (active && io.MouseClicked[0] && hovered) {
        if (io.MouseClickedCount[0] >= 2) f.ed.select_word_at(local.x, local.y);
        else f.ed.click(local.x, local.y);
        f.dragging = true;
    } else if (active && io.MouseClicked[0] && !hovered) {
        ImGui::ClearActiveID();  // a click elsewhere leaves the field
        active = false;
    }
    if (disabled && active) { ImGui::ClearActiveID(); active = false; }
    if (!io.MouseDown[0]) f.dragging = false;
    if (active && f.dragging && io.MouseDown[0] && !io.MouseClicked[0]) f.ed.drag(local.x, local.y);

    bool app_changed = false;  // edits the browser's textarea does not know about yet
    if (active) {
        g.WantTextInputNextFrame = 1;

        // Text the browser edited in the hidden textarea (typing, IME, autocorrect).
        TextReplacement& rep = pending_replacement();
        if (rep.pending && rep.field == id) {
            f.ed.replace_with(rep.text, rep.sel_start, rep.sel_end);
            rep.pending = false;
        }
        // Characters that came as key events (no textarea, e.g. native tests).
        for (ImWchar c : io.InputQueueCharacters) {
            if (c == '\r' || c == 127 || (c < 32 && c != '\t')) continue;
            std::string s;
            append_utf8(s, (char32_t)c);
            f.ed.insert(s);
            app_changed = true;
        }
        io.InputQueueCharacters.resize(0);

        const bool mod = shortcut_mod(io), shift = io.KeyShift;
        auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(k, true); };
        size_t before = f.ed.text().size();
        int before_cursor = f.ed.cursor();
        if (mod && pressed(ImGuiKey_Enter)) res.submitted = true;
        else if (pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeypadEnter)) f.ed.insert("\n");
        else if (pressed(ImGuiKey_Escape) || pressed(ImGuiKey_Tab)) { ImGui::ClearActiveID(); active = false; }
        else if (pressed(ImGuiKey_LeftArrow)) f.ed.key(mod ? EditKey::WordLeft : EditKey::Left, shift);
        else if (pressed(ImGuiKey_RightArrow)) f.ed.key(mod ? EditKey::WordRight : EditKey::Right, shift);
        else if (pressed(ImGuiKey_UpArrow)) f.ed.key(EditKey::Up, shift);
        else if (pressed(ImGuiKey_DownArrow)) f.ed.key(EditKey::Down, shift);
        else if (pressed(ImGuiKey_PageUp)) f.ed.key(EditKey::PageUp, shift);
        else if (pressed(ImGuiKey_PageDown)) f.ed.key(EditKey::PageDown, shift);
        else if (pressed(ImGuiKey_Home)) f.ed.key(mod ? EditKey::TextStart : EditKey::LineStart, shift);
        else if (pressed(ImGuiKey_End)) f.ed.key(mod ? EditKey::TextEnd : EditKey::LineEnd, shift);
        else if (pressed(ImGuiKey_Backspace)) {
            if (mod && !f.ed.has_selection()) f.ed.key(EditKey::WordLeft, true);
            f.ed.key(EditKey::Backspace);
        } else if (pressed(ImGuiKey_Delete)) {
            if (mod && !f.ed.has_selection()) f.ed.key(EditKey::WordRight, true);
            f.ed.key(EditKey::Delete);
        } else if (mod && pressed(ImGuiKey_A)) f.ed.select_all();
        else if (mod && pressed(ImGuiKey_C)) { if (f.ed.has_selection() && !secret) ImGui::SetClipboardText(f.ed.selection().c_str()); }
        else if (mod && pressed(ImGuiKey_X)) { if (f.ed.has_selection() && !secret) ImGui::SetClipboardText(f.ed.cut().c_str()); }
        else if (mod && pressed(ImGuiKey_V)) { if (const char* clip = ImGui::GetClipboardText()) f.ed.insert(clip); }
        else if (mod && ((shift && pressed(ImGuiKey_Z)) || pressed(ImGuiKey_Y))) f.ed.key(EditKey::Redo);
        else if (mod && pressed(ImGuiKey_Z)) f.ed.key(EditKey::Undo);
        if (f.ed.text().size() != before || f.ed.cursor() != before_cursor) app_changed = true;

        if (f.ed.take_changed()) {
            text = f.ed.text();
            res.changed = true;
        }
        // Keep the caret in view.
        const CaretPos c = f.ed.caret();
        const float new_max = std::max(0.f, (float)f.ed.rows().size() * line_h - inner.GetHeight());
        if (c.y < f.scroll) f.scroll = c.y;
        if (c.y + line_h > f.scroll + inner.GetHeight()) f.scroll = c.y + line_h - inner.GetHeight();
        f.scroll = std::clamp(f.scroll, 0.f, new_max);
        if (active) {
            // Keep the caret on screen when the page shrinks (phone keyboard opening)
            // or the text grows, without moving the thread when it already is.
            const ImVec2 cp(inner.Min.x + c.x, inner.Min.y + c.y - f.scroll);
            const ImRect caret_rect(cp - ImVec2(0, 8), cp + ImVec2(2, line_h + pad.y + 8));
            const bool shrank = io.DisplaySize.y < f.display_h - 1;  // the keyboard came up
            if (!window->InnerClipRect.Contains(caret_rect) || shrank) {
                // Show the field down to what goes with it (Send) if that fits, else down to
                // its bottom edge, else the caret.
                const float fit = window->InnerClipRect.GetHeight();
                ImRect target(caret_rect.Min, ImVec2(caret_rect.Max.x, bb.Max.y + 8 + keep_below));
                if (target.GetHeight() > fit) target.Max.y = bb.Max.y + 8;
                if (target.GetHeight() > fit) target = caret_rect;
                ImGui::ScrollToRect(window, target, ImGuiScrollFlags_KeepVisibleEdgeY);
            }
            publish(id, f, inner, app_changed, secret);
            g.PlatformImeData.WantVisible = true;
            g.PlatformImeData.InputPos = ImVec2(inner.Min.x + c.x, inner.Min.y + c.y - f.scroll);
            g.PlatformImeData.InputLineHeight = line_h;
        }
    }
    if (!active && text_input().field == id) text_input().active = false;
    // Left: the field shows its text from the start again (a long product name in a
    // one-line field read "…mineral oil)" after editing its end).
    if (f.was_active && !active && max_lines <= 2) f.scroll = 0;
    f.was_active = active;
    res.active = active;

    // Wheel scrolls the field when it has more lines than it shows.
    if (hovered && max_scroll > 0 && io.MouseWheel != 0) {
        f.scroll = std::clamp(f.scroll - io.MouseWheel * line_h * 3, 0.f, max_scroll);
        ImGui::SetKeyOwner(ImGuiKey_MouseWheelY, id);
    }

    // ---- draw ----
    ImDrawList* dl = window->DrawList;
    // The outline tells a field from its card (3:1, like any control's edge).
    // A refused field keeps a red outline until it is fixed, focused or not.
    const ImU32 border = invalid ? pal().danger : active ? pal().accent : hovered ? pal().control_off_hover : pal().border_strong;
    dl->AddRectFilled(bb.Min, bb.Max, disabled ? pal().field_disabled_bg : pal().field_bg, 8);
    dl->AddRect(bb.Min, bb.Max, border, 8, 0, active || invalid ? 1.5f : 1.f);
    if (active) dl->AddRect(bb.Min - ImVec2(2, 2), bb.Max + ImVec2(2, 2), pal().focus_halo, 10, 0, 3);
    if (text.empty() && !active) {
        dl->AddText(font, font_size, inner.Min + ImVec2(0, 2), pal().muted, placeholder.c_str());
    } else {
        ImGui::PushClipRect(inner.Min - ImVec2(2, 0), inner.Max + ImVec2(4, 0), true);
        const auto& chars = f.ed.chars();
        const int sa = f.ed.selection_start(), sb = f.ed.selection_end();
        const ImU32 ink = disabled ? pal().muted : pal().text;
        std::string line;
        for (size_t r = 0; r < f.ed.rows().size(); r++) {
            const WrapRow& row = f.ed.rows()[r];
            const float y = inner.Min.y + r * line_h - f.scroll;
            if (y + line_h < inner.Min.y || y > inner.Max.y) continue;
            int end = row.start + row.count;
            if (end > row.start && chars[end - 1] == '\n') end--;
            if (active && sa != sb && sa < row.start + row.count && sb > row.start) {  // selection
                float x0 = f.ed.position_of(std::max(sa, row.start)).x;
                float x1 = sb >= row.start + row.count ? row.width + 4 : f.ed.position_of(sb).x;
                if (sb >= row.start + row.count && f.ed.position_of(row.start + row.count).row == (int)r) x1 = row.width + 4;
                dl->AddRectFilled(ImVec2(inner.Min.x + x0, y), ImVec2(inner.Min.x + std::max(x1, x0 + 3), y + line_h),
                                  pal().text_selected_bg);
            }
            line = secret ? dots(end - row.start) : u32_to_utf8(chars, row.start, end);
            dl->AddText(font, font_size, ImVec2(inner.Min.x, y + 2), ink, line.c_str(), line.c_str() + line.size());
        }
        if (active) {
            const CaretPos c = f.ed.caret();
            const float x = inner.Min.x + c.x, y = inner.Min.y + c.y - f.scroll;
            dl->AddLine(ImVec2(x, y + 1), ImVec2(x, y + line_h - 1), pal().text, 1.5f);
        }
        ImGui::PopClipRect();
        if (max_scroll > 0) {  // thin scroll indicator
            const float track = inner.GetHeight();
            const float thumb = std::max(20.f, track * track / content_h);
            const float t = f.scroll / max_scroll * (track - thumb);
            dl->AddRectFilled(ImVec2(bb.Max.x - 6, inner.Min.y + t), ImVec2(bb.Max.x - 3, inner.Min.y + t + thumb),
                              pal().scrollbar, 2);
        }
    }
    f.display_h = io.DisplaySize.y;
    return res;
}

}  // namespace parley
