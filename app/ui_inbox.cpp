// The inbox: every request received, unread first.
#include <algorithm>
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

struct StatusLook {
    const char* text;
    ImU32 fg, bg;
};

// The row's badge. Sellers see where the request stands; buyers whether it was answered.
static StatusLook status_look(const std::string& status) {
    if (status == "to_answer") return {i18n::tr("To answer"), IM_COL32(146, 64, 14, 255), IM_COL32(254, 243, 199, 255)};
    if (status == "answered") return {i18n::tr("Answered"), IM_COL32(22, 101, 52, 255), IM_COL32(220, 252, 231, 255)};
    if (status == "declined") return {i18n::tr("Declined"), kMuted, IM_COL32(241, 243, 246, 255)};
    if (status == "won") return {i18n::tr("Won"), IM_COL32_WHITE, IM_COL32(22, 163, 74, 255)};
    if (status == "lost") return {i18n::tr("Lost"), IM_COL32(153, 27, 27, 255), kDangerBg};
    if (status == "open") return {i18n::tr("Open"), kAccent, kAccentBg};
    return {nullptr, 0, 0};
}

static float badge_width(const char* text) {
    ImGui::PushFont(fonts.small);
    float w = ImGui::CalcTextSize(text).x + 12;
    ImGui::PopFont();
    return w;
}

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
    // Line 1: buyer name (bold if unread) … status badge, age.
    std::string age = format_age(ui.now, r.last_activity);
    ImGui::PushFont(fonts.small);
    float age_w = ImGui::CalcTextSize(age.c_str()).x;
    ImGui::PopFont();
    const StatusLook look = status_look(r.status);
    const float status_w = look.text ? badge_width(look.text) + 8 : 0;
    ImGui::SetCursorScreenPos(ImVec2(tx, y - 2));
    ui_text_fit(r.buyer_name, right - age_w - 8 - status_w - tx, r.unread ? fonts.bold : fonts.body, kText);
    if (look.text) {
        ImGui::SetCursorScreenPos(ImVec2(right - age_w - status_w, y - 1));
        ui_badge(look.text, look.fg, look.bg);
    }
    ImGui::SetCursorScreenPos(ImVec2(right - age_w, y));
    ui_text(age, fonts.small, r.unread ? kAccent : kMuted);

    // Line 2: country · company · product.
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 21));
    ui_badge(country_name(r.country), kMuted, IM_COL32(241, 243, 246, 255));
    ImGui::SameLine(0, 6);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    ui_text_fit(r.buyer_company + "  ·  " + r.product, right - ImGui::GetCursorScreenPos().x, fonts.small, kMuted);
    // Line 3: who handles it (routed/forwarded to a network member), then the snippet.
    ImGui::SetCursorScreenPos(ImVec2(tx, y + 45));
    if (!r.handler_name.empty()) {
        const std::string by = i18n::trf("Handled by {0}", {r.handler_name});
        ui_text_fit(by, (right - tx) * 0.6f, fonts.small, IM_COL32(91, 33, 182, 255));
        ImGui::SameLine(0, 0);
        const float sx = ImGui::GetCursorScreenPos().x;
        if (right - sx > 60) {
            ImGui::SetCursorScreenPos(ImVec2(sx, y + 45));
            ui_text_fit("  ·  " + one_line(r.snippet, 400), right - sx, fonts.small, r.unread ? kText : kMuted);
        }
    } else {
        ui_text_fit(one_line(r.snippet, 400), right - tx, fonts.small, r.unread ? kText : kMuted);
    }

    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    if (pressed) action_navigate(ui.state, {Screen::Request, r.id}, true, ui.fx);
}

// A pill that filters the list ("To answer" / "All"); selected = accent.
static bool chip(const char* text, const char* id, bool on) {
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 16);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(14, 6));
    ImGui::PushStyleColor(ImGuiCol_Button, on ? kAccentBg : kPanel);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? kSelected : kHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, kSelected);
    ImGui::PushStyleColor(ImGuiCol_Border, on ? kAccent : kBorder);
    ImGui::PushStyleColor(ImGuiCol_Text, on ? kAccent : kMuted);
    ImGui::PushFont(fonts.bold);
    reg::next_kind("button");
    reg::next_label(text);
    const bool pressed = ImGui::Button((std::string(text) + "###" + id).c_str(), ImVec2(0, 32));
    ImGui::PopFont();
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar(2);
    ui_hand_cursor_if_hovered();
    return pressed;
}

static float chips_width() {
    ImGui::PushFont(fonts.bold);
    const float w = ImGui::CalcTextSize(i18n::tr("To answer")).x + ImGui::CalcTextSize(i18n::tr("All")).x + 4 * 14 + 8;
    ImGui::PopFont();
    return w;
}

static void draw_chips(UiContext& ui, float x, float y) {
    AppState& s = ui.state;
    ImGui::SetCursorPos(ImVec2(x, y));
    bool to_answer = s.inbox_to_answer_only;
    if (chip(i18n::tr("To answer"), "f_to_answer", to_answer)) to_answer = true;
    ImGui::SameLine(0, 8);
    if (chip(i18n::tr("All"), "f_all", !to_answer)) to_answer = false;
    if (to_answer != s.inbox_to_answer_only) {
        s.inbox_to_answer_only = to_answer;
        ui.fx.redraw = true;  // the list changes length: one more frame settles the scroll range
    }
}

// Seller side: "12 to answer · Response rate 87% · Median first response 3 h", on one
// line when it fits, else wrapping between the parts (never inside one). Returns the
// y (window coordinates) below it.
static float draw_seller_stats(const Inbox& in, float width, float g, float y) {
    std::vector<std::pair<std::string, ImU32>> parts;
    parts.push_back({i18n::trf("{0} to answer", {std::to_string(in.to_answer)}),
                     in.to_answer > 0 ? IM_COL32(146, 64, 14, 255) : kMuted});
    if (in.score) {
        const SellerScore& sc = *in.score;
        parts.push_back({sc.response_rate < 0 ? std::string(i18n::tr("Response rate —"))
                                              : i18n::trf("Response rate {0}%", {std::to_string(sc.response_rate)}),
                         kMuted});
        parts.push_back({i18n::trf("Median first response {0}", {format_duration(sc.median_first_response)}), kMuted});
    }
    ImGui::PushFont(fonts.small);
    const char* sep = "  ·  ";
    const float sep_w = ImGui::CalcTextSize(sep).x, line = ImGui::GetFontSize() + 6;
    float x = g;
    for (size_t i = 0; i < parts.size(); i++) {
        const float w = ImGui::CalcTextSize(parts[i].first.c_str()).x;
        if (i > 0 && x + sep_w + w > width - g) {
            x = g;
            y += line;
        } else if (i > 0) {
            ImGui::SetCursorPos(ImVec2(x, y));
            ImGui::TextUnformatted(sep);
            x += sep_w;
        }
        ImGui::SetCursorPos(ImVec2(x, y));
        ui_text(parts[i].first, i == 0 ? fonts.bold : fonts.small, parts[i].second);
        x += (i == 0 ? ImGui::GetItemRectSize().x : w);
    }
    ImGui::PopFont();
    return y + line;
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
    float top = 56;
    const bool seller = s.inbox_loaded && is_seller_role(s.inbox.me.role);
    if (seller) {
        // Filter chips beside the title when they fit, else under the numbers.
        const float title_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
        const bool beside = title_end + 16 + chips_width() <= width - g;
        if (beside) draw_chips(ui, width - g - chips_width(), 12);
        top = draw_seller_stats(s.inbox, width, g, 50);
        if (!beside) {
            draw_chips(ui, g, top + 2);
            top += 40;
        }
        top += 8;
    }
    ImGui::SetCursorPos(ImVec2(0, top));

    if (!s.inbox_loaded) {
        ImGui::SetCursorPosX(g);
        if (s.inbox_error.empty()) ui_text(i18n::tr("Loading requests…"), fonts.body, kMuted);
        else ui_text_wrapped(s.inbox_error, width - 2 * g, fonts.body, kDanger, "alert");
    } else if (s.inbox.requests.empty()) {
        ImGui::SetCursorPosX(g);
        ui_text(i18n::tr("No requests yet."), fonts.body, kMuted);
    } else {
        const bool two = ui.layout.two_panes;
        const bool only = seller && s.inbox_to_answer_only;
        if (only && std::none_of(s.inbox.requests.begin(), s.inbox.requests.end(),
                         [](const RequestSummary& r) { return r.status == "to_answer"; })) {
            ImGui::SetCursorPosX(g);
            ui_text(i18n::tr("Nothing to answer right now."), fonts.body, kMuted);
        }
        for (const RequestSummary& r : s.inbox.requests) {
            if (only && r.status != "to_answer") continue;
            bool selected = two && s.route.screen == Screen::Request && s.route.request_id == r.id;
            draw_row(ui, r, ImGui::GetContentRegionAvail().x, selected);
        }
        ImGui::Dummy(ImVec2(1, 24));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

}  // namespace parley
