// The workflow controls of the request page, in the request card: who handles the
// request (for the buyer also the choice of conversation), the buyer's phone, the
// seller side's actions (a "More" menu on phones) and their dialogs (forward, CC,
// decline, close), and the buyer's rating dialog. Every control is finger-sized
// (≥ 36 px) and named in the widget registry.
#include <algorithm>
#include <cmath>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_composer.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
constexpr float kTap = 36;  // height of a tappable control

void gap(float dy) { ImGui::SetCursorPosY(ImGui::GetCursorPosY() + dy); }

// Red text under a control (role "alert": screen readers announce it).
void error_line(const std::string& text, float w) {
    if (text.empty()) return;
    ui_text_wrapped(text, w, fonts.small, pal().danger, "alert");
}

// Text that is a link: accent, underlined, a finger-sized hit area; registered as
// kind "link" with its href (tests and the screen-reader mirror read both).
bool link_text(const char* id, const std::string& text, const std::string& href, ImFont* font) {
    ImGui::PushFont(font);
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = std::max(ts.y + 12, kTap);
    reg::next_kind("link");
    reg::next_label(text);
    reg::next_href(href);
    const bool pressed = ImGui::InvisibleButton(id, ImVec2(ts.x + 8, h));
    const bool hovered = ImGui::IsItemHovered();
    ui_hand_cursor_if_hovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float ty = p.y + (h - ts.y) / 2;
    dl->AddText(ImVec2(p.x + 4, ty), pal().accent, text.c_str());
    dl->AddLine(ImVec2(p.x + 4, ty + ts.y), ImVec2(p.x + 4 + ts.x, ty + ts.y), hovered ? pal().accent : pal().link_underline);
    if (ImGui::IsItemVisible()) glyphs::note_drawn(text);
    ImGui::PopFont();
    return pressed;
}

// A segmented choice ("chip"): filled when selected. Registered as a radio.
bool chip(const char* id, const std::string& label, bool selected, float w) {
    ImGui::PushFont(fonts.bold);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    reg::next_kind("radio");
    reg::next_label(label);
    reg::next_checked(selected);
    const bool pressed = ImGui::InvisibleButton(id, ImVec2(w, kTap));
    const bool hovered = ImGui::IsItemHovered();
    ui_hand_cursor_if_hovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 q(p.x + w, p.y + kTap);
    dl->AddRectFilled(p, q, selected ? pal().accent_fill : hovered ? pal().hover : pal().panel, 18);
    if (!selected) dl->AddRect(p, q, pal().border, 18);
    ImGui::PushClipRect(p, q, true);
    dl->AddText(ImVec2(p.x + std::max(12.f, (w - ts.x) / 2), p.y + (kTap - ts.y) / 2), selected ? pal().on_accent : pal().text,
                label.c_str());
    ImGui::PopClipRect();
    if (ImGui::IsItemVisible()) glyphs::note_drawn(label);
    ImGui::PopFont();
    return pressed;
}

// A five-pointed star as a polygon: crisp at any size (a font glyph blurs when scaled up).
void star_shape(ImVec2 c, float r, bool filled, ImU32 col) {
    ImVec2 pts[10];
    for (int k = 0; k < 10; k++) {
        const float a = -IM_PI / 2 + k * IM_PI / 5, rr = k % 2 ? r * 0.45f : r;
        pts[k] = ImVec2(c.x + std::cos(a) * rr, c.y + std::sin(a) * rr);
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (filled) {
        // Concave: a fan of triangles around the centre, without anti-aliased fill (its
        // fringes would show as seams); the outline then smooths the edge.
        const ImDrawListFlags flags = dl->Flags;
        dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
        for (int k = 0; k < 10; k++) dl->AddTriangleFilled(c, pts[k], pts[(k + 1) % 10], col);
        dl->Flags = flags;
        dl->AddPolyline(pts, 10, col, ImDrawFlags_Closed, 1.0f);
    } else {
        dl->AddPolyline(pts, 10, col, ImDrawFlags_Closed, 1.6f);
    }
}

// n of 5 stars as shapes, `r` px radius; one text widget "★★★★☆" for tests and readers.
void stars_row(int n, float r) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float step = 2 * r + 4;
    for (int i = 0; i < 5; i++)
        star_shape(ImVec2(p.x + r + i * step, p.y + r + 1), r, i < n, i < n ? pal().star : pal().star_off);
    ImGui::Dummy(ImVec2(5 * step, 2 * r + 2));
    const ImVec2 q = ImGui::GetItemRectMax();
    reg::add_text("text", stars_text(n), p.x, p.y, q.x, q.y);
}

// Buttons laid out left to right (screen coordinates), wrapping to new rows on narrow screens.
struct Flow {
    float x0, w, x, y, h = kTap, gap = 8;
    Flow(float x0_, float w_) : x0(x0_), w(w_), x(x0_), y(ImGui::GetCursorScreenPos().y) {}
    void place(float bw) {
        if (x > x0 && x + bw > x0 + w) {
            x = x0;
            y += h + gap;
        }
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        x += bw + gap;
    }
    void done() {
        ImGui::SetCursorScreenPos(ImVec2(x0, y + h));
        ImGui::Dummy(ImVec2(0, 0));
    }
};

std::string person(const User& u) { return u.name + " · " + role_name(u.role); }

const char* status_name(const std::string& status) {
    if (status == "declined") return i18n::tr("Declined");
    if (status == "won") return i18n::tr("Sale closed");
    if (status == "lost") return i18n::tr("Lost");
    return "";
}
}  // namespace

void draw_symbol(const char* glyph_utf8, ImVec2 center, float size, ImU32 color) {
    ImFont* font = fonts.title ? fonts.title : ImGui::GetFont();
    size_t i = 0;
    const glyphs::CodePoint cp = glyphs::next_code_point(glyph_utf8, i);
    const ImFontGlyph* g = font->FindGlyph((ImWchar)cp);
    glyphs::note_drawn(glyph_utf8);
    if (!g) return;
    // Scale so the ink is `size` tall, then centre the ink box.
    const float ink_h = std::max(1.f, g->Y1 - g->Y0), ink_w = std::max(1.f, g->X1 - g->X0);
    const float k = size / std::max(ink_h, ink_w);
    const float px = font->FontSize * k;
    const ImVec2 pos(center.x - (g->X0 + ink_w / 2) * k, center.y - (g->Y0 + ink_h / 2) * k);
    ImGui::GetWindowDrawList()->AddText(font, px, pos, color, glyph_utf8);
}

bool radio_row(const char* id, const std::string& label, const std::string& detail, bool selected, float w) {
    ImGui::PushFont(fonts.body);
    const float h = detail.empty() ? 40.f : 54.f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    reg::next_kind("radio");
    reg::next_label(label);
    reg::next_checked(selected);
    const bool pressed = ImGui::InvisibleButton(id, ImVec2(w, h));
    const bool hovered = ImGui::IsItemHovered();
    ui_hand_cursor_if_hovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 q(p.x + w, p.y + h);
    if (selected || hovered) dl->AddRectFilled(p, q, selected ? pal().accent_bg : pal().hover, 8);
    if (selected) dl->AddRect(p, q, pal().accent_border, 8);
    const ImVec2 c(p.x + 20, p.y + (detail.empty() ? h / 2 : 19));
    dl->AddCircle(c, 8, selected ? pal().accent : pal().control_off, 20, 1.6f);
    if (selected) dl->AddCircleFilled(c, 4.5f, pal().accent, 16);
    const float fs = ImGui::GetFontSize();
    ImGui::PushClipRect(p, q, true);
    dl->AddText(ImVec2(p.x + 38, c.y - fs / 2 - 1), pal().text, label.c_str());
    if (!detail.empty()) dl->AddText(fonts.small, fs * 13 / 15, ImVec2(p.x + 38, c.y + fs / 2 + 3), pal().muted, detail.c_str());
    ImGui::PopClipRect();
    if (ImGui::IsItemVisible()) {
        glyphs::note_drawn(label);
        glyphs::note_drawn(detail);
    }
    ImGui::PopFont();
    return pressed;
}

// ---------------------------------------------------------------- request card parts

void draw_card_actions(UiContext& ui, const RequestDetail& d, float x, float w) {
    AppState& s = ui.state;
    const Permissions& can = d.can;
    const bool buyer = is_buyer(s);
    struct Item { const char* label; const char* id; DialogKind kind; const char* outcome; bool on; };
    const Item items[] = {
        {i18n::tr("Forward"), "forward", DialogKind::Forward, "", can.forward},
        {i18n::tr("CC"), "cc", DialogKind::Cc, "", can.cc},
        {i18n::tr("Decline"), "decline", DialogKind::Decline, "", can.decline},
        {i18n::tr("Close sale"), "close", DialogKind::Close, "won", can.close},
        {i18n::tr("Mark lost"), "lost", DialogKind::Close, "lost", can.close},
    };
    const bool phone = !buyer && (!d.phone.empty() || can.reveal_phone);
    const Conversation* shown = buyer ? find_conversation(d, shown_conversation(s)) : nullptr;
    const bool rate = shown && shown->rating.stars <= 0 && can_rate(s, *shown);
    const bool any = std::any_of(std::begin(items), std::end(items), [](const Item& i) { return i.on; });
    if (!phone && !rate && !any) return;

    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 14));
    Flow flow(x, w);
    if (!d.phone.empty() && !buyer) {
        // A tel: link everywhere: a phone dials it, a desktop hands it to its phone app.
        const std::string href = tel_href(d.phone);
        ImGui::PushFont(fonts.bold);
        const float tw = ImGui::CalcTextSize(d.phone.c_str()).x;
        ImGui::PopFont();
        flow.place(tw + 30);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        draw_symbol("☎", ImVec2(p.x + 9, p.y + kTap / 2), 15, pal().muted);
        ImGui::SetCursorScreenPos(ImVec2(p.x + 18, p.y));
        if (link_text("##phone", d.phone, href, fonts.bold)) ui.fx.open_url = href;
    } else if (phone) {
        const char* label = s.wf.phone_loading ? i18n::tr("Showing…") : i18n::tr("Show number");
        const std::string text = std::string("☎  ") + label + "###show_number";
        const float bw = std::max(ui_button_width(("☎  " + std::string(i18n::tr("Show number"))).c_str()),
                                  ui_button_width(("☎  " + std::string(i18n::tr("Showing…"))).c_str()));
        flow.place(bw);
        reg::next_label(i18n::tr("Show number"));
        if (ui_button(text.c_str(), ButtonKind::Secondary, ImVec2(bw, kTap), s.wf.phone_loading))
            action_reveal_phone(s, ui.fx);
    }
    // The actions: all in the row when they fit (desktop); on a phone the first that
    // fit, then "More" with the others in a menu, so the page stays one row taller only.
    std::vector<const Item*> on;
    for (const Item& it : items)
        if (it.on) on.push_back(&it);
    const float more_w = ui_button_width(i18n::tr("More"));
    size_t inline_n = on.size();
    {
        float x1 = flow.x;
        for (size_t k = 0; k < on.size(); k++) x1 += std::max(64.f, ui_button_width(on[k]->label)) + flow.gap;
        if (rate) x1 += ui_button_width(("★  " + std::string(i18n::tr("Rate this conversation"))).c_str()) + flow.gap;
        if (x1 - flow.gap > x + w) {
            float xx = flow.x;
            inline_n = 0;
            while (inline_n < on.size() && xx + std::max(64.f, ui_button_width(on[inline_n]->label)) + flow.gap + more_w <= x + w)
                xx += std::max(64.f, ui_button_width(on[inline_n++]->label)) + flow.gap;
        }
    }
    for (size_t k = 0; k < inline_n; k++) {
        const Item& it = *on[k];
        const float bw = std::max(64.f, ui_button_width(it.label));
        flow.place(bw);
        const std::string id = std::string(it.label) + "###act_" + it.id;
        if (ui_button(id.c_str(), ButtonKind::Secondary, ImVec2(bw, kTap)))
            action_open_dialog(s, it.kind, ui.fx, it.outcome);
    }
    if (inline_n < on.size()) {
        flow.place(more_w);
        reg::next_label(i18n::tr("More actions"));
        const std::string id = std::string(i18n::tr("More")) + "###more_actions";
        if (ui_button(id.c_str(), ButtonKind::Secondary, ImVec2(more_w, kTap))) ImGui::OpenPopup("##more_actions");
        const ImVec2 b = ImGui::GetItemRectMax();
        ImGui::SetNextWindowPos(ImVec2(b.x, b.y + 4), ImGuiCond_Always, ImVec2(1, 0));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
        ImGui::PushStyleVar(ImGuiStyleVar_PopupBorderSize, 1.f);
        ImGui::PushStyleVar(ImGuiStyleVar_PopupRounding, 10.f);
        ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.f, 0.5f));  // a menu reads from the left
        if (ImGui::BeginPopup("##more_actions")) {
            for (size_t k = inline_n; k < on.size(); k++) {
                const Item& it = *on[k];
                const std::string mid = std::string(it.label) + "###menu_" + it.id;
                if (ui_button(mid.c_str(), ButtonKind::Ghost, ImVec2(std::max(180.f, ui_button_width(it.label)), 44))) {
                    ImGui::CloseCurrentPopup();
                    action_open_dialog(s, it.kind, ui.fx, it.outcome);
                }
            }
            ImGui::EndPopup();
        }
        ImGui::PopStyleVar(4);
    }
    if (rate) {
        const std::string text = std::string("★  ") + i18n::tr("Rate this conversation") + "###rate";
        const float bw = ui_button_width(text.c_str());
        flow.place(bw);
        reg::next_label(i18n::tr("Rate this conversation"));
        if (ui_button(text.c_str(), ButtonKind::Secondary, ImVec2(bw, kTap))) action_open_dialog(s, DialogKind::Rate, ui.fx);
    }
    flow.done();
    if (!s.wf.phone_error.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 4));
        error_line(s.wf.phone_error, w);
    }
}

void draw_handlers(UiContext& ui, const RequestDetail& d, float x, float w) {
    AppState& s = ui.state;
    const int64_t me = s.inbox.me.id;
    const bool buyer = is_buyer(s);
    const bool only_me = d.conversations.size() == 1 && d.conversations[0].seller.id == me;
    std::vector<std::string> cc;
    for (const Conversation& c : d.conversations)
        for (const Participant& p : c.participants)
            if (p.via != "owner" && std::find(cc.begin(), cc.end(), p.user.name) == cc.end()) cc.push_back(p.user.name);
    bool any_rating = false;
    for (const Conversation& c : d.conversations) any_rating |= c.rating.stars > 0;
    const bool closed = only_me && d.conversations[0].status != "open" && !d.conversations[0].status.empty();
    // The buyer learns who handles it when that is not just the manufacturer they wrote to.
    const bool show_handlers = !d.conversations.empty() && !only_me &&
                               (!buyer || d.conversations.size() > 1 || d.conversations[0].seller.name != d.manufacturer_name ||
                                d.conversations[0].status != "open");
    if (!show_handlers && cc.empty() && !any_rating && !closed) return;

    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 10));
    const ImVec2 a = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, a.y), ImVec2(a.x + w, a.y), pal().border);
    ImGui::SetCursorScreenPos(ImVec2(x, a.y + 8));
    if (closed) {
        // My own conversation ended: say how (the reason only the seller side sees).
        const Conversation& c = d.conversations[0];
        std::string line = status_name(c.status);
        if (c.status == "declined" && !c.decline_reason.empty()) {
            const size_t colon = c.decline_reason.find(": ");
            const std::string code = c.decline_reason.substr(0, colon);
            line = i18n::trf("{0}: {1}", {line, decline_reason_name(code)});
            if (colon != std::string::npos) line += " — “" + c.decline_reason.substr(colon + 2) + "”";
        }
        ui_text_wrapped(line, w, fonts.bold, c.status == "won" ? pal().good : pal().danger, "status");
    }
    if (buyer && d.conversations.size() > 1) {
        // Who handles each conversation, and the choice of which one shows: one control.
        ui_text(i18n::tr("Handled by"), fonts.small, pal().muted, "heading");
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
        const int64_t shown = shown_conversation(s);
        Flow flow(x, w);
        for (const Conversation& c : d.conversations) {
            std::string label = person(c.seller);
            if (*status_name(c.status)) label += std::string(" · ") + status_name(c.status);
            const float cw = std::min(w, ui_button_width(label.c_str()) + 12);
            flow.place(cw);
            const std::string id = "##conv" + std::to_string(c.id);
            if (chip(id.c_str(), label, c.id == shown, cw)) action_select_conversation(ui.state, c.id, ui.fx);
        }
        flow.done();
    } else if (show_handlers) {
        for (const Conversation& c : d.conversations) {
            std::string line = i18n::trf("Handled by {0}", {person(c.seller)});
            if (!c.seller.company.empty()) line += " (" + c.seller.company + ")";
            if (*status_name(c.status)) line += std::string("  ·  ") + status_name(c.status);
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            ui_text_wrapped(line, w, fonts.small, pal().text);
        }
    }
    if (!cc.empty()) {
        std::string names;
        for (const std::string& n : cc) names += (names.empty() ? "" : ", ") + n;
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        ui_text_wrapped(i18n::trf("In copy: {0}", {names}), w, fonts.small, pal().muted);
    }
    // The buyer's rating of each conversation: both sides see it.
    for (const Conversation& c : d.conversations) {
        if (c.rating.stars <= 0) continue;
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
        if (buyer) ui_text(i18n::trf("Your rating of {0}", {c.seller.name}), fonts.small, pal().muted, "heading");
        else ui_text(i18n::tr("Buyer's rating"), fonts.small, pal().muted);
        ImGui::SameLine(0, 8);
        ImGui::SetCursorScreenPos(ImVec2(ImGui::GetCursorScreenPos().x, ImGui::GetCursorScreenPos().y - 1));
        stars_row(c.rating.stars, 7);
        if (!c.rating.comment.empty()) {
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            ui_text_wrapped("“" + c.rating.comment + "”", w, fonts.small, pal().text);
        }
    }
}

// ---------------------------------------------------------------- buyer: conversations, rating

// The rating dialog's content: five stars, a comment, "Send rating".
static void rating_body(UiContext& ui, const RequestDetail& d, float w) {
    AppState& s = ui.state;
    RatingDraft& r = s.wf.rating;
    const Conversation* c = find_conversation(d, r.conversation_id);
    ui_text_wrapped(i18n::tr("Rate this conversation"), w, fonts.title, pal().text, "heading");
    gap(2);
    ui_text_wrapped(i18n::trf("How was the service of {0}?", {c ? c->seller.name : d.manufacturer_name}), w, fonts.small,
                    pal().muted);
    gap(4);
    const ImVec2 row = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(row.x - 4, row.y));
    for (int i = 1; i <= 5; i++) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float size = 44;
        reg::next_kind("button");
        reg::next_label(i18n::trn("{0} star", "{0} stars", i));
        reg::next_checked(i <= r.stars);
        if (ImGui::InvisibleButton(("##star" + std::to_string(i)).c_str(), ImVec2(size, size)) && !r.busy) {
            r.stars = i;
            r.error.clear();
        }
        const bool hovered = ImGui::IsItemHovered();
        ui_hand_cursor_if_hovered();
        star_shape(ImVec2(p.x + size / 2, p.y + size / 2 + 1), 15, i <= r.stars,
                   i <= r.stars || hovered ? pal().star : pal().star_off);
        if (i < 5) ImGui::SameLine(0, 2);
    }
    ImGui::SetCursorScreenPos(ImVec2(row.x, ImGui::GetCursorScreenPos().y + 6));
    ui_composer("##rating_comment", i18n::tr("Comment (optional)"), i18n::tr("Comment (optional)"), r.comment, w, 2, 5,
                r.busy);
}

// ---------------------------------------------------------------- dialogs

static void contact_picker(UiContext& ui, ActionDialog& dlg, float w) {
    AppState& s = ui.state;
    ui_text(i18n::tr("Choose a contact"), fonts.bold, pal().text, "heading");
    gap(2);
    if (s.wf.contacts_loading) {
        ui_text(i18n::tr("Loading contacts…"), fonts.small, pal().muted);
    } else if (!s.wf.contacts_error.empty()) {
        ui_text_wrapped(s.wf.contacts_error, w, fonts.small, pal().muted);
    } else if (s.wf.contacts) {
        int shown = 0;
        for (const User& u : s.wf.contacts->users) {
            if (u.id == s.inbox.me.id) continue;
            std::string detail = role_name(u.role);
            if (!u.company.empty()) detail = u.company + " · " + detail;
            const std::string id = "##contact" + std::to_string(u.id);
            if (radio_row(id.c_str(), u.name, detail, dlg.user_id == u.id, w) && !dlg.busy) {
                dlg.user_id = dlg.user_id == u.id ? 0 : u.id;
                if (dlg.user_id) dlg.email.clear();  // one or the other
                dlg.clear_error();
            }
            shown++;
        }
        if (!shown) ui_text(i18n::tr("No contacts yet."), fonts.small, pal().muted);
    }
    gap(8);
    ui_text(i18n::tr("Or an e-mail address"), fonts.bold, pal().text, "heading");
    gap(2);
    if (dlg.invalid == "email") ui_composer_invalid_next();
    ComposerResult cr = ui_composer("##dlg_email", i18n::tr("E-mail address"), "name@company.com", dlg.email, w, 1, 2,
                                    dlg.busy);
    if (cr.changed && !dlg.email.empty()) dlg.user_id = 0;
    if (cr.submitted) action_submit_dialog(s, ui.fx);
}

static void dialog_body(UiContext& ui, const RequestDetail& d, float w) {
    AppState& s = ui.state;
    ActionDialog& dlg = s.wf.dialog;
    const char* title = "";
    const char* sub = "";
    const char* primary = "";
    switch (dlg.kind) {
        case DialogKind::Forward:
            title = i18n::tr("Forward this request");
            sub = i18n::tr("They receive the request and can answer the buyer, with your rights.");
            primary = i18n::tr("Forward request");
            break;
        case DialogKind::Cc:
            title = i18n::tr("Put someone in copy");
            sub = i18n::tr("They receive a copy of this conversation and can reply, with your rights.");
            primary = i18n::tr("Add to copy");
            break;
        case DialogKind::Decline:
            title = i18n::tr("Decline this request");
            sub = i18n::tr("The buyer is told politely. Declining here does not lower your response rate.");
            primary = i18n::tr("Decline request");
            break;
        case DialogKind::Close:
            title = i18n::tr("Close this request");
            sub = i18n::tr("Record how the request ended.");
            primary = i18n::tr("Save outcome");
            break;
        case DialogKind::Rate: primary = i18n::tr("Send rating"); break;
        case DialogKind::None: return;
    }
    const bool rating = dlg.kind == DialogKind::Rate;
    if (!rating) {
        ui_text_wrapped(title, w, fonts.title, pal().text, "heading");
        gap(2);
        ui_text_wrapped(d.product, w, fonts.small, pal().muted);
        ui_text_wrapped(sub, w, fonts.small, pal().muted);
        gap(8);
    }
    const bool busy_now = rating ? s.wf.rating.busy : dlg.busy;
    const std::string& error = rating ? s.wf.rating.error : dlg.error;
    if (rating) {
        rating_body(ui, d, w);
    } else if (dlg.kind == DialogKind::Forward || dlg.kind == DialogKind::Cc) {
        contact_picker(ui, dlg, w);
        if (dlg.kind == DialogKind::Forward) {
            gap(8);
            ui_text(i18n::tr("Note (optional)"), fonts.bold, pal().text, "heading");
            gap(2);
            if (dlg.invalid == "note") ui_composer_invalid_next();
            ui_composer("##dlg_note", i18n::tr("Note (optional)"), i18n::tr("Add a note for them…"), dlg.note, w, 2, 5,
                        dlg.busy);
        }
    } else if (dlg.kind == DialogKind::Decline) {
        for (const char* code : {"not_my_product", "cannot_deliver", "quantity_too_small", "other"}) {
            const std::string id = std::string("##reason_") + code;
            if (radio_row(id.c_str(), decline_reason_name(code), "", dlg.reason == code, w) && !dlg.busy) {
                dlg.reason = code;
                dlg.clear_error();
            }
        }
        if (dlg.reason == "other") {
            gap(6);
            if (dlg.invalid == "text") ui_composer_invalid_next();
            ui_composer("##dlg_why", i18n::tr("Reason"), i18n::tr("Say why in a few words…"), dlg.text, w, 2, 5, dlg.busy);
        }
    } else if (dlg.kind == DialogKind::Close) {
        if (radio_row("##won", i18n::tr("Won: the sale is closed"), "", dlg.outcome == "won", w) && !dlg.busy) dlg.outcome = "won";
        if (radio_row("##lost", i18n::tr("Lost: no sale"), "", dlg.outcome == "lost", w) && !dlg.busy) dlg.outcome = "lost";
    }
    if (!error.empty()) {
        gap(6);
        error_line(error, w);
    }
    // Cancel and the action, right-aligned.
    gap(12);
    const char* busy = i18n::tr("Sending…");
    const float pw = std::max(ui_button_width(primary), ui_button_width(busy));
    const float cw = ui_button_width(i18n::tr("Cancel"));
    const float y = ImGui::GetCursorPosY();
    const float x = ImGui::GetCursorPosX();
    ImGui::SetCursorPos(ImVec2(x + w - pw - 8 - cw, y));
    if (ui_button((std::string(i18n::tr("Cancel")) + "###dlg_cancel").c_str(), ButtonKind::Secondary, ImVec2(cw, kTap)))
        action_close_dialog(s, ui.fx);
    ImGui::SetCursorPos(ImVec2(x + w - pw, y));
    reg::next_label(primary);
    if (ui_button((std::string(busy_now ? busy : primary) + "###dlg_ok").c_str(), ButtonKind::Primary, ImVec2(pw, kTap),
                  busy_now))
        action_submit_dialog(s, ui.fx);
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !ImGui::GetIO().WantTextInput && !busy_now)
        action_close_dialog(s, ui.fx);
}

void draw_action_dialog(UiContext& ui, const RequestDetail& d) {
    const ActionDialog& dlg = ui.state.wf.dialog;
    const char* id = "###workflow_dialog";
    const bool want = dlg.kind != DialogKind::None && dlg.request_id == d.id;
    if (want && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
    if (!want && !ImGui::IsPopupOpen(id)) return;
    const ImGuiIO& io = ImGui::GetIO();
    const float vw = io.DisplaySize.x, vh = io.DisplaySize.y;
    const float width = std::min(480.f, vw - 24);
    const ImVec2 pad(18, 16);
    ImGui::SetNextWindowPos(ImVec2(vw / 2, vh / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, std::max(200.f, vh - 24)));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, pad);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 12.f);  // modals use the window style
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.f);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(10, 6));
    ImGui::PushStyleColor(ImGuiCol_ModalWindowDimBg, pal().modal_dim);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;
    if (ImGui::BeginPopupModal(id, nullptr, flags)) {
        if (!want) ImGui::CloseCurrentPopup();
        else dialog_body(ui, d, width - 2 * pad.x - 4);
        ImGui::EndPopup();
    }
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(4);
}

}  // namespace parley
