// The history of the request page: messages (bubbles) and events (compact lines) in
// one list, newest first. Own messages carry "✓ Sent" / "✓✓ Read <time>" and, when an
// e-mail about them failed, a red line with Retry. The newest
// message of each conversation that is actually on screen becomes the read mark.
#include <algorithm>
#include <map>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_text_view.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

// "Claire Martin · Distributor": the name in bold, the role quieter; one heading for
// screen readers and tests.
static void author_line(const Message& m, bool own) {
    const std::string role = role_name(m.author_role);
    const std::string label = m.author_name + " · " + role;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushFont(fonts.bold);
    const ImVec2 name = ImGui::CalcTextSize(m.author_name.c_str());
    ImGui::GetWindowDrawList()->AddText(p, kText, m.author_name.c_str());
    ImGui::PopFont();
    ImGui::PushFont(fonts.small);
    const std::string rest = "  ·  " + role;
    const ImVec2 rs = ImGui::CalcTextSize(rest.c_str());
    ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + name.x, p.y + (name.y - rs.y) / 2 + 1), own ? kAccent : kMuted,
                                        rest.c_str());
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(name.x + rs.x, name.y));
    const ImVec2 q = ImGui::GetItemRectMax();
    reg::add_text("heading", label, p.x, p.y, q.x, q.y);
    if (ImGui::IsItemVisible()) glyphs::note_drawn(label);
}

// Under my message: how its e-mails went. A permanent failure is a red line
// ("Not delivered to Ana: address rejected", kind "alert" so screen readers announce it)
// with a finger-sized Retry at its right; a temporary one is a muted "delayed" line.
static void delivery_lines(UiContext& ui, const Message& m, float x, float w) {
    constexpr float kTap = 36;
    for (const Delivery& dv : m.deliveries) {
        const std::string line = delivery_line(dv);
        if (line.empty()) continue;
        const float y = ImGui::GetCursorScreenPos().y + 4;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (dv.status != "failed_permanent") {
            ui_text_wrapped(line, w, fonts.small, kMuted, "status");
            continue;
        }
        const bool busy = delivery_retrying(ui.state, dv.id);
        const std::string shown = busy ? i18n::tr("Retrying…") : i18n::tr("Retry");
        ImGui::PushFont(fonts.small);
        const float bw = std::max(72.f, ImGui::CalcTextSize(shown.c_str()).x + 28);
        const float lh = ImGui::GetTextLineHeight();
        ImGui::PopFont();
        // The text beside the button, centred on it while it fits one line.
        ImGui::SetCursorScreenPos(ImVec2(x, y + (kTap - lh) / 2));
        ui_text_wrapped(line, w - bw - 12, fonts.small, kDanger, "alert");
        float bottom = std::max(ImGui::GetCursorScreenPos().y, y + kTap);
        auto err = ui.state.retry_errors.find(dv.id);
        ImGui::SetCursorScreenPos(ImVec2(x + w - bw, y));
        ImGui::PushFont(fonts.small);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 6);
        ImGui::PushStyleColor(ImGuiCol_Button, kPanel);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, kDangerBg);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, kDangerBg);
        ImGui::PushStyleColor(ImGuiCol_Border, kDanger);
        ImGui::PushStyleColor(ImGuiCol_Text, kDanger);
        ImGui::BeginDisabled(busy);
        reg::next_kind("button");
        reg::next_label(i18n::trf("Retry delivery to {0}", {dv.recipient_name}));
        const std::string id = shown + "###retry" + std::to_string(dv.id);
        if (ImGui::Button(id.c_str(), ImVec2(bw, kTap))) action_retry_delivery(ui.state, dv.id, ui.fx);
        ui_hand_cursor_if_hovered();
        ImGui::EndDisabled();
        if (ImGui::IsItemVisible()) glyphs::note_drawn(shown);
        ImGui::PopStyleColor(5);
        ImGui::PopStyleVar(2);
        ImGui::PopFont();
        ImGui::SetCursorScreenPos(ImVec2(x, bottom));
        if (err != ui.state.retry_errors.end()) ui_text_wrapped(err->second, w, fonts.small, kDanger, "alert");
        ImGui::Dummy(ImVec2(w, 0));
    }
}

// Draws one bubble; returns its rect (screen) for the read-mark check.
static ImRect message_bubble(UiContext& ui, const RequestDetail& d, const Message& m, float w) {
    const bool own = m.author_id == ui.state.inbox.me.id;
    const float pad = 14;
    Card card(w, own ? kOwnBubble : kPanel, own ? IM_COL32(191, 219, 254, 255) : kBorder);
    const ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad - 2));
    author_line(m, own);
    // Right side of the header: date, then "Copy" (the whole message).
    const std::string when = format_datetime(m.created);
    ImGui::PushFont(fonts.small);
    const float ww = ImGui::CalcTextSize(when.c_str()).x;
    const float cw = ImGui::CalcTextSize(i18n::tr("Copy")).x + 12;
    ImGui::PopFont();
    ImGui::SameLine();
    const float head_y = ImGui::GetCursorScreenPos().y;
    const float right = o.x + w - pad;
    const float name_end = ImGui::GetCursorScreenPos().x;
    const bool fits = name_end + ww + cw + 12 < right;
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
    // "Translate" left of the date when the header has room; else under the text.
    const std::string item = message_item(m.id);
    ImGui::PushFont(fonts.small);
    const float tlw = ImGui::CalcTextSize(translate_button_label(ui.state, item).c_str()).x + 12;
    ImGui::PopFont();
    const bool tl_in_header = fits && !m.body.empty() && name_end + 12 < right - cw - 6 - ww - 10 - tlw;
    if (tl_in_header) {
        ImGui::SetCursorScreenPos(ImVec2(right - cw - 6 - ww - 10 - tlw, head_y));
        draw_translate_button(ui, item);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, std::max(after_header, ImGui::GetCursorScreenPos().y) + 4));
    std::string id = "##msg" + std::to_string(m.id);
    draw_translatable(ui, item, m.body, id.c_str(), o.x + pad, w - 2 * pad, "message", tl_in_header);
    draw_sent_translation(ui, m, o.x + pad, w - 2 * pad);
    if (m.via_email) {  // posted from a reply e-mail; the original mail opens as text
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
        const float y = ImGui::GetCursorScreenPos().y;
        ui_text(std::string(i18n::tr("Sent by e-mail")) + "  ·", fonts.small, kMuted, "status");
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x + 4, y - 2));
        const std::string l = std::string(i18n::tr("View original")) + "###orig_mail" + std::to_string(m.id);
        if (quiet_button(l.c_str(), i18n::tr("View the original e-mail")))
            ui.fx.open_url = "/api/v1/messages/" + std::to_string(m.id) + "/original";
    }
    draw_message_attachments(ui, m, o.x + pad, w - 2 * pad);
    if (own) {
        // ✓ sent / ✓✓ read by the other side, right-aligned under the text.
        const ReadView rv = read_view(d, m);
        const std::string mark = rv.read ? (rv.at ? i18n::trf("✓✓ Read {0}", {format_datetime(rv.at)})
                                                  : std::string(i18n::tr("✓✓ Read")))
                                         : std::string(i18n::tr("✓ Sent"));
        ImGui::PushFont(fonts.small);
        const float mw = ImGui::CalcTextSize(mark.c_str()).x;
        ImGui::PopFont();
        ImGui::SetCursorScreenPos(ImVec2(right - mw, ImGui::GetCursorScreenPos().y - 6));  // close under the text
        ui_text(mark, fonts.small, rv.read ? kAccent : kMuted, "status");
        delivery_lines(ui, m, o.x + pad, w - 2 * pad);
    }
    const float bottom = card.end(pad - 2);
    return ImRect(o, ImVec2(o.x + w, bottom));
}

// One compact line: a symbol in a small circle, the text, the time.
static void event_line(const RequestDetail& d, const Event& e, bool buyer, float w) {
    const float icon = 24;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool failed = e.kind == "delivery_failed";  // e-mail: text = the failure kind, target = the recipient
    const bool bad = e.kind == "declined" || e.kind == "sale_lost" || failed;
    const bool good = e.kind == "sale_closed" || e.kind == "rated" || e.kind == "answered" ||
                      e.kind == "quote_accepted" || e.kind == "quote_paid";
    const ImU32 bg = bad ? kDangerBg : good ? IM_COL32(236, 253, 245, 255) : kAccentBg;
    const ImU32 fg = bad ? kDanger : good ? IM_COL32(5, 150, 105, 255) : kAccent;
    const ImVec2 c(p.x + icon / 2, p.y + icon / 2);
    dl->AddCircleFilled(c, icon / 2, bg, 20);
    draw_symbol(failed ? "✕" : event_icon(e.kind), c, 11, fg);

    const std::string text = failed ? i18n::trf("Not delivered to {0}: {1}", {e.target_name, delivery_kind_words(e.text)})
                                    : event_text(e, d, buyer);
    const std::string when = format_datetime(e.created);
    ImGui::PushFont(fonts.small);
    const float tw = ImGui::CalcTextSize(text.c_str()).x, ww = ImGui::CalcTextSize(when.c_str()).x;
    ImGui::PopFont();
    const float tx = p.x + icon + 10, avail = w - icon - 10;
    ImGui::SetCursorScreenPos(ImVec2(tx, p.y + 4));
    if (tw + ww + 16 <= avail) {  // one line: text, then the time at the right edge
        ui_text(text, fonts.small, kText);
        ImGui::SetCursorScreenPos(ImVec2(p.x + w - ww, p.y + 4));
        ui_text(when, fonts.small, kMuted);
    } else {  // narrow: the time under the text
        ui_text_wrapped(text, avail, fonts.small, kText);
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        ui_text(when, fonts.small, kMuted);
    }
    ImGui::SetCursorScreenPos(ImVec2(p.x, std::max(ImGui::GetCursorScreenPos().y, p.y + icon)));
    ImGui::Dummy(ImVec2(w, 0));
}

void draw_history(UiContext& ui, const RequestDetail& d, float x0, float w) {
    AppState& s = ui.state;
    const bool buyer = is_buyer(s);
    const int64_t only = shown_conversation(s);
    const std::vector<HistoryEntry> entries = merged_history(d, only);
    const size_t n = std::count_if(entries.begin(), entries.end(), [](const HistoryEntry& e) { return e.message; });
    ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 22));
    std::string hist = std::string(i18n::tr("History")) + "  ·  " +
                       (n == 1 ? std::string(i18n::tr("1 message")) : i18n::trf("{0} messages", {std::to_string(n)}));
    ui_text(hist, fonts.bold, kMuted, "heading");
    // Translation: "Always translate…" at the heading's right when it fits, else under it.
    const ImRect head(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    draw_auto_translate_switch(ui, head, head.Min.x + w);

    std::map<int64_t, int64_t> newest_seen;  // conversation → newest message of others on screen
    bool prev_event = false;
    for (const HistoryEntry& e : entries) {
        // Events sit close together; bubbles get more air.
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + (e.event && prev_event ? 6 : 10)));
        prev_event = e.event != nullptr;
        if (e.event && e.event->kind == "quote_sent") {
            if (const Quote* q = quote_of_event(s, e.event->text, e.event->value)) {
                draw_quote_card(ui, *q, w);
                prev_event = false;
                continue;
            }
        }
        if (e.event) {
            event_line(d, *e.event, buyer, w);
            continue;
        }
        const Message& m = *e.message;
        const ImRect r = message_bubble(ui, d, m, w);
        // Displayed = some of it inside the thread's visible area (a modal on top still shows it).
        if (m.author_id != s.inbox.me.id && ImGui::IsRectVisible(r.Min, r.Max)) {
            int64_t& best = newest_seen[m.conversation_id];
            best = std::max(best, m.id);
        }
    }
    if (entries.empty()) {
        ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 6));
        ui_text(buyer ? i18n::tr("No replies yet.") : i18n::tr("No replies yet. Be the first to answer this buyer."),
                fonts.body, kMuted);
    }
    for (const auto& [conversation, message] : newest_seen) action_displayed(s, conversation, message, ui.fx);
}

}  // namespace parley
