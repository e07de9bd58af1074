// Structured quotes on the request page: the quote card in the history (one per
// quote sent) and the quote viewer (a modal; full screen on phones): header, parties,
// line items, totals, terms, validity and status, "Download PDF"; the seller's
// "Revise", the buyer's "Accept" (typing their name) and "Pay online".
#include <algorithm>
#include "app/fonts.h"
#include "app/format.h"
#include "app/i18n.h"
#include "app/quote_state.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_composer.h"
#include "app/ui_text_view.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
constexpr float kTap = 36;

void status_badge(const std::string& st) {
    const bool good = st == kQuoteAccepted || st == kQuotePaid;
    const bool off = st == kQuoteSuperseded;
    const bool bad = st == kQuoteExpired;
    ui_badge(quote_status_name(st), good ? pal().good : bad ? pal().warn : off ? pal().muted : pal().accent,
             good ? pal().good_bg : bad ? pal().warn_bg : off ? pal().hover : pal().accent_bg);
}

std::string lang() { return i18n::language(); }

std::string money(const Quote& q, Money v) { return format_money(v, q.currency, lang()); }

void right_text(const std::string& t, float right, ImFont* font, ImU32 col, const char* kind = "text") {
    ImGui::PushFont(font);
    const float tw = ImGui::CalcTextSize(t.c_str()).x;
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(right - tw, ImGui::GetCursorScreenPos().y));
    ui_text(t, font, col, kind);
}

// "label ........ value" on one row, the value right-aligned at `right`.
void total_row(const std::string& label, const std::string& value, float x, float right, bool strong) {
    const float y = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ui_text(label, strong ? fonts.bold : fonts.body, strong ? pal().text : pal().muted);
    const float after = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    right_text(value, right, strong ? fonts.bold : fonts.body, pal().text);
    ImGui::SetCursorScreenPos(ImVec2(x, std::max(after, ImGui::GetCursorScreenPos().y) + 2));
}

std::string line_detail(const Quote& q, const QuoteLine& l) {
    std::string t = format_quantity(l.quantity, lang()) + " " + l.unit + " × " + money(q, l.unit_price);
    if (l.discount_bp) t += "  -" + format_basis_points(l.discount_bp, lang()) + " %";
    return t;
}

// The seller side who issued the quote (the conversation's seller), and their company.
std::string seller_of(const RequestDetail& d, const Quote& q) {
    const Conversation* c = find_conversation(d, q.conversation_id);
    return c ? c->seller.name : d.manufacturer_name;
}
std::string seller_company(const RequestDetail& d, const Quote& q) {
    const Conversation* c = find_conversation(d, q.conversation_id);
    return c && !c->seller.company.empty() ? c->seller.company : "";
}

bool newest_version(const AppState& s, const Quote& q) {
    for (const Quote* l : latest_quotes(s))
        if (l->number == q.number) return l->id == q.id;
    return false;
}
}  // namespace

// ---------------------------------------------------------------- the card in the history

void draw_quote_card(UiContext& ui, const Quote& q, float w) {
    AppState& s = ui.state;
    const float pad = 14;
    const std::string st = effective_status(q, ui.now);
    Card card(w, pal().panel, st == kQuoteSuperseded ? pal().border : pal().accent_border);
    const ImVec2 o = card.start;
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad - 2));
    const ImVec2 ic(o.x + pad + 12, o.y + pad + 10);
    ImGui::GetWindowDrawList()->AddCircleFilled(ic, 12, pal().accent_bg, 20);
    draw_symbol("✎", ic, 12, pal().accent);
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad + 32, o.y + pad - 2));
    const std::string title = i18n::trf("Quote {0}", {q.number}) + "  ·  " + i18n::trf("version {0}", {std::to_string(q.version)});
    ui_text(title, fonts.bold, st == kQuoteSuperseded ? pal().muted : pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad + 32, ImGui::GetCursorScreenPos().y));
    ui_text(format_datetime(q.created) + "  ·  " + seller_of(*s.thread, q), fonts.small, pal().muted);
    ImGui::SetCursorScreenPos(ImVec2(o.x + pad + 32, ImGui::GetCursorScreenPos().y + 6));
    const float y = ImGui::GetCursorScreenPos().y;
    ui_text(money(q, q.totals.total), fonts.title, st == kQuoteSuperseded ? pal().muted : pal().text);
    const float below = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x + 10, y + 6));
    status_badge(st);
    // "View quote" at the right.
    const std::string label = std::string(i18n::tr("View quote")) + "###viewq" + std::to_string(q.id);
    const float bw = ui_button_width(i18n::tr("View quote"));
    ImGui::SetCursorScreenPos(ImVec2(o.x + w - pad - bw, std::max(y - 4, below - kTap)));
    reg::next_label(i18n::trf("View quote {0} version {1}", {q.number, std::to_string(q.version)}));
    if (ui_button(label.c_str(), ButtonKind::Secondary, ImVec2(bw, kTap))) action_quote_view(s, q.id, ui.fx);
    ImGui::SetCursorScreenPos(ImVec2(o.x, std::max(below, ImGui::GetCursorScreenPos().y)));
    card.end(pad - 4);
}

// ---------------------------------------------------------------- the viewer

static void lines_table(const Quote& q, float x, float w, bool narrow) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float right = x + w;
    if (narrow) {
        for (size_t i = 0; i < q.lines.size(); i++) {
            const QuoteLine& l = q.lines[i];
            const Money net = i < q.totals.lines.size() ? q.totals.lines[i].net : 0;
            const float top = ImGui::GetCursorScreenPos().y;
            ImGui::SetCursorScreenPos(ImVec2(x, top + 6));
            const std::string n = std::to_string(i);
            ui_text_view(("##ql_product" + n).c_str(), l.product, w, fonts.bold, pal().text, "text");
            if (!l.reference.empty()) {
                ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
                ui_text_view(("##ql_ref" + n).c_str(), i18n::trf("Ref. {0}", {l.reference}), w, fonts.small, pal().muted, "text");
            }
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            const float ry = ImGui::GetCursorScreenPos().y;
            ui_text(line_detail(q, l), fonts.small, pal().muted);
            ImGui::SetCursorScreenPos(ImVec2(x, ry));
            right_text(money(q, net), right, fonts.bold, pal().text);
            const float bottom = ImGui::GetCursorScreenPos().y + 6;
            dl->AddLine(ImVec2(x, bottom), ImVec2(right, bottom), pal().border);
            ImGui::SetCursorScreenPos(ImVec2(x, bottom));
        }
        return;
    }
    // Columns: product (rest), quantity, unit price, discount, net.
    const float cq = 90, cp = 120, cd = 64, cn = 120;
    const float xq = right - cn - cd - cp - cq, xp = right - cn - cd - cp, xd = right - cn - cd;
    const float prod_w = xq - x - 12;
    const float hy = ImGui::GetCursorScreenPos().y;
    auto head = [&](const char* t, float colx, float colw, bool right_aligned) {
        ImGui::SetCursorScreenPos(ImVec2(colx, hy));
        if (right_aligned) right_text(t, colx + colw, fonts.small, pal().muted, "columnheader");
        else ui_text(t, fonts.small, pal().muted, "columnheader");
    };
    head(i18n::tr("Product"), x, prod_w, false);
    head(i18n::tr("Quantity"), xq, cq, true);
    head(i18n::tr("Unit price"), xp, cp, true);
    head(i18n::tr("Disc."), xd, cd, true);
    head(i18n::tr("Net"), right - cn, cn, true);
    float y = ImGui::GetCursorScreenPos().y + 4;
    dl->AddLine(ImVec2(x, y), ImVec2(right, y), pal().border, 1.5f);
    for (size_t i = 0; i < q.lines.size(); i++) {
        const QuoteLine& l = q.lines[i];
        const Money net = i < q.totals.lines.size() ? q.totals.lines[i].net : 0;
        const float top = y + 6;
        ImGui::SetCursorScreenPos(ImVec2(x, top));
        const std::string n = std::to_string(i);
        ui_text_view(("##ql_product" + n).c_str(), l.product, prod_w, fonts.body, pal().text, "text");
        if (!l.reference.empty()) {
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
            ui_text_view(("##ql_ref" + n).c_str(), i18n::trf("Ref. {0}", {l.reference}), prod_w, fonts.small, pal().muted, "text");
        }
        float bottom = ImGui::GetCursorScreenPos().y;
        auto cell = [&](const std::string& t, float colx, float colw) {
            ImGui::SetCursorScreenPos(ImVec2(colx, top));
            right_text(t, colx + colw, fonts.body, pal().text);
            bottom = std::max(bottom, ImGui::GetCursorScreenPos().y);
        };
        cell(format_quantity(l.quantity, lang()) + " " + l.unit, xq, cq);
        cell(money(q, l.unit_price), xp, cp);
        cell(l.discount_bp ? format_basis_points(l.discount_bp, lang()) + " %" : "—", xd, cd);
        cell(money(q, net), right - cn, cn);
        y = bottom + 6;
        dl->AddLine(ImVec2(x, y), ImVec2(right, y), pal().border);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, y));
}

static void viewer_body(UiContext& ui, const Quote& q, float w, bool narrow) {
    AppState& s = ui.state;
    const RequestDetail& d = *s.thread;
    const bool buyer = is_buyer(s);
    const std::string st = effective_status(q, ui.now);
    const float x = ImGui::GetCursorScreenPos().x;
    auto at = [&](float dy) { ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + dy)); };

    // Header: number and version, status; the close button at the right.
    const float top = ImGui::GetCursorScreenPos().y;
    const float cw = ui_button_width(i18n::tr("Close"));
    ui_text_view_fit("##q_number", i18n::trf("Quote {0}", {q.number}), w - cw - 10, fonts.title, pal().text, "heading");
    at(0);
    const float sy = ImGui::GetCursorScreenPos().y;
    ui_text(i18n::trf("version {0}", {std::to_string(q.version)}), fonts.body, pal().muted);
    ImGui::SetCursorScreenPos(ImVec2(ImGui::GetItemRectMax().x + 10, sy + 1));
    status_badge(st);
    ImGui::SetCursorScreenPos(ImVec2(x + w - cw, top));
    if (ui_button((std::string(i18n::tr("Close")) + "###quote_close").c_str(), ButtonKind::Secondary, ImVec2(cw, kTap)))
        action_quote_close_view(s, ui.fx);
    ImGui::SetCursorScreenPos(ImVec2(x, std::max(ImGui::GetCursorScreenPos().y, sy + 26) + 8));

    // Dates and validity.
    std::string dates = i18n::trf("Sent {0}", {format_datetime(q.created)});
    const bool expired = st == kQuoteExpired;
    ui_text_wrapped(dates, w, fonts.small, pal().muted);
    at(0);
    ui_text_wrapped(expired ? i18n::trf("Expired: it was valid until {0}", {format_utc_day(q.valid_until)})
                            : i18n::trf("Valid until {0}", {format_utc_day(q.valid_until)}),
                    w, fonts.small, expired ? pal().warn : pal().muted, expired ? "alert" : "text");

    // Parties.
    at(10);
    const float py = ImGui::GetCursorScreenPos().y;
    const float col = narrow ? w : (w - 16) / 2;
    ui_text(i18n::tr("From"), fonts.small, pal().muted);
    at(0);
    ui_text_view("##q_from", seller_of(d, q), col, fonts.bold, pal().text, "text");
    at(0);
    const std::string company = seller_company(d, q);
    if (!company.empty()) ui_text_view("##q_from_company", company, col, fonts.small, pal().muted, "text");
    float after = ImGui::GetCursorScreenPos().y;
    const float bx = narrow ? x : x + col + 16;
    ImGui::SetCursorScreenPos(ImVec2(bx, narrow ? after + 6 : py));
    ui_text(i18n::tr("To"), fonts.small, pal().muted);
    ImGui::SetCursorScreenPos(ImVec2(bx, ImGui::GetCursorScreenPos().y));
    ui_text_view("##q_to", d.buyer.name, col, fonts.bold, pal().text, "text");
    ImGui::SetCursorScreenPos(ImVec2(bx, ImGui::GetCursorScreenPos().y));
    ui_text_view("##q_to_company", d.buyer.company + "  ·  " + country_name(d.country), col, fonts.small, pal().muted, "text");
    ImGui::SetCursorScreenPos(ImVec2(x, std::max(after, ImGui::GetCursorScreenPos().y) + 14));

    lines_table(q, x, w, narrow);

    // Totals, right column.
    at(10);
    const float tw = std::min(w, 320.f), tx = x + w - tw;
    const std::string cur = q.currency;
    total_row(i18n::tr("Subtotal"), money(q, q.totals.subtotal), tx, x + w, false);
    if (q.totals.discount_total) {
        std::string discounts = "-";
        discounts += money(q, q.totals.discount_total);
        total_row(i18n::tr("of which discounts"), discounts, tx, x + w, false);
    }
    total_row(i18n::tr("Shipping"), money(q, q.totals.shipping), tx, x + w, false);
    total_row(i18n::trf("Tax ({0} %)", {format_basis_points(q.tax_bp, lang())}), money(q, q.totals.tax), tx, x + w, false);
    const float ly = ImGui::GetCursorScreenPos().y + 2;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(tx, ly), ImVec2(x + w, ly), pal().border);
    ImGui::SetCursorScreenPos(ImVec2(tx, ly + 4));
    total_row(i18n::trf("Total ({0})", {cur}), money(q, q.totals.total), tx, x + w, true);

    // Terms.
    at(12);
    ui_text(i18n::tr("Terms"), fonts.bold, pal().text, "heading");
    auto term = [&](const char* label, const std::string& value) {
        if (value.empty()) return;
        at(2);
        ui_text_view((std::string("##term_") + label).c_str(), i18n::trf("{0}: {1}", {label, value}), w, fonts.small, pal().text, "text");
    };
    term(i18n::tr("Incoterm"), q.incoterm);
    term(i18n::tr("Delivery lead time"), q.lead_time_days ? i18n::trn("{0} day", "{0} days", q.lead_time_days) : "");
    term(i18n::tr("Payment terms"), q.payment_terms);
    term(i18n::tr("Online payment"), q.online_payment ? i18n::tr("available after acceptance") : i18n::tr("not offered"));
    if (!q.notes.empty()) {
        at(8);
        ui_text(i18n::tr("Notes"), fonts.bold, pal().text, "heading");
        at(2);
        ui_text_view("##q_notes", q.notes, w, fonts.body, pal().text, "text");
    }

    // What happened to it.
    at(10);
    if (q.opened_at > 1) {
        ui_text_wrapped(i18n::trf("Opened by the buyer {0}", {format_datetime(q.opened_at)}), w, fonts.small, pal().muted, "status");
        at(0);
    }
    if (q.accepted_at) {
        ui_text_wrapped(i18n::trf("Accepted by {0} on {1} (version {2})",
                                  {q.accepted_by_name, format_datetime(q.accepted_at), std::to_string(q.version)}),
                        w, fonts.small, pal().good, "status");
        at(0);
    }
    if (q.paid_at) {
        ui_text_wrapped(i18n::trf("Paid online {0}", {format_datetime(q.paid_at)}) +
                            (q.paid_reference.empty() ? "" : "  ·  " + q.paid_reference),
                        w, fonts.small, pal().good, "status");
        at(0);
    } else if (s.qv.just_paid && buyer) {
        ui_text_wrapped(i18n::tr("Payment made: waiting for the provider's confirmation…"), w, fonts.small, pal().muted, "status");
        at(0);
    }
    if (st == kQuoteSuperseded) {
        ui_text_wrapped(i18n::tr("A newer version replaces this quote."), w, fonts.small, pal().muted, "status");
        at(0);
    }

    // Actions.
    const QuoteViewer& v = s.qv;
    if (buyer && v.accepting) {
        at(10);
        ui_text_wrapped(i18n::trf("To accept quote {0} (version {1}) for {2}, type your full name. This is a binding order.",
                                  {q.number, std::to_string(q.version), money(q, q.totals.total)}),
                        w, fonts.body, pal().text);
        at(6);
        // Sent without a name: the field shows where the refusal is.
        if (!v.error.empty() && s.qv.accept_name.find_first_not_of(" \t") == std::string::npos) ui_composer_invalid_next();
        if (ui_field("##accept_name", i18n::tr("Your full name"), i18n::tr("First and last name"), s.qv.accept_name,
                     std::min(w, 420.f), v.busy))
            action_quote_accept(s, ui.fx);
    }
    if (!v.error.empty()) ui_error_band(v.error, x, w);
    at(14);
    const float by = ImGui::GetCursorScreenPos().y;
    float bx2 = x;
    auto button = [&](const char* label, const char* id, ButtonKind kind, bool disabled = false) {
        const float bw = ui_button_width(label);
        if (bx2 > x && bx2 + bw > x + w) {  // wrap
            bx2 = x;
            ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 8));
        } else {
            ImGui::SetCursorScreenPos(ImVec2(bx2, bx2 == x ? ImGui::GetCursorScreenPos().y : ImGui::GetItemRectMin().y));
        }
        const bool pressed = ui_button((std::string(label) + "###" + id).c_str(), kind, ImVec2(bw, kTap), disabled);
        bx2 = ImGui::GetItemRectMax().x + 8;
        return pressed;
    };
    ImGui::SetCursorScreenPos(ImVec2(x, by));
    const bool newest = newest_version(s, q);
    if (buyer && v.accepting) {
        if (button(v.busy ? i18n::tr("Accepting…") : i18n::tr("Accept quote"), "quote_accept_ok", ButtonKind::Primary, v.busy))
            action_quote_accept(s, ui.fx);
        if (button(i18n::tr("Cancel"), "quote_accept_cancel", ButtonKind::Secondary, v.busy))
            action_quote_accept_cancel(s, ui.fx);
    } else {
        if (buyer && newest && (st == kQuoteSent || st == kQuoteOpened) &&
            button(i18n::tr("Accept"), "quote_accept", ButtonKind::Primary))
            action_quote_accept_start(s, ui.fx);
        if (buyer && st == kQuoteAccepted && q.online_payment &&
            button(v.busy ? i18n::tr("Opening the payment page…") : i18n::tr("Pay online"), "quote_pay", ButtonKind::Primary, v.busy))
            action_quote_pay(s, ui.fx);
        if (!buyer && newest && can_send_quote(s) && (st == kQuoteSent || st == kQuoteOpened || st == kQuoteExpired) &&
            button(i18n::tr("Revise"), "quote_revise", ButtonKind::Secondary)) {
            action_quote_close_view(s, ui.fx);
            action_quote_revise(s, q.id, ui.fx);
        }
        const std::string pdf = "/api/v1/quotes/" + std::to_string(q.id) + "/pdf";
        reg::next_href(pdf);
        if (button(i18n::tr("Download PDF"), "quote_pdf", ButtonKind::Secondary)) ui.fx.open_url = pdf;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetItemRectMax().y + 4));
    ImGui::Dummy(ImVec2(w, 0));
}

bool begin_sheet(const char* id, bool want, float max_w, float max_h, Sheet& sheet) {
    if (want && !ImGui::IsPopupOpen(id)) ImGui::OpenPopup(id);
    if (!want && !ImGui::IsPopupOpen(id)) return false;
    const ImGuiIO& io = ImGui::GetIO();
    const float vw = io.DisplaySize.x, vh = io.DisplaySize.y;
    sheet.narrow = vw < 640;
    const float width = sheet.narrow ? vw : std::min(max_w, vw - 48);
    const float height = sheet.narrow ? vh : std::min(vh - 48, max_h);
    const ImVec2 pad = sheet.narrow ? ImVec2(16, 14) : ImVec2(24, 20);
    sheet.inner_w = width - 2 * pad.x - 8;  // room for the scrollbar
    ImGui::SetNextWindowPos(ImVec2(vw / 2, vh / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Always);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, pad);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, sheet.narrow ? 0.f : 12.f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, sheet.narrow ? 0.f : 1.f);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(10, 4));
    ImGui::PushStyleColor(ImGuiCol_ModalWindowDimBg, pal().modal_dim);
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings;
    const bool open = ImGui::BeginPopupModal(id, nullptr, flags);
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(4);
    if (open && !want) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return false;
    }
    return open;
}

void end_sheet() { ImGui::EndPopup(); }

void draw_quote_viewer(UiContext& ui) {
    AppState& s = ui.state;
    const Quote* q = find_quote(s, s.qv.quote_id);
    const bool want = q != nullptr && !s.qe.open;
    Sheet sheet;
    if (!begin_sheet("###quote_viewer", want, 820, 900, sheet)) return;
    viewer_body(ui, *q, sheet.inner_w, sheet.narrow);
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !ImGui::GetIO().WantTextInput) action_quote_close_view(s, ui.fx);
    end_sheet();
}

}  // namespace parley
