// The request page: the request card (with the phone and the workflow actions), the
// reply composer, then the history (newest first), as the spec orders them.
#include "app/format.h"
#include "app/i18n.h"
#include "app/quote_state.h"
#include "app/registry.h"
#include "app/theme.h"
#include "app/ui.h"
#include "imgui_internal.h"
#include "app/ui_composer.h"
#include "app/ui_text_view.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"

namespace parley {

using namespace theme;

static void request_card(UiContext& ui, const RequestDetail& d, float w) {
    const float pad = 18;
    Card card(w);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    // A seller sees who asks; the buyer sees whom he asked (the manufacturer).
    const bool buyer = is_buyer(ui.state);
    const std::string& who = !buyer ? d.buyer.name : !d.manufacturer_company.empty() ? d.manufacturer_company : d.manufacturer_name;
    ui_avatar(who, 44);
    ImGui::SameLine(0, 12);
    ImGui::BeginGroup();
    // Names and the product can be selected and copied, like the request's text.
    const float name_w = o.x + w - pad - ImGui::GetCursorScreenPos().x;
    ui_text_view_fit("##card_who", who, name_w, fonts.bold, pal().text, "heading");
    ui_text_view_fit("##card_company",
                     !buyer ? d.buyer.company + "  ·  " + country_name(d.country)
                            : who == d.manufacturer_name ? i18n::tr("Manufacturer")
                                                         : d.manufacturer_name + "  ·  " + i18n::tr("Manufacturer"),
                     name_w, fonts.small, pal().muted);
    ImGui::EndGroup();

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 8));
    ui_text_view("##card_product", d.product, w - 2 * pad, fonts.title, pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    const float meta_y = ImGui::GetCursorScreenPos().y;
    const std::string when = format_datetime(d.created);
    ui_text((buyer ? i18n::trf("Your request, sent {0}", {when}) : i18n::trf("Request received {0}", {when})) + "  ·  " +
                i18n::trf("written in {0}", {language_name(d.language)}),
            fonts.small, pal().muted);
    // "Translate" at the end of this line when it fits; else under the text.
    const std::string item = request_item(d.id);
    const float meta_end = ImGui::GetItemRectMax().x, below = ImGui::GetCursorScreenPos().y;
    ImGui::PushFont(fonts.small);
    const float tlw = ImGui::CalcTextSize(translate_button_label(ui.state, item).c_str()).x + 12;
    ImGui::PopFont();
    const bool tl_inline = meta_end + 12 + tlw <= o.x + w - pad;
    if (tl_inline) {
        ImGui::SetCursorScreenPos(ImVec2(meta_end + 6, meta_y - 1));
        draw_translate_button(ui, item);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, below + 8));
    draw_translatable(ui, item, d.message, "##request", o.x + pad, w - 2 * pad, "text", tl_inline);
    draw_handlers(ui, d, o.x + pad, w - 2 * pad);
    draw_card_actions(ui, d, o.x + pad, w - 2 * pad);
    card.end(pad);
}

static void composer(UiContext& ui, const RequestDetail& d, float w) {
    AppState& s = ui.state;
    Draft& draft = current_draft(s);
    const float pad = 14;
    Card card(w);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    // Sellers answer the buyer; the buyer answers the seller of the conversation shown.
    std::string to = d.buyer.name;
    if (is_buyer(s)) {
        const Conversation* c = find_conversation(d, shown_conversation(s));
        to = c ? c->seller.name : d.manufacturer_name;
    }
    ui_text(i18n::trf("Reply to {0}", {to}), fonts.bold, pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));

    // E-mail, the "From" case: the server knows no working address of mine.
    if (d.can.from_required) {
        ui_text_wrapped(i18n::tr("We do not have a working e-mail address for you. Type it so that the buyer can answer you."),
                        w - 2 * pad, fonts.small, pal().muted);
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));
        if (!draft.error.empty() && !valid_email(draft.from_email)) ui_composer_invalid_next();  // refused at Send
        if (ui_field("##from" + std::to_string(d.id), i18n::tr("From"), i18n::tr("your.name@company.com"),
                     draft.from_email, w - 2 * pad, draft.sending, i18n::tr("From: your e-mail address")))
            action_draft_edited(s, d.id, ui.fx);
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 6));
    }
    std::string id = "##reply" + std::to_string(d.id);
    if (s.focus_composer) {  // landed from an e-mail's Reply button
        s.focus_composer = false;
        ImGui::SetScrollHereY(0.2f);
        ImGui::ActivateItemByID(ImGui::GetID(id.c_str()));
    }
    // How far below the field Send was at the last frame: shown with the field when a
    // phone keyboard comes up.
    static float send_below = 56;
    ComposerResult cr = ui_composer(id.c_str(), i18n::tr("Write your reply"), i18n::tr("Write your reply…"), draft.text, w - 2 * pad,
                                    4, 10, draft.sending, false, send_below);
    const float field_bottom = ImGui::GetCursorScreenPos().y;
    if (cr.changed) action_draft_edited(s, d.id, ui.fx);
    const bool ctrl_enter = cr.submitted;

    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    if (draft.queued && draft.sending) {
        ui_text_wrapped(i18n::tr("No connection: your reply waits in the outbox and goes out by itself."), w - 2 * pad,
                        fonts.small, pal().muted, "status");
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    }
    if (!draft.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, pal().danger);
        ui_text_wrapped(draft.error, w - 2 * pad, fonts.small, pal().danger, "alert");
        ImGui::PopStyleColor();
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    }
    draw_send_translation_switch(ui, d.id, draft.sending);  // also send a translation
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    draw_attach_chips(ui, draft, o.x + pad, w - 2 * pad);
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + (draft.uploads.empty() ? 0 : 10)));
    const std::string send_label = std::string(draft.sending ? i18n::tr("Sending…") : i18n::tr("Send")) + "###send";
    ImGui::PushFont(fonts.bold);
    float bw = std::max(ImGui::CalcTextSize(i18n::tr("Sending…")).x, ImGui::CalcTextSize(i18n::tr("Send")).x) + 2 * ImGui::GetStyle().FramePadding.x + 8;
    ImGui::PopFont();
    const float y = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, y));
    draw_attach_button(ui, 36, draft.sending);
    float after_attach = ImGui::GetItemRectMax().x;
    // "Send a quote" next to "Attach a document" (a structured quote, ui_quote_editor.cpp);
    // where the words do not fit (phones) on a row of its own below: the seller's main
    // action keeps its words — a pencil alone reads as "edit".
    const bool quote = can_send_quote(s);
    const std::string ql = std::string("✎  ") + i18n::tr("Send a quote");
    const float qw = ui_button_width(ql.c_str());
    const bool quote_inline = quote && after_attach + 8 + qw < o.x + w - pad - bw - 8;
    auto quote_button = [&](float qx, float qy) {
        ImGui::SetCursorScreenPos(ImVec2(qx, qy));
        reg::next_label(i18n::tr("Send a quote"));
        if (ui_button((ql + "###new_quote").c_str(), ButtonKind::Secondary, ImVec2(qw, 36), draft.sending))
            action_quote_new(s, ui.now, ui.fx);
    };
    if (quote_inline) {
        quote_button(after_attach + 8, y);
        after_attach += 8 + qw;
    }
    ImGui::PushFont(fonts.small);
    const float hint_w = ImGui::CalcTextSize(i18n::tr("Ctrl+Enter to send")).x;
    ImGui::PopFont();
    if (w > 420 && after_attach + 16 + hint_w + 16 < o.x + w - pad - bw) {
        ImGui::SetCursorScreenPos(ImVec2(after_attach + 16, y + 10));
        ui_text(i18n::tr("Ctrl+Enter to send"), fonts.small, pal().muted);
    }
    ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, y));
    bool clicked = ui_button(send_label.c_str(), ButtonKind::Primary, ImVec2(bw, 36), draft.sending || draft.uploading());
    send_below = std::max(0.f, ImGui::GetItemRectMax().y - field_bottom);
    if (quote && !quote_inline) quote_button(o.x + pad, y + 36 + 8);
    card.end(pad);
    if ((clicked || ctrl_enter) && !draft.sending) action_send(s, ui.fx);
}

bool quiet_button(const char* label, const std::string& reader_label) {
    ImGui::PushFont(fonts.small);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6, 1));
    ImGui::PushStyleColor(ImGuiCol_Button, kClear);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, pal().hover);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, pal().pressed);
    ImGui::PushStyleColor(ImGuiCol_Border, kClear);
    ImGui::PushStyleColor(ImGuiCol_Text, pal().accent);
    reg::next_kind("button");
    reg::next_label(reader_label);
    const bool pressed = ImGui::Button(label);
    ui_hand_cursor_if_hovered();
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar();
    ImGui::PopFont();
    return pressed;
}

// E-mail in: my replies by e-mail that proved nothing about their sender wait here, for
// me alone, until I post or discard them.
static void held_replies_card(UiContext& ui, const RequestDetail& d, float w) {
    constexpr float kTap = 36;  // height of a tappable control
    AppState& s = ui.state;
    const float pad = 14;
    Card card(w, pal().danger_bg, pal().danger);
    ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad));
    ui_text_wrapped(i18n::tr("An e-mail reply from your address is waiting"), w - 2 * pad, fonts.bold, pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
    ui_text_wrapped(i18n::tr("We could not verify that you sent it, so it was not posted. Post it if you wrote it; "
                             "discard it if not."),
                    w - 2 * pad, fonts.small, pal().muted);
    for (const HeldReply& h : d.held_replies) {
        const std::string id = std::to_string(h.id);
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 10));
        ui_text_wrapped(h.subject + "  ·  " + format_datetime(h.received), w - 2 * pad, fonts.small, pal().muted);
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 2));
        ui_text_wrapped(h.preview, w - 2 * pad, fonts.body, pal().text);
        ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 8));
        const bool busy = held_settling(s, h.id);
        const std::string post = i18n::tr("Post it"), discard = i18n::tr("Discard");
        reg::next_label(i18n::trf("Post the e-mail reply \"{0}\"", {h.subject}));
        if (ui_button((post + "###heldpost" + id).c_str(), ButtonKind::Primary, ImVec2(ui_button_width(post.c_str()), kTap),
                      busy))
            action_settle_held(s, h.id, true, ui.fx);
        ImGui::SameLine(0, 10);
        reg::next_label(i18n::trf("Discard the e-mail reply \"{0}\"", {h.subject}));
        if (ui_button((discard + "###helddiscard" + id).c_str(), ButtonKind::Secondary,
                      ImVec2(ui_button_width(discard.c_str()), kTap), busy))
            action_settle_held(s, h.id, false, ui.fx);
        auto err = s.held_errors.find(h.id);
        if (err != s.held_errors.end()) {
            ImGui::SetCursorScreenPos(ImVec2(o.x + pad, ImGui::GetCursorScreenPos().y + 4));
            ui_text_wrapped(err->second, w - 2 * pad, fonts.small, pal().danger, "alert");
        }
    }
    card.end(pad);
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
        ui_text(i18n::tr("Choose a request"), fonts.title, pal().text, "heading");
        ImGui::SetCursorPosX(x0);
        ui_text(is_buyer(s) ? i18n::tr("Pick one of your requests on the left to read the answers and reply.")
                            : i18n::tr("Pick a buyer's request on the left to read it and reply."),
                fonts.body, pal().muted);
    } else if (!s.thread || s.thread->id != s.route.request_id) {
        if (!s.thread_error.empty()) ui_text_wrapped(s.thread_error, w, fonts.body, pal().danger, "alert");
        else ui_text(i18n::tr("Loading the request…"), fonts.body, pal().muted);
    } else {
        const RequestDetail& d = *s.thread;
        const ImVec2 card_top = ImGui::GetCursorScreenPos();
        request_card(ui, d, w);
        if (ImGui::IsRectVisible(card_top, ImVec2(card_top.x + w, ImGui::GetCursorScreenPos().y)))
            action_request_displayed(s, ui.fx);
        if (!d.held_replies.empty()) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
            held_replies_card(ui, d, w);
        }
        if (d.can.reply) {
            ImGui::SetCursorPos(ImVec2(x0, ImGui::GetCursorPosY() + 14));
            composer(ui, d, w);
        }
        draw_history(ui, d, x0, w);
        ImGui::Dummy(ImVec2(1, 40));
        draw_action_dialog(ui, d);
        draw_quote_editor(ui);
        draw_quote_viewer(ui);
        draw_pdf_preview(ui);
    }
    ImGui::EndChild();
}

}  // namespace parley
