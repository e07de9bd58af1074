#include "app/ui_text_view.h"
#include <algorithm>
#include <cwctype>
#include <memory>
#include "app/fonts.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/textedit.h"
#include "app/ui.h"
#include "app/theme.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
// One selection on the page at a time, like a browser.
struct Selection {
    ImGuiID owner = 0;
    TextEditor ed;  // layout + selection engine for the owner's text
    bool dragging = false;
    bool bubble = false;  // touch: the "Copy" bubble over the selection is open
    ImVec2 press_pos;
};
Selection& sel() {
    static Selection s;
    return s;
}

// A URL ends at spaces, quotes, brackets and at CJK text (written without spaces).
bool url_char(char32_t c) {
    return c > 32 && c != '<' && c != '>' && c != '"' && c != '`' && !is_cjk(c) && !is_space(c);
}
bool email_char(char32_t c) {
    return (c < 128 && (std::iswalnum((wint_t)c) || c == '.' || c == '_' || c == '-' || c == '+'));
}
}  // namespace

std::vector<LinkSpan> find_links(const std::u32string& t) {
    std::vector<LinkSpan> out;
    const int n = (int)t.size();
    auto starts = [&](int i, const char32_t* p) {
        for (int k = 0; p[k]; k++)
            if (i + k >= n || (char32_t)std::towlower((wint_t)t[i + k]) != p[k]) return false;
        return true;
    };
    auto trim = [&](int a, int b) {  // "see https://x.com/a." → no final '.'
        while (b > a && std::u32string(U".,;:!?)]'\"").find(t[b - 1]) != std::u32string::npos) b--;
        return b;
    };
    for (int i = 0; i < n;) {
        const bool boundary = i == 0 || !(t[i - 1] < 128 && std::iswalnum((wint_t)t[i - 1]));
        if (boundary && (starts(i, U"https://") || starts(i, U"http://") || starts(i, U"www."))) {
            int b = i;
            while (b < n && url_char(t[b])) b++;
            b = trim(i, b);
            std::string href = u32_to_utf8(t, i, b);
            if (starts(i, U"www.")) href = "https://" + href;
            if (b - i > 8) out.push_back({i, b, href});
            i = b;
            continue;
        }
        if (t[i] == '@' && i > 0 && email_char(t[i - 1])) {
            int a = i;
            while (a > 0 && email_char(t[a - 1])) a--;
            int b = i + 1;
            while (b < n && email_char(t[b])) b++;
            b = trim(i + 1, b);
            std::u32string domain = t.substr(i + 1, b - i - 1);
            if (domain.find('.') != std::u32string::npos && a < i && (out.empty() || out.back().end <= a)) {
                out.push_back({a, b, "mailto:" + u32_to_utf8(t, a, b)});
                i = b;
                continue;
            }
        }
        i++;
    }
    return out;
}

std::string text_view_selection() { return sel().owner ? sel().ed.selection() : std::string(); }

TextViewResult ui_text_view_fit(const char* str_id, const std::string& text, float max_width, ImFont* font,
                                ImU32 color, const char* reg_kind) {
    if (!font) font = ImGui::GetFont();
    ImGui::PushFont(font);
    const float w = ImGui::CalcTextSize(text.c_str()).x + 2;  // + a pixel of slack for rounding
    ImGui::PopFont();
    return ui_text_view(str_id, text, std::min(w, max_width), font, color, reg_kind);
}

TextViewResult ui_text_view(const char* str_id, const std::string& text, float width, ImFont* font, ImU32 color,
                            const char* reg_kind) {
    TextViewResult res;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImGuiIO& io = ImGui::GetIO();
    const ImGuiID id = window->GetID(str_id);
    if (!font) font = ImGui::GetFont();
    ImGui::PushFont(font);
    const float size = ImGui::GetFontSize();
    const float scale = size / font->FontSize;
    const float line_h = size + 4;
    Advance adv = [font, scale](char32_t c) { return font->GetCharAdvance((ImWchar)c) * scale; };

    // Layout: the selection owner's editor, else a fresh wrap (cheap for messages).
    Selection& s = sel();
    const bool owner = s.owner == id;
    std::u32string u32 = utf8_to_u32(text);
    if (owner) s.ed.set_layout(width, line_h, adv);
    const std::vector<WrapRow> rows = owner ? s.ed.rows() : wrap_text(u32, width, adv);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, pos + ImVec2(width, rows.size() * line_h));
    ImGui::ItemSize(bb);
    reg::add_text(reg_kind, text, bb.Min.x, bb.Min.y, bb.Max.x, bb.Max.y);
    if (!ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_NoNav)) {
        ImGui::PopFont();
        return res;
    }
    glyphs::note_drawn(text);  // the atlas must bake what is shown (CJK arrives lazily)
    const bool hovered = ImGui::ItemHoverable(bb, id, 0);
    const std::vector<LinkSpan> links = find_links(u32);
    const ImVec2 local = io.MousePos - bb.Min;

    // Which character is under the mouse (for links).
    int hover_index = -1;
    if (hovered) {
        int r = (int)(local.y / line_h);
        if (r >= 0 && r < (int)rows.size()) {
            float x = 0;
            for (int i = rows[r].start; i < rows[r].start + rows[r].count; i++) {
                float w = adv(u32[i]);
                if (local.x >= x && local.x < x + w) { hover_index = i; break; }
                x += w;
            }
        }
    }
    const LinkSpan* hover_link = nullptr;
    for (const LinkSpan& l : links)
        if (hover_index >= l.start && hover_index < l.end) hover_link = &l;
    if (hovered) ImGui::SetMouseCursor(hover_link ? ImGuiMouseCursor_Hand : ImGuiMouseCursor_TextInput);

    // Mouse: press starts a selection here; drag extends it; a click on a link opens it.
    const bool touch = io.MouseSource == ImGuiMouseSource_TouchScreen;
    auto own = [&] {
        if (s.owner == id) return;
        s.owner = id;
        s.bubble = false;  // another text's bubble closes with this click
        s.ed.set_text(text);
        s.ed.set_layout(width, line_h, adv);
    };
    if (hovered && io.MouseClicked[0]) {
        own();
        s.press_pos = io.MousePos;
        if (io.MouseClickedCount[0] >= 3) s.ed.select_all();
        else if (io.MouseClickedCount[0] == 2) s.ed.select_word_at(local.x, local.y);
        else s.ed.click(local.x, local.y);
        s.dragging = !touch;
    } else if (io.MouseClicked[0] && owner && !hovered && !s.bubble) {
        s.owner = 0;  // clicking elsewhere clears the selection (with a bubble: see below)
    }
    // Touch: a long press (the platform's right click) selects the whole text and offers
    // "Copy" over it, as phones do; a tap elsewhere closes both.
    if (touch && hovered && io.MouseClicked[1]) {
        own();
        s.ed.select_all();
        s.press_pos = io.MousePos;
        s.bubble = true;
        ImGui::OpenPopup("##text_copy");
    }
    if (s.owner == id && s.bubble && !ImGui::IsPopupOpen("##text_copy")) {
        s.bubble = false;  // a tap elsewhere closed it: the selection goes too
        s.owner = 0;
    }
    if (s.owner == id && s.bubble) {
        ImGui::SetNextWindowPos(ImVec2(s.press_pos.x, std::max(8.f, s.press_pos.y - 64)), ImGuiCond_Appearing,
                                ImVec2(0.5f, 0));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
        ImGui::PushStyleVar(ImGuiStyleVar_PopupRounding, 10.f);
        ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 1.f);
        if (ImGui::BeginPopup("##text_copy", ImGuiWindowFlags_NoMove)) {
            const char* copy = i18n::tr("Copy");
            if (ui_button((std::string(copy) + "###text_copy_button").c_str(), ButtonKind::Primary,
                          ImVec2(ui_button_width(copy) + 16, 44))) {
                ImGui::SetClipboardText(s.ed.selection().c_str());
                s.owner = 0;
                s.bubble = false;
                ImGui::CloseCurrentPopup();
            }
            ImGui::EndPopup();
        }
        ImGui::PopStyleVar(3);
    }
    if (s.owner == id) {
        if (s.dragging && io.MouseDown[0] && !io.MouseClicked[0]) s.ed.drag(local.x, local.y);
        if (io.MouseReleased[0]) {
            s.dragging = false;
            const bool moved = ImLengthSqr(io.MousePos - s.press_pos) > 16;
            if (hover_link && !moved && !s.ed.has_selection()) res.open_url = hover_link->href;
        }
        if ((io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGuiKey_C, false) && s.ed.has_selection() &&
            !io.WantTextInput)
            ImGui::SetClipboardText(s.ed.selection().c_str());
        if ((io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGuiKey_A, false) && !io.WantTextInput)
            s.ed.select_all();
    }

    // Draw: selection, then text in runs (links in accent colour, underlined).
    ImDrawList* dl = window->DrawList;
    const bool has_sel = s.owner == id && s.ed.has_selection();
    const int sa = has_sel ? s.ed.selection_start() : 0, sb = has_sel ? s.ed.selection_end() : 0;
    std::string run;
    for (size_t r = 0; r < rows.size(); r++) {
        const WrapRow& row = rows[r];
        const float y = bb.Min.y + r * line_h;
        int end = row.start + row.count;
        if (end > row.start && u32[end - 1] == '\n') end--;
        float x = bb.Min.x;
        if (has_sel && sa < row.start + row.count && sb > row.start) {
            float x0 = 0, x1 = 0, acc = 0;
            for (int i = row.start; i <= end; i++) {
                if (i == std::max(sa, row.start)) x0 = acc;
                if (i == std::min(sb, end)) { x1 = acc; break; }
                if (i < end) acc += adv(u32[i]);
            }
            if (sb > end) x1 = acc + 4;
            dl->AddRectFilled(ImVec2(x + x0, y), ImVec2(x + x1, y + line_h), pal().text_selected_bg);
        }
        int i = row.start;
        while (i < end) {
            const LinkSpan* link = nullptr;
            for (const LinkSpan& l : links)
                if (i >= l.start && i < l.end) link = &l;
            int j = i + 1;
            if (link) j = std::min(end, link->end);
            else {
                while (j < end) {
                    bool in_link = false;
                    for (const LinkSpan& l : links)
                        if (j >= l.start && j < l.end) in_link = true;
                    if (in_link) break;
                    j++;
                }
            }
            run = u32_to_utf8(u32, i, j);
            const ImU32 col = link ? pal().accent : color;
            dl->AddText(font, size, ImVec2(x, y + 2), col, run.c_str(), run.c_str() + run.size());
            float w = 0;
            for (int k = i; k < j; k++) w += adv(u32[k]);
            if (link) {
                dl->AddLine(ImVec2(x, y + size + 2), ImVec2(x + w, y + size + 2),
                            link == hover_link ? pal().accent : pal().link_underline, 1.f);
                reg::add_text("link", link->href, x, y, x + w, y + line_h);  // tests, screen readers
            }
            x += w;
            i = j;
        }
    }
    ImGui::PopFont();
    return res;
}

}  // namespace parley
