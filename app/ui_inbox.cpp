// The inbox: every request received, unread first.
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

static void draw_row(UiContext& ui, const RequestSummary& r, float width, bool selected) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float g = ui.layout.gutter;
    const float row_h = 92;
    ImVec2 p = ImGui::GetCursorScreenPos();

    // The whole row is one button; its label is what a screen reader would say.
    std::string label = r.buyer_name + ", " + r.buyer_company + " — " + r.product +
                        (r.unread ? std::string(" ") + i18n::tr("(unread)") : std::string()) + "###row" + std::to_string(r.id);  // ### : the id stays when the label changes
    reg::next_kind("listitem");
    reg::next_label(reg::strip_id(label.c_str()));  // kept even when scrolled out of view
    reg::next_href(route_path({Screen::Request, r.id}));
    bool pressed = ImGui::InvisibleButton(label.c_str(), ImVec2(width, row_h));
    bool hovered = ImGui::IsItemHovered();
    ui_hand_cursor_if_hovered();

    ImU32 bg = selected ? kSelected : hovered ? kHover : kPanel;
    dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), bg);
    dl->AddLine(ImVec2(p.x + g, p.y + row_h - 1), ImVec2(p.x + width - g, p.y + row_h - 1), kBorder);
    if (selected) dl->AddRectFilled(p, ImVec2(p.x + 3, p.y + row_h), kAccent);
    if (ImGui::IsItemFocused() && !ImGui::GetCurrentContext()->NavDisableHighlight)  // keyboard focus ring
        dl->AddRect(ImVec2(p.x + 2, p.y + 2), ImVec2(p.x + width - 2, p.y + row_h - 2), kAccent, 6, 0, 2);

    const float avatar = 40;
    float x = p.x + g, y = p.y + 14;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ui_avatar(r.buyer_name, avatar);
    if (r.unread) dl->AddCircleFilled(ImVec2(x + avatar - 4, y + 4), 6, kAccent, 16),
                  dl->AddCircle(ImVec2(x + avatar - 4, y + 4), 6, kPanel, 16, 2);

    float tx = x + avatar + 12;
    float right = p.x + width - g;
    // Line 1: buyer name (bold if unread) … age.
    std::string age = format_age(ui.now, r.last_activity);
    ImGui::PushFont(fonts.small);
    float age_w = ImGui::CalcTextSize(age.c_str()).x;
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(tx, y - 2));
    ui_text_fit(r.buyer_name, right - age_w - 8 - tx, r.unread ? fonts.bold : fonts.body, kText);
    ImGui::SetCursorScreenPos(ImVec2(right - age_w, y));
    ui_text(age, fonts.small, r.unread ? kAccent : kMuted);

    // Line 2: country · company · product.
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 21));
    ui_badge(country_name(r.country), kMuted, IM_COL32(241, 243, 246, 255));
    ImGui::SameLine(0, 6);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    ui_text_fit(r.buyer_company + "  ·  " + r.product, right - ImGui::GetCursorScreenPos().x, fonts.small, kMuted);
    // Line 3: snippet.
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 45));
    ui_text_fit(one_line(r.snippet, 400), right - tx, fonts.small, r.unread ? kText : kMuted);

    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    if (pressed) action_navigate(ui.state, {Screen::Request, r.id}, true, ui.fx);
}

void draw_inbox(UiContext& ui, float width, float height) {
    AppState& s = ui.state;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, kPanel);
    ImGui::BeginChild("inbox", ImVec2(width, height), ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);
    const float g = ui.layout.gutter;

    ImGui::SetCursorPos(ImVec2(g, 16));
    ui_text(i18n::tr("Requests"), fonts.title, kText, "heading");
    if (s.inbox.unread > 0) {
        ImGui::SameLine(0, 10);
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 3);
        ui_badge(i18n::trf("{0} unread", {std::to_string(s.inbox.unread)}), IM_COL32_WHITE, kAccent);
    }
    ImGui::SetCursorPos(ImVec2(0, 56));

    if (!s.inbox_loaded) {
        ImGui::SetCursorPosX(g);
        if (s.inbox_error.empty()) ui_text(i18n::tr("Loading requests…"), fonts.body, kMuted);
        else ui_text_wrapped(s.inbox_error, width - 2 * g, fonts.body, kDanger, "alert");
    } else if (s.inbox.requests.empty()) {
        ImGui::SetCursorPosX(g);
        ui_text(i18n::tr("No requests yet."), fonts.body, kMuted);
    } else {
        const bool two = ui.layout.two_panes;
        for (const RequestSummary& r : s.inbox.requests) {
            bool selected = two && s.route.screen == Screen::Request && s.route.request_id == r.id;
            draw_row(ui, r, ImGui::GetContentRegionAvail().x, selected);
        }
        ImGui::Dummy(ImVec2(1, 24));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

}  // namespace parley
