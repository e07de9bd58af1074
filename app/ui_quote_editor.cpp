// The seller's quote composer: a modal (full screen on phones) with the line items,
// currency, tax, shipping, Incoterm, lead time, validity, payment terms, notes and the
// online-payment switch; totals update as you type (integer minor units, the same
// net/quote.h math as the server); field errors in red under each field once Send
// was pressed. A refused send keeps everything typed.
#include <algorithm>
#include "app/fonts.h"
#include "app/i18n.h"
#include "app/quote_state.h"
#include "app/registry.h"
#include "app/state.h"
#include "app/ui_composer.h"
#include "app/ui_thread.h"
#include "app/workflow_state.h"
#include "imgui_internal.h"

namespace parley {

using namespace theme;

namespace {
constexpr float kTap = 36;

struct Form {
    UiContext& ui;
    QuoteEditor& e;
    std::vector<FieldError> errors;  // shown once Send was pressed
    float x, w;
    bool narrow;
};

// A labelled one-line field at (x, y) of width w, with its error under it. Returns the bottom.
float field_at(Form& f, float x, float y, float w, const std::string& id, const std::string& label,
               const std::string& placeholder, std::string& text, const std::string& error_path,
               const std::string& reader = "") {
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    const std::string err = f.e.tried ? field_error(f.errors, error_path) : "";
    if (!err.empty()) ui_composer_invalid_next();
    ui_field(id, label.c_str(), placeholder, text, w, f.e.busy, reader);
    if (!err.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        ui_text_wrapped(err, w, fonts.small, pal().danger, "alert");
    }
    return ImGui::GetCursorScreenPos().y;
}

// A picker's list was open at the end of the last frame: Escape then closes the list
// (ImGui does, before this frame's code runs), not the whole composer.
bool g_list_was_open = false, g_list_open = false;

// A value chosen from a list: a button showing it, a popup with the choices under it.
// `id` names the list (no "#"): each choice's own text is its ImGui id inside the list.
void picker(Form& f, float x, float y, float w, const char* id, const std::string& label,
            const std::vector<std::string>& options, std::string& value) {
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ui_text(label, fonts.bold, pal().text);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y - 2));
    reg::next_label(label + ": " + value);
    const std::string bid = value + "###" + id;
    if (ui_button(bid.c_str(), ButtonKind::Secondary, ImVec2(w, kTap), f.e.busy)) ImGui::OpenPopup(id);
    // A small "more choices" triangle at the right edge.
    const ImVec2 r0 = ImGui::GetItemRectMin(), r = ImGui::GetItemRectMax();
    const ImVec2 c(r.x - 16, r.y - kTap / 2);
    ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(c.x - 5, c.y - 2), ImVec2(c.x + 5, c.y - 2), ImVec2(c.x, c.y + 4),
                                                  pal().muted);
    // Under the button, as wide as it, inside the screen.
    const float list_w = std::max(w, 120.f), list_h = std::min(320.f, 6 + 30.f * static_cast<float>(options.size()));
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    float ly = r.y + 2;
    if (ly + list_h > screen.y - 8 && r0.y - 2 - list_h >= 8) ly = r0.y - 2 - list_h;  // no room below: above
    ImGui::SetNextWindowPos(ImVec2(std::clamp(r0.x, 8.f, std::max(8.f, screen.x - 8 - list_w)), ly));
    ImGui::SetNextWindowSizeConstraints(ImVec2(list_w, 0), ImVec2(list_w, 320));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
    const bool open = ImGui::BeginPopup(id);
    ImGui::PopStyleVar();
    if (!open) return;
    g_list_open = true;
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.f, 0.5f));
    for (const std::string& o : options) {
        reg::next_kind("option");
        reg::next_label(o);
        reg::next_checked(o == value);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + 6);  // the text off the list's edge
        if (ImGui::Selectable(o.c_str(), o == value, 0, ImVec2(0, 30))) {
            value = o;
            ImGui::CloseCurrentPopup();
        }
        if (o == value && ImGui::IsWindowAppearing()) {
            ImGui::SetItemDefaultFocus();  // the keyboard starts from the chosen one
            ImGui::SetScrollHereY(0.5f);
        }
    }
    ImGui::PopStyleVar();
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();  // when keyboard nav is off
    ImGui::EndPopup();
}

std::vector<std::string> currency_codes() {
    // The usual ones first, then the rest of the table.
    std::vector<std::string> out = {"EUR", "USD", "GBP", "CNY", "JPY", "CHF"};
    for (const CurrencyInfo& c : currencies())
        if (std::find(out.begin(), out.end(), c.code) == out.end()) out.push_back(c.code);
    return out;
}

void line_block(Form& f, size_t i, float x, float w) {
    QuoteLineInput& l = f.e.lines[i];
    const std::string n = std::to_string(i + 1), at = "lines[" + std::to_string(i) + "].";
    const std::string sid = "##ql" + n;
    const float g = 10;
    float y = ImGui::GetCursorScreenPos().y;
    ui_text(i18n::trf("Line {0}", {n}), fonts.bold, pal().muted, "heading");
    if (f.e.lines.size() > 1) {
        const char* rm = i18n::tr("Remove");
        const float bw = ui_button_width(rm);
        ImGui::SetCursorScreenPos(ImVec2(x + w - bw, y - 4));
        reg::next_label(i18n::trf("Remove line {0}", {n}));
        if (ui_button((std::string(rm) + "###rm" + n).c_str(), ButtonKind::Ghost, ImVec2(bw, 28), f.e.busy)) {
            action_quote_remove_line(f.ui.state, i, f.ui.fx);
            return;
        }
    }
    y = std::max(ImGui::GetCursorScreenPos().y, y + 24);
    const std::string line_label = i18n::trf("line {0}", {n});
    auto reader = [&](const char* what) { return std::string(what) + ", " + line_label; };
    if (f.narrow) {
        y = field_at(f, x, y, w, sid + "p", i18n::tr("Product"), i18n::tr("What you offer"), l.product, at + "product",
                     reader(i18n::tr("Product")));
        y = field_at(f, x, y + 4, w, sid + "r", i18n::tr("Reference"), "", l.reference, at + "reference",
                     reader(i18n::tr("Reference")));
        const float hw = (w - g) / 2;
        float y1 = field_at(f, x, y + 4, hw, sid + "q", i18n::tr("Quantity"), "1", l.quantity, at + "quantity",
                            reader(i18n::tr("Quantity")));
        float y2 = field_at(f, x + hw + g, y + 4, hw, sid + "u", i18n::tr("Unit"), "pcs", l.unit, at + "unit",
                            reader(i18n::tr("Unit")));
        y = std::max(y1, y2);
        y1 = field_at(f, x, y + 4, hw, sid + "pr", i18n::tr("Unit price"), "0.00", l.unit_price, at + "unit_price",
                      reader(i18n::tr("Unit price")));
        y2 = field_at(f, x + hw + g, y + 4, hw, sid + "d", i18n::tr("Discount %"), "0", l.discount, at + "discount_bp",
                      reader(i18n::tr("Discount %")));
        y = std::max(y1, y2);
    } else {
        const float rw = 150, pw = w - rw - g;
        float y1 = field_at(f, x, y, pw, sid + "p", i18n::tr("Product"), i18n::tr("What you offer"), l.product,
                            at + "product", reader(i18n::tr("Product")));
        float y2 = field_at(f, x + pw + g, y, rw, sid + "r", i18n::tr("Reference"), "", l.reference, at + "reference",
                            reader(i18n::tr("Reference")));
        y = std::max(y1, y2) + 4;
        const float cw = (w - 3 * g) / 4;
        float bottom = y;
        bottom = std::max(bottom, field_at(f, x, y, cw, sid + "q", i18n::tr("Quantity"), "1", l.quantity, at + "quantity",
                                           reader(i18n::tr("Quantity"))));
        bottom = std::max(bottom, field_at(f, x + (cw + g), y, cw, sid + "u", i18n::tr("Unit"), "pcs", l.unit, at + "unit",
                                           reader(i18n::tr("Unit"))));
        bottom = std::max(bottom, field_at(f, x + 2 * (cw + g), y, cw, sid + "pr", i18n::tr("Unit price"), "0.00",
                                           l.unit_price, at + "unit_price", reader(i18n::tr("Unit price"))));
        bottom = std::max(bottom, field_at(f, x + 3 * (cw + g), y, cw, sid + "d", i18n::tr("Discount %"), "0", l.discount,
                                           at + "discount_bp", reader(i18n::tr("Discount %"))));
        y = bottom;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, y + 10));
    ImGui::GetWindowDrawList()->AddLine(ImVec2(x, y + 5), ImVec2(x + w, y + 5), pal().border);
}

void totals_block(Form& f, float x, float w) {
    const std::string lang = i18n::language();
    auto t = editor_totals(f.e, lang);
    const float tw = std::min(w, 340.f), tx = x + w - tw;
    auto row = [&](const std::string& label, const std::string& value, bool strong) {
        const float y = ImGui::GetCursorScreenPos().y;
        ImGui::SetCursorScreenPos(ImVec2(tx, y));
        ui_text(label, strong ? fonts.bold : fonts.body, strong ? pal().text : pal().muted);
        ImGui::PushFont(strong ? fonts.bold : fonts.body);
        const float vw = ImGui::CalcTextSize(value.c_str()).x;
        ImGui::PopFont();
        ImGui::SetCursorScreenPos(ImVec2(x + w - vw, y));
        ui_text(value, strong ? fonts.bold : fonts.body, pal().text, strong ? "status" : "text");
    };
    if (!t) {
        ImGui::SetCursorScreenPos(ImVec2(tx, ImGui::GetCursorScreenPos().y));
        ui_text_wrapped(i18n::tr("These amounts are too large to add up."), tw, fonts.small, pal().danger, "alert");
        return;
    }
    const std::string& cur = f.e.currency;
    row(i18n::tr("Subtotal"), format_money(t->subtotal, cur, lang), false);
    if (t->discount_total) {
        std::string discounts = "-";
        discounts += format_money(t->discount_total, cur, lang);
        row(i18n::tr("of which discounts"), discounts, false);
    }
    row(i18n::tr("Shipping"), format_money(t->shipping, cur, lang), false);
    row(i18n::tr("Tax"), format_money(t->tax, cur, lang), false);
    row(i18n::trf("Total ({0})", {cur}), format_money(t->total, cur, lang), true);
}

void editor_body(UiContext& ui, float w, bool narrow) {
    AppState& s = ui.state;
    QuoteEditor& e = s.qe;
    Form f{ui, e, {}, ImGui::GetCursorScreenPos().x, w, narrow};
    if (e.tried) editor_quote(e, i18n::language(), ui.now, &f.errors);
    const float x = f.x;
    const std::string title = e.revise_of ? i18n::trf("Revise quote {0}", {e.number}) : std::string(i18n::tr("New quote"));
    ui_text(title, fonts.title, pal().text, "heading");
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
    if (s.thread) ui_text_wrapped(i18n::trf("To {0} · {1}", {s.thread->buyer.name, s.thread->product}), w, fonts.small, pal().muted);
    if (e.revise_of) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        ui_text_wrapped(i18n::tr("The buyer gets a new version; the previous one is marked superseded."), w, fonts.small, pal().muted);
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 12));

    for (size_t i = 0; i < e.lines.size(); i++) {
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        const size_t before = e.lines.size();
        line_block(f, i, x, w);
        if (e.lines.size() != before) break;  // removed: the rest draws next frame
    }
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 2));
    const std::string add = std::string("+  ") + i18n::tr("Add a line");
    reg::next_label(i18n::tr("Add a line"));
    if (ui_button((add + "###quote_add_line").c_str(), ButtonKind::Secondary, ImVec2(ui_button_width(add.c_str()), kTap),
                  e.busy || static_cast<int>(e.lines.size()) >= kMaxQuoteLines))
        action_quote_add_line(s, ui.fx);

    // Money and terms: two or four per row.
    const float g = 10;
    const int per_row = narrow ? 2 : 4;
    const float cw = (w - (per_row - 1) * g) / per_row;
    float y = ImGui::GetCursorScreenPos().y + 14;
    int col = 0;
    float row_bottom = y;
    auto next = [&](auto draw) {
        const float cx = x + col * (cw + g);
        row_bottom = std::max(row_bottom, draw(cx, y));
        if (++col == per_row) {
            col = 0;
            y = row_bottom + 6;
        }
    };
    next([&](float cx, float cy) {
        picker(f, cx, cy, cw, "quote_currency", i18n::tr("Currency"), currency_codes(), e.currency);
        return ImGui::GetCursorScreenPos().y;
    });
    next([&](float cx, float cy) {
        return field_at(f, cx, cy, cw, "##quote_tax", i18n::tr("Tax rate %"), "21", e.tax, "tax_bp");
    });
    next([&](float cx, float cy) {
        return field_at(f, cx, cy, cw, "##quote_shipping", i18n::tr("Shipping"), "0", e.shipping, "shipping");
    });
    next([&](float cx, float cy) {
        picker(f, cx, cy, cw, "quote_incoterm", i18n::tr("Incoterm"), incoterms(), e.incoterm);
        return ImGui::GetCursorScreenPos().y;
    });
    next([&](float cx, float cy) {
        return field_at(f, cx, cy, cw, "##quote_lead", i18n::tr("Lead time (days)"), "14", e.lead_time, "lead_time_days");
    });
    next([&](float cx, float cy) {
        return field_at(f, cx, cy, cw, "##quote_valid", i18n::tr("Valid until"), "YYYY-MM-DD", e.valid_until, "valid_until");
    });
    if (col != 0) y = row_bottom + 6;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ui_text(i18n::tr("Payment terms"), fonts.bold, pal().text);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y - 4));
    ui_composer("##quote_terms", i18n::tr("Payment terms"), i18n::tr("e.g. 30% with the order, the rest before shipping"),
                e.payment_terms, w, 1, 3, e.busy);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 4));
    ui_text(i18n::tr("Notes"), fonts.bold, pal().text);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y - 4));
    ui_composer("##quote_notes", i18n::tr("Notes"), i18n::tr("Anything the buyer should know (optional)"), e.notes, w, 2, 6,
                e.busy);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 6));
    if (ui_choice("checkbox", "##quote_online", i18n::tr("Let the buyer pay online after accepting"),
                  i18n::tr("Online payment"), e.online_payment, e.busy))
        e.online_payment = !e.online_payment;

    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 10));
    totals_block(f, x, w);
    if (!e.error.empty()) ui_error_band(e.error, x, w);

    // Cancel and Send, right-aligned.
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 14));
    const char* send = e.revise_of ? i18n::tr("Send new version") : i18n::tr("Send quote");
    const char* busy = i18n::tr("Sending…");
    const float pw = std::max(ui_button_width(send), ui_button_width(busy));
    const float cbw = ui_button_width(i18n::tr("Cancel"));
    const float by = ImGui::GetCursorScreenPos().y;
    ImGui::SetCursorScreenPos(ImVec2(x + w - pw - 8 - cbw, by));
    if (ui_button((std::string(i18n::tr("Cancel")) + "###quote_cancel").c_str(), ButtonKind::Secondary, ImVec2(cbw, kTap),
                  e.busy))
        action_quote_close_editor(s, ui.fx);
    ImGui::SetCursorScreenPos(ImVec2(x + w - pw, by));
    reg::next_label(send);
    if (ui_button((std::string(e.busy ? busy : send) + "###quote_send").c_str(), ButtonKind::Primary, ImVec2(pw, kTap),
                  e.busy))
        action_quote_submit(s, ui.now, ui.fx);
    ImGui::Dummy(ImVec2(w, 8));
}
}  // namespace

void draw_quote_editor(UiContext& ui) {
    AppState& s = ui.state;
    const bool want = s.qe.open && s.thread && s.qe.request_id == s.thread->id;
    Sheet sheet;
    g_list_was_open = g_list_open;
    g_list_open = false;
    if (!begin_sheet("###quote_editor", want, 860, 940, sheet)) return;
    if (want) editor_body(ui, sheet.inner_w, sheet.narrow);
    if (want && ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !ImGui::GetIO().WantTextInput && !g_list_was_open)
        action_quote_close_editor(s, ui.fx);
    end_sheet();
}

}  // namespace parley
