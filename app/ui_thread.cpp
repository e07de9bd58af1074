// The request page: the request card, the reply composer, then the history
// (newest first), as the spec orders them.
#include "app/format.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_internal.h"
#include "misc/cpp/imgui_stdlib.h"

namespace parley {

using namespace theme;

// A white card with a border whose height is known only after drawing its content:
// draw content on channel 1, then the background on channel 0.
struct Card {
    ImDrawList* dl;
    ImVec2 start;
    float width;
    ImU32 bg, border;
    Card(float w, ImU32 bg_ = kPanel, ImU32 border_ = kBorder) : width(w), bg(bg_), border(border_) {
        dl = ImGui::GetWindowDrawList();
        start = ImGui::GetCursorScreenPos();
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
    }
    void end(float pad_bottom) {
        float bottom = ImGui::GetCursorScreenPos().y + pad_bottom;
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(start, ImVec2(start.x + width, bottom), bg, 10);
        if (border) dl->AddRect(start, ImVec2(start.x + width, bottom), border, 10);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
        ImGui::Dummy(ImVec2(width, 0));
    }
};

static void request_card(UiContext& ui, const RequestDetail& d, float w) {
    const float pad = 18;
    Card card(w);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    ui_avatar(d.buyer.name, 44);
    ImGui::SameLine(0, 12);
    ImGui::BeginGroup();
    ui_text(d.buyer.name, fonts.bold, kText, "heading");
    ui_text(d.buyer.company + "  ·  " + country_name(d.country), fonts.small, kMuted);
    ImGui::EndGroup();

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 8));
    ui_text(d.product, fonts.title, kText, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    ui_text("Request received " + format_datetime(d.created) + "  ·  written in " + language_name(d.language),
            fonts.small, kMuted);
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 8));
    ui_text_wrapped(d.message, w - 2 * pad, fonts.body, kText);
    card.end(pad);
    (void)ui;
}

static void composer(UiContext& ui, const RequestDetail& d, float w) {
    AppState& s = ui.state;
    Draft& draft = current_draft(s);
    const float pad = 14;
    Card card(w);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    // Sellers answer the buyer; the buyer answers the manufacturer.
    const bool buyer = s.inbox.me.role == "buyer";
    ui_text("Reply to " + (buyer ? d.manufacturer_name : d.buyer.name), fonts.bold, kText, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));

    ImGui::PushStyleColor(ImGuiCol_FrameBg, IM_COL32(250, 251, 252, 255));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, 8));
    reg::next_kind("input");
    reg::next_label("Write your reply");
    std::string id = "##reply" + std::to_string(d.id);
    ImGui::BeginDisabled(draft.sending);
    bool ctrl_enter = ImGui::InputTextMultiline(id.c_str(), &draft.text, ImVec2(w - 2 * pad, 120),
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::EndDisabled();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    if (draft.text.empty() && !ImGui::IsItemActive()) {
        ImVec2 r = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImVec2(r.x + 10, r.y + 8), kMuted, "Write your reply…");
    }

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    if (!draft.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, kDanger);
        ui_text_wrapped(draft.error, w - 2 * pad, fonts.small, kDanger, "alert");
        ImGui::PopStyleColor();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    }
    const char* send_label = draft.sending ? "Sending…###send" : "Send###send";
    ImGui::PushFont(fonts.bold);
    float bw = ImGui::CalcTextSize("Sending…").x + 2 * ImGui::GetStyle().FramePadding.x + 8;
    ImGui::PopFont();
    if (w > 420) {
        float y = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y + 10));
        ui_text("Ctrl+Enter to send", fonts.small, kMuted);
        ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, y));
    } else {
        ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, ImGui::GetCursorScreenPos().y));
    }
    bool clicked = ui_button(send_label, ButtonKind::Primary, ImVec2(bw, 36), draft.sending);
    card.end(pad);
    if ((clicked || ctrl_enter) && !draft.sending) action_send(s, ui.fx);
}

static void message_bubble(UiContext& ui, const Message& m, float w) {
    const bool own = m.author_id == ui.state.inbox.me.id;
    const float pad = 14;
    Card card(w, own ? kOwnBubble : kPanel, own ? IM_COL32(191, 219, 254, 255) : kBorder);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad - 2));
    ui_text(m.author_name, fonts.bold, kText, "heading");
    ImGui::SameLine(0, 8);
    std::string role = m.author_role == "buyer" ? "Buyer" : m.author_role == "manufacturer" ? "Manufacturer" : m.author_role;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    ui_badge(role, own ? kAccent : kMuted, own ? IM_COL32(219, 234, 254, 255) : IM_COL32(241, 243, 246, 255));
    std::string when = format_datetime(m.created);
    ImGui::PushFont(fonts.small);
    float ww = ImGui::CalcTextSize(when.c_str()).x;
    ImGui::PopFont();
    ImGui::SameLine();
    if (ImGui::GetCursorScreenPos().x + ww < o.x + w - pad) {
        ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - ww, ImGui::GetCursorScreenPos().y + 2));
        ui_text(when, fonts.small, kMuted);
    } else {
        ImGui::NewLine();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y));
        ui_text(when, fonts.small, kMuted);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));
    ui_text_wrapped(m.body, w - 2 * pad, fonts.body, kText, "message");
    card.end(pad - 2);
}

void draw_thread(UiContext& ui, float width, float height) {
    AppState& s = ui.state;
    ImGui::BeginChild("thread", ImVec2(width, height), ImGuiChildFlags_None, ImGuiWindowFlags_NavFlattened);
    const float g = ui.layout.gutter;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float w = std::min(ui.layout.content_max, avail - 2 * g);
    const float x0 = std::max(g, (avail - w) / 2);
    ImGui::SetCursorPos(ImVec2(x0, g));

    if (s.route.screen != Screen::Request) {
        ImGui::SetCursorPos(ImVec2(x0, height * 0.35f));
        ui_text("Choose a request", fonts.title, kText, "heading");
        ImGui::SetCursorPosX(x0);
        ui_text("Pick a buyer's request on the left to read it and reply.", fonts.body, kMuted);
    } else if (!s.thread || s.thread->id != s.route.request_id) {
        if (!s.thread_error.empty()) ui_text_wrapped(s.thread_error, w, fonts.body, kDanger, "alert");
        else ui_text("Loading the request…", fonts.body, kMuted);
    } else {
        const RequestDetail& d = *s.thread;
        request_card(ui, d, w);
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
        composer(ui, d, w);
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 22));
        std::string hist = "History  ·  " + std::to_string(d.messages.size()) +
                           (d.messages.size() == 1 ? " message" : " messages");
        ui_text(hist, fonts.bold, kMuted, "heading");
        for (const Message& m : d.messages) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 10));
            message_bubble(ui, m, w);
        }
        if (d.messages.empty()) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 6));
            ui_text("No replies yet. Be the first to answer this buyer.", fonts.body, kMuted);
        }
        ImGui::Dummy(ImVec2(1, 40));
    }
    ImGui::EndChild();
}

}  // namespace parley
