// The request page: the request card, the reply composer, then the history
// (newest first), as the spec orders them.
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_internal.h"
#include "app/ui_composer.h"
#include "app/ui_text_view.h"

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
    ui_text_wrapped(d.product, w - 2 * pad, fonts.title, kText, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    ui_text(i18n::trf("Request received {0}", {format_datetime(d.created)}) + "  ·  " +
                i18n::trf("written in {0}", {language_name(d.language)}),
            fonts.small, kMuted);
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 8));
    TextViewResult tv = ui_text_view("##request", d.message, w - 2 * pad, fonts.body, kText, "text");
    if (!tv.open_url.empty()) ui.fx.open_url = tv.open_url;
    card.end(pad);
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
    ui_text(i18n::trf("Reply to {0}", {buyer ? d.manufacturer_name : d.buyer.name}), fonts.bold, kText, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));

    std::string id = "##reply" + std::to_string(d.id);
    ComposerResult cr = ui_composer(id.c_str(), i18n::tr("Write your reply"), i18n::tr("Write your reply…"), draft.text, w - 2 * pad,
                                    4, 10, draft.sending);
    if (cr.changed) action_draft_edited(s, d.id, ui.fx);
    const bool ctrl_enter = cr.submitted;

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    if (draft.queued && draft.sending) {
        ui_text_wrapped(i18n::tr("No connection: your reply waits in the outbox and goes out by itself."), w - 2 * pad,
                        fonts.small, kMuted, "status");
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    }
    if (!draft.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, kDanger);
        ui_text_wrapped(draft.error, w - 2 * pad, fonts.small, kDanger, "alert");
        ImGui::PopStyleColor();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    }
    const std::string send_label = std::string(draft.sending ? i18n::tr("Sending…") : i18n::tr("Send")) + "###send";
    ImGui::PushFont(fonts.bold);
    float bw = std::max(ImGui::CalcTextSize(i18n::tr("Sending…")).x, ImGui::CalcTextSize(i18n::tr("Send")).x) + 2 * ImGui::GetStyle().FramePadding.x + 8;
    ImGui::PopFont();
    if (w > 420) {
        float y = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y + 10));
        ui_text(i18n::tr("Ctrl+Enter to send"), fonts.small, kMuted);
        ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, y));
    } else {
        ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, ImGui::GetCursorScreenPos().y));
    }
    bool clicked = ui_button(send_label.c_str(), ButtonKind::Primary, ImVec2(bw, 36), draft.sending);
    card.end(pad);
    if ((clicked || ctrl_enter) && !draft.sending) action_send(s, ui.fx);
}

// A small, quiet button ("Copy") that reads well to a screen reader.
static bool quiet_button(const char* label, const std::string& reader_label) {
    ImGui::PushFont(fonts.small);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6, 1));
    ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kHover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, kBorder);
    ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_Text, kAccent);
    reg::next_kind("button");
    reg::next_label(reader_label);
    const bool pressed = ImGui::Button(label);
    ui_hand_cursor_if_hovered();
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar();
    ImGui::PopFont();
    return pressed;
}

static void message_bubble(UiContext& ui, const Message& m, float w) {
    const bool own = m.author_id == ui.state.inbox.me.id;
    const float pad = 14;
    Card card(w, own ? kOwnBubble : kPanel, own ? IM_COL32(191, 219, 254, 255) : kBorder);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad - 2));
    ui_text(m.author_name, fonts.bold, kText, "heading");
    ImGui::SameLine(0, 8);
    std::string role = m.author_role == "buyer" ? i18n::tr("Buyer") : m.author_role == "manufacturer" ? i18n::tr("Manufacturer") : m.author_role;
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 1);
    ui_badge(role, own ? kAccent : kMuted, own ? IM_COL32(219, 234, 254, 255) : IM_COL32(241, 243, 246, 255));
    // Right side of the header: date, then "Copy" (the whole message).
    const std::string when = format_datetime(m.created);
    ImGui::PushFont(fonts.small);
    const float ww = ImGui::CalcTextSize(when.c_str()).x;
    const float cw = ImGui::CalcTextSize(i18n::tr("Copy")).x + 12;
    ImGui::PopFont();
    ImGui::SameLine();
    const float head_y = ImGui::GetCursorScreenPos().y;
    const float right = o.x + w - pad;
    const bool fits = ImGui::GetCursorScreenPos().x + ww + cw + 12 < right;
    if (!fits) {  // narrow phone: the date goes under the name
        ImGui::NewLine();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y));
        ui_text(when, fonts.small, kMuted);
    } else {
        ImGui::SetCursorScreenPos(ImVec2(right - cw - 6 - ww, head_y + 2));
        ui_text(when, fonts.small, kMuted);
    }
    const float after_header = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(right - cw, head_y));
    std::string copy_label = std::string(i18n::tr("Copy")) + "###copy" + std::to_string(m.id);
    if (quiet_button(copy_label.c_str(), i18n::tr("Copy message"))) ImGui::SetClipboardText(m.body.c_str());
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, std::max(after_header, ImGui::GetCursorScreenPos().y) + 4));
    std::string id = "##msg" + std::to_string(m.id);
    TextViewResult tv = ui_text_view(id.c_str(), m.body, w - 2 * pad, fonts.body, kText, "message");
    if (!tv.open_url.empty()) ui.fx.open_url = tv.open_url;
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
        ui_text(i18n::tr("Choose a request"), fonts.title, kText, "heading");
        ImGui::SetCursorPosX(x0);
        ui_text(i18n::tr("Pick a buyer's request on the left to read it and reply."), fonts.body, kMuted);
    } else if (!s.thread || s.thread->id != s.route.request_id) {
        if (!s.thread_error.empty()) ui_text_wrapped(s.thread_error, w, fonts.body, kDanger, "alert");
        else ui_text(i18n::tr("Loading the request…"), fonts.body, kMuted);
    } else {
        const RequestDetail& d = *s.thread;
        request_card(ui, d, w);
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
        composer(ui, d, w);
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 22));
        const size_t n = d.messages.size();
        std::string hist = std::string(i18n::tr("History")) + "  ·  " +
                           (n == 1 ? std::string(i18n::tr("1 message")) : i18n::trf("{0} messages", {std::to_string(n)}));
        ui_text(hist, fonts.bold, kMuted, "heading");
        for (const Message& m : d.messages) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 10));
            message_bubble(ui, m, w);
        }
        if (d.messages.empty()) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 6));
            ui_text(i18n::tr("No replies yet. Be the first to answer this buyer."), fonts.body, kMuted);
        }
        ImGui::Dummy(ImVec2(1, 40));
    }
    ImGui::EndChild();
}

}  // namespace parley
